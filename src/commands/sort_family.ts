// SORT and SORT_RO, as Redis 7.0's sort.c: sort the elements of a list, set or
// sorted set numerically or lexicographically (ALPHA), by their own value or
// by weights read from other keys (BY pattern), return other keys' values
// (GET pattern), a range of the result (LIMIT), or store it as a list (STORE).
//
// A pattern names a key by replacing its first '*' with an element, and a hash
// field after "->"; "#" is the element itself. Pattern keys may live on any
// shard: allShardsWhen makes such commands run under every shard's lock.
//
// Orders match Redis's exactly, ties included: a full sort is stable (glibc's
// qsort is a merge sort), and BY with a LIMIT that does not cover everything
// uses the partial quicksort Redis uses there (Bentley-McIlroy, recursing only
// into parts that overlap the requested range).
//
// Elements, weights and results are copied into one reusable byte pool (the
// sorted key's arena may grow while STORE writes), addressed by offsets.

import { Exec, register, type CommandRow, type KeySpec } from './table';
import * as arg from './docs';
import { E } from './errors';
import type { ExecContext } from '../shard/exec_context';
import { ObjType } from '../store/keyspace';
import type { Enc } from '../store/keyspace';
import { ql } from '../store/list_value';
import { SetRef } from '../store/set_value';
import { ZRef } from '../store/zset_value';
import { hashOpsFor } from '../store/hash_value';
import { cmpBytes } from '../store/skiplist';
import { parseDouble } from '../util/numbers';
import { argIs } from '../util/strings';
import { createList } from './list_family';
import { forEachMember } from './set_family';

const E_CONVERSION = "ERR One or more scores can't be converted into double";

// ---- the sort vector ----

const POOL_INITIAL = 16 * 1024;
const SLOTS_INITIAL = 256;
/** buffers that grew past these are dropped after the command (the JS heap must not keep a big SORT's size) */
const POOL_KEEP = 1 << 20;
const SLOTS_KEEP = 1 << 16;

/**
 * Elements being sorted (bytes in the pool at elOff/elLen), their numeric
 * weight (score) or ALPHA weight from a BY pattern (byOff/byLen, byLen -1 when
 * the pattern found nothing), and STORE output (outOff/outLen).
 */
class SortVector {
  pool = new Uint8Array(POOL_INITIAL);
  used = 0;
  count = 0;
  elOff = new Int32Array(SLOTS_INITIAL);
  elLen = new Int32Array(SLOTS_INITIAL);
  score = new Float64Array(SLOTS_INITIAL);
  byOff = new Int32Array(SLOTS_INITIAL);
  byLen = new Int32Array(SLOTS_INITIAL);
  outCount = 0;
  outOff = new Int32Array(SLOTS_INITIAL);
  outLen = new Int32Array(SLOTS_INITIAL);
  /** element ids in output order */
  readonly order: number[] = [];

  reset(capacity: number): void {
    this.used = 0;
    this.count = 0;
    this.outCount = 0;
    if (this.elOff.length < capacity) {
      let n = this.elOff.length;
      while (n < capacity) n *= 2;
      this.elOff = new Int32Array(n);
      this.elLen = new Int32Array(n);
      this.score = new Float64Array(n);
      this.byOff = new Int32Array(n);
      this.byLen = new Int32Array(n);
    }
  }

  /** Drop buffers a big SORT left behind. */
  shrink(): void {
    if (this.pool.length > POOL_KEEP) this.pool = new Uint8Array(POOL_INITIAL);
    if (this.elOff.length > SLOTS_KEEP) {
      this.elOff = new Int32Array(SLOTS_INITIAL);
      this.elLen = new Int32Array(SLOTS_INITIAL);
      this.score = new Float64Array(SLOTS_INITIAL);
      this.byOff = new Int32Array(SLOTS_INITIAL);
      this.byLen = new Int32Array(SLOTS_INITIAL);
    }
    if (this.outOff.length > SLOTS_KEEP) {
      this.outOff = new Int32Array(SLOTS_INITIAL);
      this.outLen = new Int32Array(SLOTS_INITIAL);
    }
    if (this.order.length > SLOTS_KEEP) this.order.length = 0;
  }

