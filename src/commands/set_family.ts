// Sets: SADD SREM SMEMBERS ... SSCAN, with Redis 7.0's encodings (intset,
// hashtable; see src/store/set_value.ts). Multi-key commands read every key
// through c.ks(i), so keys on other shards work under the lock protocol.
//
// Reply order follows Redis where it is defined by the encoding: intset
// members come out ascending, including results of SUNION/SDIFF/SPOP that
// Redis builds in a temporary set which stays an intset.

import { register, shardRowBuilder, keyNum, keyRange } from './table';
import * as arg from './docs';
import { E } from './errors';
import type { ExecContext } from '../shard/exec_context';
import type { ReplyWriter } from '../protocol/reply';
import { Enc, ObjType, type Keyspace } from '../store/keyspace';
import { SetRef, SM_KEY_OFF, entryLen, parseMemberInt, setTable } from '../store/set_value';
import { formatInt, isGet, isLen, iv } from '../store/intset';
import type { Allocator } from '../store/allocator';
import { parseInt64 } from '../util/numbers';
import { globMatch } from '../util/glob';
import { parseScanCursor, parseScanOptions } from './scan_args';

const ref = new SetRef();
const ref2 = new SetRef();
const tmp = new SetRef();

const ERR_POSITIVE = 'ERR value is out of range, must be positive';
const ERR_SRAND_RANGE = 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807';
const ERR_NUMKEYS = 'ERR numkeys should be greater than 0';
const ERR_NUMKEYS_ARGS = "ERR Number of keys can't be greater than number of args";
const ERR_LIMIT = "ERR LIMIT can't be negative";

// ---- reply helpers (no per-member allocation) ----

/** Scratch for formatting integer members. */
const NUM = new Uint8Array(24);

function bulkHeader(w: ReplyWriter, n: number): void {
  // n < 100: callers write members of at most 64 bytes here
  const b = w.buf;
  b[w.pos++] = 36;
  if (n >= 10) {
    b[w.pos++] = 48 + Math.floor(n / 10);
    b[w.pos++] = 48 + (n % 10);
  } else b[w.pos++] = 48 + n;
  b[w.pos++] = 13;
  b[w.pos++] = 10;
}

/** Bulk reply with the decimal form of (hi, lo). */
function replyInt(w: ReplyWriter, hi: number, lo: number): void {
  const n = formatInt(hi, lo, NUM, 0);
  w.ensure(n + 8);
  bulkHeader(w, n);
  const b = w.buf;
  let p = w.pos;
  for (let i = 0; i < n; i++) b[p++] = NUM[i];
  b[p++] = 13;
  b[p++] = 10;
  w.pos = p;
}

/** Bulk reply with u8[s, s+len). */
function replyBytes(w: ReplyWriter, u8: Uint8Array, s: number, len: number): void {
  if (len > 64) {
    w.bulk(u8, s, s + len);
    return;
  }
  w.ensure(len + 8);
  bulkHeader(w, len);
  const b = w.buf;
  let p = w.pos;
  for (let i = 0; i < len; i++) b[p++] = u8[s + i];
  b[p++] = 13;
  b[p++] = 10;
  w.pos = p;
}

function replyEntry(w: ReplyWriter, a: Allocator, e: number): void {
  replyBytes(w, a.u8, e + SM_KEY_OFF, entryLen(a, e));
}

// ---- iteration ----

/**
 * Visitor of set members. The member is buf[off, off+len) (buf may be a
 * scratch buffer reused for the next member); isInt tells that it came from
 * an intset, (hi, lo) then holds its value.
 */
export type MemberVisitor = (buf: Uint8Array, off: number, len: number, isInt: boolean, hi: number, lo: number) => void;

const ITER = new Uint8Array(24);

export function forEachMember(r: SetRef, visit: MemberVisitor): void {
  const a = r.a;
  const p = r.ptr;
  if (r.enc === Enc.Intset) {
    const n = isLen(a, p);
    for (let i = 0; i < n; i++) {
      isGet(a, p, i);
      const hi = iv.hi;
      const lo = iv.lo;
      const len = formatInt(hi, lo, ITER, 0);
      visit(ITER, 0, len, true, hi, lo);
    }
    return;
  }
  setTable(a, 1)
    .at(p)
    .forEach((e) => visit(a.u8, e + SM_KEY_OFF, a.u32[(e + 8) >>> 2], false, 0, 0));
}

