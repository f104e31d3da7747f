// Generic key commands: DEL EXISTS TYPE TTL EXPIRE... KEYS SCAN RENAME COPY MOVE
// OBJECT, and the whole-keyspace ones (DBSIZE FLUSHDB FLUSHALL RANDOMKEY SWAPDB).

import { Exec, register, keyRange, shardRowBuilder } from './table';
import * as arg from './docs';
import { E } from './errors';
import type { ExecContext } from '../shard/exec_context';
import { Enc, ENC_NAMES, ObjType, TYPE_NAMES, type Keyspace } from '../store/keyspace';
import { globMatch } from '../util/glob';
import { parseInt64 } from '../util/numbers';
import { parseScanCursor, parseScanOptions } from './scan_args';

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

function del(c: ExecContext): void {
  let n = 0;
  for (let i = 1; i < c.argc; i++) if (c.ks(i).delete(c.db, c.buf, c.start(i), c.len(i))) n++;
  c.w.integer(n);
}

function exists(c: ExecContext): void {
  let n = 0;
  for (let i = 1; i < c.argc; i++) if (c.ks(i).lookup(c.db, c.buf, c.start(i), c.len(i), false) !== 0) n++;
  c.w.integer(n);
}

function touch(c: ExecContext): void {
  let n = 0;
  for (let i = 1; i < c.argc; i++) if (c.ks(i).lookup(c.db, c.buf, c.start(i), c.len(i), true) !== 0) n++;
  c.w.integer(n);
}

function type(c: ExecContext): void {
  const ks = c.ks(1);
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1), false);
  c.w.simple(e === 0 ? 'none' : TYPE_NAMES[ks.type(e)]);
}

function ttlGeneric(c: ExecContext, ms: boolean): void {
  const ks = c.ks(1);
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1), false);
  if (e === 0) return c.w.integer(-2);
  const at = ks.expireAt(e);
  if (at < 0) return c.w.integer(-1);
  let ttl = at - ks.now;
  if (ttl < 0) ttl = 0;
  c.w.integer(ms ? ttl : Math.floor((ttl + 500) / 1000));
}

function expiretimeGeneric(c: ExecContext, ms: boolean): void {
  const ks = c.ks(1);
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1), false);
  if (e === 0) return c.w.integer(-2);
  const at = ks.expireAt(e);
  if (at < 0) return c.w.integer(-1);
  c.w.integer(ms ? at : Math.floor((at + 500) / 1000)); // rounded, as Redis does
}

const X_NX = 1;
const X_XX = 2;
const X_GT = 4;
const X_LT = 8;

function expireGeneric(c: ExecContext, basetimeNow: boolean, seconds: boolean): void {
  let flags = 0;
  for (let j = 3; j < c.argc; j++) {
    if (c.is(j, 'nx')) flags |= X_NX;
    else if (c.is(j, 'xx')) flags |= X_XX;
    else if (c.is(j, 'gt')) flags |= X_GT;
    else if (c.is(j, 'lt')) flags |= X_LT;
    else return c.w.error(`ERR Unsupported option ${c.cstr(j)}`);
  }
  if (flags & X_NX && flags & (X_XX | X_GT | X_LT)) return c.w.error('ERR NX and XX, GT or LT options at the same time are not compatible');
  if (flags & X_GT && flags & X_LT) return c.w.error('ERR GT and LT options at the same time are not compatible');
  const v = c.int(2);
  if (v === null) return c.w.error(E.notInt);
  let when = BigInt(v);
  const cmd = c.spec.name;
  if (seconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) return c.w.error(E.invalidExpire(cmd));
    when *= 1000n;
  }
  const ks = c.ks(1);
  const base = basetimeNow ? BigInt(ks.now) : 0n;
  if (when > LLONG_MAX - base) return c.w.error(E.invalidExpire(cmd));
  when += base;
  const whenMs = Number(when);
  let e = ks.lookup(c.db, c.buf, c.start(1), c.len(1), false);
  if (e === 0) return c.w.integer(0);
  if (flags) {
    const cur = ks.expireAt(e);
    if (flags & X_NX && cur !== -1) return c.w.integer(0);
    if (flags & X_XX && cur === -1) return c.w.integer(0);
    if (flags & X_GT && (whenMs <= cur || cur === -1)) return c.w.integer(0);
    if (flags & X_LT && cur !== -1 && whenMs >= cur) return c.w.integer(0);
  }
  e = ks.find(c.db, c.buf, c.start(1), c.len(1));
  if (whenMs <= ks.now) ks.deleteFound(c.db, e);
  else ks.setExpire(c.db, e, whenMs);
  c.w.integer(1);
}

