// Hashes: HSET and friends (Redis 7.0). Values live in src/store/hash_value.ts.

import { register, shardRowBuilder } from './table';
import * as arg from './docs';
import { E } from './errors';
import type { ExecContext } from '../shard/exec_context';
import { Enc, ObjType, type Keyspace } from '../store/keyspace';
import { hashOpsFor, type HashOps } from '../store/hash_value';
import { globMatch } from '../util/glob';
import { parseRandCount } from './rand_args';
import { formatInt64, hincrByFloat, HINCRBYFLOAT_ERRORS, int64Add, parseInt64 } from '../util/numbers';
import { parseScanCursor, parseScanOptions } from './scan_args';

const EMPTY_SCAN = Buffer.from('*2\r\n$1\r\n0\r\n*0\r\n');

/** Entry of the hash at argument i for reading: 0 when missing, -1 after replying WRONGTYPE. */
function lookupRead(c: ExecContext, ks: Keyspace, i: number): number {
  const e = ks.lookup(c.db, c.buf, c.start(i), c.len(i));
  if (e !== 0 && ks.type(e) !== ObjType.Hash) {
    c.w.error(E.wrongType);
    return -1;
  }
  return e;
}

/** hashTypeLookupWriteOrCreate: the hash at argument 1, created empty when missing; -1 after WRONGTYPE. */
function lookupWrite(c: ExecContext, ks: Keyspace, ops: HashOps): number {
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1));
  if (e !== 0) {
    if (ks.type(e) !== ObjType.Hash) {
      c.w.error(E.wrongType);
      return -1;
    }
    return e;
  }
  const ptr = ops.createListpack();
  return ks.setObject(c.db, c.buf, c.start(1), c.len(1), ObjType.Hash, Enc.Listpack, ptr, 0);
}

/** Store the object address/encoding a mutation left in ops, if it changed. */
function commit(ks: Keyspace, e: number, ops: HashOps, ptr: number, enc: Enc): void {
  if (ops.ptr !== ptr || ops.enc !== enc) ks.setObjectPtr(e, ops.ptr, ops.enc);
}

// ---- HSET / HMSET / HSETNX ----

function hsetGeneric(c: ExecContext, hmset: boolean): void {
  if (c.argc % 2 === 1) {
    c.w.error(E.arity(hmset ? 'hmset' : 'hset'));
    return;
  }
  const ks = c.ks(1);
  const ops = hashOpsFor(ks.a);
  const e = lookupWrite(c, ks, ops);
  if (e < 0) return;
  const st = c.settings;
  let ptr = ks.objectPtr(e);
  let enc = ks.encoding(e) as Enc;
  const maxValue = st.hashMaxListpackValue;
  // hashTypeTryConversion: any argument longer than the value limit converts first
  if (enc === Enc.Listpack) {
    for (let i = 2; i < c.argc; i++) {
      if (c.len(i) > maxValue) {
        ptr = ops.convert(ptr);
        enc = Enc.Hashtable;
        ks.setObjectPtr(e, ptr, enc);
        break;
      }
    }
  }
  let created = 0;
  const buf = c.buf;
  for (let i = 2; i < c.argc; i += 2) {
    created += ops.set(ptr, enc, buf, c.start(i), c.len(i), buf, c.start(i + 1), c.len(i + 1), st.hashMaxListpackEntries, maxValue);
    commit(ks, e, ops, ptr, enc);
    ptr = ops.ptr;
    enc = ops.enc;
  }
  if (hmset) c.w.ok();
  else c.w.integer(created);
}

function hsetnx(c: ExecContext): void {
  const ks = c.ks(1);
  const ops = hashOpsFor(ks.a);
  const e = lookupWrite(c, ks, ops);
  if (e < 0) return;
  const ptr = ks.objectPtr(e);
  const enc = ks.encoding(e) as Enc;
  if (ops.exists(ptr, enc, c.buf, c.start(2), c.len(2))) {
    c.w.integer(0);
    return;
  }
  const st = c.settings;
  ops.set(ptr, enc, c.buf, c.start(2), c.len(2), c.buf, c.start(3), c.len(3), st.hashMaxListpackEntries, st.hashMaxListpackValue);
  commit(ks, e, ops, ptr, enc);
  c.w.integer(1);
}