function replyMembers(w: ReplyWriter, r: SetRef): void {
  forEachMember(r, (buf, off, len, isInt, hi, lo) => {
    if (isInt) replyInt(w, hi, lo);
    else replyBytes(w, buf, off, len);
  });
}

function sameSet(x: SetRef, y: SetRef): boolean {
  return x.a === y.a && x.ptr === y.ptr;
}

/** Membership of a visited member in r. */
function memberOf(r: SetRef, buf: Uint8Array, off: number, len: number, isInt: boolean, hi: number, lo: number): boolean {
  return isInt ? r.hasInt(hi, lo) : r.has(buf, off, len);
}

function addMember(r: SetRef, buf: Uint8Array, off: number, len: number, isInt: boolean, hi: number, lo: number, max: number): boolean {
  return isInt ? r.addInt(hi, lo, max) : r.add(buf, off, len, max);
}

// Scratch list of intset indexes / hashtable entries (grows, reused).
let picks = new Float64Array(1024);
function ensurePicks(n: number): Float64Array {
  if (picks.length < n) {
    let cap = picks.length;
    while (cap < n) cap *= 2;
    picks = new Float64Array(cap);
  }
  return picks;
}

function replyPick(w: ReplyWriter, r: SetRef, id: number): void {
  if (r.enc === Enc.Intset) {
    isGet(r.a, r.ptr, id);
    replyInt(w, iv.hi, iv.lo);
  } else replyEntry(w, r.a, id);
}

// ---- key access ----

/** Entry of the set at argument i: 0 when missing, -1 after replying WRONGTYPE. */
function lookupSet(c: ExecContext, ks: Keyspace, i: number): number {
  const e = ks.lookup(c.db, c.buf, c.start(i), c.len(i));
  if (e !== 0 && ks.type(e) !== ObjType.Set) {
    c.w.error(E.wrongType);
    return -1;
  }
  return e;
}

function loadRef(r: SetRef, ks: Keyspace, e: number): SetRef {
  return r.load(ks.a, ks.objectPtr(e), ks.encoding(e) as Enc);
}

/** Store the ref's object back in the key, or delete the key if the set became empty. */
function writeBack(c: ExecContext, ks: Keyspace, e: number, i: number, r: SetRef): void {
  ks.setObjectPtr(e, r.ptr, r.enc);
  if (r.size() === 0) ks.delete(c.db, c.buf, c.start(i), c.len(i));
  else r.afterRemovals();
}

function deleteKey(c: ExecContext, i: number): void {
  c.ks(i).delete(c.db, c.buf, c.start(i), c.len(i));
}

// ---- single-key commands ----

function sadd(c: ExecContext): void {
  const ks = c.ks(1);
  let e = lookupSet(c, ks, 1);
  if (e < 0) return;
  const max = c.settings.setMaxIntsetEntries;
  if (e === 0) {
    ref.create(ks.a, parseMemberInt(c.buf, c.start(2), c.len(2)));
    e = ks.setObject(c.db, c.buf, c.start(1), c.len(1), ObjType.Set, ref.enc, ref.ptr, 0);
  } else loadRef(ref, ks, e);
  let added = 0;
  for (let i = 2; i < c.argc; i++) if (ref.add(c.buf, c.start(i), c.len(i), max)) added++;
  ks.setObjectPtr(e, ref.ptr, ref.enc);
  c.w.integer(added);
}

function srem(c: ExecContext): void {
  const ks = c.ks(1);
  const e = lookupSet(c, ks, 1);
  if (e < 0) return;
  if (e === 0) return c.w.integer(0);
  loadRef(ref, ks, e);
  let removed = 0;
  for (let i = 2; i < c.argc; i++) {
    if (ref.remove(c.buf, c.start(i), c.len(i))) {
      removed++;
      if (ref.size() === 0) break;
    }
  }
  writeBack(c, ks, e, 1, ref);
  c.w.integer(removed);
}

