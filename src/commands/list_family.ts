// Lists: LPUSH LPOP LRANGE and friends (non-blocking). Shard-side handlers
// over list values (src/store/list_value.ts, a quicklist of listpack nodes).
//
// Redis 7.0 always encodes lists as "quicklist" (small lists as single
// listpack objects came in 7.2), so OBJECT ENCODING is always quicklist.

import { register, shardRowBuilder, keyNum } from './table';
import * as arg from './docs';
import { E } from './errors';
import type { ExecContext } from '../shard/exec_context';
import { Enc, ObjType, type Keyspace } from '../store/keyspace';
import { parseInt64 } from '../util/numbers';
import { ql, LIST_ENC } from '../store/list_value';

const E_POSITIVE = 'ERR value is out of range, must be positive';
const E_OUT_OF_RANGE = 'ERR index out of range';
const E_RANK_ZERO =
  'ERR RANK can\'t be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list';
const LONG_MIN = -9223372036854775808n;

/**
 * Look up argument i as a list: the list's header address, 0 when the key
 * does not exist, -1 after replying WRONGTYPE.
 */
export function listAt(c: ExecContext, ks: Keyspace, i: number): number {
  const e = ks.lookup(c.db, c.buf, c.start(i), c.len(i));
  if (e === 0) return 0;
  if (ks.type(e) !== ObjType.List) {
    c.w.error(E.wrongType);
    return -1;
  }
  return ks.objectPtr(e);
}

/** Delete the key in argument i when its list became empty (Redis never keeps empty lists). */
export function deleteIfEmpty(c: ExecContext, ks: Keyspace, i: number, h: number): void {
  if (ql.length(ks.a, h) === 0) ks.delete(c.db, c.buf, c.start(i), c.len(i));
}

/** Create an empty list at argument i; returns its header address. */
export function createList(c: ExecContext, ks: Keyspace, i: number): number {
  const h = ql.create(ks.a, c.settings.listMaxListpackSize, c.settings.listCompressDepth);
  ks.setObject(c.db, c.buf, c.start(i), c.len(i), ObjType.List, LIST_ENC as Enc, h, 0);
  return h;
}

/** A getPositiveLongFromObjectOrReply-style parse: count >= 0 or null after replying msg. */
function positiveLong(c: ExecContext, i: number, msg: string): number | null {
  const v = c.int(i);
  if (v === null || v < 0) {
    c.w.error(msg);
    return null;
  }
  return typeof v === 'bigint' ? Number(v) : v;
}

/** getRangeLongFromObjectOrReply(1, LONG_MAX, msg). */
function strictlyPositive(c: ExecContext, i: number, msg: string): number | null {
  const v = c.int(i);
  if (v === null || v < 1) {
    c.w.error(msg);
    return null;
  }
  return typeof v === 'bigint' ? Number(v) : v;
}

/** LEFT / RIGHT: true for LEFT (head), false for RIGHT, null after a syntax error. */
export function whereArg(c: ExecContext, i: number): boolean | null {
  if (c.is(i, 'left')) return true;
  if (c.is(i, 'right')) return false;
  c.w.error(E.syntax);
  return null;
}

// ---- push ----

function pushGeneric(c: ExecContext, head: boolean, onlyExisting: boolean): void {
  const ks = c.ks(1);
  let h = listAt(c, ks, 1);
  if (h < 0) return;
  if (h === 0) {
    if (onlyExisting) {
      c.w.integer(0);
      return;
    }
    h = createList(c, ks, 1);
  }
  const a = ks.a;
  for (let i = 2; i < c.argc; i++) ql.push(a, h, c.buf, c.start(i), c.len(i), head);
  c.w.integer(ql.length(a, h));
}

// ---- pop ----

function popGeneric(c: ExecContext, head: boolean): void {
  if (c.argc > 3) {
    c.w.error(E.arity(c.spec.name));
    return;
  }
  let count = -1;
  if (c.argc === 3) {
    const v = positiveLong(c, 2, E_POSITIVE);
    if (v === null) return;
    count = v;
  }
  const ks = c.ks(1);
  const h = listAt(c, ks, 1);
  if (h < 0) return;
  if (h === 0) {
    if (count >= 0) c.w.nullArray();
    else c.w.nullBulk();
    return;
  }
  const a = ks.a;
  if (count === 0) {
    c.w.emptyArray();
    return;
  }
  if (count < 0) {
    ql.popReply(a, h, head, c.w);
  } else {
    const len = ql.length(a, h);
    const n = count > len ? len : count;
    c.w.arrayHeader(n);
    if (head) {
      ql.replyRange(a, h, 0, n, false, c.w);
      ql.delRange(a, h, 0, n);
    } else {
      ql.replyRange(a, h, len - 1, n, true, c.w);
      ql.delRange(a, h, len - n, n);
    }
  }
  deleteIfEmpty(c, ks, 1, h);
}