function persist(c: ExecContext): void {
  const ks = c.ks(1);
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1), false);
  if (e === 0 || !ks.hasExpire(e)) return c.w.integer(0);
  ks.setExpire(c.db, ks.find(c.db, c.buf, c.start(1), c.len(1)), 0);
  c.w.integer(1);
}

// ---- moving values between keys (possibly across shards and dbs) ----

function copyValue(from: Keyspace, e: number, to: Keyspace, db: number, key: Uint8Array, kstart: number, klen: number, expire: number): number {
  return from.copyEntryTo(e, to, db, key, kstart, klen, expire);
}

function renameGeneric(c: ExecContext, nx: boolean): void {
  const src = c.ks(1);
  const e = src.lookup(c.db, c.buf, c.start(1), c.len(1), false);
  if (e === 0) return c.w.error(E.noKey);
  if (c.len(1) === c.len(2) && Buffer.compare(c.bytes(1), c.bytes(2)) === 0) {
    return nx ? c.w.integer(0) : c.w.ok();
  }
  const dst = c.ks(2);
  if (dst.lookup(c.db, c.buf, c.start(2), c.len(2), false) !== 0) {
    if (nx) return c.w.integer(0);
    dst.delete(c.db, c.buf, c.start(2), c.len(2));
  }
  if (src === dst) src.renameWithin(c.db, c.buf, c.start(1), c.len(1), c.db, c.buf, c.start(2), c.len(2));
  else {
    // another shard's arena: the value has to be copied over
    const e2 = src.find(c.db, c.buf, c.start(1), c.len(1));
    copyValue(src, e2, dst, c.db, c.buf, c.start(2), c.len(2), src.expireAt(e2));
    src.delete(c.db, c.buf, c.start(1), c.len(1));
  }
  if (nx) c.w.integer(1);
  else c.w.ok();
}

function copy(c: ExecContext): void {
  let replace = false;
  let dstDb = c.db;
  for (let j = 3; j < c.argc; j++) {
    const more = j + 1 < c.argc;
    if (c.is(j, 'replace')) replace = true;
    else if (c.is(j, 'db') && more) {
      const id = c.longOrReply(j + 1);
      if (id === null) return;
      if (id < 0 || id >= c.settings.databases || !Number.isInteger(id)) return c.w.error(E.dbRange);
      dstDb = id;
      j++;
    } else return c.w.error(E.syntax);
  }
  if (dstDb === c.db && c.len(1) === c.len(2) && Buffer.compare(c.bytes(1), c.bytes(2)) === 0) return c.w.error(E.sameObject);
  const src = c.ks(1);
  const e = src.lookup(c.db, c.buf, c.start(1), c.len(1), false);
  if (e === 0) return c.w.integer(0);
  const expire = src.expireAt(e);
  const dst = c.ks(2);
  if (dst.lookupWrite(dstDb, c.buf, c.start(2), c.len(2), false) !== 0) {
    if (!replace) return c.w.integer(0);
    dst.delete(dstDb, c.buf, c.start(2), c.len(2));
  }
  const e2 = src.find(c.db, c.buf, c.start(1), c.len(1));
  dst.markUnshared(copyValue(src, e2, dst, dstDb, c.buf, c.start(2), c.len(2), expire));
  c.w.integer(1);
}

