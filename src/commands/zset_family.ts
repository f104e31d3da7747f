// Sorted sets: ZADD ZRANGE ZUNIONSTORE and friends (non-blocking). Shard-side
// handlers over zset values (src/store/zset_value.ts: listpack or skip list).

import { register, type CommandRow, shardRowBuilder, keyNum } from './table';
import * as arg from './docs';
import { E } from './errors';
import type { ExecContext } from '../shard/exec_context';
import { Enc, ObjType, type Keyspace } from '../store/keyspace';
import type { Allocator } from '../store/allocator';
import { ZRef } from '../store/zset_value';
import { ScoreRange, LexRange, LEX_MINUS, LEX_NORMAL, LEX_PLUS, scoreGteMin, scoreLteMax, lexGteMin, lexLteMax, N_KEY } from '../store/skiplist';
import { SetRef, SM_KEY_OFF } from '../store/set_value';
import { isLen, isGet, iv, formatInt } from '../store/intset';
import { formatDouble, parseDouble, parseInt64 } from '../util/numbers';
import { globMatch } from '../util/glob';
import { parseScanCursor, parseScanOptions } from './scan_args';
import { parseRandCount } from './rand_args';

const E_NAN = 'ERR resulting score is not a number (NaN)';
const E_RANGE_FLOAT = 'ERR min or max is not a float';
const E_RANGE_LEX = 'ERR min or max not valid string range item';
const E_POSITIVE = 'ERR value is out of range, must be positive';

// ---- refs ----

const refs: ZRef[] = [];
/** The i-th ZRef of this thread, pointed at nothing in particular. */
function zref(i: number, a: Allocator): ZRef {
  let r = refs[i];
  if (r === undefined) {
    r = new ZRef(a);
    refs[i] = r;
  }
  return r;
}

/**
 * Look argument i up as a zset and load it into ref: the key entry, 0 when
 * absent, -1 after replying WRONGTYPE.
 */
function zsetAt(c: ExecContext, ks: Keyspace, i: number, ref: ZRef): number {
  const e = ks.lookup(c.db, c.buf, c.start(i), c.len(i));
  if (e === 0) return 0;
  if (ks.type(e) !== ObjType.ZSet) {
    c.w.error(E.wrongType);
    return -1;
  }
  ref.load(ks.a, ks.objectPtr(e), ks.encoding(e));
  return e;
}

/**
 * After mutating the zset of key entry e (argument i): store the (moved or
 * converted) object back, or delete the key when empty. The entry itself does
 * not move while its value changes; only a delete needs find()'s chain position.
 */
function storeBack(c: ExecContext, ks: Keyspace, i: number, e: number, ref: ZRef): void {
  if (ref.length() !== 0) return ks.setObjectPtr(e, ref.ptr, ref.enc);
  const found = ks.find(c.db, c.buf, c.start(i), c.len(i));
  // the entry must point at the current block before a delete frees it
  ks.setObjectPtr(found, ref.ptr, ref.enc);
  ks.deleteFound(c.db, found);
}

// ---- replies ----

function replyScore(c: ExecContext, s: number): void {
  c.w.double(s);
}

/** Emit the member at cursor (and its score): RESP3 pairs are nested arrays. */
function emit(c: ExecContext, z: ZRef, cur: number, withScores: boolean): void {
  if (withScores) {
    const s = z.score(cur);
    if (c.w.resp === 3) c.w.arrayHeader(2);
    z.member(cur);
    c.w.bulk(z.mBuf, z.mOff, z.mOff + z.mLen);
    replyScore(c, s);
  } else {
    z.member(cur);
    c.w.bulk(z.mBuf, z.mOff, z.mOff + z.mLen);
  }
}

function resultHeader(c: ExecContext, n: number, withScores: boolean): void {
  c.w.arrayHeader(withScores && c.w.resp === 2 ? n * 2 : n);
}

// ---- argument parsing ----

const isSpace = (b: number): boolean => b === 32 || (b >= 9 && b <= 13);
const DEC_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** C strtod over the whole argument (zslParseRange): leading spaces, NUL ends it, overflow to inf. */
function strtodArg(buf: Uint8Array, start: number, end: number): number | null {
  for (let i = start; i < end; i++) {
    if (buf[i] === 0) {
      end = i;
      break;
    }
  }
  if (start === end) return 0;
  let s = start;
  while (s < end && isSpace(buf[s])) s++;
  if (s === end) return null;
  const v = parseDouble(buf, s, end);
  if (v !== null) return v;
  let str = '';
  for (let i = s; i < end; i++) str += String.fromCharCode(buf[i]);
  if (DEC_RE.test(str)) return Number(str);
  return null;
}

const range = new ScoreRange();
const lex = new LexRange();

function parseScoreItem(c: ExecContext, i: number, isMin: boolean): boolean {
  const b = c.buf;
  let s = c.start(i);
  const end = s + c.len(i);
  let ex = false;
  if (s < end && b[s] === 40) {
    ex = true;
    s++;
  }
  const v = strtodArg(b, s, end);
  if (v === null || v !== v) return false;
  if (isMin) {
    range.min = v;
    range.minex = ex;
  } else {
    range.max = v;
    range.maxex = ex;
  }
  return true;
}

/** Parse a score range into `range`; replies the error and returns false when invalid. */
function parseScoreRange(c: ExecContext, iMin: number, iMax: number): boolean {
  if (!parseScoreItem(c, iMin, true) || !parseScoreItem(c, iMax, false)) {
    c.w.error(E_RANGE_FLOAT);
    return false;
  }
  return true;
}

function parseLexItem(c: ExecContext, i: number, isMin: boolean): boolean {
  const b = c.buf;
  const s = c.start(i);
  const len = c.len(i);
  if (len === 0) return false;
  let kind = LEX_NORMAL;
  let ex = false;
  const ch = b[s];
  if (ch === 43 || ch === 45) {
    if (len > 1 && b[s + 1] !== 0) return false;
    kind = ch === 43 ? LEX_PLUS : LEX_MINUS;
    ex = true;
  } else if (ch === 40) ex = true;
  else if (ch !== 91) return false;
  if (isMin) {
    lex.minKind = kind;
    lex.minOff = s + 1;
    lex.minLen = len - 1;
    lex.minex = ex;
  } else {
    lex.maxKind = kind;
    lex.maxOff = s + 1;
    lex.maxLen = len - 1;
    lex.maxex = ex;
  }
  return true;
}

function parseLexRange(c: ExecContext, iMin: number, iMax: number): boolean {
  lex.buf = c.buf;
  if (!parseLexItem(c, iMin, true) || !parseLexItem(c, iMax, false)) {
    c.w.error(E_RANGE_LEX);
    return false;
  }
  return true;
}

/** getDoubleFromObjectOrReply */
function doubleArg(c: ExecContext, i: number, msg: string = E.notFloat): number | null {
  const s = c.start(i);
  const v = parseDouble(c.buf, s, s + c.len(i));
  if (v === null) c.w.error(msg);
  return v;
}

/** getRangeLongFromObjectOrReply with a custom message for both failures */
function rangeLong(c: ExecContext, i: number, min: number, msg: string): number | null {
  const v = c.int(i);
  if (v === null || v < min) {
    c.w.error(msg);
    return null;
  }
  return typeof v === 'bigint' ? Number(v) : v;
}

