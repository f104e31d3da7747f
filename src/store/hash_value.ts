// Hash values (the HASH type), in a shard arena. Two encodings, as Redis 7.0:
//
//  * listpack (Enc.Listpack): one Listpack block holding field, value, field,
//    value... in insertion order (an update keeps the field's place). The key
//    entry points at the listpack; it moves when the listpack grows, so
//    every mutation hands back the new address (HashOps.ptr).
//  * hashtable (Enc.Hashtable): a header block [HashTable header (32 B)]
//    [entry bytes u32][unused u32] that never moves, and one arena block per
//    field:  +0 next  +4 hash  +8 field length  +12 value length
//            +16 field bytes, then value bytes.
//
// Conversion listpack -> hashtable (never back), exactly as Redis 7.0:
//   - a field or value longer than hash-max-listpack-value, before it is added
//     (HSET/HMSET/HSETNX check all their arguments first; HINCRBY(FLOAT) the
//     field and the new value);
//   - more than hash-max-listpack-entries fields after an insertion.
//
// HashOps is an operator bound to one Allocator (hashOpsFor(a)); it keeps no
// per-hash state. Results of lookups: vBuf[vStart, vStart+vLen) (valid until
// the next allocation); mutators leave the (possibly new) object address and
// encoding in ptr/enc.

import { Allocator, blockSize } from './allocator';
import { HashTable, HT_HEADER_BYTES, hashBytes } from './hashtable';
import { Enc, ObjType, registerValueOps } from './keyspace';
import { Listpack } from './listpack';
import { copyToWords } from '../util/bytes';

export const HE_KEY_OFF = 16;
const HE_VLEN = 12;
const HH_ENTRY_BYTES = HT_HEADER_BYTES; // u32: bytes of all entry blocks
export const HASH_HEADER_BYTES = HT_HEADER_BYTES + 8;

export class HashOps {
  readonly lp: Listpack;
  readonly ht: HashTable;
  /** a second table operator (copying within one arena) */
  private readonly ht2: HashTable;
  // lookup results
  vBuf: Uint8Array;
  vStart = 0;
  vLen = 0;
  // mutation results
  ptr = 0;
  enc: Enc = Enc.Listpack;

  constructor(readonly a: Allocator) {
    this.lp = new Listpack(a);
    this.ht = new HashTable(a, HE_KEY_OFF);
    this.ht2 = new HashTable(a, HE_KEY_OFF);
    this.vBuf = a.u8;
  }

  createListpack(): number {
    return this.lp.create(32);
  }

  length(ptr: number, enc: Enc): number {
    return enc === Enc.Listpack ? this.lp.count(ptr) >>> 1 : this.ht.at(ptr).count;
  }

  // ---- hashtable entries ----

  entryFieldStart(e: number): number {
    return e + HE_KEY_OFF;
  }

  entryFieldLen(e: number): number {
    return this.a.u32[(e + 8) >>> 2];
  }

  entryValueStart(e: number): number {
    return e + HE_KEY_OFF + this.a.u32[(e + 8) >>> 2];
  }

  entryValueLen(e: number): number {
    return this.a.u32[(e + HE_VLEN) >>> 2];
  }

  private entrySize(e: number): number {
    const u32 = this.a.u32;
    return HE_KEY_OFF + u32[(e + 8) >>> 2] + u32[(e + HE_VLEN) >>> 2];
  }

  /** Allocate an entry; hash must be hashBytes(field). Adds its size to the header's count. */
  private newEntry(h: number, hash: number, fb: Uint8Array, fo: number, fl: number, vb: Uint8Array, vo: number, vl: number): number {
    const size = HE_KEY_OFF + fl + vl;
    const e = this.a.alloc(size);
    const a = this.a;
    const u32 = a.u32;
    u32[(e + 4) >>> 2] = hash;
    u32[(e + 8) >>> 2] = fl;
    u32[(e + HE_VLEN) >>> 2] = vl;
    const u8 = a.u8;
    copyToWords(a.i32, u8, e + HE_KEY_OFF, fb, fo, fo + fl);
    copyToWords(a.i32, u8, e + HE_KEY_OFF + fl, vb, vo, vo + vl);
    u32[(h + HH_ENTRY_BYTES) >>> 2] += blockSize(size);
    return e;
  }

  private newTable(): number {
    const h = this.a.alloc(HASH_HEADER_BYTES);
    this.ht.init(h);
    this.a.u32[(h + HH_ENTRY_BYTES) >>> 2] = 0;
    return h;
  }

  // ---- lookups ----

