// Blocking list and sorted-set pops: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP
// BZPOPMIN BZPOPMAX BZMPOP (shard side).
//
// A handler first does what the non-blocking command does. When every key is
// missing it does not reply: it writes the "would block" marker (a reply whose
// first byte is 0, which no RESP reply starts with) and the main thread parks
// the client (src/server/blocking.ts). When a key it waits on becomes a list or
// a zset, the main thread runs the command again as a retry that may only
// serve from that key (ExecContext.blockRetry), as Redis 7.0 does.

import { register, lookupCommand, shardRowBuilder, keyNum, keyRange } from './table';
import * as arg from './docs';
import { E } from './errors';
import type { ExecContext } from '../shard/exec_context';
import { ObjType } from '../store/keyspace';
import { ql } from '../store/list_value';
import { parseLongDouble } from '../util/numbers';
import { listAt, deleteIfEmpty, whereArg, lmoveGeneric, numkeysOf, parseMpopArgs, mpopArgs, popRangeWithKey, LMOVE_ARGS } from './list_family';
import { popGeneric, parseZmpopArgs, zmpopArgs } from './zset_family';
import { threadReadyKeys } from '../shard/ready_keys';
import { BLOCK_MARKER, BlockReason } from '../transport/messages';

/** ExecContext.blockRetry value: look at every key, skipping keys of another type (after blocking in the worker layout). */
export const RETRY_ALL_KEYS = -1;

export const KIND_LIST = 0;
export const KIND_ZSET = 1;

/** What the main thread needs to know about a blocking command. */
export interface BlockingInfo {
  /** KIND_LIST or KIND_ZSET: the type that serves it */
  kind: number;
  /** argument index of the timeout */
  timeoutIdx(argc: number): number;
  /** argument indexes of the keys it waits on (valid arguments: the command already ran once) */
  waitKeys(buf: Uint8Array, offs: Int32Array, argc: number): number[];
}

/** Blocking commands by command id. */
export const blockingInfo = new Map<number, BlockingInfo>();

// ---- timeout ----

const LLONG_MAX = 9223372036854775807n;
const E_TIMEOUT_FLOAT = 'ERR timeout is not a float or out of range';
const E_TIMEOUT_NEG = 'ERR timeout is negative';