function move(c: ExecContext): void {
  const v = c.int32OrReply(2);
  if (v === null) return;
  if (v < 0 || v >= c.settings.databases) return c.w.error(E.dbRange);
  if (v === c.db) return c.w.error(E.sameObject);
  const ks = c.ks(1);
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1), false);
  if (e === 0) return c.w.integer(0);
  if (ks.lookup(v, c.buf, c.start(1), c.len(1), false) !== 0) return c.w.integer(0);
  ks.renameWithin(c.db, c.buf, c.start(1), c.len(1), v, c.buf, c.start(1), c.len(1));
  c.w.integer(1);
}

// ---- OBJECT ----

const LFU_ERR =
  'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
const LRU_ERR =
  'ERR An LRU maxmemory policy is selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

export const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

export function replyHelp(c: { w: { arrayHeader(n: number): void; simple(s: string): void } }, lines: string[]): void {
  c.w.arrayHeader(lines.length);
  for (const l of lines) c.w.simple(l);
}

function objectLookup(c: ExecContext): [Keyspace, number] | null {
  const ks = c.ks(2);
  const e = ks.lookup(c.db, c.buf, c.start(2), c.len(2), false);
  if (e === 0) {
    c.w.nullBulk();
    return null;
  }
  return [ks, e];
}

function objectEncoding(c: ExecContext): void {
  const r = objectLookup(c);
  if (r) c.w.bulkAscii(ENC_NAMES[r[0].encoding(r[1])]);
}

/** The refcount Redis would report: small integers are its shared objects (OBJ_SHARED_REFCOUNT). */
export function refcountOf(ks: Keyspace, e: number): number {
  if (ks.type(e) === ObjType.String && ks.encoding(e) === Enc.Int && !ks.isUnshared(e)) {
    const v = ks.valueOf(e);
    const n = parseInt64(ks.a.u8, v.start, v.start + v.len);
    if (typeof n === 'number' && n >= 0 && n < 10000) return 2147483647;
  }
  return 1;
}

function objectRefcount(c: ExecContext): void {
  const r = objectLookup(c);
  if (r) c.w.integer(refcountOf(r[0], r[1]));
}

function objectIdletime(c: ExecContext): void {
  const r = objectLookup(c);
  if (!r) return;
  if (c.settings.lfu) return c.w.error(LRU_ERR);
  c.w.integer(r[0].idleSeconds(r[1]));
}

function objectFreq(c: ExecContext): void {
  const r = objectLookup(c);
  if (!r) return;
  if (!c.settings.lfu) return c.w.error(LFU_ERR);
  c.w.integer(0);
}

// ---- whole keyspace (run under every shard's lock) ----

function dbsize(c: ExecContext): void {
  let n = 0;
  for (const ks of c.stores) n += ks.size(c.db);
  c.w.integer(n);
}

function keys(c: ExecContext): void {
  const pat = c.bytes(1);
  const all = pat.length === 1 && pat[0] === 42;
  const w = c.w;
  // count first: the reply length goes before the elements
  const found: [Keyspace, number][] = [];
  for (const ks of c.stores) {
    const u8 = ks.a.u8;
    ks.forEach(c.db, (e) => {
      if (ks.isExpired(e)) return;
      const s = ks.keyStart(e);
      if (all || globMatch(pat, 0, pat.length, u8, s, s + ks.keyLen(e))) found.push([ks, e]);
    });
  }
  w.arrayHeader(found.length);
  for (const [ks, e] of found) w.bulk(ks.a.u8, ks.keyStart(e), ks.keyStart(e) + ks.keyLen(e));
}

function flushGeneric(c: ExecContext, all: boolean): void {
  if (c.argc > 2) return c.w.error(E.syntax);
  if (c.argc === 2 && !c.is(1, 'sync') && !c.is(1, 'async')) return c.w.error(E.syntax);
  // the keys go at once either way; ASYNC frees the memory in the background
  // (Redis's default, lazyfree-lazy-user-flush no, frees before replying)
  const async = c.argc === 2 && c.is(1, 'async');
  for (const ks of c.stores) {
    if (all) {
      for (let d = 0; d < ks.dbCount; d++) ks.flushDb(d, async);
    } else ks.flushDb(c.db, async);
  }
  c.w.ok();
}