// ---- reads ----

function hget(c: ExecContext): void {
  const ks = c.ks(1);
  const e = lookupRead(c, ks, 1);
  if (e < 0) return;
  if (e === 0) return c.w.nullBulk();
  const ops = hashOpsFor(ks.a);
  if (ops.get(ks.objectPtr(e), ks.encoding(e) as Enc, c.buf, c.start(2), c.len(2))) c.w.bulk(ops.vBuf, ops.vStart, ops.vStart + ops.vLen);
  else c.w.nullBulk();
}

function hmget(c: ExecContext): void {
  const ks = c.ks(1);
  const e = lookupRead(c, ks, 1);
  if (e < 0) return;
  const w = c.w;
  w.arrayHeader(c.argc - 2);
  if (e === 0) {
    for (let i = 2; i < c.argc; i++) w.nullBulk();
    return;
  }
  const ops = hashOpsFor(ks.a);
  const ptr = ks.objectPtr(e);
  const enc = ks.encoding(e) as Enc;
  for (let i = 2; i < c.argc; i++) {
    if (ops.get(ptr, enc, c.buf, c.start(i), c.len(i))) w.bulk(ops.vBuf, ops.vStart, ops.vStart + ops.vLen);
    else w.nullBulk();
  }
}

function hlen(c: ExecContext): void {
  const ks = c.ks(1);
  const e = lookupRead(c, ks, 1);
  if (e < 0) return;
  c.w.integer(e === 0 ? 0 : hashOpsFor(ks.a).length(ks.objectPtr(e), ks.encoding(e) as Enc));
}

function hstrlen(c: ExecContext): void {
  const ks = c.ks(1);
  const e = lookupRead(c, ks, 1);
  if (e < 0) return;
  if (e === 0) return c.w.integer(0);
  const ops = hashOpsFor(ks.a);
  c.w.integer(ops.get(ks.objectPtr(e), ks.encoding(e) as Enc, c.buf, c.start(2), c.len(2)) ? ops.vLen : 0);
}

function hexists(c: ExecContext): void {
  const ks = c.ks(1);
  const e = lookupRead(c, ks, 1);
  if (e < 0) return;
  if (e === 0) return c.w.integer(0);
  const ops = hashOpsFor(ks.a);
  c.w.integer(ops.exists(ks.objectPtr(e), ks.encoding(e) as Enc, c.buf, c.start(2), c.len(2)) ? 1 : 0);
}

const F_KEYS = 1;
const F_VALS = 2;

/** Reply every field and/or value of the hash (HKEYS, HVALS, HGETALL). */
function hgetallGeneric(c: ExecContext, what: number): void {
  const ks = c.ks(1);
  const e = lookupRead(c, ks, 1);
  if (e < 0) return;
  const w = c.w;
  const both = what === (F_KEYS | F_VALS);
  if (e === 0) {
    if (both) w.mapHeader(0);
    else w.emptyArray();
    return;
  }
  const ops = hashOpsFor(ks.a);
  const ptr = ks.objectPtr(e);
  const enc = ks.encoding(e) as Enc;
  const n = ops.length(ptr, enc);
  if (both) w.mapHeader(n);
  else w.arrayHeader(n);
  if (enc === Enc.Listpack) {
    const lp = ops.lp;
    for (let p = lp.first(ptr); p !== 0; ) {
      if (what & F_KEYS) {
        lp.get(p);
        w.bulk(lp.vBuf, lp.vStart, lp.vStart + lp.vLen);
      }
      p = lp.next(ptr, p);
      if (what & F_VALS) {
        lp.get(p);
        w.bulk(lp.vBuf, lp.vStart, lp.vStart + lp.vLen);
      }
      p = lp.next(ptr, p);
    }
    return;
  }
  const u8 = ks.a.u8;
  ops.ht.at(ptr).forEach((x) => {
    if (what & F_KEYS) {
      const s = ops.entryFieldStart(x);
      w.bulk(u8, s, s + ops.entryFieldLen(x));
    }
    if (what & F_VALS) {
      const s = ops.entryValueStart(x);
      w.bulk(u8, s, s + ops.entryValueLen(x));
    }
  });
}