function llen(c: ExecContext): void {
  const ks = c.ks(1);
  const h = listAt(c, ks, 1);
  if (h < 0) return;
  c.w.integer(h === 0 ? 0 : ql.length(ks.a, h));
}

function lrange(c: ExecContext): void {
  let start = c.longOrReply(2);
  if (start === null) return;
  let end = c.longOrReply(3);
  if (end === null) return;
  const ks = c.ks(1);
  const h = listAt(c, ks, 1);
  if (h < 0) return;
  if (h === 0) {
    c.w.emptyArray();
    return;
  }
  const a = ks.a;
  const len = ql.length(a, h);
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) {
    c.w.emptyArray();
    return;
  }
  if (end >= len) end = len - 1;
  const n = end - start + 1;
  c.w.arrayHeader(n);
  ql.replyRange(a, h, start, n, false, c.w);
}

function lindex(c: ExecContext): void {
  const ks = c.ks(1);
  const h = listAt(c, ks, 1);
  if (h < 0) return;
  if (h === 0) {
    c.w.nullBulk();
    return;
  }
  const index = c.longOrReply(2);
  if (index === null) return;
  const a = ks.a;
  const len = ql.length(a, h);
  const i = index < 0 ? len + index : index;
  if (i < 0 || i >= len) c.w.nullBulk();
  else ql.replyRange(a, h, i, 1, false, c.w);
}

function lset(c: ExecContext): void {
  const ks = c.ks(1);
  const h = listAt(c, ks, 1);
  if (h < 0) return;
  if (h === 0) {
    c.w.error(E.noKey);
    return;
  }
  const index = c.longOrReply(2);
  if (index === null) return;
  const a = ks.a;
  const len = ql.length(a, h);
  const i = index < 0 ? len + index : index;
  if (i < 0 || i >= len) {
    c.w.error(E_OUT_OF_RANGE);
    return;
  }
  ql.replaceAt(a, h, i, c.buf, c.start(3), c.len(3));
  c.w.ok();
}

function linsert(c: ExecContext): void {
  let after: boolean;
  if (c.is(2, 'after')) after = true;
  else if (c.is(2, 'before')) after = false;
  else {
    c.w.error(E.syntax);
    return;
  }
  const ks = c.ks(1);
  const h = listAt(c, ks, 1);
  if (h < 0) return;
  if (h === 0) {
    c.w.integer(0);
    return;
  }
  const a = ks.a;
  if (ql.insertAtPivot(a, h, c.buf, c.start(3), c.len(3), c.buf, c.start(4), c.len(4), after)) c.w.integer(ql.length(a, h));
  else c.w.integer(-1);
}

function lrem(c: ExecContext): void {
  const count = c.longOrReply(2);
  if (count === null) return;
  const ks = c.ks(1);
  const h = listAt(c, ks, 1);
  if (h < 0) return;
  if (h === 0) {
    c.w.integer(0);
    return;
  }
  const a = ks.a;
  const removed = ql.removeMatching(a, h, c.buf, c.start(3), c.len(3), count < 0 ? -count : count, count < 0);
  deleteIfEmpty(c, ks, 1, h);
  c.w.integer(removed);
}

function ltrim(c: ExecContext): void {
  let start = c.longOrReply(2);
  if (start === null) return;
  let end = c.longOrReply(3);
  if (end === null) return;
  const ks = c.ks(1);
  const h = listAt(c, ks, 1);
  if (h < 0) return;
  if (h === 0) {
    c.w.ok();
    return;
  }
  const a = ks.a;
  const len = ql.length(a, h);
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  let ltrimN: number;
  let rtrimN: number;
  if (start > end || start >= len) {
    ltrimN = len;
    rtrimN = 0;
  } else {
    if (end >= len) end = len - 1;
    ltrimN = start;
    rtrimN = len - end - 1;
  }
  if (ltrimN > 0) ql.delRange(a, h, 0, ltrimN);
  if (rtrimN > 0) ql.delRange(a, h, len - ltrimN - rtrimN, rtrimN);
  deleteIfEmpty(c, ks, 1, h);
  c.w.ok();
}