function smembers(c: ExecContext): void {
  const ks = c.ks(1);
  const e = lookupSet(c, ks, 1);
  if (e < 0) return;
  if (e === 0) return c.w.setHeader(0);
  loadRef(ref, ks, e);
  c.w.setHeader(ref.size());
  replyMembers(c.w, ref);
}

function sismember(c: ExecContext): void {
  const ks = c.ks(1);
  const e = lookupSet(c, ks, 1);
  if (e < 0) return;
  if (e === 0) return c.w.integer(0);
  c.w.integer(loadRef(ref, ks, e).has(c.buf, c.start(2), c.len(2)) ? 1 : 0);
}

function smismember(c: ExecContext): void {
  const ks = c.ks(1);
  const e = lookupSet(c, ks, 1);
  if (e < 0) return;
  c.w.arrayHeader(c.argc - 2);
  if (e !== 0) loadRef(ref, ks, e);
  for (let i = 2; i < c.argc; i++) c.w.integer(e !== 0 && ref.has(c.buf, c.start(i), c.len(i)) ? 1 : 0);
}

function scard(c: ExecContext): void {
  const ks = c.ks(1);
  const e = lookupSet(c, ks, 1);
  if (e < 0) return;
  c.w.integer(e === 0 ? 0 : loadRef(ref, ks, e).size());
}

function smove(c: ExecContext): void {
  const sks = c.ks(1);
  const dks = c.ks(2);
  const db = c.db;
  const se = sks.lookup(db, c.buf, c.start(1), c.len(1));
  let de = dks.lookup(db, c.buf, c.start(2), c.len(2));
  if (se === 0) return c.w.integer(0);
  if (sks.type(se) !== ObjType.Set || (de !== 0 && dks.type(de) !== ObjType.Set)) return c.w.error(E.wrongType);
  const ms = c.start(3);
  const ml = c.len(3);
  loadRef(ref, sks, se);
  if (sks === dks && se === de) return c.w.integer(ref.has(c.buf, ms, ml) ? 1 : 0);
  if (!ref.remove(c.buf, ms, ml)) return c.w.integer(0);
  writeBack(c, sks, se, 1, ref);
  if (de === 0) {
    ref2.create(dks.a, parseMemberInt(c.buf, ms, ml));
    de = dks.setObject(db, c.buf, c.start(2), c.len(2), ObjType.Set, ref2.enc, ref2.ptr, 0);
  } else loadRef(ref2, dks, de);
  ref2.add(c.buf, ms, ml, c.settings.setMaxIntsetEntries);
  dks.setObjectPtr(de, ref2.ptr, ref2.enc);
  c.w.integer(1);
}

// ---- SPOP / SRANDMEMBER ----

const SPOP_MOVE_STRATEGY_MUL = 5;
const SRANDMEMBER_SUB_STRATEGY_MUL = 3;

function spop(c: ExecContext): void {
  if (c.argc === 3) return spopWithCount(c);
  if (c.argc > 3) return c.w.error(E.syntax);
  const ks = c.ks(1);
  const e = lookupSet(c, ks, 1);
  if (e < 0) return;
  if (e === 0) return c.w.nullBulk();
  loadRef(ref, ks, e);
  popOne(c.w, ref);
  writeBack(c, ks, e, 1, ref);
}

/** Reply and remove one random member. */
function popOne(w: ReplyWriter, r: SetRef): void {
  const id = r.randomPick();
  replyPick(w, r, id);
  if (r.enc === Enc.Intset) r.removeAt(id);
  else r.removeEntry(id);
}