// ---- HDEL ----

function hdel(c: ExecContext): void {
  const ks = c.ks(1);
  const e = lookupRead(c, ks, 1);
  if (e < 0) return;
  if (e === 0) return c.w.integer(0);
  const ops = hashOpsFor(ks.a);
  let ptr = ks.objectPtr(e);
  const enc = ks.encoding(e) as Enc;
  let deleted = 0;
  for (let i = 2; i < c.argc; i++) {
    if (ops.delete(ptr, enc, c.buf, c.start(i), c.len(i))) {
      deleted++;
      if (ops.ptr !== ptr) {
        ptr = ops.ptr;
        ks.setObjectPtr(e, ptr, enc);
      }
      if (ops.length(ptr, enc) === 0) {
        ks.delete(c.db, c.buf, c.start(1), c.len(1));
        break;
      }
    }
  }
  c.w.integer(deleted);
}

// ---- HINCRBY / HINCRBYFLOAT ----

let scratch = new Uint8Array(64);

function latin1Bytes(s: string): number {
  if (s.length > scratch.length) scratch = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) scratch[i] = s.charCodeAt(i);
  return s.length;
}

function hincrby(c: ExecContext): void {
  const incr = c.int(3);
  if (incr === null) return c.w.error(E.notInt);
  const ks = c.ks(1);
  const ops = hashOpsFor(ks.a);
  const e = lookupWrite(c, ks, ops);
  if (e < 0) return;
  const ptr = ks.objectPtr(e);
  const enc = ks.encoding(e) as Enc;
  let cur: number | bigint = 0;
  if (ops.get(ptr, enc, c.buf, c.start(2), c.len(2))) {
    const v = parseInt64(ops.vBuf, ops.vStart, ops.vStart + ops.vLen);
    if (v === null) return c.w.error('ERR hash value is not an integer');
    cur = v;
  }
  const r = int64Add(cur, incr);
  if (r === null) return c.w.error(E.overflow);
  const n = latin1Bytes(formatInt64(r));
  const st = c.settings;
  ops.set(ptr, enc, c.buf, c.start(2), c.len(2), scratch, 0, n, st.hashMaxListpackEntries, st.hashMaxListpackValue);
  commit(ks, e, ops, ptr, enc);
  c.w.integer(r);
}

function hincrbyfloat(c: ExecContext): void {
  const incr = c.bytes(3);
  // the increment's errors come before the key's type is checked
  const check = hincrByFloat(null, incr);
  if (!check.ok) return c.w.error(HINCRBYFLOAT_ERRORS[check.err]);
  const ks = c.ks(1);
  const ops = hashOpsFor(ks.a);
  const e = lookupWrite(c, ks, ops);
  if (e < 0) return;
  const ptr = ks.objectPtr(e);
  const enc = ks.encoding(e) as Enc;
  let value = check.value;
  if (ops.get(ptr, enc, c.buf, c.start(2), c.len(2))) {
    const r = hincrByFloat(ops.vBuf.subarray(ops.vStart, ops.vStart + ops.vLen), incr);
    if (!r.ok) return c.w.error(HINCRBYFLOAT_ERRORS[r.err]);
    value = r.value;
  }
  const n = latin1Bytes(value);
  const st = c.settings;
  ops.set(ptr, enc, c.buf, c.start(2), c.len(2), scratch, 0, n, st.hashMaxListpackEntries, st.hashMaxListpackValue);
  commit(ks, e, ops, ptr, enc);
  c.w.bulk(scratch, 0, n);
}

// ---- HRANDFIELD ----

/** Reply field (and value) of the element pair at listpack position p / hashtable entry x. */
function replyLpPair(c: ExecContext, ops: HashOps, ptr: number, p: number, withValues: boolean): void {
  const lp = ops.lp;
  const w = c.w;
  if (withValues && w.resp === 3) w.arrayHeader(2);
  lp.get(p);
  w.bulk(lp.vBuf, lp.vStart, lp.vStart + lp.vLen);
  if (withValues) {
    lp.get(lp.next(ptr, p));
    w.bulk(lp.vBuf, lp.vStart, lp.vStart + lp.vLen);
  }
}

