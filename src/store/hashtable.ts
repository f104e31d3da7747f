// Chained hash table living in a shard arena, with incremental rehashing.
//
// The table never stops the world to grow: when it needs to grow (load factor
// 1) or shrink (below 10%, from the shard's cron) a second bucket array is
// allocated and every later operation moves one bucket (visiting at most 10
// empty ones) from the old array to the new one; the shard's cron moves more in
// bounded time slices. Worst-case work of one command: zero-filling the new
// bucket array (4 bytes per bucket; 4 MiB for 1M keys, well under 1 ms) plus
// one bucket move.
//
// Entries are arena blocks with a common prefix:
//   +0 next (u32, chain link)   +4 hash (u32)   +8 key length (u32)
// and the key bytes at `keyOff` (fixed per table kind). The table header is 32
// bytes in the arena (see H_* below). A HashTable object is only an operator:
// point it at a header with at(); it keeps no state of its own between calls
// except the link of the last entry found (for unlink/replace without a second
// lookup).

import { Allocator } from './allocator';

const H_T0 = 0;
const H_SIZE0 = 1;
const H_USED0 = 2;
const H_T1 = 3;
const H_SIZE1 = 4;
const H_USED1 = 5;
const H_REHASH = 6; // bucket index being rehashed, or NOT_REHASHING
const H_DRAIN = 7; // next bucket of table 0 for drainStep()
export const HT_HEADER_BYTES = 32;
const NOT_REHASHING = 0xffffffff;
const INITIAL_SIZE = 4;

export const E_NEXT = 0;
export const E_HASH = 4;
export const E_KEYLEN = 8;

let seed = (Math.random() * 0x100000000) >>> 0;

export function getHashSeed(): number {
  return seed;
}

/** Reseed: worker threads take the main thread's seed; tests use a fixed one. */
export function setHashSeed(s: number): void {
  seed = s >>> 0;
}

/**
 * 31-bit hash of buf[off, off+len): murmur3 style mixing, seeded per process.
 * 31 bits, not 32: a value of 2^31 or more is not a small integer to V8, so
 * handing one to a function it did not inline boxes it on the heap (one
 * allocation per lookup on half the keys). Bucket arrays stay far below 2^31.
 */
