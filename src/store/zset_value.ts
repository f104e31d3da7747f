// The sorted set value object, in one of Redis 7.0's two encodings:
//   listpack -- member, score, member, score... sorted by (score, member), in
//               one listpack block (src/store/listpack.ts);
//   skiplist -- a skip list with spans plus a member hash table, every member
//               one arena block (src/store/skiplist.ts).
//
// Scores in a listpack: integral scores that are safe integers are stored as
// their decimal text (the listpack keeps them as compact integers); any other
// score as 9 bytes [0xff][f64 little-endian] (the tag byte keeps it from ever
// looking like an integer). Like Redis 7.0, a listpack cannot hold -0: it is
// stored as 0 (Redis formats it to text and back); the skip list keeps -0.
//
// ZRef is an operator over one zset object (allocator, address, encoding).
// Mutations may move the listpack or convert the encoding: they update
// ref.ptr / ref.enc, and the caller stores them back (Keyspace.setObjectPtr).
//
// Cursors: a cursor is the address of a member (a skip list node, or the
// member element of a listpack pair); 0 means none. Cursors are invalidated by
// mutations of a listpack.

import type { Allocator } from './allocator';
import { Enc, ObjType, registerValueOps } from './keyspace';
import { Listpack } from './listpack';
import {
  SkipList,
  N_KEY,
  cmpBytes,
  scoreGteMin,
  scoreLteMax,
  scoreRangeEmpty,
  lexGteMin,
  lexLteMax,
  lexRangeEmpty,
  type ScoreRange,
  type LexRange,
} from './skiplist';

const SCORE_TAG = 0xff;
const f64 = new Float64Array(1);
const f64b = new Uint8Array(f64.buffer);
const scoreBuf = new Uint8Array(24);

/** Encode a score for a listpack into scoreBuf; returns its length. */
function encodeScore(s: number): number {
  if (Number.isSafeInteger(s)) {
    let v = s;
    if (v === 0) {
      scoreBuf[0] = 48;
      return 1;
    }
    let n = 0;
    let neg = false;
    if (v < 0) {
      neg = true;
      v = -v;
    }
    let digits = 0;
    for (let t = v; t >= 1; t = Math.floor(t / 10)) digits++;
    if (neg) scoreBuf[n++] = 45;
    let p = n + digits;
    const len = p;
    while (v >= 1) {
      const q = Math.floor(v / 10);
      scoreBuf[--p] = 48 + (v - q * 10);
      v = q;
    }
    return len;
  }
  f64[0] = s;
  scoreBuf[0] = SCORE_TAG;
  for (let i = 0; i < 8; i++) scoreBuf[1 + i] = f64b[i];
  return 9;
}

export class ZRef {
  a!: Allocator;
  ptr = 0;
  enc: Enc = Enc.Listpack;
  sl!: SkipList;
  readonly lp: Listpack;
  /** member() results: the bytes are mBuf[mOff, mOff + mLen) (valid until the next read of this ref) */
  mBuf: Uint8Array = scoreBuf;
  mOff = 0;
  mLen = 0;

  constructor(a: Allocator) {
    this.lp = new Listpack(a);
    this.on(a);
  }

  private on(a: Allocator): void {
    if (this.a !== a) {
      this.a = a;
      this.sl = SkipList.for(a);
      this.lp.on(a);
    }
  }

  load(a: Allocator, ptr: number, enc: number): this {
    this.on(a);
    this.ptr = ptr;
    this.enc = enc as Enc;
    return this;
  }

  /** A new empty zset in the given encoding. */
  create(a: Allocator, skiplist: boolean): this {
    this.on(a);
    if (skiplist) {
      this.ptr = this.sl.create();
      this.enc = Enc.Skiplist;
    } else {
      this.ptr = this.lp.create(64);
      this.enc = Enc.Listpack;
    }
    return this;
  }

  get isListpack(): boolean {
    return this.enc === Enc.Listpack;
  }

  length(): number {
    return this.enc === Enc.Listpack ? this.lp.count(this.ptr) >>> 1 : this.sl.length(this.ptr);
  }

  // ---- cursors ----

  first(): number {
    return this.enc === Enc.Listpack ? this.lp.first(this.ptr) : this.sl.first(this.ptr);
  }

