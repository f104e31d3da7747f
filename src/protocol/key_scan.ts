// A quick look ahead over a read: where the second argument (the first key of
// nearly every keyed command) of each complete multibulk request lies, without
// validating anything. Used only to prefetch hash-table slots before the real
// parse; a wrong guess costs a wasted load, never a wrong answer.

/**
 * Fill out with (offset, length) pairs of the second argument of up to max
 * commands at buf[pos, end); stops at the first incomplete or unusual request.
 */
export function scanFirstKeys(buf: Uint8Array, pos: number, end: number, out: Int32Array, max: number): number {
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
    let keyAt = -1;
    let keyLen = 0;
    for (let i = 0; i < count; i++) {
      if (p >= end || buf[p] !== 36 /* '$' */) return n;
      let len = 0;
      for (let c = buf[++p]; c !== 13; c = buf[++p]) {
        if (!(c >= 48 && c <= 57) || p >= end) return n;
        len = len * 10 + c - 48;
      }
      p += 2;
      if (i === 1) {
        keyAt = p;
        keyLen = len;
      }
      p += len + 2;
    }
    if (p > end) return n;
    if (keyAt >= 0) {
      out[n * 2] = keyAt;
      out[n * 2 + 1] = keyLen;
      n++;
    }
    pos = p;
  }
  return n;
}