function spopWithCount(c: ExecContext): void {
  const v = c.int(2);
  if (v === null || v < 0) return c.w.error(ERR_POSITIVE);
  const count = Number(v);
  const ks = c.ks(1);
  const e = lookupSet(c, ks, 1);
  if (e < 0) return;
  if (e === 0 || count === 0) return c.w.setHeader(0);
  loadRef(ref, ks, e);
  const size = ref.size();
  if (count >= size) {
    // the whole set, as SUNION of it would reply it; then the key goes
    sunionDiffGeneric(c, [1], -1, false);
    deleteKey(c, 1);
    return;
  }
  const remaining = size - count;
  const w = c.w;
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    // few to pop: pop them one by one
    w.setHeader(count);
    for (let k = 0; k < count; k++) popOne(w, ref);
    ks.setObjectPtr(e, ref.ptr, ref.enc);
    ref.afterRemovals();
    return;
  }
  // many to pop: move the few that remain to a new set, reply the old one
  const max = c.settings.setMaxIntsetEntries;
  const a = ref.a;
  for (let k = 0; k < remaining; k++) {
    const id = ref.randomPick();
    if (ref.enc === Enc.Intset) {
      isGet(a, ref.ptr, id);
      const hi = iv.hi;
      const lo = iv.lo;
      if (k === 0) tmp.create(a, true);
      tmp.addInt(hi, lo, max);
      ref.removeAt(id);
    } else {
      const s = id + SM_KEY_OFF;
      const len = entryLen(a, id);
      if (k === 0) tmp.create(a, parseMemberInt(a.u8, s, len));
      tmp.add(a.u8, s, len, max);
      ref.removeEntry(id);
    }
  }
  w.setHeader(count);
  replyMembers(w, ref);
  ref.free();
  ks.setObjectPtr(e, tmp.ptr, tmp.enc);
}

function srandmember(c: ExecContext): void {
  if (c.argc === 3) return srandmemberWithCount(c);
  if (c.argc > 3) return c.w.error(E.syntax);
  const ks = c.ks(1);
  const e = lookupSet(c, ks, 1);
  if (e < 0) return;
  if (e === 0) return c.w.nullBulk();
  loadRef(ref, ks, e);
  replyPick(c.w, ref, ref.randomPick());
}

// open-addressing set of picked ids (CASE 4 of SRANDMEMBER)
let seen = new Float64Array(64);

function srandmemberWithCount(c: ExecContext): void {
  const v = c.int(2);
  if (v === null) return c.w.error(E.notInt);
  if (v === -9223372036854775808n) return c.w.error(ERR_SRAND_RANGE);
  const n = Number(v);
  const ks = c.ks(1);
  const e = lookupSet(c, ks, 1);
  if (e < 0) return;
  const w = c.w;
  if (e === 0 || n === 0) return w.emptyArray();
  loadRef(ref, ks, e);
  const size = ref.size();
  if (n < 0 || n === 1) {
    // repeats allowed
    const count = n < 0 ? -n : 1;
    w.arrayHeader(count);
    for (let k = 0; k < count; k++) replyPick(w, ref, ref.randomPick());
    return;
  }
  const count = n;
  if (count >= size) {
    w.arrayHeader(size);
    replyMembers(w, ref);
    return;
  }
  const p = ensurePicks(count * SRANDMEMBER_SUB_STRATEGY_MUL > size ? size : count);
  if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
    // close to the whole set: list every member, keep a random `count` of them
    let k = 0;
    if (ref.enc === Enc.Intset) for (; k < size; k++) p[k] = k;
    else
      setTable(ref.a, 1)
        .at(ref.ptr)
        .forEach((x) => {
          p[k++] = x;
        });
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (size - i));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
  } else {
    // few of many: random picks, skipping repeats
    let cap = 64;
    while (cap < count * 2) cap *= 2;
    if (seen.length < cap) seen = new Float64Array(cap);
    const tab = seen;
    tab.fill(-1, 0, cap);
    const mask = cap - 1;
    let got = 0;
    while (got < count) {
      const id = ref.randomPick();
      let h = Math.imul(id | 0, 0x9e3779b1) >>> 0;
      for (;;) {
        const slot = h & mask;
        const cur = tab[slot];
        if (cur === -1) {
          tab[slot] = id;
          p[got++] = id;
          break;
        }
        if (cur === id) break;
        h = slot + 1;
      }
    }
  }
  w.arrayHeader(count);
  for (let i = 0; i < count; i++) replyPick(w, ref, p[i]);
}

// ---- multi-key: SINTER SINTERCARD SINTERSTORE SUNION SDIFF (+STORE) ----

