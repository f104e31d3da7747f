// Message formats on the rings (Int32 words, little endian as the host).
//
// Request (main -> shard):
//   [0] total length   [1] connection id   [2] sequence   [3] command id
//   [4] db             [5] flags: bits 0-1 RESP version, bits 2-13 retry
//                          token, bits 14-31 blocking retry (ExecContext.blockRetry,
//                          retryToken; see encodeFlags)
//   [6] lock mask      [7] argc   [8 .. 8+argc) argument lengths, then argument bytes.
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

export function requestSize(argc: number, offs: Int32Array): number {
  let bytes = 0;
  for (let i = 0; i < argc; i++) bytes += offs[i * 2 + 1];
  return (REQ_HEADER_WORDS + argc) * 4 + bytes;
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
): void {
  const w = at >> 2;
  i32[w] = messageSize(total);
  i32[w + 1] = connId;
  i32[w + 2] = seq;
  i32[w + 3] = cmdId;
  i32[w + 4] = db;
  i32[w + 5] = flags;
  i32[w + 6] = mask;
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