  /** Copy src[start, start+len) into the pool; returns its offset. */
  copyIn(src: Uint8Array, start: number, len: number): number {
    const need = this.used + len;
    if (need > this.pool.length) {
      let n = this.pool.length * 2;
      while (n < need) n *= 2;
      const p = new Uint8Array(n);
      p.set(this.pool.subarray(0, this.used));
      this.pool = p;
    }
    const at = this.used;
    const pool = this.pool;
    if (len <= 32) for (let i = 0; i < len; i++) pool[at + i] = src[start + i];
    else pool.set(src.subarray(start, start + len), at);
    this.used = need;
    return at;
  }

  /** Append an element (the quicklist's range reader and set/zset walks call this). */
  bulk(src: Uint8Array, start = 0, end = src.length): void {
    const j = this.count++;
    this.elOff[j] = this.copyIn(src, start, end - start);
    this.elLen[j] = end - start;
    this.score[j] = 0;
    this.byLen[j] = -1;
  }

  setBy(j: number, src: Uint8Array, start: number, len: number): void {
    this.byOff[j] = this.copyIn(src, start, len);
    this.byLen[j] = len;
  }

  /** Append a STORE output value already in the pool. */
  out(off: number, len: number): void {
    if (this.outCount === this.outOff.length) {
      const o = new Int32Array(this.outOff.length * 2);
      o.set(this.outOff);
      this.outOff = o;
      const l = new Int32Array(this.outLen.length * 2);
      l.set(this.outLen);
      this.outLen = l;
    }
    this.outOff[this.outCount] = off;
    this.outLen[this.outCount++] = len;
  }
}

const vec = new SortVector();
const setRef = new SetRef();
let zref: ZRef | null = null;

// ---- patterns (lookupKeyByPattern) ----

/** The pattern is "#": the element itself (Redis tests it as a C string: "#\0..." counts too). */
function isSelfPattern(buf: Uint8Array, start: number, len: number): boolean {
  return len >= 1 && buf[start] === 35 /* # */ && (len === 1 || buf[start + 1] === 0);
}

/** End of the pattern as a C string (Redis scans it with strchr/strstr): the first NUL byte. */
function cStringEnd(buf: Uint8Array, start: number, len: number): number {
  const end = start + len;
  for (let i = start; i < end; i++) if (buf[i] === 0) return i;
  return end;
}

/** Position of the first '*' in the pattern (C-string semantics), or -1. */
function starOf(buf: Uint8Array, start: number, len: number): number {
  const cend = cStringEnd(buf, start, len);
  for (let i = start; i < cend; i++) if (buf[i] === 42 /* * */) return i;
  return -1;
}

/** Whether a BY/GET pattern makes SORT read keys (not "#", and has a '*'). */
function patternReadsKeys(buf: Uint8Array, start: number, len: number): boolean {
  return !isSelfPattern(buf, start, len) && starOf(buf, start, len) >= 0;
}

/** A BY or GET argument, analysed once per command. */
class Pattern {
  self = false;
  /** position of the '*' in the command buffer, -1: the pattern names no key */
  star = -1;
  start = 0;
  /** end of the key part (before "->field", or the pattern's end) */
  keyEnd = 0;
  /** hash field after "->", fieldLen -1 when there is none */
  fieldStart = 0;
  fieldLen = -1;

  parse(buf: Uint8Array, start: number, len: number): this {
    this.start = start;
    this.self = isSelfPattern(buf, start, len);
    this.star = starOf(buf, start, len);
    this.keyEnd = start + len;
    this.fieldLen = -1;
    if (this.star < 0) return this;
    // strstr(star + 1, "->") within the C string, and a non-empty field after it
    const cend = cStringEnd(buf, start, len);
    for (let f = this.star + 1; f + 1 < cend; f++) {
      if (buf[f] === 45 /* - */ && buf[f + 1] === 62 /* > */) {
        if (f + 2 < cend) {
          this.keyEnd = f;
          this.fieldStart = f + 2;
          this.fieldLen = start + len - (f + 2);
        }
        break;
      }
    }
    return this;
  }
}

const byPattern = new Pattern();
const getPatterns: Pattern[] = [];
let keyBuf = new Uint8Array(256);

// lookup results: resBuf[resStart, resStart + resLen), valid until the next lookup or allocation
let resBuf: Uint8Array = keyBuf;
let resStart = 0;
let resLen = 0;

