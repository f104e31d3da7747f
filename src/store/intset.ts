// Sorted array of distinct 64-bit integers in one arena block, with the
// element width (2, 4 or 8 bytes) upgraded when a value needs it and never
// downgraded, like Redis's intset (OBJECT ENCODING "intset").
//
// Block layout (8-aligned):
//   +0  block bytes u32   (size handed to alloc(); free() needs it back)
//   +4  width u32         2, 4 or 8
//   +8  length u32        number of elements
//   +12 (unused)
//   +16 elements, ascending, little-endian: i16 / i32 / (lo u32, hi i32)
//
// 64-bit values travel as two numbers, hi (signed 32 bits) and lo (unsigned
// 32 bits), so that nothing on the hot paths needs a BigInt. Functions that
// produce a value write it to `iv` (no tuple allocation).

import { Allocator, blockSize } from './allocator';
import { moveBytes } from '../util/bytes';

export const IS_HDR = 16;
const TWO32 = 4294967296;

/** Result slot of get()/fromInt(): the value as (hi, lo). */
export const iv = { hi: 0, lo: 0 };

/** Result flag of add()/remove(): whether the set changed. */
export const isResult = { changed: false };

export function isLen(a: Allocator, p: number): number {
  return a.u32[(p + 8) >>> 2];
}

export function isWidth(a: Allocator, p: number): number {
  return a.u32[(p + 4) >>> 2];
}

/** New empty intset (16-bit elements) with room for `cap` elements. */
export function isCreate(a: Allocator, cap = 0, width = 2): number {
  const bytes = blockSize(IS_HDR + cap * width);
  const p = a.alloc(bytes);
  const u32 = a.u32;
  u32[p >>> 2] = bytes;
  u32[(p + 4) >>> 2] = width;
  u32[(p + 8) >>> 2] = 0;
  u32[(p + 12) >>> 2] = 0;
  return p;
}

export function isFree(a: Allocator, p: number): void {
  a.free(p, a.u32[p >>> 2]);
}

/** Copy an intset into another arena (or the same one); returns the copy. */
export function isCopy(from: Allocator, p: number, to: Allocator): number {
  const used = IS_HDR + from.u32[(p + 8) >>> 2] * from.u32[(p + 4) >>> 2];
  const bytes = blockSize(used);
  const np = to.alloc(bytes);
  // `from` may be `to`: the source bytes lie below the old end of the arena,
  // which every view (stale or fresh) still covers.
  if (from === to) to.u8.copyWithin(np, p, p + used);
  else to.u8.set(from.u8.subarray(p, p + used), np);
  to.u32[np >>> 2] = bytes;
  return np;
}

/** Width in bytes needed for the value (hi, lo). */
export function widthFor(hi: number, lo: number): number {
  const v = lo | 0;
  if (hi === (v < 0 ? -1 : 0)) return v >= -32768 && v <= 32767 ? 2 : 4;
  return 8;
}

/** Split an int64 (number within 2^53, or bigint) into iv.hi / iv.lo. */
export function fromInt(v: number | bigint): void {
  if (typeof v === 'number') {
    const hi = Math.floor(v / TWO32);
    iv.hi = hi | 0;
    iv.lo = v - hi * TWO32;
  } else {
    iv.hi = Number(BigInt.asIntN(32, v >> 32n));
    iv.lo = Number(BigInt.asUintN(32, v));
  }
}

/** The value (hi, lo) as a number when it is a safe integer, else a bigint. */
export function toInt(hi: number, lo: number): number | bigint {
  if (hi >= -2097152 && hi < 2097152) return hi * TWO32 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Element i of the set into iv. */
export function isGet(a: Allocator, p: number, i: number): void {
  const w = a.u32[(p + 4) >>> 2];
  const q = p + IS_HDR + i * w;
  if (w === 2) {
    const u8 = a.u8;
    const v = ((u8[q] | (u8[q + 1] << 8)) << 16) >> 16;
    iv.hi = v < 0 ? -1 : 0;
    iv.lo = v >>> 0;
  } else if (w === 4) {
    const v = a.i32[q >>> 2];
    iv.hi = v < 0 ? -1 : 0;
    iv.lo = v >>> 0;
  } else {
    iv.lo = a.u32[q >>> 2];
    iv.hi = a.i32[(q + 4) >>> 2];
  }
}

function put(a: Allocator, p: number, w: number, i: number, hi: number, lo: number): void {
  const q = p + IS_HDR + i * w;
  if (w === 2) {
    const u8 = a.u8;
    u8[q] = lo & 0xff;
    u8[q + 1] = (lo >>> 8) & 0xff;
  } else if (w === 4) {
    a.u32[q >>> 2] = lo;
  } else {
    a.u32[q >>> 2] = lo;
    a.i32[(q + 4) >>> 2] = hi;
  }
}

/**
 * Binary search: index of (hi, lo) if present, else -(insertion point) - 1.
 * Values wider than the set's width are never present.
 */
export function isSearch(a: Allocator, p: number, hi: number, lo: number): number {
  const u32 = a.u32;
  const w = u32[(p + 4) >>> 2];
  const n = u32[(p + 8) >>> 2];
  let low = 0;
  let high = n - 1;
  if (w === 8) {
    const i32 = a.i32;
    const base = (p + IS_HDR) >>> 2;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const mh = i32[base + mid * 2 + 1];
      let cmp: number;
      if (mh !== hi) cmp = mh < hi ? -1 : 1;
      else {
        const ml = u32[base + mid * 2];
        cmp = ml === lo ? 0 : ml < lo ? -1 : 1;
      }
      if (cmp === 0) return mid;
      if (cmp < 0) low = mid + 1;
      else high = mid - 1;
    }
    return -low - 1;
  }
  // value is comparable as an int32 only if it fits the width; otherwise it
  // lies beyond either end
  const wv = widthFor(hi, lo);
  if (wv > w) return hi < 0 ? -1 : -n - 1;
  const v = lo | 0;
  if (w === 4) {
    const i32 = a.i32;
    const base = (p + IS_HDR) >>> 2;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const m = i32[base + mid];
      if (m === v) return mid;
      if (m < v) low = mid + 1;
      else high = mid - 1;
    }
    return -low - 1;
  }
  const u8 = a.u8;
  const base = p + IS_HDR;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const q = base + mid * 2;
    const m = ((u8[q] | (u8[q + 1] << 8)) << 16) >> 16;
    if (m === v) return mid;
    if (m < v) low = mid + 1;
    else high = mid - 1;
  }
  return -low - 1;
}