  /** Find field; on success the value is vBuf[vStart, vStart+vLen). */
  get(ptr: number, enc: Enc, fb: Uint8Array, fo: number, fl: number): boolean {
    if (enc === Enc.Listpack) {
      const lp = this.lp;
      const p = lp.find(ptr, fb, fo, fl, 1);
      if (p === 0) return false;
      lp.get(lp.next(ptr, p));
      this.vBuf = lp.vBuf;
      this.vStart = lp.vStart;
      this.vLen = lp.vLen;
      return true;
    }
    const e = this.ht.at(ptr).find(fb, fo, fl, hashBytes(fb, fo, fl));
    if (e === 0) return false;
    this.vBuf = this.a.u8;
    this.vStart = this.entryValueStart(e);
    this.vLen = this.entryValueLen(e);
    return true;
  }

  exists(ptr: number, enc: Enc, fb: Uint8Array, fo: number, fl: number): boolean {
    if (enc === Enc.Listpack) return this.lp.find(ptr, fb, fo, fl, 1) !== 0;
    return this.ht.at(ptr).find(fb, fo, fl, hashBytes(fb, fo, fl)) !== 0;
  }

  // ---- mutations ----

  /** Convert a listpack hash to a hashtable; returns the table header. Frees the listpack. */
  convert(ptr: number): number {
    const lp = this.lp;
    const h = this.newTable();
    const n = lp.count(ptr) >>> 1;
    const ht = this.ht.at(h);
    if (n > 4) ht.resize(n);
    // positions stay valid: only new blocks are allocated while walking
    let p = lp.first(ptr);
    let fbuf = new Uint8Array(64);
    while (p !== 0) {
      lp.get(p);
      let fl = lp.vLen;
      if (fl > fbuf.length) fbuf = new Uint8Array(fl);
      fbuf.set(lp.vBuf.subarray(lp.vStart, lp.vStart + fl));
      const vp = lp.next(ptr, p);
      lp.get(vp);
      const vb = lp.vBuf === this.a.u8 ? lp.vBuf : lp.vBuf.slice(lp.vStart, lp.vStart + lp.vLen);
      const vo = lp.vBuf === this.a.u8 ? lp.vStart : 0;
      const e = this.newEntry(h, hashBytes(fbuf, 0, fl), fbuf, 0, fl, vb, vo, lp.vLen);
      this.ht.at(h).insert(e);
      p = lp.next(ptr, vp);
      fl = 0;
    }
    lp.free(ptr);
    return h;
  }

  /**
   * HSET one field. Returns 1 when the field was created, 0 when updated.
   * Converts (before adding) when the field or value exceeds maxValue, and
   * after adding when the listpack holds more than maxEntries fields.
   * Result object in ptr/enc.
   */
  set(
    ptr: number,
    enc: Enc,
    fb: Uint8Array,
    fo: number,
    fl: number,
    vb: Uint8Array,
    vo: number,
    vl: number,
    maxEntries: number,
    maxValue: number,
  ): number {
    if (enc === Enc.Listpack && (fl > maxValue || vl > maxValue)) {
      ptr = this.convert(ptr);
      enc = Enc.Hashtable;
    }
    this.enc = enc;
    if (enc === Enc.Listpack) {
      const lp = this.lp;
      const p = lp.find(ptr, fb, fo, fl, 1);
      if (p !== 0) {
        this.ptr = lp.replace(ptr, lp.next(ptr, p), vb, vo, vl);
        return 0;
      }
      ptr = lp.append(ptr, fb, fo, fl);
      ptr = lp.append(ptr, vb, vo, vl);
      if (lp.count(ptr) >>> 1 > maxEntries) {
        ptr = this.convert(ptr);
        this.enc = Enc.Hashtable;
      }
      this.ptr = ptr;
      return 1;
    }
    this.ptr = ptr;
    const ht = this.ht.at(ptr);
    const hash = hashBytes(fb, fo, fl);
    const e = ht.find(fb, fo, fl, hash);
    if (e === 0) {
      const ne = this.newEntry(ptr, hash, fb, fo, fl, vb, vo, vl);
      this.ht.at(ptr).insert(ne);
      return 1;
    }
    const a = this.a;
    const oldVl = a.u32[(e + HE_VLEN) >>> 2];
    const oldSize = blockSize(HE_KEY_OFF + fl + oldVl);
    if (blockSize(HE_KEY_OFF + fl + vl) === oldSize) {
      copyToWords(a.i32, a.u8, e + HE_KEY_OFF + fl, vb, vo, vo + vl);
      a.u32[(e + HE_VLEN) >>> 2] = vl;
      return 0;
    }
    const link = ht.link;
    const ne = this.newEntry(ptr, hash, a.u8, e + HE_KEY_OFF, fl, vb, vo, vl);
    const u32 = this.a.u32;
    u32[ne >>> 2] = u32[e >>> 2];
    u32[link >>> 2] = ne;
    u32[(ptr + HH_ENTRY_BYTES) >>> 2] -= oldSize;
    this.a.free(e, oldSize);
    return 0;
  }