// ---- ZADD / ZINCRBY ----

const F_NX = 1;
const F_XX = 2;
const F_GT = 4;
const F_LT = 8;
const F_INCR = 16;

/** ZADD's parsed scores (a typed array: setting a JS array's length goes through the runtime) */
const scoresTmp = new Float64Array(1024);

function zaddGeneric(c: ExecContext, incrCmd: boolean): void {
  let flags = incrCmd ? F_INCR : 0;
  let ch = false;
  let si = 2;
  if (!incrCmd) {
    for (; si < c.argc; si++) {
      if (c.is(si, 'nx')) flags |= F_NX;
      else if (c.is(si, 'xx')) flags |= F_XX;
      else if (c.is(si, 'ch')) ch = true;
      else if (c.is(si, 'incr')) flags |= F_INCR;
      else if (c.is(si, 'gt')) flags |= F_GT;
      else if (c.is(si, 'lt')) flags |= F_LT;
      else break;
    }
  }
  let elements = c.argc - si;
  if (elements % 2 !== 0 || elements === 0) return c.w.error(E.syntax);
  elements /= 2;
  const nx = (flags & F_NX) !== 0;
  const xx = (flags & F_XX) !== 0;
  const gt = (flags & F_GT) !== 0;
  const lt = (flags & F_LT) !== 0;
  const incr = (flags & F_INCR) !== 0;
  if (nx && xx) return c.w.error('ERR XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) return c.w.error('ERR GT, LT, and/or NX options at the same time are not compatible');
  if (incr && elements > 1) return c.w.error('ERR INCR option supports a single increment-element pair');
  // big commands get their own array, so that the scratch stays small
  const scores = elements <= scoresTmp.length ? scoresTmp : new Float64Array(elements);
  for (let j = 0; j < elements; j++) {
    const v = doubleArg(c, si + j * 2);
    if (v === null) return;
    scores[j] = v;
  }
  const ks = c.ks(1);
  const z = zref(0, ks.a);
  let e = zsetAt(c, ks, 1, z);
  if (e < 0) return;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  const st = c.settings;
  if (e === 0) {
    if (xx) {
      if (incr) c.w.nullBulk();
      else c.w.integer(0);
      return;
    }
    const firstLen = c.len(si + 1);
    z.create(ks.a, st.zsetMaxListpackEntries === 0 || st.zsetMaxListpackValue < firstLen);
    e = ks.setObject(c.db, c.buf, c.start(1), c.len(1), ObjType.ZSet, z.enc, z.ptr, 0);
  }
  let nan = false;
  for (let j = 0; j < elements; j++) {
    score = scores[j];
    const mi = si + j * 2 + 1;
    const mo = c.start(mi);
    const ml = c.len(mi);
    const cur = z.find(c.buf, mo, ml);
    if (cur !== 0) {
      if (nx) continue;
      const curScore = z.score(cur);
      if (incr) {
        score += curScore;
        if (score !== score) {
          nan = true;
          break;
        }
      }
      if ((lt && score >= curScore) || (gt && score <= curScore)) continue;
      processed++;
      if (score !== curScore) {
        z.updateScore(cur, score);
        updated++;
      }
    } else if (!xx) {
      z.addNew(score, c.buf, mo, ml, st.zsetMaxListpackEntries, st.zsetMaxListpackValue);
      added++;
      processed++;
    }
  }
  ks.setObjectPtr(e, z.ptr, z.enc);
  if (nan) return c.w.error(E_NAN);
  if (incr) {
    if (processed) replyScore(c, score);
    else c.w.nullBulk();
  } else c.w.integer(ch ? added + updated : added);
}

// ---- simple reads ----

function zcard(c: ExecContext): void {
  const ks = c.ks(1);
  const z = zref(0, ks.a);
  const e = zsetAt(c, ks, 1, z);
  if (e < 0) return;
  c.w.integer(e === 0 ? 0 : z.length());
}

function zscore(c: ExecContext): void {
  const ks = c.ks(1);
  const z = zref(0, ks.a);
  const e = zsetAt(c, ks, 1, z);
  if (e < 0) return;
  const s = e === 0 ? NaN : z.scoreOf(c.buf, c.start(2), c.len(2));
  if (s !== s) c.w.nullBulk();
  else replyScore(c, s);
}

function zmscore(c: ExecContext): void {
  const ks = c.ks(1);
  const z = zref(0, ks.a);
  const e = zsetAt(c, ks, 1, z);
  if (e < 0) return;
  c.w.arrayHeader(c.argc - 2);
  for (let i = 2; i < c.argc; i++) {
    const s = e === 0 ? NaN : z.scoreOf(c.buf, c.start(i), c.len(i));
    if (s !== s) c.w.nullBulk();
    else replyScore(c, s);
  }
}

function zrank(c: ExecContext, rev: boolean): void {
  const ks = c.ks(1);
  const z = zref(0, ks.a);
  const e = zsetAt(c, ks, 1, z);
  if (e < 0) return;
  if (e === 0) return c.w.nullBulk();
  const cur = z.find(c.buf, c.start(2), c.len(2));
  if (cur === 0) return c.w.nullBulk();
  const r = z.rankOf(cur);
  c.w.integer(rev ? z.length() - 1 - r : r);
}

function zcount(c: ExecContext): void {
  if (!parseScoreRange(c, 2, 3)) return;
  const ks = c.ks(1);
  const z = zref(0, ks.a);
  const e = zsetAt(c, ks, 1, z);
  if (e < 0) return;
  if (e === 0) return c.w.integer(0);
  const f = z.firstInRange(range);
  if (f === 0) return c.w.integer(0);
  if (!z.isListpack) {
    const l = z.lastInRange(range);
    return c.w.integer(z.rankOf(l) - z.rankOf(f) + 1);
  }
  let n = 0;
  for (let p = f; p !== 0 && scoreLteMax(z.score(p), range); p = z.next(p)) n++;
  c.w.integer(n);
}

function zlexcount(c: ExecContext): void {
  if (!parseLexRange(c, 2, 3)) return;
  const ks = c.ks(1);
  const z = zref(0, ks.a);
  const e = zsetAt(c, ks, 1, z);
  if (e < 0) return;
  if (e === 0) return c.w.integer(0);
  const f = z.firstInLexRange(lex);
  if (f === 0) return c.w.integer(0);
  if (!z.isListpack) {
    const l = z.lastInLexRange(lex);
    return c.w.integer(z.rankOf(l) - z.rankOf(f) + 1);
  }
  let n = 0;
  for (let p = f; p !== 0; p = z.next(p)) {
    z.member(p);
    if (!lexLteMax(z.mBuf, z.mOff, z.mLen, lex)) break;
    n++;
  }
  c.w.integer(n);
}

// ---- ZREM / ZREMRANGEBY* ----

function zrem(c: ExecContext): void {
  const ks = c.ks(1);
  const z = zref(0, ks.a);
  const e = zsetAt(c, ks, 1, z);
  if (e < 0) return;
  if (e === 0) return c.w.integer(0);
  let n = 0;
  for (let i = 2; i < c.argc; i++) {
    if (z.remove(c.buf, c.start(i), c.len(i))) {
      n++;
      if (z.length() === 0) break;
    }
  }
  storeBack(c, ks, 1, e, z);
  c.w.integer(n);
}

const RANK = 0;
const SCORE = 1;
const LEX = 2;

function zremrange(c: ExecContext, type: number): void {
  let start = 0;
  let end = 0;
  if (type === RANK) {
    const s = c.longOrReply(2);
    if (s === null) return;
    const t = c.longOrReply(3);
    if (t === null) return;
    start = s;
    end = t;
  } else if (type === SCORE) {
    if (!parseScoreRange(c, 2, 3)) return;
  } else if (!parseLexRange(c, 2, 3)) return;
  const ks = c.ks(1);
  const z = zref(0, ks.a);
  const e = zsetAt(c, ks, 1, z);
  if (e < 0) return;
  if (e === 0) return c.w.integer(0);
  let n: number;
  if (type === RANK) {
    const llen = z.length();
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) return c.w.integer(0);
    if (end >= llen) end = llen - 1;
    n = z.deleteRangeByRank(start, end);
  } else if (type === SCORE) n = z.deleteRangeByScore(range);
  else n = z.deleteRangeByLex(lex);
  storeBack(c, ks, 1, e, z);
  c.w.integer(n);
}

