// Skip list + member hash table for sorted sets ("skiplist" encoding), all in
// a shard arena.
//
// One arena block per member serves both as the skip list node and as the
// entry of the member -> node HashTable (the hash table only touches the
// first 12 bytes and the key bytes):
//
//   +0  htNext   u32   hash chain link
//   +4  hash     u32
//   +8  keyLen   u32   member length
//   +12 backward u32   previous node on level 0 (0 for the first)
//   +16 score    f64
//   +24 level    u32   number of levels of this node
//   +28 (unused)
//   +32 member bytes
//   below +0: `level` pairs [forward u32][span u32], level i at -8 * (i + 1)
//   (the block starts at node - level * 8; a search hop reads a node's pair
//   and the next node's score, both next to the node address)
//
// The object block (what the key entry points at):
//
//   +0   HashTable header (HT_HEADER_BYTES = 32)
//   +32  tail u32, +36 length u32, +40 level u32 (highest level in use)
//   +48  the header node's MAX_LEVEL pairs, then at +304 the header node
//        itself (keyLen 0)
//
// Order: by score, then by member bytes (memcmp, shorter first on a common
// prefix), as Redis. Spans on every level give O(log n) rank operations.

import { Allocator, blockSize } from './allocator';
import { HashTable, HT_HEADER_BYTES, hashBytes } from './hashtable';
import { copyBytes } from '../util/bytes';

export const MAX_LEVEL = 32;
const N_BACK = 12;
const N_SCORE = 16;
const N_LEVEL = 24;
export const N_KEY = 32;
const O_TAIL = 32;
const O_LENGTH = 36;
const O_LEVEL = 40;
// the header node's MAX_LEVEL pairs lie below it, from +48
const O_HEADER = 48 + MAX_LEVEL * 8;
const OBJ_BYTES = O_HEADER + N_KEY;

/** bytes of a node's block; the node's address is block + level * 8 */
const nodeBytes = (keyLen: number, level: number): number => level * 8 + N_KEY + keyLen;

/** A score range (zrangespec). Fields are set by the parser. */
export class ScoreRange {
  min = 0;
  max = 0;
  minex = false;
  maxex = false;
}

export const LEX_NORMAL = 0;
export const LEX_MINUS = 1; // "-": smaller than every string
export const LEX_PLUS = 2; // "+": larger than every string

/** A lex range (zlexrangespec); normal bounds are bytes in `buf`. */
export class LexRange {
  buf: Uint8Array = new Uint8Array(0);
  minKind = LEX_NORMAL;
  minOff = 0;
  minLen = 0;
  minex = false;
  maxKind = LEX_NORMAL;
  maxOff = 0;
  maxLen = 0;
  maxex = false;
}

/** memcmp-then-length comparison of two byte strings (sdscmp). */
export function cmpBytes(a: Uint8Array, ao: number, al: number, b: Uint8Array, bo: number, bl: number): number {
  const n = al < bl ? al : bl;
  for (let i = 0; i < n; i++) {
    const d = a[ao + i] - b[bo + i];
    if (d !== 0) return d;
  }
  return al - bl;
}

export function scoreGteMin(v: number, r: ScoreRange): boolean {
  return r.minex ? v > r.min : v >= r.min;
}

export function scoreLteMax(v: number, r: ScoreRange): boolean {
  return r.maxex ? v < r.max : v <= r.max;
}

/** Is the score range empty by construction? */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

export function lexGteMin(u8: Uint8Array, off: number, len: number, r: LexRange): boolean {
  if (r.minKind === LEX_MINUS) return true;
  if (r.minKind === LEX_PLUS) return false;
  const c = cmpBytes(u8, off, len, r.buf, r.minOff, r.minLen);
  return r.minex ? c > 0 : c >= 0;
}

export function lexLteMax(u8: Uint8Array, off: number, len: number, r: LexRange): boolean {
  if (r.maxKind === LEX_PLUS) return true;
  if (r.maxKind === LEX_MINUS) return false;
  const c = cmpBytes(u8, off, len, r.buf, r.maxOff, r.maxLen);
  return r.maxex ? c < 0 : c <= 0;
}