/**
 * Value a pattern yields for the element sb[ss, ss+sl): the element itself
 * for "#", a string key's value, or a hash field's value. False when there
 * is none (no '*', missing key, wrong type, missing field).
 */
function lookupPattern(c: ExecContext, p: Pattern, sb: Uint8Array, ss: number, sl: number): boolean {
  if (p.self) {
    resBuf = sb;
    resStart = ss;
    resLen = sl;
    return true;
  }
  if (p.star < 0) return false;
  const buf = c.buf;
  const prefix = p.star - p.start;
  const suffix = p.keyEnd - p.star - 1;
  const klen = prefix + sl + suffix;
  if (klen > keyBuf.length) keyBuf = new Uint8Array(Math.max(klen, keyBuf.length * 2));
  const k = keyBuf;
  for (let i = 0; i < prefix; i++) k[i] = buf[p.start + i];
  for (let i = 0; i < sl; i++) k[prefix + i] = sb[ss + i];
  for (let i = 0; i < suffix; i++) k[prefix + sl + i] = buf[p.star + 1 + i];
  const ks = c.ksFor(k, 0, klen);
  const e = ks.lookup(c.db, k, 0, klen);
  if (e === 0) return false;
  if (p.fieldLen >= 0) {
    if (ks.type(e) !== ObjType.Hash) return false;
    const h = hashOpsFor(ks.a);
    if (!h.get(ks.objectPtr(e), ks.encoding(e) as Enc, buf, p.fieldStart, p.fieldLen)) return false;
    resBuf = h.vBuf;
    resStart = h.vStart;
    resLen = h.vLen;
    return true;
  }
  if (ks.type(e) !== ObjType.String) return false;
  const v = ks.valueOf(e);
  resBuf = ks.a.u8;
  resStart = v.start;
  resLen = v.len;
  return true;
}

// ---- numeric weights ----

const DBL_MIN = 2.2250738585072014e-308;

const isSpace = (ch: number): boolean => ch === 32 || (ch >= 9 && ch <= 13);

/**
 * A weight as sort.c reads it with strtod: the text ends at the first NUL,
 * leading whitespace is skipped, nothing at all reads as 0, and the rest must
 * be a number. NaN when Redis reports a conversion error (garbage, NaN, or
 * strtod's ERANGE: overflow, underflow, inexact subnormal).
 */
function weightOf(buf: Uint8Array, start: number, len: number): number {
  const end = cStringEnd(buf, start, len);
  if (end === start) return 0;
  let i = start;
  while (i < end && isSpace(buf[i])) i++;
  if (i === end) return NaN;
  const v = parseDouble(buf, i, end);
  if (v === null) return NaN;
  if (v !== 0 && v < DBL_MIN && v > -DBL_MIN && !exactSubnormal(buf, i, end, v)) return NaN;
  return v;
}

/**
 * Whether the number text (already validated by parseDouble) is exactly the
 * subnormal v: strtod reports ERANGE for inexact subnormal results only.
 */
function exactSubnormal(buf: Uint8Array, start: number, end: number, v: number): boolean {
  let i = start;
  if (buf[i] === 43 || buf[i] === 45) i++;
  const hex = buf[i] === 48 && (buf[i + 1] | 0x20) === 120;
  if (hex) i += 2;
  const radix = hex ? 16n : 10n;
  let mant = 0n;
  let fracDigits = 0;
  let dot = false;
  for (; i < end; i++) {
    const ch = buf[i];
    if (ch === 46) {
      dot = true;
      continue;
    }
    const l = ch | 0x20;
    const d = ch >= 48 && ch <= 57 ? ch - 48 : hex && l >= 97 && l <= 102 ? l - 87 : -1;
    if (d < 0) break;
    mant = mant * radix + BigInt(d);
    if (dot) fracDigits++;
  }
  // the exponent after 'e' / 'p' (the text is valid: digits follow the optional sign)
  let exp = 0;
  if (i < end) {
    let j = i + 1;
    const neg = buf[j] === 45;
    if (buf[j] === 43 || buf[j] === 45) j++;
    for (; j < end && exp < 1e6; j++) exp = exp * 10 + (buf[j] - 48);
    if (neg) exp = -exp;
  }
  // |v| = m * 2^-1074 exactly
  const m = BigInt(Math.abs(v) * 2 ** 1022 * 2 ** 52);
  if (hex) {
    const shift = exp - 4 * fracDigits + 1074;
    if (Math.abs(shift) > 4000) return false;
    return shift >= 0 ? mant << BigInt(shift) === m : mant === m << BigInt(-shift);
  }
  // mant * 10^e10 == m * 2^-1074, with e10 < 0 for a subnormal
  const e10 = exp - fracDigits;
  if (e10 >= 0 || e10 < -4000) return false;
  return mant << 1074n === m * 10n ** BigInt(-e10);
}