// ---- ZRANGE family ----

const DIR_AUTO = 0;
const DIR_FWD = 1;
const DIR_REV = 2;
const T_AUTO = -1;

/** Where range results go: the client, or a destination zset (ZRANGESTORE). */
class StoreSink {
  z: ZRef | null = null;
  count = 0;
}
const sink = new StoreSink();

function zrangeGeneric(c: ExecContext, argStart: number, store: boolean, rtype: number, dir: number): void {
  const keyIdx = argStart;
  let minIdx = argStart + 1;
  let maxIdx = argStart + 2;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = argStart + 3; j < c.argc; j++) {
    const left = c.argc - j - 1;
    if (!store && c.is(j, 'withscores')) withScores = true;
    else if (c.is(j, 'limit') && left >= 2) {
      const o = c.longOrReply(j + 1);
      if (o === null) return;
      const l = c.longOrReply(j + 2);
      if (l === null) return;
      offset = o;
      limit = l;
      j += 2;
    } else if (dir === DIR_AUTO && c.is(j, 'rev')) dir = DIR_REV;
    else if (rtype === T_AUTO && c.is(j, 'bylex')) rtype = LEX;
    else if (rtype === T_AUTO && c.is(j, 'byscore')) rtype = SCORE;
    else return c.w.error(E.syntax);
  }
  if (dir === DIR_AUTO) dir = DIR_FWD;
  if (rtype === T_AUTO) rtype = RANK;
  if (limit !== -1 && rtype === RANK) return c.w.error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  if (withScores && rtype === LEX) return c.w.error('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  const rev = dir === DIR_REV;
  if (rev && rtype !== RANK) {
    const t = maxIdx;
    maxIdx = minIdx;
    minIdx = t;
  }
  let start = 0;
  let end = 0;
  if (rtype === RANK) {
    const s = c.longOrReply(minIdx);
    if (s === null) return;
    const t = c.longOrReply(maxIdx);
    if (t === null) return;
    start = s;
    end = t;
  } else if (rtype === SCORE) {
    if (!parseScoreRange(c, minIdx, maxIdx)) return;
  } else if (!parseLexRange(c, minIdx, maxIdx)) return;
  const ks = c.ks(keyIdx);
  const z = zref(0, ks.a);
  const e = zsetAt(c, ks, keyIdx, z);
  if (e < 0) return;
  if (store) {
    const dks = c.ks(1);
    // zsetTypeCreate(size hint): a listpack unless a rank range is known to be too long (below)
    sink.z = zref(1, dks.a).create(dks.a, false);
    sink.count = 0;
  } else sink.z = null;
  if (e === 0) {
    if (store) finishStore(c);
    else c.w.emptyArray();
    return;
  }
  if (rtype === RANK) rangeByRank(c, z, start, end, withScores, rev);
  else if (rtype === SCORE) rangeByScore(c, z, offset, limit, withScores, rev);
  else rangeByLex(c, z, offset, limit, rev);
  if (store) finishStore(c);
}

/** Add the element at cursor to the ZRANGESTORE destination. */
function sinkAdd(c: ExecContext, z: ZRef, cur: number): void {
  const d = sink.z!;
  const s = z.score(cur);
  z.member(cur);
  d.addNew(s, z.mBuf, z.mOff, z.mLen, c.settings.zsetMaxListpackEntries, c.settings.zsetMaxListpackValue);
  sink.count++;
}

function finishStore(c: ExecContext): void {
  const d = sink.z!;
  sink.z = null;
  const dks = c.ks(1);
  if (sink.count > 0) {
    dks.setObject(c.db, c.buf, c.start(1), c.len(1), ObjType.ZSet, d.enc, d.ptr, 0);
    c.w.integer(sink.count);
  } else {
    d.free();
    dks.delete(c.db, c.buf, c.start(1), c.len(1));
    c.w.integer(0);
  }
}

function rangeByRank(c: ExecContext, z: ZRef, start: number, end: number, withScores: boolean, rev: boolean): void {
  const llen = z.length();
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) {
    if (!sink.z) c.w.emptyArray();
    return;
  }
  if (end >= llen) end = llen - 1;
  const n = end - start + 1;
  if (!sink.z) resultHeader(c, n, withScores);
  else if (n > c.settings.zsetMaxListpackEntries) sink.z.convertToSkiplist();
  let cur = z.atRank(rev ? llen - 1 - start : start);
  for (let k = 0; k < n && cur !== 0; k++) {
    if (sink.z) sinkAdd(c, z, cur);
    else emit(c, z, cur, withScores);
    cur = rev ? z.prev(cur) : z.next(cur);
  }
}

/** Client results of unknown count: collect cursors (skip list) or re-walk (listpack is small). */
const curs: number[] = [];

function rangeByScore(c: ExecContext, z: ZRef, offset: number, limit: number, withScores: boolean, rev: boolean): void {
  if (offset > 0 && offset >= z.length()) {
    if (!sink.z) c.w.emptyArray();
    return;
  }
  let cur = rev ? z.lastInRange(range) : z.firstInRange(range);
  while (cur !== 0 && offset-- !== 0) cur = rev ? z.prev(cur) : z.next(cur);
  curs.length = 0;
  while (cur !== 0 && limit-- !== 0) {
    const s = z.score(cur);
    if (rev ? !scoreGteMin(s, range) : !scoreLteMax(s, range)) break;
    if (sink.z) sinkAdd(c, z, cur);
    else curs.push(cur);
    cur = rev ? z.prev(cur) : z.next(cur);
  }
  if (sink.z) return;
  resultHeader(c, curs.length, withScores);
  for (let k = 0; k < curs.length; k++) emit(c, z, curs[k], withScores);
  curs.length = 0;
}