/** Is the lex range empty by construction (sdscmplex(min, max) > 0, or equal with an exclusive end)? */
export function lexRangeEmpty(r: LexRange): boolean {
  let c: number;
  if (r.minKind === r.maxKind && r.minKind !== LEX_NORMAL) c = 0;
  else if (r.minKind === LEX_MINUS || r.maxKind === LEX_PLUS) c = -1;
  else if (r.minKind === LEX_PLUS || r.maxKind === LEX_MINUS) c = 1;
  else c = cmpBytes(r.buf, r.minOff, r.minLen, r.buf, r.maxOff, r.maxLen);
  return c > 0 || (c === 0 && (r.minex || r.maxex));
}

const update = new Uint32Array(MAX_LEVEL);
const rankAt = new Float64Array(MAX_LEVEL);

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < 0.25) level++;
  return level;
}

const operators = new WeakMap<Allocator, SkipList>();

export class SkipList {
  readonly ht: HashTable;

  constructor(readonly a: Allocator) {
    this.ht = new HashTable(a, N_KEY);
  }

  /** The (cached) operator for an arena. */
  static for(a: Allocator): SkipList {
    let s = operators.get(a);
    if (s === undefined) {
      s = new SkipList(a);
      operators.set(a, s);
    }
    return s;
  }

  // ---- node accessors ----

  keyLen(n: number): number {
    return this.a.u32[(n + 8) >>> 2];
  }

  keyStart(n: number): number {
    return n + N_KEY;
  }

  score(n: number): number {
    return this.a.f64[(n + N_SCORE) >>> 3];
  }

  setScoreRaw(n: number, s: number): void {
    this.a.f64[(n + N_SCORE) >>> 3] = s;
  }

  backward(n: number): number {
    return this.a.u32[(n + N_BACK) >>> 2];
  }

  /** next node on level 0 (0 at the end) */
  next(n: number): number {
    const u32 = this.a.u32;
    return u32[(n - 8) >>> 2];
  }

  /** Address of node n's level-0 pair; level i's is i * 8 bytes lower. */
  private lv(n: number): number {
    return n - 8;
  }

  // ---- object ----

  create(): number {
    const a = this.a;
    const o = a.alloc(OBJ_BYTES);
    a.u8.fill(0, o, o + OBJ_BYTES);
    this.ht.init(o);
    const u32 = a.u32;
    u32[(o + O_LEVEL) >>> 2] = 1;
    u32[(o + O_HEADER + N_LEVEL) >>> 2] = MAX_LEVEL;
    return o;
  }

  length(o: number): number {
    return this.a.u32[(o + O_LENGTH) >>> 2];
  }

  header(o: number): number {
    return o + O_HEADER;
  }

  first(o: number): number {
    return this.a.u32[(o + O_HEADER - 8) >>> 2];
  }

  last(o: number): number {
    return this.a.u32[(o + O_TAIL) >>> 2];
  }

  /**
   * Load the member-table slots of the first k nodes (what the next k
   * ZPOPMINs unlink), overlapping their misses as HashTable.touch does; the
   * walk itself brings in nodes those pops read anyway. hashes and heads are
   * scratch of at least k. Returns a value so the loads are kept.
   */
  touchFirst(o: number, k: number, hashes: Uint32Array, heads: Int32Array): number {
    const u32 = this.a.u32;
    let m = 0;
    for (let x = this.first(o); x !== 0 && m < k; x = u32[(x - 8) >>> 2]) hashes[m++] = u32[(x + 4) >>> 2];
    return m === 0 ? 0 : this.ht.at(o).touch(hashes, m, heads);
  }

  /** Node of member buf[off, off+len), or 0. */
  find(o: number, buf: Uint8Array, off: number, len: number): number {
    return this.ht.at(o).find(buf, off, len, hashBytes(buf, off, len));
  }

