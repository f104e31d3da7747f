// RESP request parser (multibulk and inline), run on the main I/O thread.
//
// It works directly on the socket's read buffer: a parsed command is handed out
// as (buffer, offsets) so arguments are views, never copies. Only the tail of an
// incomplete command is copied into the parser's own buffer, to survive until
// the next read (the read buffer is shared by every socket and reused).

export const PROTO_INLINE_MAX_SIZE = 64 * 1024;

export interface ParsedCommandSink {
  /** offs holds (start, length) pairs into buf for argc arguments. Return false to stop parsing (pause). */
  onCommand(buf: Uint8Array, offs: Int32Array, argc: number): boolean;
  onProtocolError(message: string): void;
}

export interface ParserLimits {
  protoMaxBulkLen: number;
  queryBufferLimit: number;
  /** when true, the unauthenticated limits of Redis apply (1M multibulk, 16k bulk) */
  authRequired(): boolean;
}

const CR = 13;
const LF = 10;


/** Per-connection parser. Keeps state between reads for huge or split commands. */
export class RequestParser {
  private pending: Uint8Array = EMPTY;
  private pendingLen = 0;
  private offs = new Int32Array(64);
  private stopped = false;
  /**
   * A multibulk command cut by the end of the buffered bytes: its argument
   * count, the arguments already parsed (offs, relative to the command's first
   * byte) and where the next bulk header starts. The command always sits at
   * the front of the buffered bytes when parsing resumes, so each byte of a
   * huge command is parsed once, not once per read.
   */
  private partialCount = 0;
  private partialArgc = 0;
  private partialNext = 0;

  constructor(private readonly limits: ParserLimits) {}

  /** Bytes buffered and not yet consumed (counted against client-query-buffer-limit). */
  get bufferedBytes(): number {
    return this.pendingLen;
  }

  /** Size of this connection's own buffer for unparsed bytes (CLIENT LIST qbuf + qbuf-free). */
  get bufferCapacity(): number {
    return this.pending.length;
  }

  /** Feed bytes [start,end) of chunk. The sink is called per complete command. */
  feed(chunk: Uint8Array, start: number, end: number, sink: ParsedCommandSink): void {
    if (this.stopped) return; // after a protocol error nothing more is parsed
    let buf: Uint8Array;
    let pos: number;
    let len: number;
    if (this.pendingLen > 0) {
      this.append(chunk, start, end);
      buf = this.pending;
      pos = 0;
      len = this.pendingLen;
    } else {
      buf = chunk;
      pos = start;
      len = end;
    }
    const consumed = this.parse(buf, pos, len, sink);
    if (this.stopped) return;
    if (buf === this.pending) {
      // keep the unconsumed tail at the front of our own buffer
      if (consumed < len) this.pending.copyWithin(0, consumed, len);
      this.pendingLen = len - consumed;
    } else if (consumed < len) {
      this.append(chunk, consumed, end);
    }
    if (this.pendingLen > this.limits.queryBufferLimit) {
      this.fail(sink, 'ERR Protocol error: query buffer limit exceeded');
    }
  }

  /** Buffer bytes without parsing (while the connection waits). */
  hold(chunk: Uint8Array): void {
    this.append(chunk, 0, chunk.length);
  }