// ---- comparison (sortCompare) ----

let cmpAlpha = false;
let cmpByPattern = false;
let cmpStore = false;
let cmpDesc = false;

/** strcmp: C strings end at the first NUL (strcoll in Redis's C.UTF-8 / C locale is strcmp). */
function cStringCompare(p: Uint8Array, ao: number, al: number, bo: number, bl: number): number {
  for (let i = 0; ; i++) {
    const x = i < al ? p[ao + i] : 0;
    const y = i < bl ? p[bo + i] : 0;
    if (x !== y) return x - y;
    if (x === 0) return 0;
  }
}

function compareElements(x: number, y: number): number {
  const v = vec;
  const p = v.pool;
  let r: number;
  if (!cmpAlpha) {
    const sx = v.score[x];
    const sy = v.score[y];
    // equal weights: the elements decide, so that the result is deterministic
    r = sx > sy ? 1 : sx < sy ? -1 : cmpBytes(p, v.elOff[x], v.elLen[x], p, v.elOff[y], v.elLen[y]);
  } else if (cmpByPattern) {
    const lx = v.byLen[x];
    const ly = v.byLen[y];
    if (lx < 0 || ly < 0) r = lx === ly ? 0 : lx < 0 ? -1 : 1;
    else if (cmpStore) r = cmpBytes(p, v.byOff[x], lx, p, v.byOff[y], ly);
    else r = cStringCompare(p, v.byOff[x], lx, v.byOff[y], ly);
  } else if (cmpStore) {
    r = cmpBytes(p, v.elOff[x], v.elLen[x], p, v.elOff[y], v.elLen[y]);
  } else {
    r = cStringCompare(p, v.elOff[x], v.elLen[x], v.elOff[y], v.elLen[y]);
  }
  return cmpDesc ? -r : r;
}

// ---- partial quicksort (Redis's pqsort: ties come out in its order) ----