  /** node x < (score, member)? */
  private less(x: number, score: number, buf: Uint8Array, off: number, len: number): boolean {
    const s = this.a.f64[(x + N_SCORE) >>> 3];
    if (s < score) return true;
    if (s > score) return false;
    const u8 = this.a.u8;
    return cmpBytes(u8, x + N_KEY, this.a.u32[(x + 8) >>> 2], buf, off, len) < 0;
  }

  /** Insert a member known to be absent. Returns its node. */
  insert(o: number, score: number, buf: Uint8Array, off: number, len: number): number {
    const level = randomLevel();
    const a = this.a;
    // the pairs lie below the node's address, next to its score (one cache line per hop)
    const n = a.alloc(nodeBytes(len, level)) + level * 8;
    const u32 = a.u32;
    u32[(n + 8) >>> 2] = len;
    u32[(n + N_LEVEL) >>> 2] = level;
    a.f64[(n + N_SCORE) >>> 3] = score;
    copyBytes(a.u8, n + N_KEY, buf, off, off + len);
    this.link(o, n);
    u32[(n + 4) >>> 2] = hashBytes(buf, off, len);
    this.ht.at(o).insert(n);
    return n;
  }

  /** Link node n (score, member, level set) into the skip list. */
  private link(o: number, n: number): void {
    const a = this.a;
    const u32 = a.u32;
    const u8 = a.u8;
    const score = a.f64[(n + N_SCORE) >>> 3];
    const klen = u32[(n + 8) >>> 2];
    const koff = n + N_KEY;
    const level = u32[(n + N_LEVEL) >>> 2];
    const hdr = o + O_HEADER;
    let listLevel = u32[(o + O_LEVEL) >>> 2];
    let x = hdr;
    for (let i = listLevel - 1; i >= 0; i--) {
      rankAt[i] = i === listLevel - 1 ? 0 : rankAt[i + 1];
      for (;;) {
        const xl = x - 8 - i * 8;
        const f = u32[xl >>> 2];
        if (f === 0 || !this.less(f, score, u8, koff, klen)) break;
        rankAt[i] += u32[(xl + 4) >>> 2];
        x = f;
      }
      update[i] = x;
    }
    const length = u32[(o + O_LENGTH) >>> 2];
    if (level > listLevel) {
      for (let i = listLevel; i < level; i++) {
        rankAt[i] = 0;
        update[i] = hdr;
        u32[(hdr - 8 - i * 8 + 4) >>> 2] = length;
      }
      listLevel = level;
      u32[(o + O_LEVEL) >>> 2] = level;
    }
    const nl = n - 8;
    for (let i = 0; i < level; i++) {
      const ul = update[i] - 8 - i * 8;
      u32[(nl - i * 8) >>> 2] = u32[ul >>> 2];
      u32[ul >>> 2] = n;
      const uspan = u32[(ul + 4) >>> 2];
      const d = rankAt[0] - rankAt[i];
      u32[(nl - i * 8 + 4) >>> 2] = uspan - d;
      u32[(ul + 4) >>> 2] = d + 1;
    }
    for (let i = level; i < listLevel; i++) {
      const ul = update[i] - 8 - i * 8;
      u32[(ul + 4) >>> 2]++;
    }
    u32[(n + N_BACK) >>> 2] = update[0] === hdr ? 0 : update[0];
    const f0 = u32[nl >>> 2];
    if (f0 !== 0) u32[(f0 + N_BACK) >>> 2] = n;
    else u32[(o + O_TAIL) >>> 2] = n;
    u32[(o + O_LENGTH) >>> 2] = length + 1;
  }

  /** Fill `update` with the search path to node n (the last node before n on each level). */
  private pathTo(o: number, n: number): void {
    const a = this.a;
    const u32 = a.u32;
    const score = a.f64[(n + N_SCORE) >>> 3];
    const klen = u32[(n + 8) >>> 2];
    const koff = n + N_KEY;
    const u8 = a.u8;
    let x = o + O_HEADER;
    for (let i = u32[(o + O_LEVEL) >>> 2] - 1; i >= 0; i--) {
      for (;;) {
        const f = u32[(x - 8 - i * 8) >>> 2];
        if (f === 0 || f === n || !this.less(f, score, u8, koff, klen)) break;
        x = f;
      }
      update[i] = x;
    }
  }