/** Load the sets at the given argument indexes; null entries for missing keys; null result after WRONGTYPE. */
function loadSets(c: ExecContext, idx: number[]): (SetRef | null)[] | null {
  const sets: (SetRef | null)[] = new Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    const ks = c.ks(i);
    const e = ks.lookup(c.db, c.buf, c.start(i), c.len(i));
    if (e === 0) {
      sets[k] = null;
      continue;
    }
    if (ks.type(e) !== ObjType.Set) {
      c.w.error(E.wrongType);
      return null;
    }
    sets[k] = loadRef(new SetRef(), ks, e);
  }
  return sets;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

/** Store the result set in the key at argument dst (or delete the key when empty) and reply its size. */
function storeResult(c: ExecContext, dst: number, r: SetRef): void {
  const n = r.size();
  if (n > 0) {
    c.ks(dst).setObject(c.db, c.buf, c.start(dst), c.len(dst), ObjType.Set, r.enc, r.ptr, 0);
  } else {
    r.free();
    deleteKey(c, dst);
  }
  c.w.integer(n);
}

function sinterGeneric(c: ExecContext, keys: number[], dst: number, cardOnly: boolean, limit: number): void {
  const loaded = loadSets(c, keys);
  if (loaded === null) return;
  let empty = false;
  for (const s of loaded) if (s === null || s.size() === 0) empty = true;
  const w = c.w;
  if (empty) {
    if (dst >= 0) {
      deleteKey(c, dst);
      w.integer(0);
    } else if (cardOnly) w.integer(0);
    else w.setHeader(0);
    return;
  }
  const sets = loaded as SetRef[];
  sets.sort((x, y) => x.size() - y.size());
  const s0 = sets[0];
  const ns = sets.length;
  const isMatch = (buf: Uint8Array, off: number, len: number, isInt: boolean, hi: number, lo: number): boolean => {
    for (let j = 1; j < ns; j++) {
      const sj = sets[j];
      if (sameSet(sj, s0)) continue;
      if (!memberOf(sj, buf, off, len, isInt, hi, lo)) return false;
    }
    return true;
  };
  if (cardOnly) {
    let n = 0;
    let done = false;
    forEachMember(s0, (buf, off, len, isInt, hi, lo) => {
      if (done || !isMatch(buf, off, len, isInt, hi, lo)) return;
      n++;
      if (limit > 0 && n >= limit) done = true;
    });
    w.integer(n);
    return;
  }
  if (dst >= 0) {
    const max = c.settings.setMaxIntsetEntries;
    const r = tmp.create(c.ks(dst).a, true);
    forEachMember(s0, (buf, off, len, isInt, hi, lo) => {
      if (isMatch(buf, off, len, isInt, hi, lo)) addMember(r, buf, off, len, isInt, hi, lo, max);
    });
    storeResult(c, dst, r);
    return;
  }
  // reply in s0's order: collect the matches first (the length comes first)
  const size0 = s0.size();
  const p = ensurePicks(size0);
  let n = 0;
  if (s0.enc === Enc.Intset) {
    let i = 0;
    forEachMember(s0, (buf, off, len, isInt, hi, lo) => {
      if (isMatch(buf, off, len, isInt, hi, lo)) p[n++] = i;
      i++;
    });
  } else {
    const a = s0.a;
    setTable(a, 1)
      .at(s0.ptr)
      .forEach((e) => {
        if (isMatch(a.u8, e + SM_KEY_OFF, a.u32[(e + 8) >>> 2], false, 0, 0)) p[n++] = e;
      });
  }
  w.setHeader(n);
  for (let k = 0; k < n; k++) replyPick(w, s0, p[k]);
}

