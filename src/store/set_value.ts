// The SET value object, in one of Redis 7.0's two encodings:
//   intset    -- a sorted integer array (src/store/intset.ts), while every member
//                is a canonical int64 and there are at most set-max-intset-entries;
//   hashtable -- a HashTable header block (HT_HEADER_BYTES) whose entries are
//                [next u32][hash u32][len u32][member bytes] (key at +12).
// Conversion intset -> hashtable happens on the first non-integer member or
// when the size exceeds set-max-intset-entries; never back (as Redis 7.0).
//
// SetRef is an operator over one set object (allocator, address, encoding);
// operations that move or convert the object update ref.ptr / ref.enc, and the
// caller stores them back in the key entry (Keyspace.setObjectPtr).

import { Allocator } from './allocator';
import { HashTable, HT_HEADER_BYTES, E_KEYLEN, hashBytes } from './hashtable';
import {
  fromInt,
  isAdd,
  isCopy,
  isCreate,
  isFind,
  isFree,
  isGet,
  isLen,
  isMemory,
  isRemove,
  isRemoveAt,
  isResult,
  isSearch,
  iv,
  formatInt,
} from './intset';
import { Enc, ObjType, registerValueOps } from './keyspace';
import { blockSize } from './allocator';
import { parseInt64 } from '../util/numbers';

/** offset of the member bytes in a hashtable entry */
export const SM_KEY_OFF = 12;

// Two table operators per arena (one for a source, one for a destination set:
// at() changes an operator's header).
const tables = new WeakMap<Allocator, HashTable[]>();

export function setTable(a: Allocator, which = 0): HashTable {
  let t = tables.get(a);
  if (t === undefined) {
    t = [new HashTable(a, SM_KEY_OFF), new HashTable(a, SM_KEY_OFF), new HashTable(a, SM_KEY_OFF)];
    tables.set(a, t);
  }
  return t[which];
}

export function entryLen(a: Allocator, e: number): number {
  return a.u32[(e + E_KEYLEN) >>> 2];
}

function newEntry(a: Allocator, buf: Uint8Array, off: number, len: number, hash: number): number {
  const e = a.alloc(SM_KEY_OFF + len);
  // buf may be a (stale) view of this arena: the member lies below the old end
  const u32 = a.u32;
  u32[e >>> 2] = 0;
  u32[(e + 4) >>> 2] = hash;
  u32[(e + 8) >>> 2] = len;
  const u8 = a.u8;
  const d = e + SM_KEY_OFF;
  if (len <= 32) for (let i = 0; i < len; i++) u8[d + i] = buf[off + i];
  else if (buf.buffer === u8.buffer) u8.copyWithin(d, off, off + len);
  else u8.set(buf.subarray(off, off + len), d);
  return e;
}

function freeEntry(a: Allocator, e: number): void {
  a.free(e, SM_KEY_OFF + a.u32[(e + E_KEYLEN) >>> 2]);
}

/** Scratch for integer members formatted as text (operations' own use). */
const NUM = new Uint8Array(24);

/** Whether buf[off, off+len) is a canonical int64 (then iv holds it). */
export function parseMemberInt(buf: Uint8Array, off: number, len: number): boolean {
  if (len > 20 || len === 0) return false;
  const v = parseInt64(buf, off, off + len);
  if (v === null) return false;
  fromInt(v);
  return true;
}

export function newEmptyHashSet(a: Allocator, sizeHint = 0): number {
  const h = a.allocZeroed(HT_HEADER_BYTES);
  const t = setTable(a, 2).at(h);
  t.init(h);
  if (sizeHint > 0) t.resize(sizeHint);
  return h;
}

export class SetRef {
  a!: Allocator;
  ptr = 0;
  enc: Enc = Enc.Intset;

  /** table operator of this ref's arena (cached: one WeakMap lookup per load) */
  private t!: HashTable;

  load(a: Allocator, ptr: number, enc: Enc): this {
    if (this.a !== a) {
      this.a = a;
      this.t = setTable(a, 0);
    }
    this.ptr = ptr;
    this.enc = enc;
    return this;
  }

  /** Make this ref a new empty set; intset when `intset`. */
  create(a: Allocator, intset: boolean): this {
    if (this.a !== a) {
      this.a = a;
      this.t = setTable(a, 0);
    }
    if (intset) {
      this.ptr = isCreate(a);
      this.enc = Enc.Intset;
    } else {
      this.ptr = newEmptyHashSet(a);
      this.enc = Enc.Hashtable;
    }
    return this;
  }

  table(): HashTable {
    return this.t.at(this.ptr);
  }

  size(): number {
    return this.enc === Enc.Intset ? isLen(this.a, this.ptr) : this.table().count;
  }

  /** Whether the set holds the member buf[off, off+len). */
  has(buf: Uint8Array, off: number, len: number): boolean {
    if (this.enc === Enc.Intset) {
      if (!parseMemberInt(buf, off, len)) return false;
      return isFind(this.a, this.ptr, iv.hi, iv.lo);
    }
    return this.table().find(buf, off, len, hashBytes(buf, off, len)) !== 0;
  }

  /** Whether the set holds the integer member (hi, lo). */
  hasInt(hi: number, lo: number): boolean {
    if (this.enc === Enc.Intset) return isFind(this.a, this.ptr, hi, lo);
    const n = formatInt(hi, lo, NUM, 0);
    return this.table().find(NUM, 0, n, hashBytes(NUM, 0, n)) !== 0;
  }