  /** Unlink node x from the skip list given the search path in `update` (zslDeleteNode). */
  private unlink(o: number, x: number): void {
    const u32 = this.a.u32;
    const listLevel = u32[(o + O_LEVEL) >>> 2];
    const xl = this.lv(x);
    for (let i = 0; i < listLevel; i++) {
      const ul = update[i] - 8 - i * 8;
      if (u32[ul >>> 2] === x) {
        u32[(ul + 4) >>> 2] += u32[(xl - i * 8 + 4) >>> 2] - 1;
        u32[ul >>> 2] = u32[(xl - i * 8) >>> 2];
      } else {
        u32[(ul + 4) >>> 2] -= 1;
      }
    }
    const f0 = u32[xl >>> 2];
    const back = u32[(x + N_BACK) >>> 2];
    if (f0 !== 0) u32[(f0 + N_BACK) >>> 2] = back;
    else u32[(o + O_TAIL) >>> 2] = back;
    const hdr = o + O_HEADER;
    let lvl = listLevel;
    while (lvl > 1 && u32[(hdr - 8 - (lvl - 1) * 8) >>> 2] === 0) lvl--;
    u32[(o + O_LEVEL) >>> 2] = lvl;
    u32[(o + O_LENGTH) >>> 2]--;
  }

  private freeNode(n: number): void {
    const u32 = this.a.u32;
    const level = u32[(n + N_LEVEL) >>> 2];
    this.a.free(n - level * 8, nodeBytes(u32[(n + 8) >>> 2], level));
  }

  /** Remove node n from the hash table (it must be in it). */
  private unhash(o: number, n: number): void {
    if (!this.ht.at(o).unlinkEntry(n)) throw new Error('zset: node missing from its hash table');
  }

  /** Delete node n (found by find() or by a walk) and free it. */
  delete(o: number, n: number): void {
    this.pathTo(o, n);
    this.unlink(o, n);
    this.unhash(o, n);
    this.freeNode(n);
  }

  /** Change the score of node n, moving it when its position changes (zslUpdateScore). */
  updateScore(o: number, n: number, score: number): void {
    const back = this.backward(n);
    const f0 = this.next(n);
    if ((back === 0 || this.score(back) < score) && (f0 === 0 || this.score(f0) > score)) {
      this.setScoreRaw(n, score);
      return;
    }
    this.pathTo(o, n);
    this.unlink(o, n);
    this.setScoreRaw(n, score);
    this.link(o, n);
  }

  /** 1-based rank of node n (zslGetRank). */
  rank(o: number, n: number): number {
    const a = this.a;
    const u32 = a.u32;
    const score = a.f64[(n + N_SCORE) >>> 3];
    const klen = u32[(n + 8) >>> 2];
    const koff = n + N_KEY;
    const u8 = a.u8;
    let x = o + O_HEADER;
    let rank = 0;
    for (let i = u32[(o + O_LEVEL) >>> 2] - 1; i >= 0; i--) {
      for (;;) {
        const xl = x - 8 - i * 8;
        const f = u32[xl >>> 2];
        if (f === 0) break;
        if (f !== n && !this.less(f, score, u8, koff, klen)) break;
        rank += u32[(xl + 4) >>> 2];
        x = f;
        if (x === n) return rank;
      }
    }
    return 0;
  }

  /** Node at 1-based rank, or 0 (zslGetElementByRank). */
  byRank(o: number, rank: number): number {
    const u32 = this.a.u32;
    let x = o + O_HEADER;
    let traversed = 0;
    for (let i = u32[(o + O_LEVEL) >>> 2] - 1; i >= 0; i--) {
      for (;;) {
        const xl = x - 8 - i * 8;
        const f = u32[xl >>> 2];
        if (f === 0) break;
        const s = u32[(xl + 4) >>> 2];
        if (traversed + s > rank) break;
        traversed += s;
        x = f;
      }
      if (traversed === rank) return x === o + O_HEADER ? 0 : x;
    }
    return 0;
  }