function lpos(c: ExecContext): void {
  let rank = 1;
  let rankMin = false;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < c.argc; j++) {
    const more = c.argc - 1 - j;
    if (c.is(j, 'rank') && more) {
      j++;
      const r = c.intOrReply(j);
      if (r === null) return;
      if (r === 0) {
        c.w.error(E_RANK_ZERO);
        return;
      }
      // -LONG_MIN overflows to LONG_MIN in C: every match then satisfies the rank
      rankMin = r === LONG_MIN;
      rank = Number(r);
    } else if (c.is(j, 'count') && more) {
      j++;
      const v = positiveLong(c, j, "ERR COUNT can't be negative");
      if (v === null) return;
      count = v;
    } else if (c.is(j, 'maxlen') && more) {
      j++;
      const v = positiveLong(c, j, "ERR MAXLEN can't be negative");
      if (v === null) return;
      maxlen = v;
    } else {
      c.w.error(E.syntax);
      return;
    }
  }
  let fromTail = false;
  if (rank < 0) {
    fromTail = true;
    rank = rankMin ? 1 : -rank;
  }
  const ks = c.ks(1);
  const h = listAt(c, ks, 1);
  if (h < 0) return;
  if (h === 0) {
    if (count !== -1) c.w.emptyArray();
    else c.w.nullBulk();
    return;
  }
  const a = ks.a;
  const len = ql.length(a, h);
  const it = ql.iter(a, h, fromTail);
  const eb = c.buf;
  const es = c.start(2);
  const el = c.len(2);
  let index = 0;
  let matches = 0;
  if (count === -1) {
    while ((maxlen === 0 || index < maxlen) && it.next()) {
      if (it.equals(eb, es, el)) {
        matches++;
        if (matches >= rank) {
          c.w.integer(fromTail ? len - index - 1 : index);
          return;
        }
      }
      index++;
    }
    c.w.nullBulk();
    return;
  }
  // COUNT: collect matching positions (bounded by the list length)
  const found = ql.positions;
  found.length = 0;
  while ((maxlen === 0 || index < maxlen) && it.next()) {
    if (it.equals(eb, es, el)) {
      matches++;
      if (matches >= rank) {
        found.push(fromTail ? len - index - 1 : index);
        // RANK LONG_MIN: Redis's -rank stays LONG_MIN and its stop test overflows: COUNT never stops it
        if (count !== 0 && !rankMin && matches - rank + 1 >= count) break;
      }
    }
    index++;
  }
  c.w.arrayHeader(found.length);
  for (let k = 0; k < found.length; k++) c.w.integer(found[k]);
  found.length = 0;
}

// ---- moving between lists ----

export function lmoveGeneric(c: ExecContext, fromHead: boolean, toHead: boolean): void {
  const sks = c.ks(1);
  const h = listAt(c, sks, 1);
  if (h < 0) return;
  if (h === 0) {
    c.w.nullBulk();
    return;
  }
  const dks = c.ks(2);
  let dh = listAt(c, dks, 2);
  if (dh < 0) return;
  // copy the element out first: it may live in the arena the push allocates from
  const v = ql.popToScratch(sks.a, h, fromHead);
  if (dh === 0) dh = createList(c, dks, 2);
  ql.push(dks.a, dh, v, 0, v.length, toHead);
  c.w.bulk(v);
  deleteIfEmpty(c, sks, 1, h);
}

function lmove(c: ExecContext): void {
  const from = whereArg(c, 3);
  if (from === null) return;
  const to = whereArg(c, 4);
  if (to === null) return;
  lmoveGeneric(c, from, to);
}

function rpoplpush(c: ExecContext): void {
  lmoveGeneric(c, false, true);
}

/** LMPOP numkeys: number of keys, or -1 when not a valid count. */
export function numkeysOf(buf: Uint8Array, offs: Int32Array, i: number): number {
  const s = offs[i * 2];
  const v = parseInt64(buf, s, s + offs[i * 2 + 1]);
  if (v === null || v < 1) return -1;
  return typeof v === 'bigint' ? Number.MAX_SAFE_INTEGER : v;
}

/** Key positions of LMPOP: numkeys at 1, keys from 2; null when malformed. */
function lmpopKeys(buf: Uint8Array, offs: Int32Array, argc: number): number[] | null {
  const n = numkeysOf(buf, offs, 1);
  if (n < 0 || 2 + n >= argc) return null;
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) out[k] = 2 + k;
  return out;
}

/** LMPOP/BLMPOP arguments, filled by parseMpopArgs (no allocation per command). */
export const mpopArgs = { numkeys: 0, head: true, count: 1 };