function swap(a: number[], i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function swapRuns(a: number[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(a, i + k, j + k);
}

function median3(a: number[], i: number, j: number, k: number): number {
  return compareElements(a[i], a[j]) < 0
    ? compareElements(a[j], a[k]) < 0
      ? j
      : compareElements(a[i], a[k]) < 0
        ? k
        : i
    : compareElements(a[j], a[k]) > 0
      ? j
      : compareElements(a[i], a[k]) < 0
        ? i
        : k;
}

/**
 * Sort a[lo, lo+n) enough that positions [from, to] hold what a full sort
 * would put there: three-way partitioning, recursing only into parts that
 * overlap [from, to].
 */
function partialSort(a: number[], lo: number, n: number, from: number, to: number): void {
  for (;;) {
    if (n < 7) {
      for (let m = lo + 1; m < lo + n; m++) {
        for (let l = m; l > lo && compareElements(a[l - 1], a[l]) > 0; l--) swap(a, l, l - 1);
      }
      return;
    }
    let pm = lo + (n >>> 1);
    if (n > 7) {
      let pl = lo;
      let pn = lo + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = median3(a, pl, pl + d, pl + 2 * d);
        pm = median3(a, pm - d, pm, pm + d);
        pn = median3(a, pn - 2 * d, pn - d, pn);
      }
      pm = median3(a, pl, pm, pn);
    }
    swap(a, lo, pm);
    let pa = lo + 1;
    let pb = pa;
    let pc = lo + n - 1;
    let pd = pc;
    for (;;) {
      let r = 0;
      while (pb <= pc && (r = compareElements(a[pb], a[lo])) <= 0) {
        if (r === 0) swap(a, pa++, pb);
        pb++;
      }
      while (pb <= pc && (r = compareElements(a[pc], a[lo])) >= 0) {
        if (r === 0) swap(a, pc, pd--);
        pc--;
      }
      if (pb > pc) break;
      swap(a, pb++, pc--);
    }
    const end = lo + n;
    let r = Math.min(pa - lo, pb - pa);
    swapRuns(a, lo, pb - r, r);
    r = Math.min(pd - pc, end - pd - 1);
    swapRuns(a, pb, end - r, r);
    r = pb - pa;
    if (r > 1 && overlaps(lo, lo + r - 1, from, to)) partialSort(a, lo, r, from, to);
    r = pd - pc;
    if (r > 1 && overlaps(end - r, end - 1, from, to)) {
      lo = end - r;
      n = r;
      continue;
    }
    return;
  }
}

/** pqsort's test: the range [from, to] is not entirely before or after [l, r]. */
function overlaps(l: number, r: number, from: number, to: number): boolean {
  return !((from < l && to < l) || (from > r && to > r));
}

// ---- key positions and routing ----

/** The argument index of the STORE target as Redis's sortGetKeys finds it (the last STORE), or -1. */
function getkeysStore(buf: Uint8Array, offs: Int32Array, argc: number): number {
  let store = -1;
  for (let i = 2; i < argc; i++) {
    if (argIs(buf, offs, i, 'limit')) i += 2;
    else if (argIs(buf, offs, i, 'store')) {
      if (i + 1 < argc) store = i + 1;
    } else if (argIs(buf, offs, i, 'get') || argIs(buf, offs, i, 'by')) i += 1;
  }
  return store;
}

/** SORT's keys: the sorted key and the STORE target (COMMAND GETKEYS lists both). */
function sortKeys(buf: Uint8Array, offs: Int32Array, argc: number): number[] {
  const store = getkeysStore(buf, offs, argc);
  return store < 0 ? [1] : [1, store];
}

/**
 * Whether the command may touch keys other than its key positions: BY/GET
 * patterns that read keys, or (odd argument lists) a STORE target the
 * command parses differently from sortGetKeys.
 */
function touchesOtherKeys(buf: Uint8Array, offs: Int32Array, argc: number, readonly: boolean): boolean {
  let store = -1;
  for (let j = 2; j < argc; j++) {
    const left = argc - j - 1;
    if (argIs(buf, offs, j, 'asc') || argIs(buf, offs, j, 'desc') || argIs(buf, offs, j, 'alpha')) continue;
    if (argIs(buf, offs, j, 'limit') && left >= 2) j += 2;
    else if (!readonly && argIs(buf, offs, j, 'store') && left >= 1) store = ++j;
    else if ((argIs(buf, offs, j, 'by') || argIs(buf, offs, j, 'get')) && left >= 1) {
      j++;
      if (patternReadsKeys(buf, offs[j * 2], offs[j * 2 + 1])) return true;
    } else return false; // a syntax error: no key is touched
  }
  return store >= 0 && store !== getkeysStore(buf, offs, argc);
}

// ---- the command ----

function sortGeneric(c: ExecContext, readonly: boolean): void {
  let desc = false;
  let alpha = false;
  let dontsort = false;
  let limitStart = 0;
  let limitCount = -1;
  let storeIdx = -1;
  let byIdx = -1;
  let getop = 0;
  for (let j = 2; j < c.argc; j++) {
    const left = c.argc - j - 1;
    if (c.is(j, 'asc')) desc = false;
    else if (c.is(j, 'desc')) desc = true;
    else if (c.is(j, 'alpha')) alpha = true;
    else if (c.is(j, 'limit') && left >= 2) {
      const s = c.longOrReply(j + 1);
      if (s === null) return;
      const n = c.longOrReply(j + 2);
      if (n === null) return;
      limitStart = s;
      limitCount = n;
      j += 2;
    } else if (!readonly && c.is(j, 'store') && left >= 1) {
      storeIdx = ++j;
    } else if (c.is(j, 'by') && left >= 1) {
      byIdx = ++j;
      // a BY pattern without '*' (e.g. "nosort") means: do not sort (it sticks)
      if (starOf(c.buf, c.start(j), c.len(j)) < 0) dontsort = true;
    } else if (c.is(j, 'get') && left >= 1) {
      j++;
      if (getPatterns.length === getop) getPatterns.push(new Pattern());
      getPatterns[getop++].parse(c.buf, c.start(j), c.len(j));
    } else {
      c.w.error(E.syntax);
      return;
    }
  }

  const ks = c.ks(1);
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1));
  // a missing key sorts like an empty list
  const type = e === 0 ? ObjType.List : ks.type(e);
  if (type !== ObjType.List && type !== ObjType.Set && type !== ObjType.ZSet) {
    c.w.error(E.wrongType);
    return;
  }
  // an unsorted set would come out in hash table order: STORE sorts it (ALPHA)
  if (dontsort && type === ObjType.Set && storeIdx >= 0) {
    dontsort = false;
    alpha = true;
    byIdx = -1;
  }

  const a = ks.a;
  let z: ZRef | null = null;
  let vectorlen = 0;
  if (e !== 0) {
    if (type === ObjType.List) vectorlen = ql.length(a, ks.objectPtr(e));
    else if (type === ObjType.Set) vectorlen = setRef.load(a, ks.objectPtr(e), ks.encoding(e) as Enc).size();
    else {
      if (zref === null) zref = new ZRef(a);
      z = zref.load(a, ks.objectPtr(e), ks.encoding(e));
      // Redis 7.0 converts the sorted set for SORT, for good (even SORT_RO)
      if (z.isListpack) {
        z.convertToSkiplist();
        ks.setObjectPtr(e, z.ptr, z.enc);
      }
      vectorlen = z.length();
    }
  }

  // LIMIT, clamped as sort.c does
  let start = Math.min(Math.max(limitStart, 0), vectorlen);
  const count = Math.min(Math.max(limitCount, -1), vectorlen);
  let end = count < 0 ? vectorlen - 1 : start + count - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;

  // unsorted lists and sorted sets: load only the requested range, in (DESC: reverse) order
  const ranged = type !== ObjType.Set && dontsort;
  if (ranged && (start !== 0 || end !== vectorlen - 1)) vectorlen = end - start + 1;

  const v = vec;
  v.reset(vectorlen);
  if (e !== 0) {
    if (type === ObjType.List) {
      const h = ks.objectPtr(e);
      if (!dontsort) ql.replyRange(a, h, 0, vectorlen, false, v);
      else if (end >= start) {
        if (desc) ql.replyRange(a, h, ql.length(a, h) - start - 1, vectorlen, true, v);
        else ql.replyRange(a, h, start, vectorlen, false, v);
      }
    } else if (type === ObjType.Set) {
      forEachMember(setRef, (buf, off, len) => v.bulk(buf, off, off + len));
    } else {
      const zs = z!;
      let cur: number;
      if (!dontsort) cur = zs.first();
      else if (desc) cur = start > 0 ? zs.atRank(zs.length() - 1 - start) : zs.last();
      else cur = start > 0 ? zs.atRank(start) : zs.first();
      for (let n = 0; n < vectorlen; n++) {
        zs.member(cur);
        v.bulk(zs.mBuf, zs.mOff, zs.mOff + zs.mLen);
        cur = dontsort && desc ? zs.prev(cur) : zs.next(cur);
      }
    }
  }
  if (ranged && (type === ObjType.ZSet || end >= start)) {
    end -= start;
    start = 0;
  }

  const order = v.order;
  order.length = vectorlen;
  for (let j = 0; j < vectorlen; j++) order[j] = j;

  let conversionError = false;
  if (!dontsort) {
    const by = byIdx >= 0 ? byPattern.parse(c.buf, c.start(byIdx), c.len(byIdx)) : null;
    for (let j = 0; j < vectorlen; j++) {
      if (by !== null) {
        if (!lookupPattern(c, by, v.pool, v.elOff[j], v.elLen[j])) continue;
        if (alpha) v.setBy(j, resBuf, resStart, resLen);
        else {
          const w = weightOf(resBuf, resStart, resLen);
          if (w !== w) conversionError = true;
          else v.score[j] = w;
        }
      } else if (!alpha) {
        const w = weightOf(v.pool, v.elOff[j], v.elLen[j]);
        if (w !== w) conversionError = true;
        else v.score[j] = w;
      }
    }
    if (!conversionError) {
      cmpAlpha = alpha;
      cmpByPattern = by !== null;
      cmpStore = storeIdx >= 0;
      cmpDesc = desc;
      if (by !== null && (start !== 0 || end !== vectorlen - 1)) partialSort(order, 0, vectorlen, start, end);
      else order.sort(compareElements);
    }
  }

  const rows = end - start + 1;
  const outputlen = getop > 0 ? getop * rows : rows;
  if (conversionError) {
    c.w.error(E_CONVERSION);
  } else if (storeIdx < 0) {
    const w = c.w;
    w.arrayHeader(outputlen);
    for (let j = start; j <= end; j++) {
      const id = order[j];
      if (getop === 0) w.bulk(v.pool, v.elOff[id], v.elOff[id] + v.elLen[id]);
      for (let g = 0; g < getop; g++) {
        if (lookupPattern(c, getPatterns[g], v.pool, v.elOff[id], v.elLen[id])) w.bulk(resBuf, resStart, resStart + resLen);
        else w.nullBulk();
      }
    }
  } else {
    // gather every value first: the target may be the sorted key or a pattern key
    for (let j = start; j <= end; j++) {
      const id = order[j];
      if (getop === 0) v.out(v.elOff[id], v.elLen[id]);
      for (let g = 0; g < getop; g++) {
        const p = getPatterns[g];
        if (!lookupPattern(c, p, v.pool, v.elOff[id], v.elLen[id])) v.out(0, 0);
        else if (p.self) v.out(v.elOff[id], v.elLen[id]);
        else v.out(v.copyIn(resBuf, resStart, resLen), resLen);
      }
    }
    const dks = c.ks(storeIdx);
    if (outputlen > 0) {
      const h = createList(c, dks, storeIdx);
      for (let k = 0; k < v.outCount; k++) ql.push(dks.a, h, v.pool, v.outOff[k], v.outLen[k], false);
    } else {
      dks.delete(c.db, c.buf, c.start(storeIdx), c.len(storeIdx));
    }
    c.w.integer(outputlen);
  }
  v.shrink();
  if (keyBuf.length > POOL_KEEP) keyBuf = new Uint8Array(256);
  resBuf = keyBuf;
}

