// Byte copies on hot paths. `dst.set(src.subarray(...))` allocates a view
// per call (~60 ns); most keys, values and replies are a few dozen bytes,
// which a plain loop copies faster.

const LOOP_MAX = 48;

/** Copy src[start, end) to dst at `at`. The ranges must not overlap. */
export function copyBytes(dst: Uint8Array, at: number, src: Uint8Array, start: number, end: number): void {
  const n = end - start;
  if (n <= LOOP_MAX) {
    for (let i = 0; i < n; i++) dst[at + i] = src[start + i];
  } else if (n >= STAGED_MIN_COPY && ((dst.byteOffset + at - src.byteOffset - start) & 7) !== 0 && isShared(src) !== isShared(dst)) {
    stagedCopy(dst, at, src, start, n);
  } else dst.set(n === src.length ? src : src.subarray(start, end), at);
}

/** Up to this many bytes copyToWords assembles words; above it copyBytes's single copy wins. */
const WORD_COPY_MAX = 320;
/** Below this many bytes a plain byte loop is as quick as aligning for words. */
const WORD_COPY_MIN = 12;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * copyBytes into dst at `at`, where dst32 views the same memory from the same
 * start (an arena's or a ring's views): up to WORD_COPY_MAX bytes go as 32-bit
 * words assembled from the source bytes, after 0-3 bytes that bring `at` to a
 * word boundary. A quarter of a byte loop's stores and no view allocation:
 * 2x copyBytes's speed at 64-200 bytes (a 200-byte value: ~100 ns against
 * ~150 ns), more below 48.
 */
export function copyToWords(dst32: Int32Array, dst: Uint8Array, at: number, src: Uint8Array, start: number, end: number): void {
  if (end - start > WORD_COPY_MAX || !LITTLE_ENDIAN) return copyBytes(dst, at, src, start, end);
  let i = start;
  if (end - start < WORD_COPY_MIN) {
    while (i < end) dst[at++] = src[i++];
    return;
  }
  // a big source (a read buffer, a request ring) has a word view: word to word
  const src32 = src.length >= WORD_VIEW_MIN && src.length <= WORD_VIEW_MAX ? wordView(src) : null;
  if (src32 !== null && end <= src32.length * 4) return copyWords(dst32, dst, at, src32, src, start, end);
  while ((at & 3) !== 0 && i < end) dst[at++] = src[i++];
  let w = at >>> 2;
  const words = i + ((end - i) & ~3);
  for (; i < words; i += 4) dst32[w++] = src[i] | (src[i + 1] << 8) | (src[i + 2] << 16) | (src[i + 3] << 24);
  for (let a = w * 4; i < end; i++) dst[a++] = src[i];
}

/**
 * Sources of this size get a word view (wordView): the buffers requests are
 * read from and the rings. Small scratch buffers would only churn the one
 * cached view; an arena or a huge parser buffer is not pinned by it.
 */
const WORD_VIEW_MIN = 4096;
const WORD_VIEW_MAX = 8 * 1024 * 1024;
let viewed: Uint8Array | null = null;
let viewed32: Int32Array | null = null;

/**
 * src's bytes as 32-bit words from src's start, or null when src does not
 * start on a word boundary. One view is kept, for the last buffer asked about:
 * requests come from one reused read buffer (or one ring), so a view is made
 * only when that changes.
 */
function wordView(src: Uint8Array): Int32Array | null {
  if (src === viewed) return viewed32;
  if ((src.byteOffset & 3) !== 0) return null;
  viewed = src;
  viewed32 = new Int32Array(src.buffer, src.byteOffset, src.length >>> 2);
  return viewed32;
}

/**
 * copyBytes between two buffers that both have 32-bit views (src32 and dst32
 * view src and dst from the same start: arenas, rings, reply buffers): after
 * 0-3 bytes that bring `at` to a word boundary, whole destination words, each
 * from one source word or from two joined by shifts when the two ends differ
 * in alignment, then the tail. A quarter of copyToWords's loads: a 200-byte
 * copy ~68 ns against ~107 ns (in-process).
 */