function rangeByLex(c: ExecContext, z: ZRef, offset: number, limit: number, rev: boolean): void {
  if (offset > 0 && offset >= z.length()) {
    if (!sink.z) c.w.emptyArray();
    return;
  }
  let cur = rev ? z.lastInLexRange(lex) : z.firstInLexRange(lex);
  while (cur !== 0 && offset-- !== 0) cur = rev ? z.prev(cur) : z.next(cur);
  curs.length = 0;
  while (cur !== 0 && limit-- !== 0) {
    z.member(cur);
    if (rev ? !lexGteMin(z.mBuf, z.mOff, z.mLen, lex) : !lexLteMax(z.mBuf, z.mOff, z.mLen, lex)) break;
    if (sink.z) sinkAdd(c, z, cur);
    else curs.push(cur);
    cur = rev ? z.prev(cur) : z.next(cur);
  }
  if (sink.z) return;
  resultHeader(c, curs.length, false);
  for (let k = 0; k < curs.length; k++) emit(c, z, curs[k], false);
  curs.length = 0;
}

// ---- pops ----

/**
 * ZPOPMIN/ZPOPMAX/ZMPOP/BZPOP*: pop from the first existing key among nkeys
 * keys from argument firstKey. Reply shapes: flat member/score pairs, nested
 * pairs, [key, member, score...] (emitKey, BZPOPMIN/BZPOPMAX) or [key, [pairs]]
 * (emitKey + nested, ZMPOP/BZMPOP).
 */
export function popGeneric(c: ExecContext, firstKey: number, nkeys: number, max: boolean, emitKey: boolean, count: number, nested: boolean, nilWhenEmpty: boolean): void {
  let ks: Keyspace | null = null;
  let ki = -1;
  let ke = 0;
  let z: ZRef | null = null;
  for (let k = 0; k < nkeys; k++) {
    const i = firstKey + k;
    const kks = c.ks(i);
    const r = zref(0, kks.a);
    const e = zsetAt(c, kks, i, r);
    if (e < 0) return;
    if (e !== 0) {
      ks = kks;
      ki = i;
      ke = e;
      z = r;
      break;
    }
  }
  if (count === 0) return c.w.emptyArray();
  if (z === null || ks === null) {
    if (nilWhenEmpty) c.w.nullArray();
    else c.w.emptyArray();
    return;
  }
  if (count === -1) count = 1;
  const llen = z.length();
  const n = count > llen ? llen : count;
  if (!nested && !emitKey) c.w.arrayHeader(n * 2);
  else if (nested && !emitKey) c.w.arrayHeader(n);
  else if (!nested) {
    c.w.arrayHeader(n * 2 + 1);
    c.w.bulk(c.buf, c.start(ki), c.start(ki) + c.len(ki));
  } else {
    c.w.arrayHeader(2);
    c.w.bulk(c.buf, c.start(ki), c.start(ki) + c.len(ki));
    c.w.arrayHeader(n);
  }
  for (let k = 0; k < n; k++) {
    const cur = max ? z.last() : z.first();
    const s = z.score(cur);
    if (nested) c.w.arrayHeader(2);
    z.member(cur);
    c.w.bulk(z.mBuf, z.mOff, z.mOff + z.mLen);
    replyScore(c, s);
    z.deleteAt(cur);
  }
  storeBack(c, ks, ki, ke, z);
}

function zpop(c: ExecContext, max: boolean): void {
  if (c.argc > 3) return c.w.error(E.syntax);
  let count = -1;
  if (c.argc === 3) {
    const v = c.int(2);
    if (v === null || v < 0) return c.w.error(E_POSITIVE);
    count = typeof v === 'bigint' ? Number(v) : v;
  }
  popGeneric(c, 1, 1, max, false, count, c.w.resp > 2 && count !== -1, false);
}

/** numkeys at argument i: a positive count, -1 when not a positive integer */
export function numkeysAt(buf: Uint8Array, offs: Int32Array, i: number): number {
  const s = offs[i * 2];
  const v = parseInt64(buf, s, s + offs[i * 2 + 1]);
  if (v === null || v < 1) return -1;
  return typeof v === 'bigint' ? Number.MAX_SAFE_INTEGER : v;
}

function zmpopKeys(buf: Uint8Array, offs: Int32Array, argc: number): number[] | null {
  const n = numkeysAt(buf, offs, 1);
  if (n < 0 || 2 + n >= argc) return null;
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) out[k] = 2 + k;
  return out;
}

/** ZMPOP/BZMPOP arguments, filled by parseZmpopArgs (no allocation per command). */
export const zmpopArgs = { numkeys: 0, max: false, count: 1 };

/** Parse "numkeys key... MIN|MAX [COUNT count]" with numkeys at argument i; false after replying the error. */
export function parseZmpopArgs(c: ExecContext, numkeysIdx: number): boolean {
  const numkeys = numkeysAt(c.buf, c.offs, numkeysIdx);
  if (numkeys < 0) {
    c.w.error('ERR numkeys should be greater than 0');
    return false;
  }
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= c.argc) {
    c.w.error(E.syntax);
    return false;
  }
  let max: boolean;
  if (c.is(whereIdx, 'min')) max = false;
  else if (c.is(whereIdx, 'max')) max = true;
  else {
    c.w.error(E.syntax);
    return false;
  }
  let count = -1;
  for (let j = whereIdx + 1; j < c.argc; j++) {
    const more = c.argc - 1 - j;
    if (count === -1 && c.is(j, 'count') && more > 0) {
      j++;
      const v = rangeLong(c, j, 1, 'ERR count should be greater than 0');
      if (v === null) return false;
      count = v;
    } else {
      c.w.error(E.syntax);
      return false;
    }
  }
  zmpopArgs.numkeys = numkeys;
  zmpopArgs.max = max;
  zmpopArgs.count = count === -1 ? 1 : count;
  return true;
}

function zmpop(c: ExecContext): void {
  if (!parseZmpopArgs(c, 1)) return;
  popGeneric(c, 2, zmpopArgs.numkeys, zmpopArgs.max, true, zmpopArgs.count, true, true);
}

// ---- ZRANDMEMBER ----

function zrandmember(c: ExecContext): void {
  if (c.argc >= 3) {
    const r = parseRandCount(c, 'withscores');
    if (r !== null) zrandmemberCount(c, r.count, r.pairs);
    return;
  }
  const ks = c.ks(1);
  const z = zref(0, ks.a);
  const e = zsetAt(c, ks, 1, z);
  if (e < 0) return;
  if (e === 0) return c.w.nullBulk();
  const cur = z.atRank(Math.floor(Math.random() * z.length()));
  z.member(cur);
  c.w.bulk(z.mBuf, z.mOff, z.mOff + z.mLen);
}

