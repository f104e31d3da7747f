// Unit tests for the request message format on the rings (src/transport/messages.ts):
// what main writes (writeRequest, packed or as the client's multibulk span) the
// shard reads back argument for argument (requestArgs), whatever the alignment.
import { describe, it, expect } from 'vitest';
import { RequestParser, type ParsedCommandSink } from '../../src/protocol/parser';
import { requestSpan, requestSize, writeRequest, spanArgs, ARGC_SPAN, REQ_HEADER_WORDS } from '../../src/transport/messages';
import { messageSize } from '../../src/transport/ring';
import { mulberry32 } from '../helpers/gen';

const MB = 1024 * 1024;

interface Parsed {
  buf: Uint8Array;
  offs: Int32Array;
  argc: number;
}

/** Parse one request with the server's parser; the offsets point into a buffer placed at byteOffset `shift`. */
function parseOne(input: Buffer, shift: number): Parsed {
  const backing = new Uint8Array(input.length + shift + 16);
  backing.set(input, shift);
  const view = new Uint8Array(backing.buffer, shift, input.length);
  let got: Parsed | null = null;
  const sink: ParsedCommandSink = {
    onCommand(buf, offs, argc) {
      got = { buf, offs: offs.slice(0, argc * 2), argc };
      return true;
    },
    onProtocolError(message) {
      throw new Error(message);
    },
  };
  new RequestParser({ protoMaxBulkLen: 512 * MB, queryBufferLimit: 1024 * MB, authRequired: () => false }).feed(view, 0, view.length, sink);
  if (got === null) throw new Error('no command parsed');
  return got;
}

/** Read the first max arguments of the request at `at` as the shard worker does: packed in line, a span through spanArgs. Returns argc. */
function requestArgs(i32: Int32Array, at: number, offs: Int32Array, max: number): number {
  const x = at >> 2;
  const argc = i32[x + 7]! & ~ARGC_SPAN;
  if ((i32[x + 7]! & ARGC_SPAN) !== 0) {
    spanArgs(i32, at, argc, offs, max);
    return argc;
  }
  let p = at + (REQ_HEADER_WORDS + argc) * 4;
  for (let i = 0; i < Math.min(argc, max); i++) {
    offs[i * 2] = p;
    offs[i * 2 + 1] = i32[x + REQ_HEADER_WORDS + i]!;
    p += offs[i * 2 + 1]!;
  }
  return argc;
}

function multibulk(argv: Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const a of argv) parts.push(Buffer.from(`$${a.length}\r\n`), a, Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

/** Write the request into a shared ring-like buffer at `at`, read it back, and return the arguments and the argc word. */
function roundTrip(p: Parsed, at: number): { args: Buffer[]; argcWord: number; span: number } {
  const span = requestSpan(p.argc, p.offs);
  const total = requestSize(p.argc, p.offs, span);
  const sab = new SharedArrayBuffer(at + messageSize(total) + 64);
  const i32 = new Int32Array(sab);
  const u8 = new Uint8Array(sab);
  writeRequest(i32, u8, at, total, 7, 9, 3, 0, 2, 0, p.buf, p.offs, p.argc, span);
  const offs = new Int32Array(p.argc * 2);
  expect(requestArgs(i32, at, offs, p.argc)).toBe(p.argc);
  // a span lands at its source's alignment mod 8 (so the copy runs word by word)
  if (span >= 0) expect((offs[0]! - (p.buf.byteOffset + p.offs[0]!)) & 7).toBe(0);
  const args: Buffer[] = [];
  for (let i = 0; i < p.argc; i++) {
    const s = offs[i * 2]!;
    const n = offs[i * 2 + 1]!;
    // every argument lies inside the reserved message
    expect(s).toBeGreaterThanOrEqual(at + (REQ_HEADER_WORDS + p.argc) * 4);
    expect(s + n).toBeLessThanOrEqual(at + total);
    args.push(Buffer.from(u8.subarray(s, s + n)));
  }
  return { args, argcWord: i32[(at >> 2) + 7]!, span };
}

describe('request messages', () => {
  it('a long multibulk request goes as one span and reads back argument for argument, at every alignment', () => {
    const argv = ['MSET', ...Array.from({ length: 10 }, (_, i) => [`key:${i}`, 'xxx']).flat()].map((s) => Buffer.from(s));
    const input = multibulk(argv);
    for (let shift = 0; shift < 8; shift++) {
      for (const at of [0, 4, 8, 12]) {
        const r = roundTrip(parseOne(input, shift), at);
        expect(r.span).toBeGreaterThanOrEqual(128);
        expect(r.argcWord & ARGC_SPAN).toBe(ARGC_SPAN);
        expect(r.args).toEqual(argv);
      }
    }
  });

  it('argument lengths across every framing width (0, 9/10, 99/100, 999/1000, 9999/10000, 100000) read back exactly', () => {
    const r = mulberry32(5);
    const lens = [0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 100000, 0, 3];
    for (let trial = 0; trial < 20; trial++) {
      const argv = [Buffer.from('RPUSH'), Buffer.from('k')];
      const n = 1 + Math.floor(r() * 8);
      for (let i = 0; i < n; i++) {
        const len = lens[Math.floor(r() * lens.length)]!;
        const b = Buffer.alloc(len);
        for (let j = 0; j < len; j++) b[j] = Math.floor(r() * 256);
        argv.push(b);
      }
      const out = roundTrip(parseOne(multibulk(argv), trial & 7), (trial & 3) * 4);
      expect(out.args).toEqual(argv);
    }
  });

  it('short requests and inline commands stay packed', () => {
    const short = roundTrip(parseOne(multibulk(['SET', 'k', 'v'].map((s) => Buffer.from(s))), 1), 0);
    expect(short.span).toBe(-1);
    expect(short.argcWord).toBe(3);
    expect(short.args.map(String)).toEqual(['SET', 'k', 'v']);
    // inline: arguments separated by spaces are not a multibulk span, however long
    const long = 'x'.repeat(200);
    const inline = roundTrip(parseOne(Buffer.from(`SET key ${long}\r\n`), 3), 4);
    expect(inline.span).toBe(-1);
    expect(inline.args.map(String)).toEqual(['SET', 'key', long]);
  });

  it('spanArgs can stop after the first arguments (the look-ahead reads three)', () => {
    const argv = ['ZADD', 'z', ...Array.from({ length: 40 }, (_, i) => [String(i), `member:${i}`]).flat()].map((s) => Buffer.from(s));
    const p = parseOne(multibulk(argv), 5);
    const span = requestSpan(p.argc, p.offs);
    expect(span).toBeGreaterThan(0);
    const total = requestSize(p.argc, p.offs, span);
    const sab = new SharedArrayBuffer(messageSize(total) + 64);
    const i32 = new Int32Array(sab);
    const u8 = new Uint8Array(sab);
    writeRequest(i32, u8, 0, total, 1, 1, 1, 0, 2, 0, p.buf, p.offs, p.argc, span);
    const first = new Int32Array(8).fill(-7);
    expect(requestArgs(i32, 0, first, 4)).toBe(p.argc);
    for (let i = 0; i < 4; i++) expect(Buffer.from(u8.subarray(first[i * 2]!, first[i * 2]! + first[i * 2 + 1]!))).toEqual(argv[i]);
  });
});