  last(): number {
    if (this.enc === Enc.Listpack) {
      const l = this.lp.last(this.ptr);
      return l === 0 ? 0 : this.lp.prev(this.ptr, l);
    }
    return this.sl.last(this.ptr);
  }

  next(cur: number): number {
    if (this.enc === Enc.Listpack) {
      const s = this.lp.next(this.ptr, cur);
      return this.lp.next(this.ptr, s);
    }
    return this.sl.next(cur);
  }

  prev(cur: number): number {
    if (this.enc === Enc.Listpack) {
      const p = this.lp.prev(this.ptr, cur);
      return p === 0 ? 0 : this.lp.prev(this.ptr, p);
    }
    return this.sl.backward(cur);
  }

  /** Score of the member at cursor. */
  score(cur: number): number {
    if (this.enc === Enc.Listpack) return this.lpScoreAt(this.lp.next(this.ptr, cur));
    return this.sl.score(cur);
  }

  private lpScoreAt(spos: number): number {
    const lp = this.lp;
    lp.get(spos);
    if (lp.vIsInt) return lp.vInt;
    const b = lp.vBuf;
    const o = lp.vStart + 1;
    for (let i = 0; i < 8; i++) f64b[i] = b[o + i];
    return f64[0];
  }

  /** Locate the member bytes at cursor: mBuf[mOff, mOff+mLen). */
  member(cur: number): void {
    if (this.enc === Enc.Listpack) {
      const lp = this.lp;
      lp.get(cur);
      this.mBuf = lp.vBuf;
      this.mOff = lp.vStart;
      this.mLen = lp.vLen;
    } else {
      this.mBuf = this.a.u8;
      this.mOff = cur + N_KEY;
      this.mLen = this.sl.keyLen(cur);
    }
  }

  /** Cursor of a member, or 0. */
  find(buf: Uint8Array, off: number, len: number): number {
    if (this.enc === Enc.Listpack) {
      if (this.lp.count(this.ptr) === 0) return 0;
      return this.lp.find(this.ptr, buf, off, len, 1);
    }
    return this.sl.find(this.ptr, buf, off, len);
  }

  /** Score of a member, or NaN when absent (scores are never NaN). */
  scoreOf(buf: Uint8Array, off: number, len: number): number {
    const cur = this.find(buf, off, len);
    return cur === 0 ? NaN : this.score(cur);
  }

  /** 0-based rank of the member at cursor (ascending order). */
  rankOf(cur: number): number {
    if (this.enc === Enc.Listpack) {
      let r = 0;
      for (let p = this.first(); p !== 0 && p !== cur; p = this.next(p)) r++;
      return r;
    }
    return this.sl.rank(this.ptr, cur) - 1;
  }

  /** Cursor at 0-based rank (must be in range). */
  atRank(r: number): number {
    if (this.enc === Enc.Listpack) return this.lp.seek(this.ptr, r * 2);
    return this.sl.byRank(this.ptr, r + 1);
  }

  /** zzlIsInRange: the range is not empty and overlaps [first score, last score]. */
  private lpInRange(r: ScoreRange): boolean {
    if (scoreRangeEmpty(r)) return false;
    const l = this.last();
    if (l === 0 || !scoreGteMin(this.score(l), r)) return false;
    return scoreLteMax(this.score(this.first()), r);
  }

  /** zzlIsInLexRange: the range is not empty, the last member >= min and the first <= max. */
  private lpInLexRange(r: LexRange): boolean {
    if (lexRangeEmpty(r)) return false;
    const l = this.last();
    if (l === 0) return false;
    this.member(l);
    if (!lexGteMin(this.mBuf, this.mOff, this.mLen, r)) return false;
    this.member(this.first());
    return lexLteMax(this.mBuf, this.mOff, this.mLen, r);
  }

  firstInRange(r: ScoreRange): number {
    if (this.enc !== Enc.Listpack) return this.sl.firstInRange(this.ptr, r);
    if (!this.lpInRange(r)) return 0;
    for (let p = this.first(); p !== 0; p = this.next(p)) {
      const s = this.score(p);
      if (scoreGteMin(s, r)) return scoreLteMax(s, r) ? p : 0;
    }
    return 0;
  }