  /** Resume after the sink returned false: parse what is buffered. */
  resume(sink: ParsedCommandSink): void {
    if (this.pendingLen === 0) return;
    const len = this.pendingLen;
    this.pendingLen = 0;
    const copy = this.pending;
    this.pending = EMPTY;
    this.feed(copy, 0, len, sink);
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  reset(): void {
    this.pending = EMPTY;
    this.pendingLen = 0;
    this.stopped = false;
    this.partialCount = 0;
  }

  private append(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    const need = this.pendingLen + n;
    if (need > this.pending.length) {
      let cap = Math.max(this.pending.length * 2, 16 * 1024);
      while (cap < need) cap *= 2;
      const nb = new Uint8Array(cap);
      nb.set(this.pending.subarray(0, this.pendingLen));
      this.pending = nb;
    }
    this.pending.set(src.subarray(from, to), this.pendingLen);
    this.pendingLen = need;
  }

  private fail(sink: ParsedCommandSink, msg: string): void {
    this.stopped = true;
    this.pending = EMPTY;
    this.pendingLen = 0;
    this.partialCount = 0;
    sink.onProtocolError(msg);
  }

  /**
   * Parse complete commands from buf[pos, end). Returns the offset of the first
   * unconsumed byte. A command that is incomplete is restarted from its
   * beginning on the next feed (the state machine only keeps counts, the
   * bytes stay buffered), which keeps offsets valid as views.
   */
  private parse(buf: Uint8Array, pos: number, end: number, sink: ParsedCommandSink): number {
    while (pos < end) {
      const cmdStart = pos;
      if (buf[pos] === 42 /* '*' */) {
        const r = this.parseMultibulk(buf, pos, end, sink);
        if (r < 0) return this.stopped ? end : cmdStart;
        pos = r;
      } else {
        const r = this.parseInline(buf, pos, end, sink);
        if (r < 0) return this.stopped ? end : cmdStart;
        pos = r;
      }
      if (this.stopped) return end;
      if (this.paused) {
        // the sink could not take this command yet: keep it buffered
        this.paused = false;
        return cmdStart;
      }
    }
    return pos;
  }

  private paused = false;

  private emit(buf: Uint8Array, argc: number, sink: ParsedCommandSink): void {
    if (!sink.onCommand(buf, this.offs, argc)) this.paused = true;
  }

  /** Grow the (start, length) array to hold argc arguments, keeping those already stored. */
  private growOffs(argc: number): void {
    let n = this.offs.length;
    while (n < argc * 2) n *= 2;
    const grown = new Int32Array(n);
    grown.set(this.offs);
    this.offs = grown;
  }

  /** Returns the position after the command, or -1 if incomplete / failed. */
  private parseMultibulk(buf: Uint8Array, pos: number, end: number, sink: ParsedCommandSink): number {
    if (this.partialCount > 0) return this.continueMultibulk(buf, pos, end, sink);
    // "*<count>\r\n"
    const nl = indexOfCR(buf, pos + 1, end);
    const count = nl < 0 || nl + 1 >= end ? null : parseLL(buf, pos + 1, nl);
    if (count === null) {
      return this.unparsedHeader(buf, pos, pos + 1, end, 'too big mbulk count string', 'invalid multibulk length', sink);
    }
    if (count > 0x7fffffff) {
      this.fail(sink, 'ERR Protocol error: invalid multibulk length');
      return -1;
    }
    if (count > 10 && this.limits.authRequired()) {
      this.fail(sink, 'ERR Protocol error: unauthenticated multibulk length');
      return -1;
    }
    const cmdStart = pos;
    pos = nl + 2;
    if (count <= 0) return pos; // empty command: ignored, as Redis does
    return this.parseBulks(buf, cmdStart, pos, end, count, 0, sink);
  }

  /** Go on with the command cut at the end of the previous read (it starts at pos). */
  private continueMultibulk(buf: Uint8Array, pos: number, end: number, sink: ParsedCommandSink): number {
    const count = this.partialCount;
    const argc = this.partialArgc;
    this.partialCount = 0;
    const offs = this.offs;
    if (pos !== 0) for (let i = 0; i < argc; i++) offs[i * 2] += pos;
    return this.parseBulks(buf, pos, pos + this.partialNext, end, count, argc, sink);
  }

  /** Parse bulk arguments argc..count-1 of the command at cmdStart, the next header at pos. */
  private parseBulks(buf: Uint8Array, cmdStart: number, pos: number, end: number, count: number, argc: number, sink: ParsedCommandSink): number {
    for (let i = argc; i < count; i++) {
      // "$<len>\r\n"
      if (buf[pos] !== 36 /* '$' */) {
        if (pos >= end) return this.cut(cmdStart, pos, count, argc);
        // Redis's addReplyErrorFormat turns CR and LF into spaces (keeps the reply one line)
        const got = buf[pos] === CR || buf[pos] === LF ? ' ' : String.fromCharCode(buf[pos]);
        return this.unparsedHeader(buf, pos, pos, end, 'too big bulk count string', `expected '$', got '${got}'`, sink);
      }
      const bnl = indexOfCR(buf, pos + 1, end);
      const blen = bnl < 0 || bnl + 1 >= end ? null : parseLL(buf, pos + 1, bnl);
      if (blen === null) {
        const r = this.unparsedHeader(buf, pos, pos + 1, end, 'too big bulk count string', 'invalid bulk length', sink);
        return this.stopped ? r : this.cut(cmdStart, pos, count, argc);
      }
      if (blen < 0 || blen > this.limits.protoMaxBulkLen) {
        this.fail(sink, 'ERR Protocol error: invalid bulk length');
        return -1;
      }
      if (blen > 16384 && this.limits.authRequired()) {
        this.fail(sink, 'ERR Protocol error: unauthenticated bulk length');
        return -1;
      }
      const dataStart = bnl + 2;
      // Redis does not check the trailing CRLF, it just skips two bytes.
      if (dataStart + blen + 2 > end) return this.cut(cmdStart, pos, count, argc);
      if (argc * 2 + 2 > this.offs.length) this.growOffs(argc + 1);
      this.offs[argc * 2] = dataStart;
      this.offs[argc * 2 + 1] = blen;
      argc++;
      pos = dataStart + blen + 2;
    }
    this.emit(buf, argc, sink);
    return pos;
  }

  /** Remember how far an incomplete command got (offsets made relative to its start). Returns -1. */
  private cut(cmdStart: number, pos: number, count: number, argc: number): number {
    if (argc > 0) {
      const offs = this.offs;
      if (cmdStart !== 0) for (let i = 0; i < argc; i++) offs[i * 2] -= cmdStart;
      this.partialCount = count;
      this.partialArgc = argc;
      this.partialNext = pos - cmdStart;
    }
    return -1;
  }

  /**
   * Slow path for a header line ("*<count>" or "$<len>") starting at lineStart
   * that is incomplete or did not parse. Redis looks for its CR with strchr(),
   * which stops at a NUL byte: with a NUL before the CR the line is still
   * incomplete, and only too big (over 64 KiB buffered) is an error. A complete
   * line that did not parse fails with badLine. Always returns -1.
   */
  private unparsedHeader(
    buf: Uint8Array,
    lineStart: number,
    scanFrom: number,
    end: number,
    tooBig: string,
    badLine: string,
    sink: ParsedCommandSink,
  ): number {
    let cr = -1;
    for (let i = scanFrom; i < end; i++) {
      const c = buf[i];
      if (c === CR) {
        cr = i;
        break;
      }
      if (c === 0) break;
    }
    if (cr < 0) {
      if (end - lineStart > PROTO_INLINE_MAX_SIZE) this.fail(sink, 'ERR Protocol error: ' + tooBig);
    } else if (cr + 1 < end) {
      this.fail(sink, 'ERR Protocol error: ' + badLine);
    } // else: wait for the LF
    return -1;
  }

  private parseInline(buf: Uint8Array, pos: number, end: number, sink: ParsedCommandSink): number {
    // Redis finds the end of line with strchr(): a NUL byte before the LF hides
    // it, so such a line never completes (until it is too big).
    let nl = -1;
    for (let i = pos; i < end; i++) {
      const c = buf[i];
      if (c === LF) {
        nl = i;
        break;
      }
      if (c === 0) break;
    }
    if (nl < 0) {
      if (end - pos > PROTO_INLINE_MAX_SIZE) this.fail(sink, 'ERR Protocol error: too big inline request');
      return -1;
    }
    let lineEnd = nl;
    if (lineEnd > pos && buf[lineEnd - 1] === CR) lineEnd--;
    const argc = this.splitInline(buf, pos, lineEnd);
    if (argc < 0) {
      this.fail(sink, 'ERR Protocol error: unbalanced quotes in request');
      return -1;
    }
    if (argc > 0) this.emit(this.inlineBuf!, argc, sink);
    return nl + 1;
  }

  private inlineBuf: Uint8Array | null = null;

  /**
   * Split an inline line into arguments with Redis's quoting rules (plain words,
   * "double quotes" with escapes, 'single quotes'). Arguments are written
   * unescaped into a scratch buffer; returns argc or -1 on unbalanced quotes.
   */
  private splitInline(buf: Uint8Array, start: number, end: number): number {
    // (the line holds no NUL byte: parseInline does not complete such a line)
    const need = end - start;
    if (this.inlineBuf === null || this.inlineBuf.length < need) this.inlineBuf = new Uint8Array(Math.max(need, 256));
    const out = this.inlineBuf;
    let o = 0;
    let argc = 0;
    let p = start;
    while (true) {
      while (p < end && isSpace(buf[p])) p++;
      if (p >= end) break;
      const argStart = o;
      let inq = false;
      let insq = false;
      let done = false;
      while (!done) {
        if (inq) {
          if (p >= end) return -1;
          const c = buf[p];
          if (c === 92 /* \ */ && p + 3 < end && buf[p + 1] === 120 /* x */ && isHex(buf[p + 2]) && isHex(buf[p + 3])) {
            out[o++] = (hexVal(buf[p + 2]) << 4) | hexVal(buf[p + 3]);
            p += 3;
          } else if (c === 92 && p + 1 < end) {
            p++;
            const e = buf[p];
            out[o++] = e === 110 ? 10 : e === 114 ? 13 : e === 116 ? 9 : e === 98 ? 8 : e === 97 ? 7 : e;
          } else if (c === 34 /* " */) {
            // closing quote must be followed by a space or nothing
            if (p + 1 < end && !isSpace(buf[p + 1])) return -1;
            done = true;
          } else {
            out[o++] = c;
          }
        } else if (insq) {
          if (p >= end) return -1;
          const c = buf[p];
          if (c === 92 && p + 1 < end && buf[p + 1] === 39 /* ' */) {
            p++;
            out[o++] = 39;
          } else if (c === 39) {
            if (p + 1 < end && !isSpace(buf[p + 1])) return -1;
            done = true;
          } else {
            out[o++] = c;
          }
        } else {
          if (p >= end) {
            done = true;
            break;
          }
          const c = buf[p];
          if (c === 32 || c === 10 || c === 13 || c === 9) {
            done = true;
          } else if (c === 34) {
            inq = true;
          } else if (c === 39) {
            insq = true;
          } else {
            out[o++] = c;
          }
        }
        if (p < end) p++;
      }
      if (argc * 2 + 2 > this.offs.length) this.growOffs(argc + 1);
      this.offs[argc * 2] = argStart;
      this.offs[argc * 2 + 1] = o - argStart;
      argc++;
    }
    return argc;
  }
}

const EMPTY = new Uint8Array(0);

function isSpace(c: number): boolean {
  // isspace(): space, \t, \n, \v, \f, \r
  return c === 32 || (c >= 9 && c <= 13);
}
function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
function hexVal(c: number): number {
  return c <= 57 ? c - 48 : c <= 70 ? c - 55 : c - 87;
}

function indexOfCR(buf: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) if (buf[i] === CR) return i;
  return -1;
}

/** string2ll over a byte range for protocol lengths; null when not a valid integer. */
function parseLL(buf: Uint8Array, start: number, end: number): number | null {
  if (start >= end || end - start > 20) return null;
  let neg = false;
  let p = start;
  if (buf[p] === 45) {
    neg = true;
    p++;
    if (p >= end) return null;
  }
  if (buf[p] === 48) return p + 1 === end && !neg ? 0 : null;
  let v = 0;
  for (; p < end; p++) {
    const d = buf[p] - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}