  /** Delete a field; true when it existed. The (possibly moved) object is in ptr. */
  delete(ptr: number, enc: Enc, fb: Uint8Array, fo: number, fl: number): boolean {
    this.ptr = ptr;
    this.enc = enc;
    if (enc === Enc.Listpack) {
      const lp = this.lp;
      const p = lp.find(ptr, fb, fo, fl, 1);
      if (p === 0) return false;
      this.ptr = lp.deleteRange(ptr, p, 2);
      return true;
    }
    const ht = this.ht.at(ptr);
    const e = ht.find(fb, fo, fl, hashBytes(fb, fo, fl));
    if (e === 0) return false;
    ht.unlinkFound(e);
    const size = blockSize(this.entrySize(e));
    this.a.u32[(ptr + HH_ENTRY_BYTES) >>> 2] -= size;
    this.a.free(e, size);
    ht.shrinkIfNeeded();
    return true;
  }

  // ---- whole object ----

  free(ptr: number, enc: Enc): void {
    this.freeStep(ptr, enc, Infinity);
  }

  /**
   * Free about `budget` fields (lazy freeing of a deleted hash); true once
   * everything, header included, is freed. The object is only good for
   * further freeStep calls in between.
   */
  freeStep(ptr: number, enc: Enc, budget: number): boolean {
    if (enc === Enc.Listpack) {
      this.lp.free(ptr);
      return true;
    }
    if (!this.ht.at(ptr).drainStep(budget, this.freeEntry)) return false;
    this.a.free(ptr, HASH_HEADER_BYTES);
    return true;
  }

  private readonly freeEntry = (e: number): void => {
    this.a.free(e, this.entrySize(e));
  };

  memory(ptr: number, enc: Enc): number {
    if (enc === Enc.Listpack) return this.lp.memory(ptr);
    const ht = this.ht.at(ptr);
    return blockSize(HASH_HEADER_BYTES) + ht.bucketCount * 4 + this.a.u32[(ptr + HH_ENTRY_BYTES) >>> 2];
  }

  /** Deep copy into `to` (this operator's arena is the source). */
  copyTo(ptr: number, enc: Enc, to: HashOps): number {
    if (enc === Enc.Listpack) return this.lp.copy(this.a, ptr, to.a);
    const src = this === to ? this.ht2.at(ptr) : this.ht.at(ptr);
    const h = to.newTable();
    const n = src.count;
    if (n > 4) to.ht.at(h).resize(n);
    const from = this.a;
    src.forEach((e) => {
      const u32 = from.u32;
      const fl = u32[(e + 8) >>> 2];
      const vl = u32[(e + HE_VLEN) >>> 2];
      const ne = to.newEntry(h, u32[(e + 4) >>> 2], from.u8, e + HE_KEY_OFF, fl, from.u8, e + HE_KEY_OFF + fl, vl);
      to.ht.at(h).insert(ne);
    });
    return h;
  }
}

// One operator per allocator (a thread sees every shard's arena).
const opsByArena = new WeakMap<Allocator, HashOps>();
let lastA: Allocator | null = null;
let lastOps: HashOps | null = null;

export function hashOpsFor(a: Allocator): HashOps {
  if (a === lastA) return lastOps!;
  let ops = opsByArena.get(a);
  if (ops === undefined) {
    ops = new HashOps(a);
    opsByArena.set(a, ops);
  }
  lastA = a;
  lastOps = ops;
  return ops;
}

registerValueOps(ObjType.Hash, {
  free(a: Allocator, ptr: number, enc: number): void {
    hashOpsFor(a).free(ptr, enc as Enc);
  },
  freeStep(a: Allocator, ptr: number, enc: number, budget: number): boolean {
    return hashOpsFor(a).freeStep(ptr, enc as Enc, budget);
  },
  freeEffort(a: Allocator, ptr: number, enc: number): number {
    return enc === Enc.Listpack ? 1 : hashOpsFor(a).ht.at(ptr).count;
  },
  copy(from: Allocator, ptr: number, enc: number, to: Allocator): number {
    return hashOpsFor(from).copyTo(ptr, enc as Enc, hashOpsFor(to));
  },
  memory(a: Allocator, ptr: number, enc: number): number {
    return hashOpsFor(a).memory(ptr, enc as Enc);
  },
});