  // ---- score ranges ----

  private inRange(o: number, r: ScoreRange): boolean {
    if (scoreRangeEmpty(r)) return false;
    const t = this.last(o);
    if (t === 0 || !scoreGteMin(this.score(t), r)) return false;
    const f = this.first(o);
    return f !== 0 && scoreLteMax(this.score(f), r);
  }

  /** First node in the score range, or 0. */
  firstInRange(o: number, r: ScoreRange): number {
    if (!this.inRange(o, r)) return 0;
    const u32 = this.a.u32;
    const f64 = this.a.f64;
    let x = o + O_HEADER;
    for (let i = u32[(o + O_LEVEL) >>> 2] - 1; i >= 0; i--) {
      for (;;) {
        const f = u32[(x - 8 - i * 8) >>> 2];
        if (f === 0 || scoreGteMin(f64[(f + N_SCORE) >>> 3], r)) break;
        x = f;
      }
    }
    x = this.next(x);
    return x !== 0 && scoreLteMax(this.score(x), r) ? x : 0;
  }

  /** Last node in the score range, or 0. */
  lastInRange(o: number, r: ScoreRange): number {
    if (!this.inRange(o, r)) return 0;
    const u32 = this.a.u32;
    const f64 = this.a.f64;
    let x = o + O_HEADER;
    for (let i = u32[(o + O_LEVEL) >>> 2] - 1; i >= 0; i--) {
      for (;;) {
        const f = u32[(x - 8 - i * 8) >>> 2];
        if (f === 0 || !scoreLteMax(f64[(f + N_SCORE) >>> 3], r)) break;
        x = f;
      }
    }
    return x !== o + O_HEADER && scoreGteMin(this.score(x), r) ? x : 0;
  }

  // ---- lex ranges ----

  private inLexRange(o: number, r: LexRange): boolean {
    if (lexRangeEmpty(r)) return false;
    const u8 = this.a.u8;
    const t = this.last(o);
    if (t === 0 || !lexGteMin(u8, t + N_KEY, this.keyLen(t), r)) return false;
    const f = this.first(o);
    return f !== 0 && lexLteMax(u8, f + N_KEY, this.keyLen(f), r);
  }

  firstInLexRange(o: number, r: LexRange): number {
    if (!this.inLexRange(o, r)) return 0;
    const u32 = this.a.u32;
    const u8 = this.a.u8;
    let x = o + O_HEADER;
    for (let i = u32[(o + O_LEVEL) >>> 2] - 1; i >= 0; i--) {
      for (;;) {
        const f = u32[(x - 8 - i * 8) >>> 2];
        if (f === 0 || lexGteMin(u8, f + N_KEY, u32[(f + 8) >>> 2], r)) break;
        x = f;
      }
    }
    x = this.next(x);
    return x !== 0 && lexLteMax(u8, x + N_KEY, this.keyLen(x), r) ? x : 0;
  }

  lastInLexRange(o: number, r: LexRange): number {
    if (!this.inLexRange(o, r)) return 0;
    const u32 = this.a.u32;
    const u8 = this.a.u8;
    let x = o + O_HEADER;
    for (let i = u32[(o + O_LEVEL) >>> 2] - 1; i >= 0; i--) {
      for (;;) {
        const f = u32[(x - 8 - i * 8) >>> 2];
        if (f === 0 || !lexLteMax(u8, f + N_KEY, u32[(f + 8) >>> 2], r)) break;
        x = f;
      }
    }
    return x !== o + O_HEADER && lexGteMin(u8, x + N_KEY, this.keyLen(x), r) ? x : 0;
  }

  // ---- range deletion ----

