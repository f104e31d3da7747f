// RESP2/RESP3 reply encoder into one growable byte buffer.
//
// Shard code writes replies through this; where the bytes go next (a reply ring
// slot or a socket) is the caller's business. Integers and lengths are written as
// ASCII digits straight into the buffer, without building strings.

const CRLF0 = 13;
const CRLF1 = 10;

import { copyBytes, copyWords } from '../util/bytes';
import { writeDecimal, formatDouble } from '../util/numbers';

const MAX_SAFE_INT = Number.MAX_SAFE_INTEGER;
const digitScratch = new Uint8Array(24);

const textEncoder = new TextEncoder();

export class ReplyWriter {
  buf: Uint8Array;
  /** buf's memory as 32-bit words (for copyWords into and out of it); replaced with buf */
  buf32: Int32Array;
  pos = 0;
  /** protocol version of the client the reply is for */
  resp: 2 | 3 = 2;

  constructor(initial = 64 * 1024) {
    this.buf = new Uint8Array((initial + 3) & ~3);
    this.buf32 = new Int32Array(this.buf.buffer);
  }

  /** A new own buffer of at least n bytes (a whole number of words), and its word view. */
  private fresh(n: number): Uint8Array {
    const nb = new Uint8Array((n + 3) & ~3);
    this.buf = nb;
    this.buf32 = new Int32Array(nb.buffer);
    return nb;
  }

  /** the writer's own buffer while attached to another */
  private ownBuf: Uint8Array | null = null;
  private ownBuf32: Int32Array | null = null;

  reset(): void {
    this.pos = 0;
  }

  /**
   * Write into buf from pos on (a connection's gathering buffer: the reply is
   * not copied again) until detach(). buf32 views buf's memory; buf may be
   * replaced by a bigger copy as the reply grows, so the owner takes buf back
   * from here.
   */
  attach(buf: Uint8Array, buf32: Int32Array, pos: number): void {
    this.ownBuf = this.buf;
    this.ownBuf32 = this.buf32;
    this.buf = buf;
    this.buf32 = buf32;
    this.pos = pos;
  }