/** SUNION / SDIFF (+STORE): the result is built in a temporary set, exactly as Redis does (it decides the reply order and the stored encoding). */
function sunionDiffGeneric(c: ExecContext, keys: number[], dst: number, diff: boolean): void {
  const sets = loadSets(c, keys);
  if (sets === null) return;
  const max = c.settings.setMaxIntsetEntries;
  const r = tmp.create(dst >= 0 ? c.ks(dst).a : c.local.a, true);
  const add: MemberVisitor = (buf, off, len, isInt, hi, lo) => {
    addMember(r, buf, off, len, isInt, hi, lo, max);
  };
  if (!diff) {
    for (const s of sets) if (s !== null) forEachMember(s, add);
  } else if (sets[0] !== null) {
    const s0 = sets[0];
    // Redis's choice between its two algorithms (it decides when the
    // temporary set stops being an intset)
    let work1 = 0;
    let work2 = 0;
    for (const s of sets) {
      if (s === null) continue;
      work1 += s0.size();
      work2 += s.size();
    }
    work1 = Math.floor(work1 / 2);
    const ns = sets.length;
    if (work1 <= work2) {
      // 1: every member of the first set that is in none of the others
      forEachMember(s0, (buf, off, len, isInt, hi, lo) => {
        for (let j = 1; j < ns; j++) {
          const sj = sets[j];
          if (sj === null) continue;
          if (sameSet(sj, s0)) return;
          if (memberOf(sj, buf, off, len, isInt, hi, lo)) return;
        }
        addMember(r, buf, off, len, isInt, hi, lo, max);
      });
    } else {
      // 2: the first set, minus every member of the others
      forEachMember(s0, add);
      const del: MemberVisitor = (buf, off, len, isInt, hi, lo) => {
        if (isInt) r.removeInt(hi, lo);
        else r.remove(buf, off, len);
      };
      for (let j = 1; j < ns; j++) {
        const sj = sets[j];
        if (sj === null) continue;
        forEachMember(sj, del);
        if (r.size() === 0) break;
      }
      r.afterRemovals();
    }
  }
  if (dst >= 0) {
    storeResult(c, dst, r);
    return;
  }
  c.w.setHeader(r.size());
  replyMembers(c.w, r);
  r.free();
}

function sinter(c: ExecContext): void {
  sinterGeneric(c, range(1, c.argc), -1, false, 0);
}

function sinterstore(c: ExecContext): void {
  sinterGeneric(c, range(2, c.argc), 1, false, 0);
}

/** SINTERCARD numkeys: the number, or -1 when it is not a valid count. */
function numkeysOf(buf: Uint8Array, offs: Int32Array): number {
  const s = offs[2];
  const v = parseInt64(buf, s, s + offs[3]);
  if (v === null || v < 1) return -1;
  return typeof v === 'bigint' ? Number.MAX_SAFE_INTEGER : v;
}

/** Key positions of SINTERCARD (numkeys at 1, keys from 2); null when malformed. */
function sintercardKeys(buf: Uint8Array, offs: Int32Array, argc: number): number[] | null {
  const n = numkeysOf(buf, offs);
  if (n < 0 || n > argc - 2) return null;
  return range(2, 2 + n);
}

function sintercard(c: ExecContext): void {
  const n = numkeysOf(c.buf, c.offs);
  if (n < 0) return c.w.error(ERR_NUMKEYS);
  if (n > c.argc - 2) return c.w.error(ERR_NUMKEYS_ARGS);
  let limit = 0;
  for (let j = 2 + n; j < c.argc; j++) {
    if (c.is(j, 'limit') && j + 1 < c.argc) {
      const v = c.int(j + 1);
      if (v === null || v < 0) return c.w.error(ERR_LIMIT);
      limit = Number(v);
      j++;
    } else return c.w.error(E.syntax);
  }
  sinterGeneric(c, range(2, 2 + n), -1, true, limit);
}

// ---- SSCAN ----