/** Parse "numkeys key... LEFT|RIGHT [COUNT count]" with numkeys at argument i; false after replying the error. */
export function parseMpopArgs(c: ExecContext, numkeysIdx: number): boolean {
  const numkeys = numkeysOf(c.buf, c.offs, numkeysIdx);
  if (numkeys < 0) {
    c.w.error('ERR numkeys should be greater than 0');
    return false;
  }
  const whereIdx = numkeysIdx + 1 + numkeys;
  if (whereIdx >= c.argc) {
    c.w.error(E.syntax);
    return false;
  }
  const head = whereArg(c, whereIdx);
  if (head === null) return false;
  let count = -1;
  for (let j = whereIdx + 1; j < c.argc; j++) {
    const more = c.argc - 1 - j;
    if (count === -1 && c.is(j, 'count') && more) {
      j++;
      const v = strictlyPositive(c, j, 'ERR count should be greater than 0');
      if (v === null) return false;
      count = v;
    } else {
      c.w.error(E.syntax);
      return false;
    }
  }
  mpopArgs.numkeys = numkeys;
  mpopArgs.head = head;
  mpopArgs.count = count === -1 ? 1 : count;
  return true;
}

/** Pop up to count elements of the (non-empty) list h at argument k; reply [key, [elements]]. */
export function popRangeWithKey(c: ExecContext, ks: Keyspace, k: number, h: number, head: boolean, count: number): void {
  const a = ks.a;
  const len = ql.length(a, h);
  const n = count > len ? len : count;
  const w = c.w;
  w.arrayHeader(2);
  w.bulk(c.buf, c.start(k), c.start(k) + c.len(k));
  w.arrayHeader(n);
  if (head) {
    ql.replyRange(a, h, 0, n, false, w);
    ql.delRange(a, h, 0, n);
  } else {
    ql.replyRange(a, h, len - 1, n, true, w);
    ql.delRange(a, h, len - n, n);
  }
  deleteIfEmpty(c, ks, k, h);
}

function lmpop(c: ExecContext): void {
  if (!parseMpopArgs(c, 1)) return;
  const end = 2 + mpopArgs.numkeys;
  for (let k = 2; k < end; k++) {
    const ks = c.ks(k);
    const h = listAt(c, ks, k);
    if (h < 0) return;
    if (h === 0 || ql.length(ks.a, h) === 0) continue;
    popRangeWithKey(c, ks, k, h, mpopArgs.head, mpopArgs.count);
    return;
  }
  c.w.nullArray();
}

// ---- table ----

const lst = shardRowBuilder('list', (acl) => [acl[0], 'list', ...acl.slice(1)]);

const PUSH_CX = 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.';

/** COMMAND DOCS arguments of LMOVE; BLMOVE adds its timeout. */
export const LMOVE_ARGS = [
  arg.key('source'),
  arg.key('destination #1'),
  arg.oneof('wherefrom', arg.tok('LEFT'), arg.tok('RIGHT')),
  arg.oneof('whereto', arg.tok('LEFT'), arg.tok('RIGHT')),
];