  /** Delete nodes with 1-based ranks start..end (inclusive). Returns the count removed. */
  deleteRangeByRank(o: number, start: number, end: number): number {
    const u32 = this.a.u32;
    let x = o + O_HEADER;
    let traversed = 0;
    for (let i = u32[(o + O_LEVEL) >>> 2] - 1; i >= 0; i--) {
      for (;;) {
        const xl = x - 8 - i * 8;
        const f = u32[xl >>> 2];
        if (f === 0 || traversed + u32[(xl + 4) >>> 2] >= start) break;
        traversed += u32[(xl + 4) >>> 2];
        x = f;
      }
      update[i] = x;
    }
    traversed++;
    x = this.next(x);
    let removed = 0;
    while (x !== 0 && traversed <= end) {
      const nx = this.next(x);
      this.unlink(o, x);
      this.unhash(o, x);
      this.freeNode(x);
      removed++;
      traversed++;
      x = nx;
    }
    return removed;
  }

  /** Delete nodes in the score range. Returns the count removed. */
  deleteRangeByScore(o: number, r: ScoreRange): number {
    const u32 = this.a.u32;
    const f64 = this.a.f64;
    let x = o + O_HEADER;
    for (let i = u32[(o + O_LEVEL) >>> 2] - 1; i >= 0; i--) {
      for (;;) {
        const f = u32[(x - 8 - i * 8) >>> 2];
        if (f === 0 || scoreGteMin(f64[(f + N_SCORE) >>> 3], r)) break;
        x = f;
      }
      update[i] = x;
    }
    x = this.next(x);
    let removed = 0;
    while (x !== 0 && scoreLteMax(this.score(x), r)) {
      const nx = this.next(x);
      this.unlink(o, x);
      this.unhash(o, x);
      this.freeNode(x);
      removed++;
      x = nx;
    }
    return removed;
  }

  /** Delete nodes in the lex range. Returns the count removed. */
  deleteRangeByLex(o: number, r: LexRange): number {
    const u32 = this.a.u32;
    let x = o + O_HEADER;
    for (let i = u32[(o + O_LEVEL) >>> 2] - 1; i >= 0; i--) {
      for (;;) {
        const f = u32[(x - 8 - i * 8) >>> 2];
        if (f === 0 || lexGteMin(this.a.u8, f + N_KEY, u32[(f + 8) >>> 2], r)) break;
        x = f;
      }
      update[i] = x;
    }
    x = this.next(x);
    let removed = 0;
    while (x !== 0 && lexLteMax(this.a.u8, x + N_KEY, this.keyLen(x), r)) {
      const nx = this.next(x);
      this.unlink(o, x);
      this.unhash(o, x);
      this.freeNode(x);
      removed++;
      x = nx;
    }
    return removed;
  }

  // ---- whole object ----

  /** Free every node, the hash table's buckets and the object block. */
  free(o: number): void {
    this.freeStep(o, Infinity);
  }

  /**
   * Free up to `budget` nodes from the front (lazy freeing of a deleted
   * zset); true once everything, object block included, is freed. The object
   * is only good for further freeStep calls in between.
   */
  freeStep(o: number, budget: number): boolean {
    let x = this.first(o);
    for (; x !== 0 && budget > 0; budget--) {
      const nx = this.next(x);
      this.freeNode(x);
      x = nx;
    }
    // the header's level-0 link is the resume point
    this.a.u32[(o + O_HEADER - 8) >>> 2] = x;
    if (x !== 0) return false;
    this.ht.at(o).clear();
    this.a.free(o, OBJ_BYTES);
    return true;
  }

  /** Bytes used by the object. */
  memory(o: number): number {
    const u32 = this.a.u32;
    let n = blockSize(OBJ_BYTES) + this.ht.at(o).bucketCount * 4;
    for (let x = this.first(o); x !== 0; x = this.next(x)) {
      n += blockSize(nodeBytes(u32[(x + 8) >>> 2], u32[(x + N_LEVEL) >>> 2]));
    }
    return n;
  }

  /** Deep copy of object o (of this arena) into arena `to`. */
  copyTo(o: number, to: Allocator): number {
    const dst = SkipList.for(to);
    const no = dst.create();
    for (let x = this.first(o); x !== 0; x = this.next(x)) {
      // views may be replaced when `to` is this arena and it grows: re-read per node
      dst.insert(no, this.score(x), this.a.u8, x + N_KEY, this.keyLen(x));
    }
    return no;
  }
}

export { HT_HEADER_BYTES };