  lastInRange(r: ScoreRange): number {
    if (this.enc !== Enc.Listpack) return this.sl.lastInRange(this.ptr, r);
    if (!this.lpInRange(r)) return 0;
    for (let p = this.last(); p !== 0; p = this.prev(p)) {
      const s = this.score(p);
      if (scoreLteMax(s, r)) return scoreGteMin(s, r) ? p : 0;
    }
    return 0;
  }

  firstInLexRange(r: LexRange): number {
    if (this.enc !== Enc.Listpack) return this.sl.firstInLexRange(this.ptr, r);
    if (!this.lpInLexRange(r)) return 0;
    for (let p = this.first(); p !== 0; p = this.next(p)) {
      this.member(p);
      if (lexGteMin(this.mBuf, this.mOff, this.mLen, r)) return lexLteMax(this.mBuf, this.mOff, this.mLen, r) ? p : 0;
    }
    return 0;
  }

  lastInLexRange(r: LexRange): number {
    if (this.enc !== Enc.Listpack) return this.sl.lastInLexRange(this.ptr, r);
    if (!this.lpInLexRange(r)) return 0;
    for (let p = this.last(); p !== 0; p = this.prev(p)) {
      this.member(p);
      if (lexLteMax(this.mBuf, this.mOff, this.mLen, r)) return lexGteMin(this.mBuf, this.mOff, this.mLen, r) ? p : 0;
    }
    return 0;
  }

  // ---- mutations ----

  /** Insert a member known to be absent (no encoding conversion here). */
  insertNew(score: number, buf: Uint8Array, off: number, len: number): void {
    if (this.enc !== Enc.Listpack) {
      this.sl.insert(this.ptr, score, buf, off, len);
      return;
    }
    if (score === 0) score = 0; // -0 -> 0
    const lp = this.lp;
    let p = this.first();
    while (p !== 0) {
      const s = this.score(p);
      if (s > score) break;
      if (s === score) {
        this.member(p);
        if (cmpBytes(this.mBuf, this.mOff, this.mLen, buf, off, len) > 0) break;
      }
      p = this.next(p);
    }
    const sl = encodeScore(score);
    if (p === 0) {
      this.ptr = lp.append(this.ptr, buf, off, len);
      this.ptr = lp.append(this.ptr, scoreBuf, 0, sl);
    } else {
      this.ptr = lp.insert(this.ptr, p, buf, off, len, false);
      this.ptr = lp.insert(this.ptr, lp.pos, scoreBuf, 0, sl, true);
    }
  }

  /** Delete the member at cursor. */
  deleteAt(cur: number): void {
    if (this.enc === Enc.Listpack) this.ptr = this.lp.deleteRange(this.ptr, cur, 2);
    else this.sl.delete(this.ptr, cur);
  }

  /** Change the score of the member at cursor (it may move). */
  updateScore(cur: number, score: number): void {
    if (this.enc !== Enc.Listpack) {
      this.sl.updateScore(this.ptr, cur, score);
      return;
    }
    // copy the member out: deleting the pair invalidates its bytes
    this.member(cur);
    const m = this.mBuf.slice(this.mOff, this.mOff + this.mLen);
    this.deleteAt(cur);
    this.insertNew(score, m, 0, m.length);
  }

  /** Remove a member by value; returns whether it was there. */
  remove(buf: Uint8Array, off: number, len: number): boolean {
    const cur = this.find(buf, off, len);
    if (cur === 0) return false;
    this.deleteAt(cur);
    return true;
  }

  /** Delete members with 0-based ranks start..end (inclusive, in range). Returns the count. */
  deleteRangeByRank(start: number, end: number): number {
    if (this.enc !== Enc.Listpack) return this.sl.deleteRangeByRank(this.ptr, start + 1, end + 1);
    const p = this.lp.seek(this.ptr, start * 2);
    const n = end - start + 1;
    this.ptr = this.lp.deleteRange(this.ptr, p, n * 2);
    return n;
  }

  deleteRangeByScore(r: ScoreRange): number {
    if (this.enc !== Enc.Listpack) {
      if (scoreRangeEmpty(r)) return 0;
      return this.sl.deleteRangeByScore(this.ptr, r);
    }
    const p = this.firstInRange(r);
    if (p === 0) return 0;
    let n = 0;
    for (let q = p; q !== 0 && scoreLteMax(this.score(q), r); q = this.next(q)) n++;
    this.ptr = this.lp.deleteRange(this.ptr, p, n * 2);
    return n;
  }