register([
  lst('lpush', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], ['write', 'fast'], '1.0.0', 'Prepend one or multiple elements to a list', PUSH_CX, (c) => pushGeneric(c, true, false), {
    keySpecs: [{ flags: 'RW insert', begin: 1 }],
    history: [['2.4.0', 'Accepts multiple `element` arguments.']],
    args: [arg.key('key'), arg.str('element *')],
  }),
  lst('rpush', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], ['write', 'fast'], '1.0.0', 'Append one or multiple elements to a list', PUSH_CX, (c) => pushGeneric(c, false, false), {
    keySpecs: [{ flags: 'RW insert', begin: 1 }],
    history: [['2.4.0', 'Accepts multiple `element` arguments.']],
    args: [arg.key('key'), arg.str('element *')],
  }),
  lst('lpushx', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], ['write', 'fast'], '2.2.0', 'Prepend an element to a list, only if the list exists', PUSH_CX, (c) => pushGeneric(c, true, true), {
    keySpecs: [{ flags: 'RW insert', begin: 1 }],
    history: [['4.0.0', 'Accepts multiple `element` arguments.']],
    args: [arg.key('key'), arg.str('element *')],
  }),
  lst('rpushx', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], ['write', 'fast'], '2.2.0', 'Append an element to a list, only if the list exists', PUSH_CX, (c) => pushGeneric(c, false, true), {
    keySpecs: [{ flags: 'RW insert', begin: 1 }],
    history: [['4.0.0', 'Accepts multiple `element` arguments.']],
    args: [arg.key('key'), arg.str('element *')],
  }),
  lst('lpop', -2, ['write', 'fast'], [1, 1, 1], ['write', 'fast'], '1.0.0', 'Remove and get the first elements in a list', 'O(N) where N is the number of elements returned', (c) => popGeneric(c, true), {
    keySpecs: [{ flags: 'RW access delete', begin: 1 }],
    history: [['6.2.0', 'Added the `count` argument.']],
    args: [arg.key('key'), arg.int('count ? @6.2.0')],
  }),
  lst('rpop', -2, ['write', 'fast'], [1, 1, 1], ['write', 'fast'], '1.0.0', 'Remove and get the last elements in a list', 'O(N) where N is the number of elements returned', (c) => popGeneric(c, false), {
    keySpecs: [{ flags: 'RW access delete', begin: 1 }],
    history: [['6.2.0', 'Added the `count` argument.']],
    args: [arg.key('key'), arg.int('count ? @6.2.0')],
  }),
  lst('llen', 2, ['readonly', 'fast'], [1, 1, 1], ['read', 'fast'], '1.0.0', 'Get the length of a list', 'O(1)', llen, { keySpecs: [{ flags: 'RO', begin: 1 }], args: [arg.key('key')] }),
  lst('lrange', 4, ['readonly'], [1, 1, 1], ['read', 'slow'], '1.0.0', 'Get a range of elements from a list', 'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.', lrange, {
    args: [arg.key('key'), arg.int('start'), arg.int('stop')],
  }),
  lst('lindex', 3, ['readonly'], [1, 1, 1], ['read', 'slow'], '1.0.0', 'Get an element from a list by its index', 'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).', lindex, {
    args: [arg.key('key'), arg.int('index')],
  }),
  lst('lset', 4, ['write', 'denyoom'], [1, 1, 1], ['write', 'slow'], '1.0.0', 'Set the value of an element in a list by its index', 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).', lset, {
    args: [arg.key('key'), arg.int('index'), arg.str('element')],
  }),
  lst('linsert', 5, ['write', 'denyoom'], [1, 1, 1], ['write', 'slow'], '2.2.0', 'Insert an element before or after another element in a list', 'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).', linsert, {
    keySpecs: [{ flags: 'RW insert', begin: 1 }],
    args: [arg.key('key'), arg.oneof('where', arg.tok('BEFORE'), arg.tok('AFTER')), arg.str('pivot'), arg.str('element')],
  }),
  lst('lrem', 4, ['write'], [1, 1, 1], ['write', 'slow'], '1.0.0', 'Remove elements from a list', 'O(N+M) where N is the length of the list and M is the number of elements removed.', lrem, {
    args: [arg.key('key'), arg.int('count'), arg.str('element')],
  }),
  lst('ltrim', 4, ['write'], [1, 1, 1], ['write', 'slow'], '1.0.0', 'Trim a list to the specified range', 'O(N) where N is the number of elements to be removed by the operation.', ltrim, {
    args: [arg.key('key'), arg.int('start'), arg.int('stop')],
  }),
  lst('lpos', -3, ['readonly'], [1, 1, 1], ['read', 'slow'], '6.0.6', 'Return the index of matching elements on a list', 'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.', lpos, {
    args: [arg.key('key'), arg.str('element'), arg.int('RANK rank ?'), arg.int('COUNT num-matches ?'), arg.int('MAXLEN len ?')],
  }),
  lst('lmove', 5, ['write', 'denyoom'], [1, 2, 1], ['write', 'slow'], '6.2.0', 'Pop an element from a list, push it to another list and return it', 'O(1)', lmove, {
    keySpecs: [{ flags: 'RW access delete', begin: 1 }, { flags: 'RW insert', begin: 2 }],
    args: LMOVE_ARGS,
  }),
  lst('rpoplpush', 3, ['write', 'denyoom'], [1, 2, 1], ['write', 'slow'], '1.2.0', 'Remove the last element in a list, prepend it to another list and return it', 'O(1)', rpoplpush, {
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`LMOVE` with the `RIGHT` and `LEFT` arguments',
    keySpecs: [{ flags: 'RW access delete', begin: 1 }, { flags: 'RW insert', begin: 2 }],
    args: [arg.key('source'), arg.key('destination #1')],
  }),
  lst('lmpop', -4, ['write', 'movablekeys'], [0, 0, 0], ['write', 'slow'], '7.0.0', 'Pop elements from a list', 'O(N+M) where N is the number of provided keys and M is the number of elements returned.', lmpop, {
    keys: lmpopKeys,
    keySpecs: [{ flags: 'RW access delete', begin: 1, find: keyNum() }],
    args: [arg.int('numkeys'), arg.key('key *'), arg.oneof('where', arg.tok('LEFT'), arg.tok('RIGHT')), arg.int('COUNT count ?')],
  }),
]);