function replyHtPair(c: ExecContext, ops: HashOps, x: number, withValues: boolean): void {
  const w = c.w;
  const u8 = ops.a.u8;
  if (withValues && w.resp === 3) w.arrayHeader(2);
  let s = ops.entryFieldStart(x);
  w.bulk(u8, s, s + ops.entryFieldLen(x));
  if (withValues) {
    s = ops.entryValueStart(x);
    w.bulk(u8, s, s + ops.entryValueLen(x));
  }
}

function hrandfield(c: ExecContext): void {
  const w = c.w;
  if (c.argc >= 3) {
    const r = parseRandCount(c, 'withvalues');
    if (r !== null) hrandfieldCount(c, r.count, r.pairs);
    return;
  }
  const ks = c.ks(1);
  const e = lookupRead(c, ks, 1);
  if (e < 0) return;
  if (e === 0) return w.nullBulk();
  const ops = hashOpsFor(ks.a);
  const ptr = ks.objectPtr(e);
  const enc = ks.encoding(e) as Enc;
  if (enc === Enc.Listpack) {
    const n = ops.lp.count(ptr) >>> 1;
    replyLpPair(c, ops, ptr, ops.lp.seek(ptr, 2 * Math.floor(Math.random() * n)), false);
  } else replyHtPair(c, ops, ops.ht.at(ptr).randomEntry(), false);
}

function hrandfieldCount(c: ExecContext, l: number, withValues: boolean): void {
  const w = c.w;
  const ks = c.ks(1);
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1));
  if (e === 0) return w.emptyArray();
  if (ks.type(e) !== ObjType.Hash) return w.error(E.wrongType);
  if (l === 0) return w.emptyArray();
  const ops = hashOpsFor(ks.a);
  const ptr = ks.objectPtr(e);
  const enc = ks.encoding(e) as Enc;
  const size = ops.length(ptr, enc);
  const lp = ops.lp;
  const flat = withValues && w.resp !== 3;
  if (l < 0) {
    // with repetitions
    const count = -l;
    w.arrayHeader(flat ? count * 2 : count);
    if (enc === Enc.Listpack) {
      for (let k = 0; k < count; k++) replyLpPair(c, ops, ptr, lp.seek(ptr, 2 * Math.floor(Math.random() * size)), withValues);
    } else {
      const ht = ops.ht.at(ptr);
      for (let k = 0; k < count; k++) replyHtPair(c, ops, ht.randomEntry(), withValues);
    }
    return;
  }
  if (l >= size) {
    // the whole hash
    w.arrayHeader(flat ? size * 2 : size);
    if (enc === Enc.Listpack) {
      for (let p = lp.first(ptr); p !== 0; p = lp.next(ptr, lp.next(ptr, p))) replyLpPair(c, ops, ptr, p, withValues);
    } else ops.ht.at(ptr).forEach((x) => replyHtPair(c, ops, x, withValues));
    return;
  }
  // distinct elements, fewer than the hash holds
  const count = l;
  w.arrayHeader(flat ? count * 2 : count);
  if (enc === Enc.Listpack) {
    // pick `count` distinct pair indexes (selection sampling keeps listpack order)
    let need = count;
    let left = size;
    for (let p = lp.first(ptr); p !== 0 && need > 0; p = lp.next(ptr, lp.next(ptr, p)), left--) {
      if (Math.random() * left < need) {
        replyLpPair(c, ops, ptr, p, withValues);
        need--;
      }
    }
    return;
  }
  const ht = ops.ht.at(ptr);
  if (count * 3 > size) {
    // collect every entry, drop random ones until count remain
    const all: number[] = [];
    ht.forEach((x) => {
      all.push(x);
    });
    for (let k = all.length; k > count; k--) {
      const i = Math.floor(Math.random() * k);
      all[i] = all[k - 1];
    }
    for (let k = 0; k < count; k++) replyHtPair(c, ops, all[k], withValues);
    return;
  }
  const seen = new Set<number>();
  while (seen.size < count) {
    const x = ht.randomEntry();
    if (seen.has(x)) continue;
    seen.add(x);
    replyHtPair(c, ops, x, withValues);
  }
}