function zrandmemberCount(c: ExecContext, l: number, withScores: boolean): void {
  const ks = c.ks(1);
  const z = zref(0, ks.a);
  const e = zsetAt(c, ks, 1, z);
  if (e < 0) return;
  if (e === 0) return c.w.emptyArray();
  const size = z.length();
  let count: number;
  let uniq = true;
  if (l >= 0) count = l;
  else {
    count = -l;
    uniq = false;
  }
  if (count === 0) return c.w.emptyArray();
  if (!uniq || count === 1) {
    resultHeader(c, count, withScores);
    for (let k = 0; k < count; k++) emit(c, z, z.atRank(Math.floor(Math.random() * size)), withScores);
    return;
  }
  if (count >= size) {
    // Redis walks the whole zset from its tail here
    resultHeader(c, size, withScores);
    for (let cur = z.last(); cur !== 0; cur = z.prev(cur)) emit(c, z, cur, withScores);
    return;
  }
  // distinct random ranks: partial Fisher-Yates over rank indexes
  const ranks = pickDistinct(size, count);
  resultHeader(c, count, withScores);
  for (let k = 0; k < count; k++) emit(c, z, z.atRank(ranks[k]), withScores);
}

function pickDistinct(size: number, count: number): number[] {
  const out: number[] = [];
  if (count * 3 > size) {
    const all = new Array<number>(size);
    for (let i = 0; i < size; i++) all[i] = i;
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (size - i));
      const t = all[i];
      all[i] = all[j];
      all[j] = t;
      out.push(all[i]);
    }
    return out;
  }
  const seen = new Set<number>();
  while (out.length < count) {
    const r = Math.floor(Math.random() * size);
    if (!seen.has(r)) {
      seen.add(r);
      out.push(r);
    }
  }
  return out;
}

// ---- ZUNION / ZINTER / ZDIFF ----

const OP_UNION = 0;
const OP_INTER = 1;
const OP_DIFF = 2;
const AGG_SUM = 0;
const AGG_MIN = 1;
const AGG_MAX = 2;

/** One input of a set operation: a zset, a plain set (scores 1), or missing. */
class Src {
  kind = 0; // 0 missing, 1 zset, 2 set
  z: ZRef | null = null;
  readonly set = new SetRef();
  weight = 1;
  ptr = 0;
  a: Allocator | null = null;

  /** same object as another input (the same key given twice) */
  same(o: Src): boolean {
    return this.kind !== 0 && this.kind === o.kind && this.ptr === o.ptr && this.a === o.a;
  }

  length(): number {
    return this.kind === 0 ? 0 : this.kind === 1 ? this.z!.length() : this.set.size();
  }

  /** Score of a member, NaN when absent. */
  find(buf: Uint8Array, off: number, len: number): number {
    if (this.kind === 1) return this.z!.scoreOf(buf, off, len);
    if (this.kind === 2) return this.set.has(buf, off, len) ? 1 : NaN;
    return NaN;
  }

  forEach(visit: (buf: Uint8Array, off: number, len: number, score: number) => boolean): void {
    if (this.kind === 1) {
      const z = this.z!;
      for (let cur = z.first(); cur !== 0; cur = z.next(cur)) {
        const s = z.score(cur);
        z.member(cur);
        if (!visit(z.mBuf, z.mOff, z.mLen, s)) return;
      }
    } else if (this.kind === 2) {
      const set = this.set;
      const a = set.a;
      if (set.enc === Enc.Intset) {
        const n = isLen(a, set.ptr);
        for (let k = 0; k < n; k++) {
          isGet(a, set.ptr, k);
          const len = formatInt(iv.hi, iv.lo, numBuf, 0);
          if (!visit(numBuf, 0, len, 1)) return;
        }
      } else {
        let go = true;
        set.table().forEach((e) => {
          if (go) go = visit(a.u8, e + SM_KEY_OFF, a.u32[(e + 8) >>> 2], 1);
        });
      }
    }
  }
}
const numBuf = new Uint8Array(24);
const srcs: Src[] = [];

function aggregate(target: number, v: number, agg: number): number {
  if (agg === AGG_SUM) {
    const r = target + v;
    return r !== r ? 0 : r;
  }
  if (agg === AGG_MIN) return v < target ? v : target;
  return v > target ? v : target;
}

/** numkeys-style key positions: keys at [first, first+n) plus an optional destination at 1. */
function setopKeys(numkeysIdx: number, withDst: boolean) {
  return (buf: Uint8Array, offs: Int32Array, argc: number): number[] | null => {
    const n = numkeysAt(buf, offs, numkeysIdx);
    if (n < 0 || n > argc - (numkeysIdx + 1)) return null;
    const out: number[] = withDst ? [1] : [];
    for (let k = 0; k < n; k++) out.push(numkeysIdx + 1 + k);
    return out;
  };
}

function setopGeneric(c: ExecContext, hasDst: boolean, op: number, cardOnly: boolean): void {
  const numkeysIdx = hasDst ? 2 : 1;
  const nv = c.int(numkeysIdx);
  if (nv === null) return c.w.error(E.notInt);
  if (nv < 1) return c.w.error(`ERR at least 1 input key is needed for '${c.spec.fullName}' command`);
  if (nv > c.argc - (numkeysIdx + 1)) return c.w.error(E.syntax);
  const setnum = Number(nv);
  while (srcs.length < setnum) srcs.push(new Src());
  for (let k = 0; k < setnum; k++) {
    const i = numkeysIdx + 1 + k;
    const ks = c.ks(i);
    const s = srcs[k];
    s.weight = 1;
    s.kind = 0;
    s.a = ks.a;
    const e = ks.lookup(c.db, c.buf, c.start(i), c.len(i));
    if (e === 0) continue;
    const t = ks.type(e);
    if (t === ObjType.ZSet) {
      s.kind = 1;
      s.ptr = ks.objectPtr(e);
      s.z = zref(2 + k, ks.a).load(ks.a, s.ptr, ks.encoding(e));
    } else if (t === ObjType.Set) {
      s.kind = 2;
      s.ptr = ks.objectPtr(e);
      s.set.load(ks.a, s.ptr, ks.encoding(e) as Enc);
    } else return c.w.error(E.wrongType);
  }
  let agg = AGG_SUM;
  let withScores = false;
  let limit = 0;
  let j = numkeysIdx + 1 + setnum;
  let remaining = c.argc - j;
  while (remaining > 0) {
    if (op !== OP_DIFF && !cardOnly && remaining >= setnum + 1 && c.is(j, 'weights')) {
      j++;
      remaining--;
      for (let k = 0; k < setnum; k++, j++, remaining--) {
        const w = doubleArg(c, j, 'ERR weight value is not a float');
        if (w === null) return;
        srcs[k].weight = w;
      }
    } else if (op !== OP_DIFF && !cardOnly && remaining >= 2 && c.is(j, 'aggregate')) {
      j++;
      remaining--;
      if (c.is(j, 'sum')) agg = AGG_SUM;
      else if (c.is(j, 'min')) agg = AGG_MIN;
      else if (c.is(j, 'max')) agg = AGG_MAX;
      else return c.w.error(E.syntax);
      j++;
      remaining--;
    } else if (remaining >= 1 && !hasDst && !cardOnly && c.is(j, 'withscores')) {
      j++;
      remaining--;
      withScores = true;
    } else if (cardOnly && remaining >= 2 && c.is(j, 'limit')) {
      j++;
      remaining--;
      const v = c.int(j);
      if (v === null || v < 0) return c.w.error("ERR LIMIT can't be negative");
      limit = typeof v === 'bigint' ? Number(v) : v;
      j++;
      remaining--;
    } else return c.w.error(E.syntax);
  }
  const list = srcs.slice(0, setnum);
  if (op !== OP_DIFF) list.sort((x, y) => x.length() - y.length());

  if (cardOnly) {
    let card = 0;
    const s0 = list[0];
    if (s0.length() > 0) {
      s0.forEach((buf, off, len) => {
        for (let k = 1; k < list.length; k++) {
          if (list[k].same(s0)) continue;
          const v = list[k].find(buf, off, len);
          if (v !== v) return true;
        }
        card++;
        return !(limit && card >= limit);
      });
    }
    return c.w.integer(card);
  }

  const dks = hasDst ? c.ks(1) : c.local;
  const d = zref(1, dks.a).create(dks.a, true);
  let maxLen = 0;
  if (op === OP_INTER) {
    const s0 = list[0];
    if (s0.length() > 0) {
      s0.forEach((buf, off, len, sc) => {
        let score = s0.weight * sc;
        if (score !== score) score = 0;
        for (let k = 1; k < list.length; k++) {
          const sk = list[k];
          let v: number;
          if (sk.same(s0)) v = sc;
          else {
            v = sk.find(buf, off, len);
            if (v !== v) return true;
          }
          score = aggregate(score, v * sk.weight, agg);
        }
        d.insertNew(score, buf, off, len);
        if (len > maxLen) maxLen = len;
        return true;
      });
    }
  } else if (op === OP_UNION) {
    for (const s of list) {
      if (s.length() === 0) continue;
      s.forEach((buf, off, len, sc) => {
        let score = s.weight * sc;
        if (score !== score) score = 0;
        const cur = d.find(buf, off, len);
        if (cur === 0) {
          d.insertNew(score, buf, off, len);
          if (len > maxLen) maxLen = len;
        } else d.updateScore(cur, aggregate(d.score(cur), score, agg));
        return true;
      });
    }
  } else {
    const s0 = list[0];
    if (s0.length() > 0) {
      s0.forEach((buf, off, len, sc) => {
        for (let k = 1; k < list.length; k++) {
          const v = list[k].find(buf, off, len);
          if (v === v) return true;
        }
        d.insertNew(sc, buf, off, len);
        if (len > maxLen) maxLen = len;
        return true;
      });
    }
  }

  const n = d.length();
  if (hasDst) {
    if (n > 0) {
      d.convertToListpackIfNeeded(maxLen, c.settings.zsetMaxListpackEntries, c.settings.zsetMaxListpackValue);
      dks.setObject(c.db, c.buf, c.start(1), c.len(1), ObjType.ZSet, d.enc, d.ptr, 0);
      c.w.integer(n);
    } else {
      d.free();
      dks.delete(c.db, c.buf, c.start(1), c.len(1));
      c.w.integer(0);
    }
    return;
  }
  resultHeader(c, n, withScores);
  for (let cur = d.first(); cur !== 0; cur = d.next(cur)) emit(c, d, cur, withScores);
  d.free();
}