export function hashBytes(buf: Uint8Array, off: number, len: number): number {
  let h = seed ^ len;
  const end4 = off + (len & ~3);
  let i = off;
  for (; i < end4; i += 4) {
    let k = buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const rest = len & 3;
  if (rest !== 0) {
    let k = buf[i];
    if (rest > 1) k ^= buf[i + 1] << 8;
    if (rest > 2) k ^= buf[i + 2] << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x7fffffff;
}

function rev32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return ((v >>> 16) | (v << 16)) >>> 0;
}

export type EntryVisitor = (entry: number) => void;

export class HashTable {
  /** byte offset of the header this operator works on */
  h = 0;
  /** link (u32 byte address) that points at the entry last returned by find() */
  link = 0;
  /** which bucket array the last found entry is in */
  private foundIn = 0;

  constructor(
    private readonly a: Allocator,
    readonly keyOff: number,
  ) {}

  at(header: number): this {
    this.h = header;
    return this;
  }

  /** Format a header at `header` (HT_HEADER_BYTES, 4-aligned). */
  init(header: number): void {
    const u = this.a.u32;
    const i = header >>> 2;
    for (let k = 0; k < 8; k++) u[i + k] = 0;
    u[i + H_REHASH] = NOT_REHASHING;
  }

  get count(): number {
    const u = this.a.u32;
    const i = this.h >>> 2;
    return u[i + H_USED0] + u[i + H_USED1];
  }

  get bucketCount(): number {
    const u = this.a.u32;
    const i = this.h >>> 2;
    return u[i + H_SIZE0] + u[i + H_SIZE1];
  }

  get isRehashing(): boolean {
    return this.a.u32[(this.h >>> 2) + H_REHASH] !== NOT_REHASHING;
  }

  /** Find the entry whose key equals buf[off, off+len); 0 when absent. Moves one bucket while rehashing, as every operation does. */
  find(buf: Uint8Array, off: number, len: number, hash: number): number {
    if (this.a.u32[(this.h >>> 2) + H_REHASH] !== NOT_REHASHING) this.rehashStep(1);
    return this.peek(buf, off, len, hash);
  }

  /** find() without the rehash step: reads only (look-aheads that must not change the table's state). */
  peek(buf: Uint8Array, off: number, len: number, hash: number): number {
    const a = this.a;
    const hi = this.h >>> 2;
    const u32 = a.u32;
    const u8 = a.u8;
    const keyOff = this.keyOff;
    for (let t = 0; t < 2; t++) {
      const size = u32[hi + H_SIZE0 + t * 3];
      if (size === 0) {
        if (u32[hi + H_REHASH] === NOT_REHASHING) return 0;
        continue;
      }
      let link = u32[hi + H_T0 + t * 3] + ((hash & (size - 1)) << 2);
      let e = u32[link >>> 2];
      while (e !== 0) {
        if (u32[(e + E_HASH) >>> 2] === hash && u32[(e + E_KEYLEN) >>> 2] === len) {
          let k = e + keyOff;
          let i = off;
          const end = off + len;
          while (i < end && u8[k] === buf[i]) {
            k++;
            i++;
          }
          if (i === end) {
            this.link = link;
            this.foundIn = t;
            return e;
          }
        }
        link = e + E_NEXT;
        e = u32[link >>> 2];
      }
      if (u32[hi + H_REHASH] === NOT_REHASHING) return 0;
    }
    return 0;
  }

  /**
   * Software prefetch for a batch of lookups: load the bucket of each hash,
   * then the head entry of each chain. The loads of one pass do not depend on
   * each other, so the CPU overlaps their cache misses; the lookups that follow
   * find the lines in cache. While rehashing, each key's bucket is taken in the
   * array that holds it now (the old one's, when the key may be in either).
   * Returns a value so the loads are kept.
   */
  touch(hashes: Uint32Array, n: number, heads: Int32Array): number {
    const u32 = this.a.u32;
    const hi = this.h >>> 2;
    const size0 = u32[hi + H_SIZE0];
    if (size0 === 0) return 0;
    const base0 = u32[hi + H_T0];
    const mask0 = size0 - 1;
    const rehash = u32[hi + H_REHASH];
    let acc = 0;
    if (rehash === NOT_REHASHING) {
      for (let i = 0; i < n; i++) heads[i] = u32[(base0 + ((hashes[i] & mask0) << 2)) >>> 2];
    } else {
      // buckets of the old array below the rehash index have moved to the new
      // one; above it a key is in the old array, or in the new one when it was
      // inserted during the rehash (a lookup walks both: touch both)
      const base1 = u32[hi + H_T1];
      const mask1 = u32[hi + H_SIZE1] - 1;
      for (let i = 0; i < n; i++) {
        const h = hashes[i];
        const b0 = h & mask0;
        const head1 = u32[(base1 + ((h & mask1) << 2)) >>> 2];
        if (b0 >= rehash) {
          heads[i] = u32[(base0 + (b0 << 2)) >>> 2];
          acc ^= head1;
        } else heads[i] = head1;
      }
    }
    for (let i = 0; i < n; i++) {
      const e = heads[i];
      if (e !== 0) acc ^= u32[(e + E_HASH) >>> 2];
    }
    return acc;
  }

  /**
   * While rehashing, the next n operations each move one bucket (rehashStep):
   * load the head entries of the next n non-empty buckets of the old array and
   * the slots they go to in the new one, overlapping those misses as touch()
   * does for lookups. Returns a value so the loads are kept.
   */
  touchRehash(n: number, scratch: Int32Array): number {
    const u32 = this.a.u32;
    const hi = this.h >>> 2;
    let idx = u32[hi + H_REHASH];
    if (idx === NOT_REHASHING) return 0;
    const t0 = u32[hi + H_T0] >>> 2;
    const size0 = u32[hi + H_SIZE0];
    const t1 = u32[hi + H_T1] >>> 2;
    const mask1 = u32[hi + H_SIZE1] - 1;
    if (n > scratch.length) n = scratch.length;
    let k = 0;
    for (let visits = n * 10; k < n && visits > 0 && idx < size0; idx++) {
      const e = u32[t0 + idx];
      if (e !== 0) scratch[k++] = e;
      else visits--;
    }
    for (let i = 0; i < k; i++) scratch[i] = u32[(scratch[i] + E_HASH) >>> 2];
    let acc = 0;
    for (let i = 0; i < k; i++) acc ^= u32[t1 + (scratch[i] & mask1)];
    return acc;
  }

  /** Insert an entry known to be absent. Its hash field must be set. */
  insert(e: number): void {
    const a = this.a;
    const hi = this.h >>> 2;
    if (a.u32[hi + H_REHASH] !== NOT_REHASHING) this.rehashStep(1);
    else this.expandIfNeeded();
    const u32 = a.u32;
    const t = u32[hi + H_REHASH] !== NOT_REHASHING ? 1 : 0;
    const size = u32[hi + H_SIZE0 + t * 3];
    const slot = (u32[hi + H_T0 + t * 3] + ((u32[(e + E_HASH) >>> 2] & (size - 1)) << 2)) >>> 2;
    u32[(e + E_NEXT) >>> 2] = u32[slot];
    u32[slot] = e;
    u32[hi + H_USED0 + t * 3]++;
  }

  /**
   * Unlink entry e, known to be in the table, found by identity along the
   * chain of its stored hash: no key comparison. Returns false if it is not
   * there (a corrupt table).
   */
  unlinkEntry(e: number): boolean {
    const a = this.a;
    const hi = this.h >>> 2;
    if (a.u32[hi + H_REHASH] !== NOT_REHASHING) this.rehashStep(1);
    const u32 = a.u32;
    const hash = u32[(e + E_HASH) >>> 2];
    for (let t = 0; t < 2; t++) {
      const size = u32[hi + H_SIZE0 + t * 3];
      if (size === 0) continue;
      let link = u32[hi + H_T0 + t * 3] + ((hash & (size - 1)) << 2);
      for (let x = u32[link >>> 2]; x !== 0; x = u32[link >>> 2]) {
        if (x === e) {
          u32[link >>> 2] = u32[(e + E_NEXT) >>> 2];
          u32[hi + H_USED0 + t * 3]--;
          return true;
        }
        link = x + E_NEXT;
      }
    }
    return false;
  }

  /** Remove the entry last returned by find() (no operation in between). */
  unlinkFound(e: number): void {
    const u32 = this.a.u32;
    u32[this.link >>> 2] = u32[(e + E_NEXT) >>> 2];
    u32[(this.h >>> 2) + H_USED0 + this.foundIn * 3]--;
  }

  /** Put newE in the place of the entry last returned by find(). */
  replaceFound(oldE: number, newE: number): void {
    const u32 = this.a.u32;
    u32[(newE + E_NEXT) >>> 2] = u32[(oldE + E_NEXT) >>> 2];
    u32[this.link >>> 2] = newE;
  }

  private expandIfNeeded(): void {
    const u32 = this.a.u32;
    const hi = this.h >>> 2;
    const size = u32[hi + H_SIZE0];
    const used = u32[hi + H_USED0];
    if (size === 0) this.resize(INITIAL_SIZE);
    else if (used >= size) this.resize(size * 2);
  }

  /** Start rehashing into a table of the given (power of two) size. */
  resize(newSize: number): void {
    const a = this.a;
    const hi = this.h >>> 2;
    if (a.u32[hi + H_REHASH] !== NOT_REHASHING) return;
    let size = INITIAL_SIZE;
    while (size < newSize) size *= 2;
    const table = a.allocZeroed(size * 4);
    const u32 = a.u32;
    if (u32[hi + H_SIZE0] === 0) {
      u32[hi + H_T0] = table;
      u32[hi + H_SIZE0] = size;
      return;
    }
    if (size === u32[hi + H_SIZE0]) {
      a.free(table, size * 4);
      return;
    }
    u32[hi + H_T1] = table;
    u32[hi + H_SIZE1] = size;
    u32[hi + H_USED1] = 0;
    u32[hi + H_REHASH] = 0;
  }

  /** Shrink when below 10% full (called from the shard's cron). */
  shrinkIfNeeded(): void {
    const u32 = this.a.u32;
    const hi = this.h >>> 2;
    if (u32[hi + H_REHASH] !== NOT_REHASHING) return;
    const size = u32[hi + H_SIZE0];
    const used = u32[hi + H_USED0];
    if (size > INITIAL_SIZE && used * 10 < size) this.resize(Math.max(used, INITIAL_SIZE));
  }

  /** Move up to n buckets from the old array to the new one. Returns true while still rehashing. */
  rehashStep(n: number): boolean {
    const a = this.a;
    const u32 = a.u32;
    const hi = this.h >>> 2;
    let idx = u32[hi + H_REHASH];
    if (idx === NOT_REHASHING) return false;
    const t0 = u32[hi + H_T0];
    const size0 = u32[hi + H_SIZE0];
    const t1 = u32[hi + H_T1];
    const mask1 = u32[hi + H_SIZE1] - 1;
    let emptyVisits = n * 10;
    while (n-- > 0 && u32[hi + H_USED0] !== 0) {
      while (u32[(t0 >>> 2) + idx] === 0) {
        idx++;
        if (--emptyVisits === 0) {
          u32[hi + H_REHASH] = idx;
          return true;
        }
      }
      let e = u32[(t0 >>> 2) + idx];
      while (e !== 0) {
        const next = u32[e >>> 2];
        const slot = (t1 >>> 2) + (u32[(e + E_HASH) >>> 2] & mask1);
        u32[e >>> 2] = u32[slot];
        u32[slot] = e;
        u32[hi + H_USED0]--;
        u32[hi + H_USED1]++;
        e = next;
      }
      u32[(t0 >>> 2) + idx] = 0;
      idx++;
    }
    if (u32[hi + H_USED0] === 0) {
      a.free(t0, size0 * 4);
      u32[hi + H_T0] = t1;
      u32[hi + H_SIZE0] = u32[hi + H_SIZE1];
      u32[hi + H_USED0] = u32[hi + H_USED1];
      u32[hi + H_T1] = 0;
      u32[hi + H_SIZE1] = 0;
      u32[hi + H_USED1] = 0;
      u32[hi + H_REHASH] = NOT_REHASHING;
      return false;
    }
    u32[hi + H_REHASH] = idx;
    return true;
  }

  /**
   * One SCAN step with Redis's reverse-binary cursor: every entry present for
   * the whole iteration is visited at least once, even across resizes.
   * Returns the next cursor (0 when done).
   */
  scan(cursor: number, visit: EntryVisitor): number {
    const u32 = this.a.u32;
    const hi = this.h >>> 2;
    let v = cursor >>> 0;
    if (this.count === 0) return 0;
    const emitChain = (table: number, idx: number): void => {
      let e = u32[(table >>> 2) + idx];
      while (e !== 0) {
        const next = u32[e >>> 2];
        visit(e);
        e = next;
      }
    };
    if (u32[hi + H_REHASH] === NOT_REHASHING) {
      const m0 = u32[hi + H_SIZE0] - 1;
      emitChain(u32[hi + H_T0], v & m0);
      v = (v | ~m0) >>> 0;
      v = rev32(v);
      v = (v + 1) >>> 0;
      v = rev32(v);
      return v;
    }
    let ta = u32[hi + H_T0];
    let ma = u32[hi + H_SIZE0] - 1;
    let tb = u32[hi + H_T1];
    let mb = u32[hi + H_SIZE1] - 1;
    if (ma > mb) {
      [ta, tb] = [tb, ta];
      [ma, mb] = [mb, ma];
    }
    emitChain(ta, v & ma);
    do {
      emitChain(tb, v & mb);
      v = (v | ~mb) >>> 0;
      v = rev32(v);
      v = (v + 1) >>> 0;
      v = rev32(v);
    } while ((v & (ma ^ mb)) !== 0);
    return v;
  }

  /** A random entry (0 when empty): random non-empty bucket, then a random chain element. */
  randomEntry(rand: () => number = Math.random): number {
    const u32 = this.a.u32;
    const hi = this.h >>> 2;
    if (this.count === 0) return 0;
    const s0 = u32[hi + H_SIZE0];
    const s1 = u32[hi + H_SIZE1];
    let e = 0;
    for (let tries = 0; tries < 100000 && e === 0; tries++) {
      const r = Math.floor(rand() * (s0 + s1));
      e = r < s0 ? u32[(u32[hi + H_T0] >>> 2) + r] : u32[(u32[hi + H_T1] >>> 2) + (r - s0)];
    }
    if (e === 0) {
      this.forEach((x) => {
        if (e === 0) e = x;
      });
      return e;
    }
    let n = 0;
    for (let x = e; x !== 0; x = u32[x >>> 2]) n++;
    let k = Math.floor(rand() * n);
    while (k-- > 0) e = u32[e >>> 2];
    return e;
  }

  /** Visit every entry (the visitor may not modify the table). */
  forEach(visit: EntryVisitor): void {
    const u32 = this.a.u32;
    const hi = this.h >>> 2;
    for (let t = 0; t < 2; t++) {
      const table = u32[hi + H_T0 + t * 3];
      const size = u32[hi + H_SIZE0 + t * 3];
      for (let i = 0; i < size; i++) {
        let e = u32[(table >>> 2) + i];
        while (e !== 0) {
          const next = u32[e >>> 2];
          visit(e);
          e = next;
        }
      }
    }
  }

  /**
   * Take apart a table nothing reaches any more (a deleted value, a flushed
   * db) a slice at a time: hands entries to `free` bucket by bucket, about
   * `budget` of them (16 empty buckets count as one), and returns true once
   * every entry went and the bucket arrays are freed. Progress is kept in the
   * header, so later calls resume; nothing else may use the table meanwhile.
   * `free` may allocate (the arena may grow).
   */
  drainStep(budget: number, free: EntryVisitor): boolean {
    const a = this.a;
    const hi = this.h >>> 2;
    let work = 0;
    for (;;) {
      let u32 = a.u32;
      if (u32[hi + H_USED0] === 0) {
        if (u32[hi + H_USED1] === 0) {
          this.clear();
          return true;
        }
        // table 0 is done (a rehash was under way): table 1 takes its place
        if (u32[hi + H_SIZE0] !== 0) a.free(u32[hi + H_T0], u32[hi + H_SIZE0] * 4);
        u32[hi + H_T0] = u32[hi + H_T1];
        u32[hi + H_SIZE0] = u32[hi + H_SIZE1];
        u32[hi + H_USED0] = u32[hi + H_USED1];
        u32[hi + H_T1] = 0;
        u32[hi + H_SIZE1] = 0;
        u32[hi + H_USED1] = 0;
        u32[hi + H_REHASH] = NOT_REHASHING;
        u32[hi + H_DRAIN] = 0;
        continue;
      }
      if (work >= budget) return false;
      // entries remain in table 0, all in buckets at or after the cursor
      const t0 = u32[hi + H_T0] >>> 2;
      let idx = u32[hi + H_DRAIN];
      while (u32[t0 + idx] === 0) {
        idx++;
        work += 1 / 16;
      }
      let e = u32[t0 + idx];
      u32[t0 + idx] = 0;
      u32[hi + H_DRAIN] = idx + 1;
      let n = 0;
      while (e !== 0) {
        const next = u32[(e + E_NEXT) >>> 2];
        free(e);
        u32 = a.u32;
        n++;
        e = next;
      }
      u32[hi + H_USED0] -= n;
      work += n;
    }
  }

  /** Free the bucket arrays and reset to empty; entries must be freed by the caller first (or with it, via forEach). */
  clear(): void {
    const a = this.a;
    const u32 = a.u32;
    const hi = this.h >>> 2;
    if (u32[hi + H_SIZE0]) a.free(u32[hi + H_T0], u32[hi + H_SIZE0] * 4);
    if (u32[hi + H_SIZE1]) a.free(u32[hi + H_T1], u32[hi + H_SIZE1] * 4);
    this.init(this.h);
  }
}