  /** Convert an intset to a hashtable (same members). */
  convert(): void {
    if (this.enc !== Enc.Intset) return;
    const a = this.a;
    const old = this.ptr;
    const n = isLen(a, old);
    const h = newEmptyHashSet(a, n + 1);
    const t = setTable(a, 2).at(h);
    for (let i = 0; i < n; i++) {
      isGet(a, old, i);
      const len = formatInt(iv.hi, iv.lo, NUM, 0);
      t.insert(newEntry(a, NUM, 0, len, hashBytes(NUM, 0, len)));
    }
    isFree(a, old);
    this.ptr = h;
    this.enc = Enc.Hashtable;
  }

  /** Add a member; converts as Redis's setTypeAdd does. Returns whether it was added. */
  add(buf: Uint8Array, off: number, len: number, maxIntset: number): boolean {
    if (this.enc === Enc.Intset) {
      if (parseMemberInt(buf, off, len)) return this.addIntIntset(iv.hi, iv.lo, maxIntset);
      this.convert();
    }
    const hash = hashBytes(buf, off, len);
    const t = this.table();
    if (t.find(buf, off, len, hash) !== 0) return false;
    const e = newEntry(this.a, buf, off, len, hash);
    this.table().insert(e);
    return true;
  }

  /** Add an integer member (hi, lo). */
  addInt(hi: number, lo: number, maxIntset: number): boolean {
    if (this.enc === Enc.Intset) return this.addIntIntset(hi, lo, maxIntset);
    const n = formatInt(hi, lo, NUM, 0);
    return this.add(NUM, 0, n, maxIntset);
  }

  private addIntIntset(hi: number, lo: number, maxIntset: number): boolean {
    this.ptr = isAdd(this.a, this.ptr, hi, lo);
    if (!isResult.changed) return false;
    if (isLen(this.a, this.ptr) > maxIntset) this.convert();
    return true;
  }

  /** Remove a member; returns whether it was there. */
  remove(buf: Uint8Array, off: number, len: number): boolean {
    if (this.enc === Enc.Intset) {
      if (!parseMemberInt(buf, off, len)) return false;
      this.ptr = isRemove(this.a, this.ptr, iv.hi, iv.lo);
      return isResult.changed;
    }
    const t = this.table();
    const e = t.find(buf, off, len, hashBytes(buf, off, len));
    if (e === 0) return false;
    t.unlinkFound(e);
    freeEntry(this.a, e);
    return true;
  }

  removeInt(hi: number, lo: number): boolean {
    if (this.enc === Enc.Intset) {
      this.ptr = isRemove(this.a, this.ptr, hi, lo);
      return isResult.changed;
    }
    const n = formatInt(hi, lo, NUM, 0);
    return this.remove(NUM, 0, n);
  }

  /** Remove a hashtable entry (e.g. one returned by randomEntry or forEach). */
  removeEntry(e: number): void {
    if (!this.table().unlinkEntry(e)) throw new Error('set entry not found');
    freeEntry(this.a, e);
  }

  /** Remove intset element i. */
  removeAt(i: number): void {
    this.ptr = isRemoveAt(this.a, this.ptr, i);
  }

  /** Shrink a hashtable after removals (Redis resizes sets' dicts after SREM/SPOP). */
  afterRemovals(): void {
    if (this.enc === Enc.Hashtable) this.table().shrinkIfNeeded();
  }

  /** Random member: intset index (enc intset) or entry address (hashtable). */
  randomPick(): number {
    if (this.enc === Enc.Intset) return Math.floor(Math.random() * isLen(this.a, this.ptr));
    return this.table().randomEntry();
  }

  /** Index of (hi, lo) in an intset, or negative. */
  indexOf(hi: number, lo: number): number {
    return isSearch(this.a, this.ptr, hi, lo);
  }

  free(): void {
    freeSet(this.a, this.ptr, this.enc);
    this.ptr = 0;
  }
}

/** Free every block of a set object. */
export function freeSet(a: Allocator, ptr: number, enc: number): void {
  freeSetStep(a, ptr, enc, Infinity);
}

/**
 * Free about `budget` members of a set object (lazy freeing of a deleted
 * set); true once everything is freed. The object is only good for further
 * freeSetStep calls in between.
 */
function freeSetStep(a: Allocator, ptr: number, enc: number, budget: number): boolean {
  if (enc === Enc.Intset) {
    isFree(a, ptr);
    return true;
  }
  if (!setTable(a, 2).at(ptr).drainStep(budget, (e) => freeEntry(a, e))) return false;
  a.free(ptr, HT_HEADER_BYTES);
  return true;
}

function setFreeEffort(a: Allocator, ptr: number, enc: number): number {
  return enc === Enc.Intset ? 1 : setTable(a, 2).at(ptr).count;
}

function copySet(from: Allocator, ptr: number, enc: number, to: Allocator): number {
  if (enc === Enc.Intset) return isCopy(from, ptr, to);
  const src = setTable(from, 1).at(ptr);
  const h = newEmptyHashSet(to, src.count);
  const dst = setTable(to, 2);
  src.forEach((e) => {
    const len = from.u32[(e + E_KEYLEN) >>> 2];
    // from.u8 may be stale if from === to grew: the entry is below the old end either way
    const ne = newEntry(to, from.u8, e + SM_KEY_OFF, len, from.u32[(e + 4) >>> 2]);
    dst.at(h).insert(ne);
  });
  return h;
}

function memorySet(a: Allocator, ptr: number, enc: number): number {
  if (enc === Enc.Intset) return isMemory(a, ptr);
  const t = setTable(a, 2).at(ptr);
  let n = HT_HEADER_BYTES + t.bucketCount * 4;
  t.forEach((e) => {
    n += blockSize(SM_KEY_OFF + a.u32[(e + E_KEYLEN) >>> 2]);
  });
  return n;
}

registerValueOps(ObjType.Set, { free: freeSet, freeStep: freeSetStep, freeEffort: setFreeEffort, copy: copySet, memory: memorySet });