  /** Back to the writer's own buffer, empty. */
  detach(): void {
    this.buf = this.ownBuf!;
    this.buf32 = this.ownBuf32!;
    this.ownBuf = null;
    this.ownBuf32 = null;
    this.pos = 0;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  ensure(n: number): void {
    if (this.pos + n > this.buf.length) {
      let cap = Math.max(this.buf.length * 2, 64);
      while (cap < this.pos + n) cap *= 2;
      const old = this.buf;
      this.fresh(cap).set(old.subarray(0, this.pos));
    }
  }

  /** Shrink back a buffer that grew for one huge reply. */
  trim(max: number, initial: number): void {
    if (this.buf.length > max && this.pos === 0) this.fresh(initial);
  }

  private ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  raw(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    this.ensure(n);
    copyBytes(this.buf, this.pos, src, start, end);
    this.pos += n;
  }

  private crlf(): void {
    this.buf[this.pos++] = CRLF0;
    this.buf[this.pos++] = CRLF1;
  }

  /** prefix char + decimal integer + CRLF */
  private header(prefix: number, n: number): void {
    this.ensure(24);
    this.buf[this.pos++] = prefix;
    this.writeInt(n);
    this.crlf();
  }

  private writeInt(n: number): void {
    this.pos = writeDecimal(this.buf, this.pos, n);
  }

  ok(): void {
    this.raw(OK);
  }

  /**
   * +status. Status and error texts are latin1 strings: one char per byte, so
   * argument bytes quoted in a message come back exactly as sent.
   */
  simple(s: string): void {
    this.ensure(s.length + 3);
    this.buf[this.pos++] = 43;
    this.latin1(s);
    this.crlf();
  }

  /**
   * -ERR ... : full message including its code, e.g. "ERR syntax error".
   * CR and LF become spaces, as Redis does to error text: messages quote
   * client bytes (a subcommand, an option) that must not end the line.
   */
  error(msg: string): void {
    this.ensure(msg.length + 3);
    const b = this.buf;
    b[this.pos++] = 45;
    const start = this.pos;
    this.latin1(msg);
    for (let i = start; i < this.pos; i++) if (b[i] === 13 || b[i] === 10) b[i] = 32;
    this.crlf();
  }

  private latin1(s: string): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i) & 0xff;
    this.pos = p;
  }

  integer(n: number | bigint): void {
    if (typeof n === 'bigint') {
      this.ensure(24);
      this.buf[this.pos++] = 58;
      this.ascii(n.toString());
      this.ensure(2);
      this.crlf();
      return;
    }
    this.header(58, n);
  }

  /**
   * $len CRLF bytes CRLF, of src[start, end). Written in one piece: LRANGE and
   * friends call it per element. src32, viewing the same memory as src from the
   * same start (an arena's views), lets the copy go by words (copyWords).
   */
  bulk(src: Uint8Array, start = 0, end = src.length, src32: Int32Array | null = null): void {
    const n = end - start;
    let p = this.pos;
    if (p + n + 32 > this.buf.length) this.ensure(n + 32);
    const b = this.buf;
    b[p] = 36;
    if (n < 10) {
      b[p + 1] = 48 + n;
      p += 2;
    } else p = writeDecimal(b, p + 1, n);
    b[p] = CRLF0;
    b[p + 1] = CRLF1;
    p += 2;
    if (n <= 16) {
      for (let i = 0; i < n; i++) b[p + i] = src[start + i];
    } else if (src32 !== null) copyWords(this.buf32, b, p, src32, src, start, end);
    else copyBytes(b, p, src, start, end);
    p += n;
    b[p] = CRLF0;
    b[p + 1] = CRLF1;
    this.pos = p + 2;
  }

  bulkString(s: string): void {
    const b = textEncoder.encode(s);
    this.bulk(b);
  }

  /** a bulk of ASCII text, e.g. a formatted number */
  bulkAscii(s: string): void {
    this.header(36, s.length);
    this.ascii(s);
    this.ensure(2);
    this.crlf();
  }

  /** the null bulk reply: $-1 (RESP2) or _ (RESP3) */
  nullBulk(): void {
    this.raw(this.resp === 3 ? NULL3 : NULL_BULK2);
  }

  /** the null array reply: *-1 (RESP2) or _ (RESP3) */
  nullArray(): void {
    this.raw(this.resp === 3 ? NULL3 : NULL_ARRAY2);
  }

  arrayHeader(n: number): void {
    this.header(42, n);
  }

  /** RESP3 map (%) or a flat array of 2n in RESP2 */
  mapHeader(n: number): void {
    if (this.resp === 3) this.header(37, n);
    else this.header(42, n * 2);
  }

  /** RESP3 set (~) or array in RESP2 */
  setHeader(n: number): void {
    this.header(this.resp === 3 ? 126 : 42, n);
  }

  /** RESP3 push (>) or array in RESP2 */
  pushHeader(n: number): void {
    this.header(this.resp === 3 ? 62 : 42, n);
  }

  /** RESP3 boolean or integer 1/0 in RESP2 */
  boolean(v: boolean): void {
    if (this.resp === 3) this.raw(v ? TRUE3 : FALSE3);
    else this.raw(v ? ONE : ZERO);
  }

  /**
   * A double as Redis 7.0 replies it (RESP3 double, RESP2 bulk; "%.17g").
   * Integral values, most scores, are written without building a string.
   */
  double(d: number): void {
    if (!Number.isInteger(d) || d > MAX_SAFE_INT || d < -MAX_SAFE_INT || (d === 0 && 1 / d < 0)) {
      this.doubleText(formatDouble(d));
      return;
    }
    const n = writeDecimal(digitScratch, 0, d);
    if (this.resp !== 3) {
      this.bulk(digitScratch, 0, n);
      return;
    }
    this.ensure(n + 3);
    this.buf[this.pos++] = 44;
    copyBytes(this.buf, this.pos, digitScratch, 0, n);
    this.pos += n;
    this.crlf();
  }

  /** RESP3 double (,) given its text form, or bulk in RESP2 */
  doubleText(s: string): void {
    if (this.resp === 3) {
      this.ensure(s.length + 3);
      this.buf[this.pos++] = 44;
      this.ascii(s);
      this.ensure(2);
      this.crlf();
    } else {
      this.bulkAscii(s);
    }
  }

  /** RESP3 verbatim string (=) or bulk in RESP2 */
  verbatim(s: string, format = 'txt'): void {
    if (this.resp === 3) {
      const b = textEncoder.encode(s);
      this.header(61, b.length + 4);
      this.ascii(format + ':');
      this.raw(b);
      this.ensure(2);
      this.crlf();
    } else {
      this.bulkString(s);
    }
  }

  emptyArray(): void {
    this.raw(EMPTY_ARRAY);
  }
}

export const OK = Buffer.from('+OK\r\n');
const NULL_BULK2 = Buffer.from('$-1\r\n');
const NULL_ARRAY2 = Buffer.from('*-1\r\n');
const NULL3 = Buffer.from('_\r\n');
const TRUE3 = Buffer.from('#t\r\n');
const FALSE3 = Buffer.from('#f\r\n');
const ONE = Buffer.from(':1\r\n');
const ZERO = Buffer.from(':0\r\n');
const EMPTY_ARRAY = Buffer.from('*0\r\n');