// ---- HSCAN ----

function hscan(c: ExecContext): void {
  const w = c.w;
  const big = parseScanCursor(c.buf, c.start(2), c.len(2));
  if (big === null) return w.error(E.invalidCursor);
  const ks = c.ks(1);
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1));
  if (e === 0) return w.raw(EMPTY_SCAN);
  if (ks.type(e) !== ObjType.Hash) return w.error(E.wrongType);
  const opts = parseScanOptions(c, 3, false);
  if (opts === null) return;
  const count = opts.count;
  const pat = opts.pattern;
  const ops = hashOpsFor(ks.a);
  const ptr = ks.objectPtr(e);
  const enc = ks.encoding(e) as Enc;
  if (enc === Enc.Listpack) {
    const lp = ops.lp;
    const keep: number[] = [];
    for (let p = lp.first(ptr); p !== 0; p = lp.next(ptr, lp.next(ptr, p))) {
      if (pat !== null) {
        lp.get(p);
        if (!globMatch(pat, 0, pat.length, lp.vBuf, lp.vStart, lp.vStart + lp.vLen)) continue;
      }
      keep.push(p);
    }
    w.arrayHeader(2);
    w.bulkAscii('0');
    w.arrayHeader(keep.length * 2);
    const lp2 = ops.lp;
    for (const p of keep) {
      lp2.get(p);
      w.bulk(lp2.vBuf, lp2.vStart, lp2.vStart + lp2.vLen);
      lp2.get(lp2.next(ptr, p));
      w.bulk(lp2.vBuf, lp2.vStart, lp2.vStart + lp2.vLen);
    }
    return;
  }
  const ht = ops.ht.at(ptr);
  const found: number[] = [];
  let cursor = Number(big & 0xffffffffn);
  let iterations = count * 10;
  const visit = (x: number): void => {
    found.push(x);
  };
  do {
    cursor = ht.scan(cursor, visit);
  } while (cursor !== 0 && iterations-- > 0 && found.length < count);
  const u8 = ks.a.u8;
  let n = 0;
  if (pat !== null) {
    for (let k = 0; k < found.length; k++) {
      const s = ops.entryFieldStart(found[k]);
      if (globMatch(pat, 0, pat.length, u8, s, s + ops.entryFieldLen(found[k]))) found[n++] = found[k];
    }
  } else n = found.length;
  w.arrayHeader(2);
  w.bulkAscii(String(cursor));
  w.arrayHeader(n * 2);
  for (let k = 0; k < n; k++) {
    const x = found[k];
    let s = ops.entryFieldStart(x);
    w.bulk(u8, s, s + ops.entryFieldLen(x));
    s = ops.entryValueStart(x);
    w.bulk(u8, s, s + ops.entryValueLen(x));
  }
}

// ---- table ----

const row = shardRowBuilder('hash', (acl) => [acl[0], 'hash', ...acl.slice(1)]);

const W = ['write', 'denyoom', 'fast'];
const RF = ['readonly', 'fast'];
const R = ['readonly'];