function bitLen(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

/**
 * Redis 7.0 getTimeoutFromObjectOrReply(UNIT_SECONDS): the argument parsed as
 * a long double, times 1000 in extended precision, rounded up (ceill) to a
 * long long; out of range gives LLONG_MIN, hence "negative" for inf or 1e17.
 * So 0.0001 waits 1 ms while -0.0001 is 0: forever. Returns milliseconds
 * (0 = forever) or an error message.
 */
export function parseTimeoutMs(buf: Uint8Array, start: number, len: number): number | string {
  const v = parseLongDouble(buf, start, start + len);
  if (v === null || v.nan) return E_TIMEOUT_FLOAT;
  if (v.inf) return E_TIMEOUT_NEG;
  // value = mant * 2^exp; times 1000, rounded to a 64-bit significand (x87)
  let m = v.mant * 1000n;
  let e = v.exp;
  const bl = bitLen(m);
  if (bl > 64) {
    const sh = BigInt(bl - 64);
    let q = m >> sh;
    const rem = m & ((1n << sh) - 1n);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
    m = q;
    e += bl - 64;
  }
  if (m === 0n) return 0;
  if (bitLen(m) + e > 63) return E_TIMEOUT_NEG; // beyond a long long
  let ms: bigint;
  if (e >= 0) ms = m << BigInt(e);
  else {
    ms = m >> BigInt(-e);
    // ceil: up for a positive fraction, toward zero for a negative one
    if (!v.neg && (m & ((1n << BigInt(-e)) - 1n)) !== 0n) ms++;
  }
  if (ms > LLONG_MAX) return E_TIMEOUT_NEG;
  if (v.neg && ms !== 0n) return E_TIMEOUT_NEG;
  return Number(ms);
}

/** Check the timeout argument (replying its error); true when valid. */
function timeoutOk(c: ExecContext, i: number): boolean {
  const t = parseTimeoutMs(c.buf, c.start(i), c.len(i));
  if (typeof t === 'string') {
    c.w.error(t);
    return false;
  }
  return true;
}

// ---- finding a key to serve from ----

/** Argument i: 1 = holds `type`, 0 = missing, -1 = holds another type. */
function probe(c: ExecContext, i: number, type: ObjType): number {
  const ks = c.ks(i);
  const e = ks.lookup(c.db, c.buf, c.start(i), c.len(i));
  if (e === 0) return 0;
  return ks.type(e) === type ? 1 : -1;
}

/**
 * The key argument (in first..last) to serve from, or 0 after replying: the
 * WRONGTYPE error (first execution: the first existing key decides, as in
 * Redis), the null reply (blocking denied), or the would-block marker.
 */
function keyToServe(c: ExecContext, first: number, last: number, type: ObjType, nullBulk: boolean): number {
  const retry = c.blockRetry;
  if (retry !== 0 && c.retryToken !== 0 && threadReadyKeys !== null && threadReadyKeys.retryCancelled(c.retryToken)) {
    // the client disconnected before this retry ran: take nothing
    marker(c, BlockReason.Empty);
    return 0;
  }
  if (retry > 0) {
    const p = probe(c, retry, type);
    if (p > 0) return retry;
    marker(c, p < 0 ? BlockReason.WrongType : BlockReason.Empty);
    return 0;
  }
  for (let i = first; i <= last; i++) {
    const p = probe(c, i, type);
    if (p > 0) return i;
    if (p < 0 && retry === 0) {
      c.w.error(E.wrongType);
      return 0;
    }
  }
  if (c.denyBlocking) {
    if (nullBulk) c.w.nullBulk();
    else c.w.nullArray();
  } else marker(c, BlockReason.Empty);
  return 0;
}

/** The would-block reply (format: BLOCK_MARKER in src/transport/messages.ts). */
function marker(c: ExecContext, reason: BlockReason): void {
  const w = c.w;
  if (c.blockRetry !== 0) {
    w.ensure(2);
    w.buf[w.pos++] = BLOCK_MARKER;
    w.buf[w.pos++] = reason;
    return;
  }
  let size = 8 + c.argc * 4;
  for (let i = 0; i < c.argc; i++) size += c.len(i);
  w.ensure(size);
  const b = w.buf;
  let p = w.pos;
  b[p] = BLOCK_MARKER;
  b[p + 1] = reason;
  b[p + 2] = 0;
  b[p + 3] = 0;
  p += 4;
  p = putU32(b, p, c.argc);
  for (let i = 0; i < c.argc; i++) {
    const n = c.len(i);
    p = putU32(b, p, n);
    b.set(c.buf.subarray(c.start(i), c.start(i) + n), p);
    p += n;
  }
  w.pos = p;
}

function putU32(b: Uint8Array, p: number, v: number): number {
  b[p] = v & 255;
  b[p + 1] = (v >>> 8) & 255;
  b[p + 2] = (v >>> 16) & 255;
  b[p + 3] = v >>> 24;
  return p + 4;
}

// ---- lists ----

function blpop(c: ExecContext, head: boolean): void {
  if (!timeoutOk(c, c.argc - 1)) return;
  const k = keyToServe(c, 1, c.argc - 2, ObjType.List, false);
  if (k === 0) return;
  const ks = c.ks(k);
  const h = listAt(c, ks, k);
  const w = c.w;
  w.arrayHeader(2);
  w.bulk(c.buf, c.start(k), c.start(k) + c.len(k));
  ql.popReply(ks.a, h, head, w);
  deleteIfEmpty(c, ks, k, h);
}

function blmpop(c: ExecContext): void {
  if (!parseMpopArgs(c, 2)) return;
  const { numkeys, head, count } = mpopArgs;
  if (!timeoutOk(c, 1)) return;
  const k = keyToServe(c, 3, 2 + numkeys, ObjType.List, false);
  if (k === 0) return;
  const ks = c.ks(k);
  popRangeWithKey(c, ks, k, listAt(c, ks, k), head, count);
}

function blmoveGeneric(c: ExecContext, fromHead: boolean, toHead: boolean, timeoutIdx: number): void {
  if (!timeoutOk(c, timeoutIdx)) return;
  if (keyToServe(c, 1, 1, ObjType.List, true) === 0) return;
  lmoveGeneric(c, fromHead, toHead);
}

function blmove(c: ExecContext): void {
  const from = whereArg(c, 3);
  if (from === null) return;
  const to = whereArg(c, 4);
  if (to === null) return;
  blmoveGeneric(c, from, to, 5);
}

// ---- sorted sets ----

function bzpop(c: ExecContext, max: boolean): void {
  if (!timeoutOk(c, c.argc - 1)) return;
  const k = keyToServe(c, 1, c.argc - 2, ObjType.ZSet, false);
  if (k === 0) return;
  popGeneric(c, k, 1, max, true, -1, false, false);
}

function bzmpop(c: ExecContext): void {
  if (!parseZmpopArgs(c, 2)) return;
  const { numkeys, max, count } = zmpopArgs;
  if (!timeoutOk(c, 1)) return;
  const k = keyToServe(c, 3, 2 + numkeys, ObjType.ZSet, false);
  if (k === 0) return;
  popGeneric(c, k, 1, max, true, count, true, true);
}

// ---- key positions ----

/** BLMPOP/BZMPOP: timeout at 1, numkeys at 2, keys from 3; null when malformed. */
function mpopKeys(buf: Uint8Array, offs: Int32Array, argc: number): number[] | null {
  const n = numkeysOf(buf, offs, 2);
  if (n < 0 || 3 + n >= argc) return null;
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) out[k] = 3 + k;
  return out;
}