function randomkey(c: ExecContext): void {
  let total = 0;
  for (const ks of c.stores) total += ks.size(c.db);
  for (let tries = 0; total > 0 && tries < 100; tries++) {
    // pick a shard weighted by its key count
    let r = Math.floor(Math.random() * total);
    let ks = c.stores[0];
    for (const s of c.stores) {
      const n = s.size(c.db);
      if (r < n) {
        ks = s;
        break;
      }
      r -= n;
    }
    const e = ks.randomEntry(c.db);
    if (e === 0) continue;
    if (ks.isExpired(e)) {
      const s = ks.keyStart(e);
      ks.lookup(c.db, ks.a.u8, s, ks.keyLen(e), false); // lazily deletes it
      total = 0;
      for (const s2 of c.stores) total += s2.size(c.db);
      continue;
    }
    return c.w.bulk(ks.a.u8, ks.keyStart(e), ks.keyStart(e) + ks.keyLen(e));
  }
  c.w.nullBulk();
}

function swapdb(c: ExecContext): void {
  const a = c.int32OrReply(1, 'ERR invalid first DB index');
  if (a === null) return;
  const b = c.int32OrReply(2, 'ERR invalid second DB index');
  if (b === null) return;
  if (a < 0 || a >= c.settings.databases || b < 0 || b >= c.settings.databases) return c.w.error(E.dbRange);
  if (a !== b) for (const ks of c.stores) ks.swapDb(a, b);
  c.w.ok();
}

// ---- SCAN ----
// The cursor carries the shard: tableCursor * shardCount + shard. SCAN runs
// with every shard locked so that one call can move on to the next shard when
// one is exhausted (an empty keyspace answers cursor 0, as Redis does).

function scan(c: ExecContext): void {
  const big = parseScanCursor(c.buf, c.start(1), c.len(1));
  if (big === null) return c.w.error(E.invalidCursor);
  const opts = parseScanOptions(c, 2, true);
  if (opts === null) return;
  const count = opts.count;
  const pat = opts.pattern;
  const typeFilter = opts.type;
  const S = BigInt(c.shardCount);
  let shard = Number(big % S);
  let tc = Number((big / S) & 0xffffffffn);
  const found: number[] = [];
  const owners: Keyspace[] = [];
  let iterations = count * 10;
  let next = 0;
  for (;;) {
    const ks = c.stores[shard];
    if (ks.size(c.db) > 0) {
      do {
        tc = ks.scan(c.db, tc, (e) => {
          found.push(e);
          owners.push(ks);
        });
      } while (tc !== 0 && iterations-- > 0 && found.length < count);
    } else tc = 0;
    if (tc !== 0) {
      next = tc * c.shardCount + shard;
      break;
    }
    shard++;
    if (shard >= c.shardCount) {
      next = 0;
      break;
    }
    if (found.length >= count) {
      next = shard;
      break;
    }
  }
  const keep: number[] = [];
  for (let k = 0; k < found.length; k++) {
    const ks = owners[k];
    const e = found[k];
    if (ks.isExpired(e)) continue;
    if (typeFilter >= 0 && ks.type(e) !== typeFilter) continue;
    const s = ks.keyStart(e);
    if (pat !== null && !globMatch(pat, 0, pat.length, ks.a.u8, s, s + ks.keyLen(e))) continue;
    keep.push(k);
  }
  const w = c.w;
  w.arrayHeader(2);
  w.bulkAscii(String(next));
  w.arrayHeader(keep.length);
  for (const k of keep) {
    const ks = owners[k];
    const e = found[k];
    w.bulk(ks.a.u8, ks.keyStart(e), ks.keyStart(e) + ks.keyLen(e));
  }
  // lazily reclaim the expired keys the scan came across
  for (let k = 0; k < found.length; k++) {
    const ks = owners[k];
    const e = found[k];
    if (ks.isExpired(e)) ks.lookup(c.db, ks.a.u8, ks.keyStart(e), ks.keyLen(e), false);
  }
}

// ---- table ----