function sscan(c: ExecContext): void {
  const cursor = parseScanCursor(c.buf, c.start(2), c.len(2));
  if (cursor === null) return c.w.error(E.invalidCursor);
  const ks = c.ks(1);
  const e = lookupSet(c, ks, 1);
  if (e < 0) return;
  const w = c.w;
  if (e === 0) {
    w.arrayHeader(2);
    w.bulkAscii('0');
    w.arrayHeader(0);
    return;
  }
  const opts = parseScanOptions(c, 3, false);
  if (opts === null) return;
  const count = opts.count;
  const pat = opts.pattern;
  loadRef(ref, ks, e);
  const a = ref.a;
  if (ref.enc === Enc.Intset) {
    // small encodings answer everything at once
    const n = isLen(a, ref.ptr);
    const p = ensurePicks(n);
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (pat !== null) {
        isGet(a, ref.ptr, i);
        const len = formatInt(iv.hi, iv.lo, NUM, 0);
        if (!globMatch(pat, 0, pat.length, NUM, 0, len)) continue;
      }
      p[k++] = i;
    }
    w.arrayHeader(2);
    w.bulkAscii('0');
    w.arrayHeader(k);
    for (let i = 0; i < k; i++) replyPick(w, ref, p[i]);
    return;
  }
  const t = setTable(a, 1).at(ref.ptr);
  let p = ensurePicks(64);
  let found = 0;
  const collect = (x: number): void => {
    if (found >= p.length) {
      const np = new Float64Array(p.length * 2);
      np.set(p);
      p = picks = np;
    }
    p[found++] = x;
  };
  let cur = Number(cursor & 0xffffffffn);
  let iterations = count * 10;
  do {
    cur = t.scan(cur, collect);
  } while (cur !== 0 && iterations-- > 0 && found < count);
  let k = 0;
  for (let i = 0; i < found; i++) {
    const x = p[i];
    if (pat !== null && !globMatch(pat, 0, pat.length, a.u8, x + SM_KEY_OFF, x + SM_KEY_OFF + entryLen(a, x))) continue;
    p[k++] = x;
  }
  w.arrayHeader(2);
  w.bulkAscii(String(cur));
  w.arrayHeader(k);
  for (let i = 0; i < k; i++) replyEntry(w, a, p[i]);
}

// ---- table ----

const set = shardRowBuilder('set', (acl) => [acl[0], 'set', ...acl.slice(1)]);

const INTER_CX = 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.';
const UNION_CX = 'O(N) where N is the total number of elements in all given sets.';