function rangeKeys(first: number, last: number): number[] {
  const out: number[] = [];
  for (let i = first; i <= last; i++) out.push(i);
  return out;
}

// ---- table ----

// ACL categories are given in full (list or sortedset among them)
const lrow = shardRowBuilder('list', (acl) => acl);
const zrow = shardRowBuilder('sorted-set', (acl) => acl);

const L_ACL = ['write', 'list', 'slow', 'blocking'];
const POP_CX = 'O(N) where N is the number of provided keys.';
const MPOP_CX = 'O(N+M) where N is the number of provided keys and M is the number of elements returned.';
const ZPOP_CX = 'O(log(N)) with N being the number of elements in the sorted set.';

register([
  lrow('blpop', -3, ['write', 'noscript', 'blocking'], [1, -2, 1], L_ACL, '2.0.0', 'Remove and get the first element in a list, or block until one is available', POP_CX, (c) => blpop(c, true), {
    keySpecs: [{ flags: 'RW access delete', begin: 1, find: keyRange(-2) }],
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    args: [arg.key('key *'), arg.dbl('timeout')],
  }),
  lrow('brpop', -3, ['write', 'noscript', 'blocking'], [1, -2, 1], L_ACL, '2.0.0', 'Remove and get the last element in a list, or block until one is available', POP_CX, (c) => blpop(c, false), {
    keySpecs: [{ flags: 'RW access delete', begin: 1, find: keyRange(-2) }],
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    args: [arg.key('key *'), arg.dbl('timeout')],
  }),
  lrow('blmove', 6, ['write', 'denyoom', 'noscript', 'blocking'], [1, 2, 1], L_ACL, '6.2.0', 'Pop an element from a list, push it to another list and return it; or block until one is available', 'O(1)', blmove, {
    keySpecs: [{ flags: 'RW access delete', begin: 1 }, { flags: 'RW insert', begin: 2 }],
    args: [...LMOVE_ARGS, arg.dbl('timeout')],
  }),
  lrow('brpoplpush', 4, ['write', 'denyoom', 'noscript', 'blocking'], [1, 2, 1], L_ACL, '2.2.0', 'Pop an element from a list, push it to another list and return it; or block until one is available', 'O(1)', (c) => blmoveGeneric(c, false, true, 3), {
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`BLMOVE` with the `RIGHT` and `LEFT` arguments',
    keySpecs: [{ flags: 'RW access delete', begin: 1 }, { flags: 'RW insert', begin: 2 }],
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    args: [arg.key('source'), arg.key('destination #1'), arg.dbl('timeout')],
  }),
  lrow('blmpop', -5, ['write', 'blocking', 'movablekeys'], [0, 0, 0], L_ACL, '7.0.0', 'Pop elements from a list, or block until one is available', MPOP_CX, blmpop, {
    keys: mpopKeys,
    keySpecs: [{ flags: 'RW access delete', begin: 2, find: keyNum() }],
    args: [arg.dbl('timeout'), arg.int('numkeys'), arg.key('key *'), arg.oneof('where', arg.tok('LEFT'), arg.tok('RIGHT')), arg.int('COUNT count ?')],
  }),
  zrow('bzpopmin', -3, ['write', 'noscript', 'blocking', 'fast'], [1, -2, 1], ['write', 'sortedset', 'fast', 'blocking'], '5.0.0', 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available', ZPOP_CX, (c) => bzpop(c, false), {
    keySpecs: [{ flags: 'RW access delete', begin: 1, find: keyRange(-2) }],
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    args: [arg.key('key *'), arg.dbl('timeout')],
  }),
  zrow('bzpopmax', -3, ['write', 'noscript', 'blocking', 'fast'], [1, -2, 1], ['write', 'sortedset', 'fast', 'blocking'], '5.0.0', 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available', ZPOP_CX, (c) => bzpop(c, true), {
    keySpecs: [{ flags: 'RW access delete', begin: 1, find: keyRange(-2) }],
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    args: [arg.key('key *'), arg.dbl('timeout')],
  }),
  zrow('bzmpop', -5, ['write', 'blocking', 'movablekeys'], [0, 0, 0], ['write', 'sortedset', 'slow', 'blocking'], '7.0.0', 'Remove and return members with scores in a sorted set or block until one is available', 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.', bzmpop, {
    keys: mpopKeys,
    keySpecs: [{ flags: 'RW access delete', begin: 2, find: keyNum() }],
    args: [arg.dbl('timeout'), arg.int('numkeys'), arg.key('key *'), arg.oneof('where', arg.tok('MIN'), arg.tok('MAX')), arg.int('COUNT count ?')],
  }),
]);

