// Message formats on the rings (Int32 words, little endian as the host).
//
// Request (main -> shard):
//   [0] total length   [1] connection id   [2] sequence   [3] command id
//   [4] db             [5] flags: bits 0-1 RESP version, bits 2-13 retry
//                          token, bits 14-31 blocking retry (ExecContext.blockRetry,
//                          retryToken; see encodeFlags)
//   [6] lock mask      [7] argc   [8 .. 8+argc) argument lengths, then argument bytes,
//   packed. Or, with ARGC_SPAN set in [7] (see requestSpan): [8+argc .. 8+2*argc)
//   each argument's byte offset from the message start, then the client's
//   multibulk bytes from the first argument to the end of the last,
//   "\r\n$<len>\r\n" framing and all: one copy instead of one per argument,
//   placed at the source's alignment mod 8 so that it runs word by word (see
//   copyBytes).
// Reply (shard -> main):
//   [0] total length   [1] connection id   [2] sequence   [3] byte length, then bytes.
// Ready key (shard -> main, blocked clients may be served):
//   [0] total length   [1] READY_TAG   [2] db * 256 + type   [3] key length, then the key.
// A message whose [1] is FRAGMENT_TAG is a fragment of a larger one (ring.ts).

import { copyBytes } from '../util/bytes';
import { messageSize } from './ring';

export const REQ_HEADER_WORDS = 8;
export const REP_HEADER_BYTES = 16;
/** Connection id of a ready-key message (FRAGMENT_TAG is -2). */
export const READY_TAG = -3;

/**
 * First byte of a "would block" reply from a blocking command (no RESP reply
 * starts with 0), followed by a BlockReason byte; on a first execution, then
 * 2 padding bytes, u32 argc and (u32 length, bytes) per argument, so that
 * the main thread can run the command again (src/commands/blocking_family.ts).
 */
export const BLOCK_MARKER = 0;
export const enum BlockReason {
  /** no key holds data */
  Empty = 0,
  /** retry: the ready key now holds the other type (the client keeps waiting) */
  WrongType = 1,
}

const RETRY_ALL = 0x3ffff;

/**
 * Request flags word: RESP version, blocking retry (0, an argument index, or
 * -1 for all keys) and the retry's cancel token (src/shard/ready_keys.ts).
 */
export function encodeFlags(resp: number, retry: number, token: number): number {
  return (resp | (token << 2) | ((retry < 0 ? RETRY_ALL : retry) << 14)) >>> 0;
}

export function decodeRetry(flags: number): number {
  const r = flags >>> 14;
  return r === RETRY_ALL ? -1 : r;
}

export function decodeRetryToken(flags: number): number {
  return (flags >>> 2) & 0xfff;
}

/** Set in a request's argc word when its argument bytes are the client's multibulk span. */
export const ARGC_SPAN = 1 << 30;
/** Below this many bytes a per-argument copy is as cheap as one copy of the span. */
const SPAN_MIN = 128;

/** Bytes of "\r\n$<n>\r\n" between a multibulk argument and the next one, of length n. */
function framingBefore(n: number): number {
  if (n < 10) return 6;
  let digits = 2;
  for (let x = n; x >= 100; x = Math.floor(x / 10)) digits++;
  return 5 + digits;
}

/**
 * Bytes from the first argument's start to the last one's end when the
 * arguments lie in buf as a multibulk request lays them out (each the
 * framing's length after the previous one, so the span holds nothing else)
 * and that span is worth one copy (>= SPAN_MIN bytes); else -1.
 */
export function requestSpan(argc: number, offs: Int32Array): number {
  if (argc < 2) return -1;
  const start = offs[0];
  let p = start + offs[1];
  for (let i = 1; i < argc; i++) {
    const n = offs[i * 2 + 1];
    p += framingBefore(n);
    if (offs[i * 2] !== p) return -1;
    p += n;
  }
  return p - start >= SPAN_MIN ? p - start : -1;
}

/** Bytes of a request message (without ring rounding); span from requestSpan. */
export function requestSize(argc: number, offs: Int32Array, span: number): number {
  // a span also has an offset word per argument and up to 7 bytes of alignment
  if (span >= 0) return (REQ_HEADER_WORDS + 2 * argc) * 4 + 7 + span;
  let bytes = 0;
  for (let i = 0; i < argc; i++) bytes += offs[i * 2 + 1];
  return (REQ_HEADER_WORDS + argc) * 4 + bytes;
}

/**
 * For a request written as a span (ARGC_SPAN in its argc word): fill offs with
 * (start, length) of its first `max` arguments. Packed requests are read in
 * line by their reader (the worker), where a call would cost on every request.
 */
export function spanArgs(i32: Int32Array, at: number, argc: number, offs: Int32Array, max: number): void {
  const x = at >> 2;
  const k = argc < max ? argc : max;
  for (let i = 0; i < k; i++) {
    offs[i * 2] = at + i32[x + REQ_HEADER_WORDS + argc + i];
    offs[i * 2 + 1] = i32[x + REQ_HEADER_WORDS + i];
  }
}

/** Encode a request into (i32,u8) at byte offset `at`, which must have requestSize bytes. */
export function writeRequest(
  i32: Int32Array,
  u8: Uint8Array,
  at: number,
  total: number,
  connId: number,
  seq: number,
  cmdId: number,
  db: number,
  flags: number,
  mask: number,
  buf: Uint8Array,
  offs: Int32Array,
  argc: number,
  span: number,
): void {
  const w = at >> 2;
  i32[w] = messageSize(total);
  i32[w + 1] = connId;
  i32[w + 2] = seq;
  i32[w + 3] = cmdId;
  i32[w + 4] = db;
  i32[w + 5] = flags;
  i32[w + 6] = mask;
  if (span >= 0) {
    i32[w + 7] = argc | ARGC_SPAN;
    const start = offs[0];
    let data = at + (REQ_HEADER_WORDS + 2 * argc) * 4;
    data += (buf.byteOffset + start - (u8.byteOffset + data)) & 7;
    for (let i = 0; i < argc; i++) {
      i32[w + REQ_HEADER_WORDS + i] = offs[i * 2 + 1];
      i32[w + REQ_HEADER_WORDS + argc + i] = data - at + (offs[i * 2] - start);
    }
    copyBytes(u8, data, buf, start, start + span);
    return;
  }
  i32[w + 7] = argc;
  let p = at + (REQ_HEADER_WORDS + argc) * 4;
  for (let i = 0; i < argc; i++) {
    const s = offs[i * 2];
    const n = offs[i * 2 + 1];
    i32[w + REQ_HEADER_WORDS + i] = n;
    copyBytes(u8, p, buf, s, s + n);
    p += n;
  }
}