register([
  set('sadd', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], ['write', 'fast'], '1.0.0', 'Add one or more members to a set', 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', sadd, {
    keySpecs: [{ flags: 'RW insert', begin: 1 }],
    history: [['2.4.0', 'Accepts multiple `member` arguments.']],
    args: [arg.key('key'), arg.str('member *')],
  }),
  set('srem', -3, ['write', 'fast'], [1, 1, 1], ['write', 'fast'], '1.0.0', 'Remove one or more members from a set', 'O(N) where N is the number of members to be removed.', srem, {
    history: [['2.4.0', 'Accepts multiple `member` arguments.']],
    args: [arg.key('key'), arg.str('member *')],
  }),
  set('smembers', 2, ['readonly'], [1, 1, 1], ['read', 'slow'], '1.0.0', 'Get all the members in a set', 'O(N) where N is the set cardinality.', smembers, {
    tips: ['nondeterministic_output_order'],
    args: [arg.key('key')],
  }),
  set('sismember', 3, ['readonly', 'fast'], [1, 1, 1], ['read', 'fast'], '1.0.0', 'Determine if a given value is a member of a set', 'O(1)', sismember, {
    keySpecs: [{ flags: 'RO', begin: 1 }],
    args: [arg.key('key'), arg.str('member')],
  }),
  set('smismember', -3, ['readonly', 'fast'], [1, 1, 1], ['read', 'fast'], '6.2.0', 'Returns the membership associated with the given elements for a set', 'O(N) where N is the number of elements being checked for membership', smismember, {
    args: [arg.key('key'), arg.str('member *')],
  }),
  set('scard', 2, ['readonly', 'fast'], [1, 1, 1], ['read', 'fast'], '1.0.0', 'Get the number of members in a set', 'O(1)', scard, { keySpecs: [{ flags: 'RO', begin: 1 }], args: [arg.key('key')] }),
  set('spop', -2, ['write', 'fast'], [1, 1, 1], ['write', 'fast'], '1.0.0', 'Remove and return one or multiple random members from a set', 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.', spop, {
    keySpecs: [{ flags: 'RW access delete', begin: 1 }],
    tips: ['nondeterministic_output'],
    history: [['3.2.0', 'Added the `count` argument.']],
    args: [arg.key('key'), arg.int('count ? @3.2.0')],
  }),
  set('srandmember', -2, ['readonly'], [1, 1, 1], ['read', 'slow'], '1.0.0', 'Get one or multiple random members from a set', 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.', srandmember, {
    tips: ['nondeterministic_output'],
    history: [['2.6.0', 'Added the optional `count` argument.']],
    args: [arg.key('key'), arg.int('count ? @2.6.0')],
  }),
  set('smove', 4, ['write', 'fast'], [1, 2, 1], ['write', 'fast'], '1.0.0', 'Move a member from one set to another', 'O(1)', smove, {
    keySpecs: [{ flags: 'RW access delete', begin: 1 }, { flags: 'RW insert', begin: 2 }],
    args: [arg.key('source'), arg.key('destination #1'), arg.str('member')],
  }),
  set('sinter', -2, ['readonly'], [1, -1, 1], ['read', 'slow'], '1.0.0', 'Intersect multiple sets', INTER_CX, sinter, { tips: ['nondeterministic_output_order'], args: [arg.key('key *')] }),
  set('sintercard', -3, ['readonly', 'movablekeys'], [0, 0, 0], ['read', 'slow'], '7.0.0', 'Intersect multiple sets and return the cardinality of the result', INTER_CX, sintercard, {
    keys: sintercardKeys,
    keySpecs: [{ flags: 'RO access', begin: 1, find: keyNum() }],
    args: [arg.int('numkeys'), arg.key('key *'), arg.int('LIMIT limit ?')],
  }),
  set('sinterstore', -3, ['write', 'denyoom'], [1, -1, 1], ['write', 'slow'], '1.0.0', 'Intersect multiple sets and store the resulting set in a key', INTER_CX, sinterstore, {
    keyspaceStats: true,
    keySpecs: [{ flags: 'RW update', begin: 1 }, { flags: 'RO access', begin: 2, find: keyRange(-1) }],
    args: [arg.key('destination'), arg.key('key * #1')],
  }),
  set('sunion', -2, ['readonly'], [1, -1, 1], ['read', 'slow'], '1.0.0', 'Add multiple sets', UNION_CX, (c) => sunionDiffGeneric(c, range(1, c.argc), -1, false), {
    tips: ['nondeterministic_output_order'],
    args: [arg.key('key *')],
  }),
  set('sunionstore', -3, ['write', 'denyoom'], [1, -1, 1], ['write', 'slow'], '1.0.0', 'Add multiple sets and store the resulting set in a key', UNION_CX, (c) => sunionDiffGeneric(c, range(2, c.argc), 1, false), {
    keyspaceStats: true,
    keySpecs: [{ flags: 'OW update', begin: 1 }, { flags: 'RO access', begin: 2, find: keyRange(-1) }],
    args: [arg.key('destination'), arg.key('key * #1')],
  }),
  set('sdiff', -2, ['readonly'], [1, -1, 1], ['read', 'slow'], '1.0.0', 'Subtract multiple sets', UNION_CX, (c) => sunionDiffGeneric(c, range(1, c.argc), -1, true), {
    tips: ['nondeterministic_output_order'],
    args: [arg.key('key *')],
  }),
  set('sdiffstore', -3, ['write', 'denyoom'], [1, -1, 1], ['write', 'slow'], '1.0.0', 'Subtract multiple sets and store the resulting set in a key', UNION_CX, (c) => sunionDiffGeneric(c, range(2, c.argc), 1, true), {
    keyspaceStats: true,
    keySpecs: [{ flags: 'OW update', begin: 1 }, { flags: 'RO access', begin: 2, find: keyRange(-1) }],
    args: [arg.key('destination'), arg.key('key * #1')],
  }),
  set('sscan', -3, ['readonly'], [1, 1, 1], ['read', 'slow'], '2.8.0', 'Incrementally iterate Set elements', 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..', sscan, {
    tips: ['nondeterministic_output'],
    args: [arg.key('key'), arg.int('cursor'), arg.pat('MATCH pattern ?'), arg.int('COUNT count ?')],
  }),
]);
