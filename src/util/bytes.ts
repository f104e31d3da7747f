// Byte copies on hot paths. `dst.set(src.subarray(...))` allocates a view
// per call (~60 ns); most keys, values and replies are a few dozen bytes,
// which a plain loop copies faster.

const LOOP_MAX = 48;

/** Copy src[start, end) to dst at `at`. The ranges must not overlap. */
export function copyBytes(dst: Uint8Array, at: number, src: Uint8Array, start: number, end: number): void {
  const n = end - start;
  if (n <= LOOP_MAX) {
    for (let i = 0; i < n; i++) dst[at + i] = src[start + i];
  } else dst.set(n === src.length ? src : src.subarray(start, end), at);
}