  deleteRangeByLex(r: LexRange): number {
    if (this.enc !== Enc.Listpack) {
      if (lexRangeEmpty(r)) return 0;
      return this.sl.deleteRangeByLex(this.ptr, r);
    }
    const p = this.firstInLexRange(r);
    if (p === 0) return 0;
    let n = 0;
    for (let q = p; q !== 0; q = this.next(q)) {
      this.member(q);
      if (!lexLteMax(this.mBuf, this.mOff, this.mLen, r)) break;
      n++;
    }
    this.ptr = this.lp.deleteRange(this.ptr, p, n * 2);
    return n;
  }

  // ---- encoding conversion ----

  convertToSkiplist(): void {
    if (this.enc !== Enc.Listpack) return;
    const sl = this.sl;
    const o = sl.create();
    const old = this.ptr;
    for (let p = this.first(); p !== 0; p = this.next(p)) {
      const s = this.score(p);
      this.member(p);
      sl.insert(o, s, this.mBuf, this.mOff, this.mLen);
    }
    this.lp.free(old);
    this.ptr = o;
    this.enc = Enc.Skiplist;
  }

  convertToListpack(): void {
    if (this.enc === Enc.Listpack) return;
    const sl = this.sl;
    const old = this.ptr;
    const lp = this.lp;
    let bytes = 0;
    for (let x = sl.first(old); x !== 0; x = sl.next(x)) bytes += sl.keyLen(x) + 14;
    let p = lp.create(bytes);
    for (let x = sl.first(old); x !== 0; x = sl.next(x)) {
      p = lp.append(p, this.a.u8, x + N_KEY, sl.keyLen(x));
      const n = encodeScore(sl.score(x));
      p = lp.append(p, scoreBuf, 0, n);
    }
    sl.free(old);
    this.ptr = p;
    this.enc = Enc.Listpack;
  }

  /** zsetConvertToListpackIfNeeded: a skip list small enough becomes a listpack. */
  convertToListpackIfNeeded(maxElemLen: number, maxEntries: number, maxValue: number): void {
    if (this.enc === Enc.Listpack) return;
    if (this.sl.length(this.ptr) <= maxEntries && maxElemLen <= maxValue) this.convertToListpack();
  }

  /**
   * zsetAdd's insertion of a new member with the listpack conversion rule:
   * a listpack becomes a skip list when it would exceed the entry count or
   * the member is longer than the value limit.
   */
  addNew(score: number, buf: Uint8Array, off: number, len: number, maxEntries: number, maxValue: number): void {
    if (this.enc === Enc.Listpack) {
      if ((this.lp.count(this.ptr) >>> 1) + 1 > maxEntries || len > maxValue) this.convertToSkiplist();
    }
    this.insertNew(score, buf, off, len);
  }

  free(): void {
    if (this.enc === Enc.Listpack) this.lp.free(this.ptr);
    else this.sl.free(this.ptr);
  }
}

// ---- ValueOps ----

const opsRef = new WeakMap<Allocator, ZRef>();
function refFor(a: Allocator): ZRef {
  let r = opsRef.get(a);
  if (r === undefined) {
    r = new ZRef(a);
    opsRef.set(a, r);
  }
  return r;
}

registerValueOps(ObjType.ZSet, {
  free(a: Allocator, ptr: number, enc: number): void {
    refFor(a).load(a, ptr, enc).free();
  },
  freeStep(a: Allocator, ptr: number, enc: number, budget: number): boolean {
    if (enc === Enc.Skiplist) return SkipList.for(a).freeStep(ptr, budget);
    refFor(a).load(a, ptr, enc).free();
    return true;
  },
  freeEffort(a: Allocator, ptr: number, enc: number): number {
    return enc === Enc.Skiplist ? SkipList.for(a).length(ptr) : 1;
  },
  copy(from: Allocator, ptr: number, enc: number, to: Allocator): number {
    if (enc === Enc.Listpack) return refFor(from).lp.copy(from, ptr, to);
    return SkipList.for(from).copyTo(ptr, to);
  },
  memory(a: Allocator, ptr: number, enc: number): number {
    if (enc === Enc.Listpack) return refFor(a).lp.memory(ptr);
    return SkipList.for(a).memory(ptr);
  },
});