// ---- ZSCAN ----

/** Score text of a listpack element as Redis stores it (integers when integral and within +-2^62). */
function listpackScoreText(s: number): string {
  if (Number.isInteger(s) && s >= -4611686018427387904 && s <= 4611686018427387904) {
    if (s === 0) return '0';
    return Number.isSafeInteger(s) ? String(s) : BigInt(s).toString();
  }
  return formatDouble(s);
}

const scanNodes: number[] = [];

function zscan(c: ExecContext): void {
  const cursor = parseScanCursor(c.buf, c.start(2), c.len(2));
  if (cursor === null) return c.w.error(E.invalidCursor);
  const ks = c.ks(1);
  const z = zref(0, ks.a);
  const e = zsetAt(c, ks, 1, z);
  if (e < 0) return;
  if (e === 0) {
    c.w.arrayHeader(2);
    c.w.bulkAscii('0');
    c.w.emptyArray();
    return;
  }
  const opts = parseScanOptions(c, 3, false);
  if (opts === null) return;
  const count = opts.count;
  const pat = opts.pattern;
  const matches = (buf: Uint8Array, off: number, len: number): boolean =>
    pat === null || globMatch(pat, 0, pat.length, buf, off, off + len);
  if (z.isListpack) {
    curs.length = 0;
    for (let cur = z.first(); cur !== 0; cur = z.next(cur)) {
      z.member(cur);
      if (matches(z.mBuf, z.mOff, z.mLen)) curs.push(cur);
    }
    c.w.arrayHeader(2);
    c.w.bulkAscii('0');
    c.w.arrayHeader(curs.length * 2);
    for (const cur of curs) {
      const s = z.score(cur);
      z.member(cur);
      c.w.bulk(z.mBuf, z.mOff, z.mOff + z.mLen);
      c.w.bulkAscii(listpackScoreText(s));
    }
    curs.length = 0;
    return;
  }
  const ht = z.sl.ht.at(z.ptr);
  let cur = Number(cursor & 0xffffffffn);
  let iterations = count * 10;
  scanNodes.length = 0;
  do {
    cur = ht.scan(cur, (n) => {
      scanNodes.push(n);
    });
  } while (cur !== 0 && iterations-- > 0 && scanNodes.length < count);
  const u8 = ks.a.u8;
  let kept = 0;
  for (let k = 0; k < scanNodes.length; k++) {
    const n = scanNodes[k];
    if (matches(u8, n + N_KEY, z.sl.keyLen(n))) scanNodes[kept++] = n;
  }
  c.w.arrayHeader(2);
  c.w.bulkAscii(String(cur));
  c.w.arrayHeader(kept * 2);
  for (let k = 0; k < kept; k++) {
    const n = scanNodes[k];
    c.w.bulk(ks.a.u8, n + N_KEY, n + N_KEY + z.sl.keyLen(n));
    c.w.bulkAscii(formatDouble(z.sl.score(n)));
  }
  scanNodes.length = 0;
}

// ---- table ----


const zc = shardRowBuilder('sorted-set', (acl) => acl);

const W_FAST = ['write', 'sortedset', 'fast'];
const R_FAST = ['read', 'sortedset', 'fast'];
const R_SLOW = ['read', 'sortedset', 'slow'];
const W_SLOW = ['write', 'sortedset', 'slow'];
const RANGE_CX = 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.';
const BY_CX =
  'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).';
const REMRANGE_CX = 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.';
const dep = (replacedBy: string): Partial<CommandRow> => ({ docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy });

/** COMMAND DOCS arguments shared by ZUNION/ZINTER and by ZUNIONSTORE/ZINTERSTORE. */
const WEIGHTS_AGGREGATE = [arg.int('WEIGHTS weight ? *'), arg.oneof('AGGREGATE aggregate ?', arg.tok('SUM'), arg.tok('MIN'), arg.tok('MAX'))];
const ZSETOP_ARGS = [arg.int('numkeys'), arg.key('key *'), ...WEIGHTS_AGGREGATE, arg.tok('WITHSCORES ?')];
const ZSETOP_STORE_ARGS = [arg.key('destination'), arg.int('numkeys'), arg.key('key * #1'), ...WEIGHTS_AGGREGATE];