export function isFind(a: Allocator, p: number, hi: number, lo: number): boolean {
  return isSearch(a, p, hi, lo) >= 0;
}

/** Move the set into a block of at least `bytes` (grow or shrink). Returns the new address. */
function realloc(a: Allocator, p: number, bytes: number): number {
  const used = IS_HDR + a.u32[(p + 8) >>> 2] * a.u32[(p + 4) >>> 2];
  const nb = blockSize(bytes);
  const np = a.alloc(nb);
  const u8 = a.u8; // fresh: alloc may have grown the arena
  u8.copyWithin(np, p, p + Math.min(used, nb));
  a.free(p, a.u32[p >>> 2]);
  a.u32[np >>> 2] = nb;
  return np;
}

/**
 * Insert (hi, lo). Returns the set's (possibly new) address; isResult.changed
 * tells whether the value was added (false: already present).
 */
export function isAdd(a: Allocator, p: number, hi: number, lo: number): number {
  const w = a.u32[(p + 4) >>> 2];
  const n = a.u32[(p + 8) >>> 2];
  const need = widthFor(hi, lo);
  if (need > w) {
    isResult.changed = true;
    return upgradeAndAdd(a, p, n, need, hi, lo);
  }
  const idx = isSearch(a, p, hi, lo);
  if (idx >= 0) {
    isResult.changed = false;
    return p;
  }
  const at = -idx - 1;
  if (IS_HDR + (n + 1) * w > a.u32[p >>> 2]) p = realloc(a, p, IS_HDR + (n + 1) * w);
  const base = p + IS_HDR;
  if (at < n) moveBytes(a.u8, base + (at + 1) * w, base + at * w, base + n * w);
  put(a, p, w, at, hi, lo);
  a.u32[(p + 8) >>> 2] = n + 1;
  isResult.changed = true;
  return p;
}

/** The value is out of the range of the current width: it goes first (negative) or last. */
function upgradeAndAdd(a: Allocator, p: number, n: number, nw: number, hi: number, lo: number): number {
  const bytes = IS_HDR + (n + 1) * nw;
  if (bytes > a.u32[p >>> 2]) p = realloc(a, p, bytes);
  const prepend = hi < 0 ? 1 : 0;
  // widen in place from the end so that nothing is overwritten before it is read
  for (let i = n - 1; i >= 0; i--) {
    isGet(a, p, i);
    put(a, p, nw, i + prepend, iv.hi, iv.lo);
  }
  a.u32[(p + 4) >>> 2] = nw;
  put(a, p, nw, prepend ? 0 : n, hi, lo);
  a.u32[(p + 8) >>> 2] = n + 1;
  return p;
}

/** Remove element i. Returns the set's (possibly new, smaller) address. */
export function isRemoveAt(a: Allocator, p: number, i: number): number {
  const u32 = a.u32;
  const w = u32[(p + 4) >>> 2];
  const n = u32[(p + 8) >>> 2];
  const base = p + IS_HDR;
  if (i < n - 1) moveBytes(a.u8, base + i * w, base + (i + 1) * w, base + n * w);
  u32[(p + 8) >>> 2] = n - 1;
  const used = IS_HDR + (n - 1) * w;
  const cap = u32[p >>> 2];
  if (cap > 256 && blockSize(used) * 2 <= cap) p = realloc(a, p, used);
  return p;
}

/** Remove (hi, lo) if present (isResult.changed). Returns the set's address. */
export function isRemove(a: Allocator, p: number, hi: number, lo: number): number {
  const idx = isSearch(a, p, hi, lo);
  if (idx < 0) {
    isResult.changed = false;
    return p;
  }
  isResult.changed = true;
  return isRemoveAt(a, p, idx);
}

/** Bytes of the set's block (MEMORY USAGE). */
export function isMemory(a: Allocator, p: number): number {
  return a.u32[p >>> 2];
}

// ---- decimal formatting ----

const DIGITS = new Uint8Array(24);

/**
 * Write the decimal form of (hi, lo) into out at pos; returns the end
 * position. No allocation unless the value is beyond 2^53.
 */
export function formatInt(hi: number, lo: number, out: Uint8Array, pos: number): number {
  if (hi >= -2097152 && hi < 2097152) {
    let v = hi * TWO32 + lo;
    if (v < 0) {
      out[pos++] = 45;
      v = -v;
    }
    if (v < 10) {
      out[pos++] = 48 + v;
      return pos;
    }
    let k = 0;
    while (v > 0) {
      const q = Math.floor(v / 10);
      DIGITS[k++] = 48 + (v - q * 10);
      v = q;
    }
    while (k > 0) out[pos++] = DIGITS[--k];
    return pos;
  }
  const s = ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  for (let i = 0; i < s.length; i++) out[pos++] = s.charCodeAt(i);
  return pos;
}