const row = shardRowBuilder('generic', (acl) => ['keyspace', ...acl]);

const ALL = Exec.AllShards;

register([
  row('del', -2, ['write'], [1, -1, 1], ['write', 'slow'], '1.0.0', 'Delete a key', 'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).', del, {
    keySpecs: [{ flags: 'RM delete', begin: 1, find: keyRange(-1) }],
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    args: [arg.key('key *')],
  }),
  row('unlink', -2, ['write', 'fast'], [1, -1, 1], ['write', 'fast'], '4.0.0', 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.', 'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.', del, {
    keySpecs: [{ flags: 'RM delete', begin: 1, find: keyRange(-1) }],
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    args: [arg.key('key *')],
  }),
  row('exists', -2, ['readonly', 'fast'], [1, -1, 1], ['read', 'fast'], '1.0.0', 'Determine if a key exists', 'O(N) where N is the number of keys to check.', exists, {
    keySpecs: [{ flags: 'RO', begin: 1, find: keyRange(-1) }],
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    history: [['3.0.3', 'Accepts multiple `key` arguments.']],
    args: [arg.key('key *')],
  }),
  row('touch', -2, ['readonly', 'fast'], [1, -1, 1], ['read', 'fast'], '3.2.1', 'Alters the last access time of a key(s). Returns the number of existing keys specified.', 'O(N) where N is the number of keys that will be touched.', touch, {
    keySpecs: [{ flags: 'RO', begin: 1, find: keyRange(-1) }],
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    args: [arg.key('key *')],
  }),
  row('type', 2, ['readonly', 'fast'], [1, 1, 1], ['read', 'fast'], '1.0.0', 'Determine the type stored at key', 'O(1)', type, { keySpecs: [{ flags: 'RO', begin: 1 }], args: [arg.key('key')] }),
  row('ttl', 2, ['readonly', 'fast'], [1, 1, 1], ['read', 'fast'], '1.0.0', 'Get the time to live for a key in seconds', 'O(1)', (c) => ttlGeneric(c, false), {
    tips: ['nondeterministic_output'],
    history: [['2.8.0', 'Added the -2 reply.']],
    args: [arg.key('key')],
  }),
  row('pttl', 2, ['readonly', 'fast'], [1, 1, 1], ['read', 'fast'], '2.6.0', 'Get the time to live for a key in milliseconds', 'O(1)', (c) => ttlGeneric(c, true), {
    tips: ['nondeterministic_output'],
    history: [['2.8.0', 'Added the -2 reply.']],
    args: [arg.key('key')],
  }),
  row('expiretime', 2, ['readonly', 'fast'], [1, 1, 1], ['read', 'fast'], '7.0.0', 'Get the expiration Unix timestamp for a key', 'O(1)', (c) => expiretimeGeneric(c, false), {
    args: [arg.key('key')],
  }),
  row('pexpiretime', 2, ['readonly', 'fast'], [1, 1, 1], ['read', 'fast'], '7.0.0', 'Get the expiration Unix timestamp for a key in milliseconds', 'O(1)', (c) => expiretimeGeneric(c, true), {
    args: [arg.key('key')],
  }),
  row('expire', -3, ['write', 'fast'], [1, 1, 1], ['write', 'fast'], '1.0.0', 'Set a key\'s time to live in seconds', 'O(1)', (c) => expireGeneric(c, true, true), {
    keySpecs: [{ flags: 'RW update', begin: 1 }],
    history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
    args: [arg.key('key'), arg.int('seconds'), arg.oneof('condition ? @7.0.0', arg.tok('NX'), arg.tok('XX'), arg.tok('GT'), arg.tok('LT'))],
  }),
  row('pexpire', -3, ['write', 'fast'], [1, 1, 1], ['write', 'fast'], '2.6.0', 'Set a key\'s time to live in milliseconds', 'O(1)', (c) => expireGeneric(c, true, false), {
    keySpecs: [{ flags: 'RW update', begin: 1 }],
    history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
    args: [arg.key('key'), arg.int('milliseconds'), arg.oneof('condition ? @7.0.0', arg.tok('NX'), arg.tok('XX'), arg.tok('GT'), arg.tok('LT'))],
  }),
  row('expireat', -3, ['write', 'fast'], [1, 1, 1], ['write', 'fast'], '1.2.0', 'Set the expiration for a key as a UNIX timestamp', 'O(1)', (c) => expireGeneric(c, false, true), {
    keySpecs: [{ flags: 'RW update', begin: 1 }],
    history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
    args: [arg.key('key'), arg.time('unix-time-seconds'), arg.oneof('condition ? @7.0.0', arg.tok('NX'), arg.tok('XX'), arg.tok('GT'), arg.tok('LT'))],
  }),
  row('pexpireat', -3, ['write', 'fast'], [1, 1, 1], ['write', 'fast'], '2.6.0', 'Set the expiration for a key as a UNIX timestamp specified in milliseconds', 'O(1)', (c) => expireGeneric(c, false, false), {
    keySpecs: [{ flags: 'RW update', begin: 1 }],
    history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
    args: [
      arg.key('key'),
      arg.time('unix-time-milliseconds'),
      arg.oneof('condition ? @7.0.0', arg.tok('NX'), arg.tok('XX'), arg.tok('GT'), arg.tok('LT')),
    ],
  }),
  row('persist', 2, ['write', 'fast'], [1, 1, 1], ['write', 'fast'], '2.2.0', 'Remove the expiration from a key', 'O(1)', persist, {
    keySpecs: [{ flags: 'RW update', begin: 1 }],
    args: [arg.key('key')],
  }),
  row('rename', 3, ['write'], [1, 2, 1], ['write', 'slow'], '1.0.0', 'Rename a key', 'O(1)', (c) => renameGeneric(c, false), {
    keySpecs: [{ flags: 'RW access delete', begin: 1 }, { flags: 'OW update', begin: 2 }],
    args: [arg.key('key'), arg.key('newkey #1')],
  }),
  row('renamenx', 3, ['write', 'fast'], [1, 2, 1], ['write', 'fast'], '1.0.0', 'Rename a key, only if the new key does not exist', 'O(1)', (c) => renameGeneric(c, true), {
    keySpecs: [{ flags: 'RW access delete', begin: 1 }, { flags: 'OW insert', begin: 2 }],
    history: [['3.2.0', 'The command no longer returns an error when source and destination names are the same.']],
    args: [arg.key('key'), arg.key('newkey #1')],
  }),
  row('copy', -3, ['write', 'denyoom'], [1, 2, 1], ['write', 'slow'], '6.2.0', 'Copy a key', 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.', copy, {
    keyspaceStats: true,
    keySpecs: [{ flags: 'RO access', begin: 1 }, { flags: 'OW update', begin: 2 }],
    args: [arg.key('source'), arg.key('destination #1'), arg.int('DB destination-db ?'), arg.tok('REPLACE ?')],
  }),
  row('move', 3, ['write', 'fast'], [1, 1, 1], ['write', 'fast'], '1.0.0', 'Move a key to another database', 'O(1)', move, {
    keySpecs: [{ flags: 'RW access update', begin: 1 }],
    args: [arg.key('key'), arg.int('db')],
  }),
  row('keys', 2, ['readonly'], [0, 0, 0], ['read', 'slow', 'dangerous'], '1.0.0', 'Find all keys matching the given pattern', 'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.', keys, {
    exec: ALL,
    tips: ['request_policy:all_shards', 'nondeterministic_output_order'],
    args: [arg.pat('pattern')],
  }),
  row('scan', -2, ['readonly'], [0, 0, 0], ['read', 'slow'], '2.8.0', 'Incrementally iterate the keys space', 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.', scan, {
    exec: ALL,
    keyspaceStats: false,
    tips: ['nondeterministic_output', 'request_policy:special'],
    history: [['6.0.0', 'Added the `TYPE` subcommand.']],
    args: [arg.int('cursor'), arg.pat('MATCH pattern ?'), arg.int('COUNT count ?'), arg.str('TYPE type ? @6.0.0')],
  }),
  row('randomkey', 1, ['readonly'], [0, 0, 0], ['read', 'slow'], '1.0.0', 'Return a random key from the keyspace', 'O(1)', randomkey, {
    exec: ALL,
    keyspaceStats: false,
    tips: ['request_policy:all_shards', 'nondeterministic_output'],
  }),
  row('dbsize', 1, ['readonly', 'fast'], [0, 0, 0], ['read', 'fast'], '1.0.0', 'Return the number of keys in the selected database', 'O(1)', dbsize, {
    exec: ALL,
    group: 'server',
    tips: ['request_policy:all_shards', 'response_policy:agg_sum'],
  }),
  row('flushdb', -1, ['write'], [0, 0, 0], ['write', 'slow', 'dangerous'], '1.0.0', 'Remove all keys from the current database', 'O(N) where N is the number of keys in the selected database', (c) => flushGeneric(c, false), {
    exec: ALL,
    group: 'server',
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    history: [['4.0.0', 'Added the `ASYNC` flushing mode modifier.'], ['6.2.0', 'Added the `SYNC` flushing mode modifier.']],
    args: [arg.oneof('async ?', arg.tok('ASYNC @4.0.0'), arg.tok('SYNC @6.2.0'))],
  }),
  row('flushall', -1, ['write'], [0, 0, 0], ['write', 'slow', 'dangerous'], '1.0.0', 'Remove all keys from all databases', 'O(N) where N is the total number of keys in all databases', (c) => flushGeneric(c, true), {
    exec: ALL,
    group: 'server',
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    history: [['4.0.0', 'Added the `ASYNC` flushing mode modifier.'], ['6.2.0', 'Added the `SYNC` flushing mode modifier.']],
    args: [arg.oneof('async ?', arg.tok('ASYNC @4.0.0'), arg.tok('SYNC @6.2.0'))],
  }),
  row('swapdb', 3, ['write', 'fast'], [0, 0, 0], ['write', 'fast', 'dangerous'], '4.0.0', 'Swaps two Redis databases', 'O(N) where N is the count of clients watching or blocking on keys from both databases.', swapdb, { exec: ALL, group: 'server', args: [arg.int('index1'), arg.int('index2')] }),
  row('object', -2, [], [0, 0, 0], ['slow'], '2.2.3', 'A container for object introspection commands', 'Depends on subcommand.', () => undefined, {
    acl: ['slow'], // a container: no @keyspace (its subcommands have it)
    subcommands: [
      row('encoding', 3, ['readonly'], [2, 2, 1], ['read', 'slow'], '2.2.3', 'Inspect the internal encoding of a Redis object', 'O(1)', objectEncoding, {
        keySpecs: [{ flags: 'RO', begin: 2 }],
        tips: ['nondeterministic_output'],
        args: [arg.key('key')],
      }),
      row('freq', 3, ['readonly'], [2, 2, 1], ['read', 'slow'], '4.0.0', 'Get the logarithmic access frequency counter of a Redis object', 'O(1)', objectFreq, {
        keySpecs: [{ flags: 'RO', begin: 2 }],
        tips: ['nondeterministic_output'],
        args: [arg.key('key')],
      }),
      row('idletime', 3, ['readonly'], [2, 2, 1], ['read', 'slow'], '2.2.3', 'Get the time since a Redis object was last accessed', 'O(1)', objectIdletime, {
        keySpecs: [{ flags: 'RO', begin: 2 }],
        tips: ['nondeterministic_output'],
        args: [arg.key('key')],
      }),
      row('refcount', 3, ['readonly'], [2, 2, 1], ['read', 'slow'], '2.2.3', 'Get the number of references to the value of the key', 'O(1)', objectRefcount, {
        keySpecs: [{ flags: 'RO', begin: 2 }],
        tips: ['nondeterministic_output'],
        args: [arg.key('key')],
      }),
      row('help', 2, ['loading', 'stale'], [0, 0, 0], ['slow'], '6.2.0', 'Show helpful text about the different subcommands', 'O(1)', (c) => replyHelp(c, OBJECT_HELP)),
    ],
  }),
]);
