// A quick look ahead over a read: where arguments 1 to 3 (the first key of
// nearly every keyed command, and the member of most collection commands) of
// each complete multibulk request lie, without validating anything. Used only
// to prefetch hash-table slots before the real parse (Keyspace.prefetch); a
// wrong guess costs a wasted load, never a wrong answer.

import { PREFETCH_STRIDE, sameFirstKeys, LookAheadGate } from '../store/keyspace';

const differentFirstKeys: LookAheadGate = (buf, offs) => !sameFirstKeys(buf, offs);

/**
 * Fill out with PREFETCH_STRIDE ints (Keyspace.prefetch's layout) per request
 * that has at least one argument after its name: (start, length) of arguments
 * 1, 2, 3 in buf, start -1 when absent. At most max requests at buf[pos, end);
 * stops at the first incomplete or unusual one. After two requests it asks
 * gate whether to go on (default: only when they name different keys), and
 * returns 0 when told no.
 */
export function scanKeyArgs(
  buf: Uint8Array,
  pos: number,
  end: number,
  out: Int32Array,
  max: number,
  gate: LookAheadGate = differentFirstKeys,
): number {
  let n = 0;
  while (n < max && pos < end && buf[pos] === 42 /* '*' */) {
    let p = pos + 1;
    let count = 0;
    for (let c = buf[p]; c !== 13; c = buf[++p]) {
      if (!(c >= 48 && c <= 57) || p >= end) return n;
      count = count * 10 + c - 48;
    }
    p += 2;
    if (count > 1024) return n;
    const o = n * PREFETCH_STRIDE;
    out[o + 2] = -1;
    out[o + 4] = -1;
    for (let i = 0; i < count; i++) {
      if (p >= end || buf[p] !== 36 /* '$' */) return n;
      let len = 0;
      for (let c = buf[++p]; c !== 13; c = buf[++p]) {
        if (!(c >= 48 && c <= 57) || p >= end) return n;
        len = len * 10 + c - 48;
      }
      p += 2;
      if (i >= 1 && i <= 3) {
        out[o + i * 2 - 2] = p;
        out[o + i * 2 - 1] = len;
      }
      p += len + 2;
    }
    if (p > end) return n;
    if (count >= 2) {
      if (++n === 2 && !gate(buf, out)) return 0;
    }
    pos = p;
  }
  return n;
}