export function copyWords(dst32: Int32Array, dst: Uint8Array, at: number, src32: Int32Array, src: Uint8Array, start: number, end: number): void {
  if (end - start > WORD_COPY_MAX || !LITTLE_ENDIAN) return copyBytes(dst, at, src, start, end);
  let i = start;
  let j = at;
  if (end - start < WORD_COPY_MIN) {
    while (i < end) dst[j++] = src[i++];
    return;
  }
  while ((j & 3) !== 0) dst[j++] = src[i++];
  let d = j >>> 2;
  const words = (end - i) >> 2;
  const dEnd = d + words;
  let r = i >>> 2;
  const shift = (i & 3) << 3;
  if (shift === 0) {
    while (d < dEnd) dst32[d++] = src32[r++];
  } else {
    // each destination word's bytes lie in [i, end): both source words read are in range
    const up = 32 - shift;
    let lo = src32[r] >>> shift;
    while (d < dEnd) {
      const hi = src32[++r];
      dst32[d++] = lo | (hi << up);
      lo = hi >>> shift;
    }
  }
  i += words * 4;
  j = dEnd * 4;
  while (i < end) dst[j++] = src[i++];
}

/** a[as, as+al) and b[bs, bs+bl) hold the same bytes. */
export function equalBytes(a: Uint8Array, as: number, al: number, b: Uint8Array, bs: number, bl: number): boolean {
  if (al !== bl) return false;
  for (let i = 0; i < al; i++) if (a[as + i] !== b[bs + i]) return false;
  return true;
}

/**
 * Above this many bytes a copy between shared and unshared memory whose two
 * ends differ in alignment mod 8 goes through the staging buffer (see
 * moveBytes for why); measured crossover ~130 (2.7 KB: 936 ns direct, 254 ns
 * staged). Shared to shared stays direct: one of its legs would be slow anyway.
 */
const STAGED_MIN_COPY = 160;

function isShared(u8: Uint8Array): boolean {
  return u8.buffer instanceof SharedArrayBuffer;
}

function stagedCopy(dst: Uint8Array, at: number, src: Uint8Array, start: number, n: number): void {
  const stage = stagingBuffer(n + 8);
  // place the bytes in the stage at the shared end's alignment: that leg copies
  // word by word, the unshared leg is a plain memmove
  const k = isShared(src) ? (src.byteOffset + start) & 7 : (dst.byteOffset + at) & 7;
  stage.set(src.subarray(start, start + n), k);
  dst.set(stage.subarray(k, k + n), at);
}

/**
 * Below this many bytes a shift is left to copyWithin; above it, an unaligned
 * one goes through a scratch buffer (see moveBytes). Measured crossover ~200.
 */
const STAGED_MIN = 256;
/** the staging buffer is kept up to this size; bigger moves get a temporary one */
const SCRATCH_KEEP = 1024 * 1024;
let scratch = new Uint8Array(16 * 1024);

/**
 * u8.copyWithin(dst, src, end) for a view over a SharedArrayBuffer. V8 moves
 * shared memory with relaxed atomic copies, word by word only when source and
 * destination share their alignment mod 8, byte by byte otherwise: 20x slower
 * than memmove, and the shift of a listpack insert is rarely a multiple of 8.
 * So an unaligned shift is staged through an unshared buffer: an aligned copy
 * out, a real memmove inside it, an aligned copy back (~0.1 ns/byte + 200 ns).
 */
export function moveBytes(u8: Uint8Array, dst: number, src: number, end: number): void {
  const n = end - src;
  if (n < STAGED_MIN || ((dst - src) & 7) === 0) {
    u8.copyWithin(dst, src, end);
    return;
  }
  const stage = stagingBuffer(n + 16);
  const at = (u8.byteOffset + src) & 7;
  const to = (u8.byteOffset + dst) & 7;
  stage.set(u8.subarray(src, end), at);
  stage.copyWithin(to, at, at + n);
  u8.set(stage.subarray(to, to + n), dst);
}

/** The shared staging buffer, grown to at least n bytes (bigger than SCRATCH_KEEP: a temporary one). */
function stagingBuffer(n: number): Uint8Array {
  if (scratch.length >= n) return scratch;
  const stage = new Uint8Array(Math.max(n, scratch.length * 2));
  if (stage.length <= SCRATCH_KEEP) scratch = stage;
  return stage;
}