const lastArgTimeout = (argc: number): number => argc - 1;
const keysBeforeTimeout = (_b: Uint8Array, _o: Int32Array, argc: number): number[] => rangeKeys(1, argc - 2);
const mpopWaitKeys = (buf: Uint8Array, offs: Int32Array, argc: number): number[] => mpopKeys(buf, offs, argc) ?? [];
const sourceKey = (): number[] => [1];

function info(name: string, kind: number, timeoutIdx: (argc: number) => number, waitKeys: BlockingInfo['waitKeys']): void {
  blockingInfo.set(lookupCommand(name)!.id, { kind, timeoutIdx, waitKeys });
}
info('blpop', KIND_LIST, lastArgTimeout, keysBeforeTimeout);
info('brpop', KIND_LIST, lastArgTimeout, keysBeforeTimeout);
info('blmove', KIND_LIST, () => 5, sourceKey);
info('brpoplpush', KIND_LIST, () => 3, sourceKey);
info('blmpop', KIND_LIST, () => 1, mpopWaitKeys);
info('bzpopmin', KIND_ZSET, lastArgTimeout, keysBeforeTimeout);
info('bzpopmax', KIND_ZSET, lastArgTimeout, keysBeforeTimeout);
info('bzmpop', KIND_ZSET, () => 1, mpopWaitKeys);

// SWAPDB: clients blocked in either db may find data now (Redis 7.0 rescans
// their keys after a swap). Wrapping the row keeps the keyspace family unaware
// of blocking.
{
  const swapdb = lookupCommand('swapdb');
  const run = swapdb?.run;
  if (swapdb !== undefined && run !== undefined) {
    swapdb.run = (c) => {
      const mark = c.w.pos;
      run(c);
      if (threadReadyKeys === null || c.w.buf[mark] !== 43 /* '+' */) return;
      const a = Number(c.int(1));
      const b = Number(c.int(2));
      if (a !== b) threadReadyKeys.dbsSwapped(a, b);
    };
  }
}