// ---- table ----

const SORT_COMPLEXITY =
  'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).';

const sortRow = (name: string, flags: string[], acl: string[], since: string, summary: string, extra: Partial<CommandRow>): CommandRow => ({
  name,
  arity: -2,
  flags,
  firstKey: 1,
  lastKey: 1,
  step: 1,
  acl: [...acl, 'set', 'sortedset', 'list', 'slow', 'dangerous'],
  group: 'generic',
  since,
  summary,
  complexity: SORT_COMPLEXITY,
  exec: Exec.Shard,
  ...extra,
});

const BY_GET_SPEC: KeySpec = {
  notes: "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
  flags: 'RO access',
  begin: 'unknown',
  find: 'unknown',
};

/** COMMAND DOCS arguments of SORT_RO; SORT adds STORE. */
const SORT_RO_ARGS = [
      arg.key('key'),
      arg.pat('BY pattern ? #1'),
      arg.block('LIMIT offset_count ?', arg.int('offset'), arg.int('count')),
      arg.pat('GET pattern ? ** #1'),
      arg.oneof('order ?', arg.tok('ASC'), arg.tok('DESC')),
      arg.tok('ALPHA sorting ?'),
];

register([
  sortRow('sort', ['write', 'denyoom', 'movablekeys'], ['write'], '1.0.0', 'Sort the elements in a list, set or sorted set', {
    keyspaceStats: true,
    run: (c) => sortGeneric(c, false),
    keys: sortKeys,
    keySpecs: [
      { flags: 'RO access', begin: 1 },
      BY_GET_SPEC,
      {
        notes: "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array",
        flags: 'OW update',
        begin: 'unknown',
        find: 'unknown',
      },
    ],
    // the specs cannot find the STORE target: keys() does, as Redis's sortGetKeys
    keyFlagsAt: (_buf, _offs, _argc, pos) => (pos === 1 ? 'RO access' : 'OW update'),
    allShardsWhen: (buf, offs, argc) => touchesOtherKeys(buf, offs, argc, false),
    args: [...SORT_RO_ARGS, arg.key('STORE destination ? #2')],
  }),
  sortRow('sort_ro', ['readonly', 'movablekeys'], ['read'], '7.0.0', 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.', {
    run: (c) => sortGeneric(c, true),
    keySpecs: [{ flags: 'RO access', begin: 1 }, BY_GET_SPEC],
    keyFlagsAt: () => 'RO access',
    allShardsWhen: (buf, offs, argc) => touchesOtherKeys(buf, offs, argc, true),
    args: SORT_RO_ARGS,
  }),
]);