register([
  row('hset', -4, W, [1, 1, 1], ['write', 'fast'], '2.0.0', 'Set the string value of a hash field', 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.', (c) => hsetGeneric(c, false), {
    history: [['4.0.0', 'Accepts multiple `field` and `value` arguments.']],
    args: [arg.key('key'), arg.block('field_value *', arg.str('field'), arg.str('value'))],
  }),
  row('hsetnx', 4, W, [1, 1, 1], ['write', 'fast'], '2.0.0', 'Set the value of a hash field, only if the field does not exist', 'O(1)', hsetnx, {
    keySpecs: [{ flags: 'RW insert', begin: 1 }],
    args: [arg.key('key'), arg.str('field'), arg.str('value')],
  }),
  row('hget', 3, RF, [1, 1, 1], ['read', 'fast'], '2.0.0', 'Get the value of a hash field', 'O(1)', hget, { args: [arg.key('key'), arg.str('field')] }),
  row('hmget', -3, RF, [1, 1, 1], ['read', 'fast'], '2.0.0', 'Get the values of all the given hash fields', 'O(N) where N is the number of fields being requested.', hmget, {
    args: [arg.key('key'), arg.str('field *')],
  }),
  row('hmset', -4, W, [1, 1, 1], ['write', 'fast'], '2.0.0', 'Set multiple hash fields to multiple values', 'O(N) where N is the number of fields being set.', (c) => hsetGeneric(c, true), {
    docFlags: ['deprecated'],
    deprecatedSince: '4.0.0',
    replacedBy: '`HSET` with multiple field-value pairs',
    args: [arg.key('key'), arg.block('field_value *', arg.str('field'), arg.str('value'))],
  }),
  row('hdel', -3, ['write', 'fast'], [1, 1, 1], ['write', 'fast'], '2.0.0', 'Delete one or more hash fields', 'O(N) where N is the number of fields to be removed.', hdel, {
    history: [['2.4.0', 'Accepts multiple `field` arguments.']],
    args: [arg.key('key'), arg.str('field *')],
  }),
  row('hlen', 2, RF, [1, 1, 1], ['read', 'fast'], '2.0.0', 'Get the number of fields in a hash', 'O(1)', hlen, { keySpecs: [{ flags: 'RO', begin: 1 }], args: [arg.key('key')] }),
  row('hstrlen', 3, RF, [1, 1, 1], ['read', 'fast'], '3.2.0', 'Get the length of the value of a hash field', 'O(1)', hstrlen, { keySpecs: [{ flags: 'RO', begin: 1 }], args: [arg.key('key'), arg.str('field')] }),
  row('hexists', 3, RF, [1, 1, 1], ['read', 'fast'], '2.0.0', 'Determine if a hash field exists', 'O(1)', hexists, { keySpecs: [{ flags: 'RO', begin: 1 }], args: [arg.key('key'), arg.str('field')] }),
  row('hkeys', 2, R, [1, 1, 1], ['read', 'slow'], '2.0.0', 'Get all the fields in a hash', 'O(N) where N is the size of the hash.', (c) => hgetallGeneric(c, F_KEYS), {
    tips: ['nondeterministic_output_order'],
    args: [arg.key('key')],
  }),
  row('hvals', 2, R, [1, 1, 1], ['read', 'slow'], '2.0.0', 'Get all the values in a hash', 'O(N) where N is the size of the hash.', (c) => hgetallGeneric(c, F_VALS), {
    tips: ['nondeterministic_output_order'],
    args: [arg.key('key')],
  }),
  row('hgetall', 2, R, [1, 1, 1], ['read', 'slow'], '2.0.0', 'Get all the fields and values in a hash', 'O(N) where N is the size of the hash.', (c) => hgetallGeneric(c, F_KEYS | F_VALS), {
    tips: ['nondeterministic_output_order'],
    args: [arg.key('key')],
  }),
  row('hincrby', 4, W, [1, 1, 1], ['write', 'fast'], '2.0.0', 'Increment the integer value of a hash field by the given number', 'O(1)', hincrby, {
    keySpecs: [{ flags: 'RW access update', begin: 1 }],
    args: [arg.key('key'), arg.str('field'), arg.int('increment')],
  }),
  row('hincrbyfloat', 4, W, [1, 1, 1], ['write', 'fast'], '2.6.0', 'Increment the float value of a hash field by the given amount', 'O(1)', hincrbyfloat, {
    keySpecs: [{ flags: 'RW access update', begin: 1 }],
    args: [arg.key('key'), arg.str('field'), arg.dbl('increment')],
  }),
  row('hrandfield', -2, R, [1, 1, 1], ['read', 'slow'], '6.2.0', 'Get one or multiple random fields from a hash', 'O(N) where N is the number of fields returned', hrandfield, {
    tips: ['nondeterministic_output'],
    args: [arg.key('key'), arg.block('options ?', arg.int('count'), arg.tok('WITHVALUES ?'))],
  }),
  row('hscan', -3, R, [1, 1, 1], ['read', 'slow'], '2.8.0', 'Incrementally iterate hash fields and associated values', 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..', hscan, {
    tips: ['nondeterministic_output'],
    args: [arg.key('key'), arg.int('cursor'), arg.pat('MATCH pattern ?'), arg.int('COUNT count ?')],
  }),
]);