register([
  zc('zadd', -4, ['write', 'denyoom', 'fast'], [1, 1, 1], W_FAST, '1.2.0', 'Add one or more members to a sorted set, or update its score if it already exists', 'O(log(N)) for each item added, where N is the number of elements in the sorted set.', (c) => zaddGeneric(c, false), {
    history: [
      ['2.4.0', 'Accepts multiple elements.'],
      ['3.0.2', 'Added the `XX`, `NX`, `CH` and `INCR` options.'],
      ['6.2.0', 'Added the `GT` and `LT` options.'],
    ],
    args: [
      arg.key('key'),
      arg.oneof('condition ? @3.0.2', arg.tok('NX'), arg.tok('XX')),
      arg.oneof('comparison ? @6.2.0', arg.tok('GT'), arg.tok('LT')),
      arg.tok('CH change ? @3.0.2'),
      arg.tok('INCR increment ? @3.0.2'),
      arg.block('score_member *', arg.dbl('score'), arg.str('member')),
    ],
  }),
  zc('zincrby', 4, ['write', 'denyoom', 'fast'], [1, 1, 1], W_FAST, '1.2.0', 'Increment the score of a member in a sorted set', 'O(log(N)) where N is the number of elements in the sorted set.', (c) => zaddGeneric(c, true), {
    keySpecs: [{ flags: 'RW access update', begin: 1 }],
    args: [arg.key('key'), arg.int('increment'), arg.str('member')],
  }),
  zc('zrem', -3, ['write', 'fast'], [1, 1, 1], W_FAST, '1.2.0', 'Remove one or more members from a sorted set', 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.', zrem, {
    history: [['2.4.0', 'Accepts multiple elements.']],
    args: [arg.key('key'), arg.str('member *')],
  }),
  zc('zcard', 2, ['readonly', 'fast'], [1, 1, 1], R_FAST, '1.2.0', 'Get the number of members in a sorted set', 'O(1)', zcard, { keySpecs: [{ flags: 'RO', begin: 1 }], args: [arg.key('key')] }),
  zc('zcount', 4, ['readonly', 'fast'], [1, 1, 1], R_FAST, '2.0.0', 'Count the members in a sorted set with scores within the given values', 'O(log(N)) with N being the number of elements in the sorted set.', zcount, {
    args: [arg.key('key'), arg.dbl('min'), arg.dbl('max')],
  }),
  zc('zscore', 3, ['readonly', 'fast'], [1, 1, 1], R_FAST, '1.2.0', 'Get the score associated with the given member in a sorted set', 'O(1)', zscore, { args: [arg.key('key'), arg.str('member')] }),
  zc('zmscore', -3, ['readonly', 'fast'], [1, 1, 1], R_FAST, '6.2.0', 'Get the score associated with the given members in a sorted set', 'O(N) where N is the number of members being requested.', zmscore, {
    args: [arg.key('key'), arg.str('member *')],
  }),
  zc('zrank', 3, ['readonly', 'fast'], [1, 1, 1], R_FAST, '2.0.0', 'Determine the index of a member in a sorted set', 'O(log(N))', (c) => zrank(c, false), { args: [arg.key('key'), arg.str('member')] }),
  zc('zrevrank', 3, ['readonly', 'fast'], [1, 1, 1], R_FAST, '2.0.0', 'Determine the index of a member in a sorted set, with scores ordered from high to low', 'O(log(N))', (c) => zrank(c, true), {
    args: [arg.key('key'), arg.str('member')],
  }),
  zc('zrange', -4, ['readonly'], [1, 1, 1], R_SLOW, '1.2.0', 'Return a range of members in a sorted set', RANGE_CX, (c) => zrangeGeneric(c, 1, false, T_AUTO, DIR_AUTO), {
    history: [['6.2.0', 'Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.']],
    args: [
      arg.key('key'),
      arg.str('start'),
      arg.str('stop'),
      arg.oneof('sortby ? @6.2.0', arg.tok('BYSCORE'), arg.tok('BYLEX')),
      arg.tok('REV ? @6.2.0'),
      arg.block('LIMIT offset_count ? @6.2.0', arg.int('offset'), arg.int('count')),
      arg.tok('WITHSCORES ?'),
    ],
  }),
  zc('zrangestore', -5, ['write', 'denyoom'], [1, 2, 1], W_SLOW, '6.2.0', 'Store a range of members from sorted set into another key', 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.', (c) => zrangeGeneric(c, 2, true, T_AUTO, DIR_AUTO), {
    keyspaceStats: true,
    keySpecs: [{ flags: 'OW update', begin: 1 }, { flags: 'RO access', begin: 2 }],
    args: [
      arg.key('dst'),
      arg.key('src #1'),
      arg.str('min'),
      arg.str('max'),
      arg.oneof('sortby ?', arg.tok('BYSCORE'), arg.tok('BYLEX')),
      arg.tok('REV ?'),
      arg.block('LIMIT offset_count ?', arg.int('offset'), arg.int('count')),
    ],
  }),
  zc('zrevrange', -4, ['readonly'], [1, 1, 1], R_SLOW, '1.2.0', 'Return a range of members in a sorted set, by index, with scores ordered from high to low', RANGE_CX, (c) => zrangeGeneric(c, 1, false, RANK, DIR_REV), {
    ...dep('`ZRANGE` with the `REV` argument'),
    args: [arg.key('key'), arg.int('start'), arg.int('stop'), arg.tok('WITHSCORES ?')],
  }),
  zc('zrangebyscore', -4, ['readonly'], [1, 1, 1], R_SLOW, '1.0.5', 'Return a range of members in a sorted set, by score', BY_CX, (c) => zrangeGeneric(c, 1, false, SCORE, DIR_FWD), {
    ...dep('`ZRANGE` with the `BYSCORE` argument'),
    history: [['2.0.0', 'Added the `WITHSCORES` modifier.']],
    args: [
      arg.key('key'),
      arg.dbl('min'),
      arg.dbl('max'),
      arg.tok('WITHSCORES ? @2.0.0'),
      arg.block('LIMIT offset_count ?', arg.int('offset'), arg.int('count')),
    ],
  }),
  zc('zrevrangebyscore', -4, ['readonly'], [1, 1, 1], R_SLOW, '2.2.0', 'Return a range of members in a sorted set, by score, with scores ordered from high to low', BY_CX, (c) => zrangeGeneric(c, 1, false, SCORE, DIR_REV), {
    ...dep('`ZRANGE` with the `REV` and `BYSCORE` arguments'),
    history: [['2.1.6', '`min` and `max` can be exclusive.']],
    args: [
      arg.key('key'),
      arg.dbl('max'),
      arg.dbl('min'),
      arg.tok('WITHSCORES ?'),
      arg.block('LIMIT offset_count ?', arg.int('offset'), arg.int('count')),
    ],
  }),
  zc('zrangebylex', -4, ['readonly'], [1, 1, 1], R_SLOW, '2.8.9', 'Return a range of members in a sorted set, by lexicographical range', BY_CX, (c) => zrangeGeneric(c, 1, false, LEX, DIR_FWD), {
    ...dep('`ZRANGE` with the `BYLEX` argument'),
    args: [arg.key('key'), arg.str('min'), arg.str('max'), arg.block('LIMIT offset_count ?', arg.int('offset'), arg.int('count'))],
  }),
  zc('zrevrangebylex', -4, ['readonly'], [1, 1, 1], R_SLOW, '2.8.9', 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.', BY_CX, (c) => zrangeGeneric(c, 1, false, LEX, DIR_REV), {
    ...dep('`ZRANGE` with the `REV` and `BYLEX` arguments'),
    args: [arg.key('key'), arg.str('max'), arg.str('min'), arg.block('LIMIT offset_count ?', arg.int('offset'), arg.int('count'))],
  }),
  zc('zlexcount', 4, ['readonly', 'fast'], [1, 1, 1], R_FAST, '2.8.9', 'Count the number of members in a sorted set between a given lexicographical range', 'O(log(N)) with N being the number of elements in the sorted set.', zlexcount, {
    args: [arg.key('key'), arg.str('min'), arg.str('max')],
  }),
  zc('zpopmin', -2, ['write', 'fast'], [1, 1, 1], W_FAST, '5.0.0', 'Remove and return members with the lowest scores in a sorted set', 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.', (c) => zpop(c, false), {
    keySpecs: [{ flags: 'RW access delete', begin: 1 }],
    args: [arg.key('key'), arg.int('count ?')],
  }),
  zc('zpopmax', -2, ['write', 'fast'], [1, 1, 1], W_FAST, '5.0.0', 'Remove and return members with the highest scores in a sorted set', 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.', (c) => zpop(c, true), {
    keySpecs: [{ flags: 'RW access delete', begin: 1 }],
    args: [arg.key('key'), arg.int('count ?')],
  }),
  zc('zmpop', -4, ['write', 'movablekeys'], [0, 0, 0], W_SLOW, '7.0.0', 'Remove and return members with scores in a sorted set', 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.', zmpop, {
    keys: zmpopKeys,
    keySpecs: [{ flags: 'RW access delete', begin: 1, find: keyNum() }],
    args: [arg.int('numkeys'), arg.key('key *'), arg.oneof('where', arg.tok('MIN'), arg.tok('MAX')), arg.int('COUNT count ?')],
  }),
  zc('zrandmember', -2, ['readonly'], [1, 1, 1], R_SLOW, '6.2.0', 'Get one or multiple random elements from a sorted set', 'O(N) where N is the number of elements returned', zrandmember, {
    tips: ['nondeterministic_output'],
    args: [arg.key('key'), arg.block('options ?', arg.int('count'), arg.tok('WITHSCORES ?'))],
  }),
  zc('zremrangebyrank', 4, ['write'], [1, 1, 1], W_SLOW, '2.0.0', 'Remove all members in a sorted set within the given indexes', REMRANGE_CX, (c) => zremrange(c, RANK), {
    args: [arg.key('key'), arg.int('start'), arg.int('stop')],
  }),
  zc('zremrangebyscore', 4, ['write'], [1, 1, 1], W_SLOW, '1.2.0', 'Remove all members in a sorted set within the given scores', REMRANGE_CX, (c) => zremrange(c, SCORE), {
    args: [arg.key('key'), arg.dbl('min'), arg.dbl('max')],
  }),
  zc('zremrangebylex', 4, ['write'], [1, 1, 1], W_SLOW, '2.8.9', 'Remove all members in a sorted set between the given lexicographical range', REMRANGE_CX, (c) => zremrange(c, LEX), {
    args: [arg.key('key'), arg.str('min'), arg.str('max')],
  }),
  zc('zunion', -3, ['readonly', 'movablekeys'], [0, 0, 0], R_SLOW, '6.2.0', 'Add multiple sorted sets', 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.', (c) => setopGeneric(c, false, OP_UNION, false), {
    keys: setopKeys(1, false),
    keySpecs: [{ flags: 'RO access', begin: 1, find: keyNum() }],
    args: ZSETOP_ARGS,
  }),
  zc('zinter', -3, ['readonly', 'movablekeys'], [0, 0, 0], R_SLOW, '6.2.0', 'Intersect multiple sorted sets', 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.', (c) => setopGeneric(c, false, OP_INTER, false), {
    keys: setopKeys(1, false),
    keySpecs: [{ flags: 'RO access', begin: 1, find: keyNum() }],
    args: ZSETOP_ARGS,
  }),
  zc('zdiff', -3, ['readonly', 'movablekeys'], [0, 0, 0], R_SLOW, '6.2.0', 'Subtract multiple sorted sets', 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.', (c) => setopGeneric(c, false, OP_DIFF, false), {
    keys: setopKeys(1, false),
    keySpecs: [{ flags: 'RO access', begin: 1, find: keyNum() }],
    args: [arg.int('numkeys'), arg.key('key *'), arg.tok('WITHSCORES ?')],
  }),
  zc('zunionstore', -4, ['write', 'denyoom', 'movablekeys'], [1, 1, 1], W_SLOW, '2.0.0', 'Add multiple sorted sets and store the resulting sorted set in a new key', 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.', (c) => setopGeneric(c, true, OP_UNION, false), {
    keyspaceStats: true,
    keys: setopKeys(2, true),
    keySpecs: [{ flags: 'OW update', begin: 1 }, { flags: 'RO access', begin: 2, find: keyNum() }],
    args: ZSETOP_STORE_ARGS,
  }),
  zc('zinterstore', -4, ['write', 'denyoom', 'movablekeys'], [1, 1, 1], W_SLOW, '2.0.0', 'Intersect multiple sorted sets and store the resulting sorted set in a new key', 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.', (c) => setopGeneric(c, true, OP_INTER, false), {
    keyspaceStats: true,
    keys: setopKeys(2, true),
    keySpecs: [{ flags: 'OW update', begin: 1 }, { flags: 'RO access', begin: 2, find: keyNum() }],
    args: ZSETOP_STORE_ARGS,
  }),
  zc('zdiffstore', -4, ['write', 'denyoom', 'movablekeys'], [1, 1, 1], W_SLOW, '6.2.0', 'Subtract multiple sorted sets and store the resulting sorted set in a new key', 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.', (c) => setopGeneric(c, true, OP_DIFF, false), {
    keyspaceStats: true,
    keys: setopKeys(2, true),
    keySpecs: [{ flags: 'OW update', begin: 1 }, { flags: 'RO access', begin: 2, find: keyNum() }],
    args: [arg.key('destination'), arg.int('numkeys'), arg.key('key * #1')],
  }),
  zc('zintercard', -3, ['readonly', 'movablekeys'], [0, 0, 0], R_SLOW, '7.0.0', 'Intersect multiple sorted sets and return the cardinality of the result', 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.', (c) => setopGeneric(c, false, OP_INTER, true), {
    keys: setopKeys(1, false),
    keySpecs: [{ flags: 'RO access', begin: 1, find: keyNum() }],
    args: [arg.int('numkeys'), arg.key('key *'), arg.int('LIMIT limit ?')],
  }),
  zc('zscan', -3, ['readonly'], [1, 1, 1], R_SLOW, '2.8.0', 'Incrementally iterate sorted sets elements and associated scores', 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..', zscan, {
    tips: ['nondeterministic_output'],
    args: [arg.key('key'), arg.int('cursor'), arg.pat('MATCH pattern ?'), arg.int('COUNT count ?')],
  }),
]);
