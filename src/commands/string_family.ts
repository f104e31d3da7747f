// Strings: GET SET and friends. Shard-side handlers over the keyspace.

import { register, keyRange, shardRowBuilder } from './table';
import * as arg from './docs';
import { E } from './errors';
import type { ExecContext } from '../shard/exec_context';
import { Enc, EMBSTR_MAX, ObjType, type Keyspace } from '../store/keyspace';
import { int64Add, parseInt64, incrByFloat, INCRBYFLOAT_ERRORS, writeDecimal } from '../util/numbers';

const LLONG_MAX = 9223372036854775807n;

// ---- encoding of a value written by SET-like commands (tryObjectEncoding) ----

/** Redis's tryObjectEncoding: int for canonical 64-bit integers of <= 20 chars, embstr up to 44 bytes, raw beyond. */
export function encodingFor(buf: Uint8Array, start: number, len: number): Enc {
  if (len <= 20 && len > 0 && parseInt64(buf, start, start + len) !== null) return Enc.Int;
  return len <= EMBSTR_MAX ? Enc.Embstr : Enc.Raw;
}

// ---- SET / GETEX option parsing (parseExtendedStringArgumentsOrReply) ----

const F_NX = 1;
const F_XX = 2;
const F_GET = 4;
const F_KEEPTTL = 8;
const F_PERSIST = 16;
const F_EX = 32;
const F_PX = 64;
const F_EXAT = 128;
const F_PXAT = 256;
const ANY_EXPIRE = F_EX | F_PX | F_EXAT | F_PXAT;

class SetOptions {
  flags = 0;
  /** argument index of the expire value, or 0 */
  expireArg = 0;
}
const setOpts = new SetOptions();

function parseSetOptions(c: ExecContext, from: number, isSet: boolean): SetOptions | null {
  const o = setOpts;
  o.flags = 0;
  o.expireArg = 0;
  for (let j = from; j < c.argc; j++) {
    const f = o.flags;
    const hasNext = j + 1 < c.argc;
    if (c.is(j, 'nx') && !(f & F_XX) && isSet) o.flags |= F_NX;
    else if (c.is(j, 'xx') && !(f & F_NX) && isSet) o.flags |= F_XX;
    else if (c.is(j, 'get') && isSet) o.flags |= F_GET;
    else if (c.is(j, 'keepttl') && !(f & F_PERSIST) && !(f & ANY_EXPIRE) && isSet) o.flags |= F_KEEPTTL;
    else if (c.is(j, 'persist') && !isSet && !(f & ANY_EXPIRE) && !(f & F_KEEPTTL)) o.flags |= F_PERSIST;
    else if (c.is(j, 'ex') && !(f & (F_KEEPTTL | F_PERSIST | F_EXAT | F_PX | F_PXAT)) && hasNext) {
      o.flags |= F_EX;
      o.expireArg = ++j;
    } else if (c.is(j, 'px') && !(f & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PXAT)) && hasNext) {
      o.flags |= F_PX;
      o.expireArg = ++j;
    } else if (c.is(j, 'exat') && !(f & (F_KEEPTTL | F_PERSIST | F_EX | F_PX | F_PXAT)) && hasNext) {
      o.flags |= F_EXAT;
      o.expireArg = ++j;
    } else if (c.is(j, 'pxat') && !(f & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PX)) && hasNext) {
      o.flags |= F_PXAT;
      o.expireArg = ++j;
    } else {
      c.w.error(E.syntax);
      return null;
    }
  }
  return o;
}

/**
 * Absolute expiry in unix ms from an expire argument (getExpireMillisecondsOrReply),
 * or -1 after replying the error. seconds: EX/EXAT units; relative: EX/PX.
 */
export function expireFromArg(c: ExecContext, i: number, seconds: boolean, relative: boolean, cmd: string): number {
  const v = c.int(i);
  if (v === null) {
    c.w.error(E.notInt);
    return -1;
  }
  let ms = BigInt(v);
  if (ms <= 0n || (seconds && ms > LLONG_MAX / 1000n)) {
    c.w.error(E.invalidExpire(cmd));
    return -1;
  }
  if (seconds) ms *= 1000n;
  if (relative) ms += BigInt(c.local.now);
  if (ms > LLONG_MAX || ms <= 0n) {
    c.w.error(E.invalidExpire(cmd));
    return -1;
  }
  return Number(ms);
}

/** Reply with a string value, or the null bulk. Returns false (after replying) on WRONGTYPE. */
function replyStringOrNull(c: ExecContext, ks: Keyspace, e: number): boolean {
  if (e === 0) {
    c.w.nullBulk();
    return true;
  }
  if (ks.type(e) !== ObjType.String) {
    c.w.error(E.wrongType);
    return false;
  }
  const v = ks.valueOf(e);
  c.w.bulk(ks.a.u8, v.start, v.start + v.len, ks.a.i32);
  return true;
}

function setValue(c: ExecContext, ks: Keyspace, keyArg: number, valArg: number, expire: number): number {
  const vs = c.start(valArg);
  const vl = c.len(valArg);
  return ks.setString(c.db, c.buf, c.start(keyArg), c.len(keyArg), c.buf, vs, vl, encodingFor(c.buf, vs, vl), expire);
}

// ---- handlers ----

function get(c: ExecContext): void {
  const ks = c.ks(1);
  replyStringOrNull(c, ks, ks.lookup(c.db, c.buf, c.start(1), c.len(1)));
}

function set(c: ExecContext): void {
  const o = parseSetOptions(c, 3, true);
  if (o === null) return;
  const flags = o.flags;
  let expire = 0;
  if (o.expireArg) {
    expire = expireFromArg(c, o.expireArg, (flags & (F_EX | F_EXAT)) !== 0, (flags & (F_EX | F_PX)) !== 0, 'set');
    if (expire < 0) return;
  }
  const ks = c.ks(1);
  // a plain SET needs no lookup: setString replaces whatever is there (expired or not)
  if (flags & (F_GET | F_NX | F_XX)) {
    // only GET reads the key (a keyspace hit or miss); NX/XX just look (Redis's lookupKeyWrite)
    const e = flags & F_GET ? ks.lookup(c.db, c.buf, c.start(1), c.len(1)) : ks.lookupWrite(c.db, c.buf, c.start(1), c.len(1));
    if (flags & F_GET) {
      if (!replyStringOrNull(c, ks, e)) return;
    }
    if ((flags & F_NX && e !== 0) || (flags & F_XX && e === 0)) {
      if (!(flags & F_GET)) c.w.nullBulk();
      return;
    }
  }
  setValue(c, ks, 1, 2, flags & F_KEEPTTL ? -1 : expire);
  if (!(flags & F_GET)) c.w.ok();
}

function setnx(c: ExecContext): void {
  const ks = c.ks(1);
  if (ks.lookup(c.db, c.buf, c.start(1), c.len(1), false) !== 0) {
    c.w.integer(0);
    return;
  }
  setValue(c, ks, 1, 2, 0);
  c.w.integer(1);
}

function setexGeneric(c: ExecContext, seconds: boolean, name: string): void {
  const expire = expireFromArg(c, 2, seconds, true, name);
  if (expire < 0) return;
  setValue(c, c.ks(1), 1, 3, expire);
  c.w.ok();
}

function getset(c: ExecContext): void {
  const ks = c.ks(1);
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1));
  if (!replyStringOrNull(c, ks, e)) return;
  setValue(c, ks, 1, 2, 0);
}

function getdel(c: ExecContext): void {
  const ks = c.ks(1);
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1));
  if (!replyStringOrNull(c, ks, e) || e === 0) return;
  ks.deleteFound(c.db, e);
}

function getex(c: ExecContext): void {
  const o = parseSetOptions(c, 2, false);
  if (o === null) return;
  const flags = o.flags;
  const ks = c.ks(1);
  let e = ks.lookup(c.db, c.buf, c.start(1), c.len(1));
  if (e === 0) {
    c.w.nullBulk();
    return;
  }
  if (ks.type(e) !== ObjType.String) {
    c.w.error(E.wrongType);
    return;
  }
  let expire = 0;
  if (o.expireArg) {
    expire = expireFromArg(c, o.expireArg, (flags & (F_EX | F_EXAT)) !== 0, (flags & (F_EX | F_PX)) !== 0, 'getex');
    if (expire < 0) return;
  }
  const v = ks.valueOf(e);
  c.w.bulk(ks.a.u8, v.start, v.start + v.len);
  if (o.expireArg) {
    e = ks.find(c.db, c.buf, c.start(1), c.len(1));
    if (flags & (F_EXAT | F_PXAT) && expire <= ks.now) ks.deleteFound(c.db, e);
    else ks.setExpire(c.db, e, expire);
  } else if (flags & F_PERSIST) {
    e = ks.find(c.db, c.buf, c.start(1), c.len(1));
    ks.setExpire(c.db, e, 0);
  }
}

function mget(c: ExecContext): void {
  c.w.arrayHeader(c.argc - 1);
  for (let i = 1; i < c.argc; i++) {
    const ks = c.ks(i);
    const e = ks.lookup(c.db, c.buf, c.start(i), c.len(i));
    if (e === 0 || ks.type(e) !== ObjType.String) c.w.nullBulk();
    else {
      const v = ks.valueOf(e);
      c.w.bulk(ks.a.u8, v.start, v.start + v.len);
    }
  }
}

function msetGeneric(c: ExecContext, nx: boolean): void {
  if (c.argc % 2 === 0) {
    c.w.error(E.arity(c.spec.name));
    return;
  }
  if (nx) {
    for (let i = 1; i < c.argc; i += 2) {
      if (c.ks(i).lookup(c.db, c.buf, c.start(i), c.len(i), false) !== 0) {
        c.w.integer(0);
        return;
      }
    }
  }
  for (let i = 1; i < c.argc; i += 2) setValue(c, c.ks(i), i, i + 1, 0);
  if (nx) c.w.integer(1);
  else c.w.ok();
}

function append(c: ExecContext): void {
  const ks = c.ks(1);
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1));
  if (e === 0) {
    setValue(c, ks, 1, 2, 0);
    c.w.integer(c.len(2));
    return;
  }
  if (ks.type(e) !== ObjType.String) {
    c.w.error(E.wrongType);
    return;
  }
  const cur = ks.valueOf(e).len;
  const total = cur + c.len(2);
  if (total > c.settings.protoMaxBulkLen) {
    c.w.error(E.stringTooBig);
    return;
  }
  const ne = ks.makeRawWithLength(c.db, e, total);
  const v = ks.valueOf(ne);
  ks.a.u8.set(c.bytes(2), v.start + cur);
  c.w.integer(total);
}

function strlen(c: ExecContext): void {
  const ks = c.ks(1);
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1));
  if (e === 0) c.w.integer(0);
  else if (ks.type(e) !== ObjType.String) c.w.error(E.wrongType);
  else c.w.integer(ks.valueOf(e).len);
}

const digits = new Uint8Array(24);

function incrDecr(c: ExecContext, by: number | bigint): void {
  const ks = c.ks(1);
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1));
  let cur: number | bigint = 0;
  let expire = 0;
  if (e !== 0) {
    if (ks.type(e) !== ObjType.String) {
      c.w.error(E.wrongType);
      return;
    }
    const v = ks.valueOf(e);
    const parsed = parseInt64(ks.a.u8, v.start, v.start + v.len);
    if (parsed === null) {
      c.w.error(E.notInt);
      return;
    }
    cur = parsed;
    expire = ks.expireAt(e);
  }
  const next = int64Add(cur, by);
  if (next === null) {
    c.w.error(E.overflow);
    return;
  }
  const n = writeDecimal(digits, 0, next);
  // the entry just found is still linked where lookup left it: rewrite it when it fits
  if (e === 0 || !ks.rewriteInPlace(e, digits, 0, n, Enc.Int)) {
    ks.setString(c.db, c.buf, c.start(1), c.len(1), digits, 0, n, Enc.Int, expire > 0 ? expire : 0);
  }
  c.w.integer(next);
}

function incr(c: ExecContext): void {
  incrDecr(c, 1);
}
function decr(c: ExecContext): void {
  incrDecr(c, -1);
}
function incrby(c: ExecContext): void {
  const by = c.intOrReply(2);
  if (by !== null) incrDecr(c, by);
}
function decrby(c: ExecContext): void {
  const by = c.intOrReply(2);
  if (by === null) return;
  if (by === -9223372036854775808n) {
    c.w.error('ERR decrement would overflow');
    return;
  }
  incrDecr(c, typeof by === 'bigint' ? -by : -by);
}

function incrbyfloat(c: ExecContext): void {
  const ks = c.ks(1);
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1));
  let cur: Uint8Array | null = null;
  let expire = 0;
  if (e !== 0) {
    if (ks.type(e) !== ObjType.String) {
      c.w.error(E.wrongType);
      return;
    }
    const v = ks.valueOf(e);
    cur = ks.a.u8.subarray(v.start, v.start + v.len);
    expire = ks.expireAt(e);
  }
  const r = incrByFloat(cur, c.bytes(2));
  if (!r.ok) {
    c.w.error(INCRBYFLOAT_ERRORS[r.err]);
    return;
  }
  const b = Buffer.from(r.value, 'latin1');
  ks.setString(c.db, c.buf, c.start(1), c.len(1), b, 0, b.length, b.length <= EMBSTR_MAX ? Enc.Embstr : Enc.Raw, expire > 0 ? expire : 0);
  c.w.bulk(b);
}

function getrange(c: ExecContext): void {
  let start = c.longOrReply(2);
  if (start === null) return;
  let end = c.longOrReply(3);
  if (end === null) return;
  const ks = c.ks(1);
  const e = ks.lookup(c.db, c.buf, c.start(1), c.len(1));
  if (e === 0) {
    c.w.bulkAscii('');
    return;
  }
  if (ks.type(e) !== ObjType.String) {
    c.w.error(E.wrongType);
    return;
  }
  const v = ks.valueOf(e);
  const n = v.len;
  if (start < 0 && end < 0 && start > end) {
    c.w.bulkAscii('');
    return;
  }
  if (start < 0) start = n + start;
  if (end < 0) end = n + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= n) end = n - 1;
  if (start > end || n === 0) {
    c.w.bulkAscii('');
    return;
  }
  c.w.bulk(ks.a.u8, v.start + start, v.start + end + 1);
}

function setrange(c: ExecContext): void {
  const offset = c.longOrReply(2);
  if (offset === null) return;
  if (offset < 0) {
    c.w.error(E.offsetRange);
    return;
  }
  const ks = c.ks(1);
  const vlen = c.len(3);
  let e = ks.lookup(c.db, c.buf, c.start(1), c.len(1));
  if (e === 0) {
    if (vlen === 0) {
      c.w.integer(0);
      return;
    }
    if (offset + vlen > c.settings.protoMaxBulkLen) {
      c.w.error(E.stringTooBig);
      return;
    }
    // create an empty raw string, then grow it
    ks.setString(c.db, c.buf, c.start(1), c.len(1), c.buf, 0, 0, Enc.Raw, 0);
    e = ks.find(c.db, c.buf, c.start(1), c.len(1));
  } else {
    if (ks.type(e) !== ObjType.String) {
      c.w.error(E.wrongType);
      return;
    }
    const olen = ks.valueOf(e).len;
    if (vlen === 0) {
      c.w.integer(olen);
      return;
    }
    if (offset + vlen > c.settings.protoMaxBulkLen) {
      c.w.error(E.stringTooBig);
      return;
    }
  }
  const cur = ks.valueOf(e).len;
  const need = Math.max(cur, offset + vlen);
  const ne = ks.makeRawWithLength(c.db, e, need);
  const v = ks.valueOf(ne);
  ks.a.u8.set(c.bytes(3), v.start + offset);
  c.w.integer(need);
}

function lcs(c: ExecContext): void {
  const ka = c.ks(1);
  const kb = c.ks(2);
  const ea = ka.lookup(c.db, c.buf, c.start(1), c.len(1));
  const eb = kb.lookup(c.db, c.buf, c.start(2), c.len(2));
  if ((ea !== 0 && ka.type(ea) !== ObjType.String) || (eb !== 0 && kb.type(eb) !== ObjType.String)) {
    c.w.error('ERR The specified keys must contain string values');
    return;
  }
  let a: Uint8Array = new Uint8Array(0);
  let b: Uint8Array = new Uint8Array(0);
  if (ea !== 0) {
    const v = ka.valueOf(ea);
    a = ka.a.u8.slice(v.start, v.start + v.len);
  }
  if (eb !== 0) {
    const v = kb.valueOf(eb);
    b = kb.a.u8.slice(v.start, v.start + v.len);
  }
  let getlen = false;
  let getidx = false;
  let withmatchlen = false;
  let minmatchlen = 0;
  for (let j = 3; j < c.argc; j++) {
    const more = c.argc - j - 1;
    if (c.is(j, 'idx')) getidx = true;
    else if (c.is(j, 'len')) getlen = true;
    else if (c.is(j, 'withmatchlen')) withmatchlen = true;
    else if (c.is(j, 'minmatchlen') && more) {
      const m = c.longOrReply(j + 1);
      if (m === null) return;
      minmatchlen = m < 0 ? 0 : m;
      j++;
    } else {
      c.w.error(E.syntax);
      return;
    }
  }
  if (getidx && getlen) {
    c.w.error('ERR If you want both the length and indexes, please just use IDX.');
    return;
  }
  const alen = a.length;
  const blen = b.length;
  if ((alen + 1) * (blen + 1) > 0x3fffffff) {
    c.w.error('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
    return;
  }
  const W = blen + 1;
  const dp = new Uint32Array((alen + 1) * W);
  for (let i = 1; i <= alen; i++) {
    for (let j = 1; j <= blen; j++) {
      if (a[i - 1] === b[j - 1]) dp[i * W + j] = dp[(i - 1) * W + j - 1] + 1;
      else {
        const l1 = dp[(i - 1) * W + j];
        const l2 = dp[i * W + j - 1];
        dp[i * W + j] = l1 > l2 ? l1 : l2;
      }
    }
  }
  const total = dp[alen * W + blen];
  if (getlen) {
    c.w.integer(total);
    return;
  }
  // Walk back from the end, collecting the common sequence and, for IDX,
  // the matching ranges (reported from the last one to the first).
  const result = new Uint8Array(total);
  let idx = total;
  let i = alen;
  let j = blen;
  let aStart = alen;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  const ranges: number[] = [];
  while (i > 0 && j > 0) {
    let emit = false;
    if (a[i - 1] === b[j - 1]) {
      result[idx - 1] = a[i - 1];
      if (aStart === alen) {
        aStart = i - 1;
        aEnd = i - 1;
        bStart = j - 1;
        bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else emit = true;
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      const l1 = dp[(i - 1) * W + j];
      const l2 = dp[i * W + j - 1];
      if (l1 > l2) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const mlen = aEnd - aStart + 1;
      if (minmatchlen === 0 || mlen >= minmatchlen) ranges.push(aStart, aEnd, bStart, bEnd, mlen);
      aStart = alen;
    }
  }
  if (!getidx) {
    c.w.bulk(result);
    return;
  }
  const w = c.w;
  w.mapHeader(2);
  w.bulkAscii('matches');
  w.arrayHeader(ranges.length / 5);
  for (let k = 0; k < ranges.length; k += 5) {
    w.arrayHeader(withmatchlen ? 3 : 2);
    w.arrayHeader(2);
    w.integer(ranges[k]);
    w.integer(ranges[k + 1]);
    w.arrayHeader(2);
    w.integer(ranges[k + 2]);
    w.integer(ranges[k + 3]);
    if (withmatchlen) w.integer(ranges[k + 4]);
  }
  w.bulkAscii('len');
  w.integer(total);
}

// ---- table ----

/**
 * SET's key flags for COMMAND GETKEYSANDFLAGS (its key spec has variable
 * flags): read and updated with a GET argument, else overwritten. Any
 * argument after the value counts, as in Redis.
 */
function setKeyFlags(buf: Uint8Array, offs: Int32Array, argc: number): string {
  for (let i = 3; i < argc; i++) {
    const s = offs[i * 2];
    const n = offs[i * 2 + 1];
    // compared as a C string: "get" followed by its end or a NUL byte
    if (n >= 3 && (buf[s] | 0x20) === 0x67 && (buf[s + 1] | 0x20) === 0x65 && (buf[s + 2] | 0x20) === 0x74 && (n === 3 || buf[s + 3] === 0)) return 'RW access update';
  }
  return 'OW update';
}

const str = shardRowBuilder('string', (acl) => ['string', ...acl]);

register([
  str('get', 2, ['readonly', 'fast'], [1, 1, 1], ['read', 'fast'], '1.0.0', 'Get the value of a key', 'O(1)', get, { args: [arg.key('key')] }),
  str('set', -3, ['write', 'denyoom'], [1, 1, 1], ['write', 'slow'], '1.0.0', 'Set the string value of a key', 'O(1)', set, {
    keyspaceStats: true,
    keySpecs: [{ notes: 'RW and ACCESS due to the optional `GET` argument', flags: 'RW access update variable_flags', begin: 1 }],
    keyFlagsAt: setKeyFlags,
    history: [
      ['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'],
      ['6.0.0', 'Added the `KEEPTTL` option.'],
      ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'],
      ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.'],
    ],
    args: [
      arg.key('key'),
      arg.str('value'),
      arg.oneof('condition ? @2.6.12', arg.tok('NX'), arg.tok('XX')),
      arg.tok('GET ? @6.2.0'),
      arg.oneof(
        'expiration ?',
        arg.int('EX seconds @2.6.12'),
        arg.int('PX milliseconds @2.6.12'),
        arg.time('EXAT unix-time-seconds @6.2.0'),
        arg.time('PXAT unix-time-milliseconds @6.2.0'),
        arg.tok('KEEPTTL @6.0.0'),
      ),
    ],
  }),
  str('setnx', 3, ['write', 'denyoom', 'fast'], [1, 1, 1], ['write', 'fast'], '1.0.0', 'Set the value of a key, only if the key does not exist', 'O(1)', setnx, {
    keySpecs: [{ flags: 'OW insert', begin: 1 }],
    args: [arg.key('key'), arg.str('value')],
  }),
  str('setex', 4, ['write', 'denyoom'], [1, 1, 1], ['write', 'slow'], '2.0.0', 'Set the value and expiration of a key', 'O(1)', (c) => setexGeneric(c, true, 'setex'), {
    keySpecs: [{ flags: 'OW update', begin: 1 }],
    args: [arg.key('key'), arg.int('seconds'), arg.str('value')],
  }),
  str('psetex', 4, ['write', 'denyoom'], [1, 1, 1], ['write', 'slow'], '2.6.0', 'Set the value and expiration in milliseconds of a key', 'O(1)', (c) => setexGeneric(c, false, 'psetex'), {
    keySpecs: [{ flags: 'OW update', begin: 1 }],
    args: [arg.key('key'), arg.int('milliseconds'), arg.str('value')],
  }),
  str('getset', 3, ['write', 'denyoom', 'fast'], [1, 1, 1], ['write', 'fast'], '1.0.0', 'Set the string value of a key and return its old value', 'O(1)', getset, {
    keyspaceStats: true,
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`SET` with the `!GET` argument',
    keySpecs: [{ flags: 'RW access update', begin: 1 }],
    args: [arg.key('key'), arg.str('value')],
  }),
  str('getdel', 2, ['write', 'fast'], [1, 1, 1], ['write', 'fast'], '6.2.0', 'Get the value of a key and delete the key', 'O(1)', getdel, {
    keyspaceStats: true,
    keySpecs: [{ flags: 'RW access delete', begin: 1 }],
    args: [arg.key('key')],
  }),
  str('getex', -2, ['write', 'fast'], [1, 1, 1], ['write', 'fast'], '6.2.0', 'Get the value of a key and optionally set its expiration', 'O(1)', getex, {
    keyspaceStats: true,
    keySpecs: [{ notes: 'RW and UPDATE because it changes the TTL', flags: 'RW access update', begin: 1 }],
    args: [
      arg.key('key'),
      arg.oneof(
        'expiration ?',
        arg.int('EX seconds'),
        arg.int('PX milliseconds'),
        arg.time('EXAT unix-time-seconds'),
        arg.time('PXAT unix-time-milliseconds'),
        arg.tok('PERSIST'),
      ),
    ],
  }),
  str('mget', -2, ['readonly', 'fast'], [1, -1, 1], ['read', 'fast'], '1.0.0', 'Get the values of all the given keys', 'O(N) where N is the number of keys to retrieve.', mget, {
    tips: ['request_policy:multi_shard'],
    args: [arg.key('key *')],
  }),
  str('mset', -3, ['write', 'denyoom'], [1, -1, 2], ['write', 'slow'], '1.0.1', 'Set multiple keys to multiple values', 'O(N) where N is the number of keys to set.', (c) => msetGeneric(c, false), {
    keySpecs: [{ flags: 'OW update', begin: 1, find: keyRange(-1, 2) }],
    tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'],
    args: [arg.block('key_value *', arg.key('key'), arg.str('value'))],
  }),
  str('msetnx', -3, ['write', 'denyoom'], [1, -1, 2], ['write', 'slow'], '1.0.1', 'Set multiple keys to multiple values, only if none of the keys exist', 'O(N) where N is the number of keys to set.', (c) => msetGeneric(c, true), {
    keySpecs: [{ flags: 'OW insert', begin: 1, find: keyRange(-1, 2) }],
    tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
    args: [arg.block('key_value *', arg.key('key'), arg.str('value'))],
  }),
  str('append', 3, ['write', 'denyoom', 'fast'], [1, 1, 1], ['write', 'fast'], '2.0.0', 'Append a value to a key', 'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.', append, {
    keySpecs: [{ flags: 'RW insert', begin: 1 }],
    args: [arg.key('key'), arg.str('value')],
  }),
  str('strlen', 2, ['readonly', 'fast'], [1, 1, 1], ['read', 'fast'], '2.2.0', 'Get the length of the value stored in a key', 'O(1)', strlen, { keySpecs: [{ flags: 'RO', begin: 1 }], args: [arg.key('key')] }),
  str('incr', 2, ['write', 'denyoom', 'fast'], [1, 1, 1], ['write', 'fast'], '1.0.0', 'Increment the integer value of a key by one', 'O(1)', incr, {
    keySpecs: [{ flags: 'RW access update', begin: 1 }],
    args: [arg.key('key')],
  }),
  str('decr', 2, ['write', 'denyoom', 'fast'], [1, 1, 1], ['write', 'fast'], '1.0.0', 'Decrement the integer value of a key by one', 'O(1)', decr, {
    keySpecs: [{ flags: 'RW access update', begin: 1 }],
    args: [arg.key('key')],
  }),
  str('incrby', 3, ['write', 'denyoom', 'fast'], [1, 1, 1], ['write', 'fast'], '1.0.0', 'Increment the integer value of a key by the given amount', 'O(1)', incrby, {
    keySpecs: [{ flags: 'RW access update', begin: 1 }],
    args: [arg.key('key'), arg.int('increment')],
  }),
  str('decrby', 3, ['write', 'denyoom', 'fast'], [1, 1, 1], ['write', 'fast'], '1.0.0', 'Decrement the integer value of a key by the given number', 'O(1)', decrby, {
    keySpecs: [{ flags: 'RW access update', begin: 1 }],
    args: [arg.key('key'), arg.int('decrement')],
  }),
  str('incrbyfloat', 3, ['write', 'denyoom', 'fast'], [1, 1, 1], ['write', 'fast'], '2.6.0', 'Increment the float value of a key by the given amount', 'O(1)', incrbyfloat, {
    keySpecs: [{ flags: 'RW access update', begin: 1 }],
    args: [arg.key('key'), arg.dbl('increment')],
  }),
  str('getrange', 4, ['readonly'], [1, 1, 1], ['read', 'slow'], '2.4.0', 'Get a substring of the string stored at a key', 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.', getrange, { args: [arg.key('key'), arg.int('start'), arg.int('end')] }),
  str('substr', 4, ['readonly'], [1, 1, 1], ['read', 'slow'], '1.0.0', 'Get a substring of the string stored at a key', 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.', getrange, {
    docFlags: ['deprecated'],
    deprecatedSince: '2.0.0',
    replacedBy: '`GETRANGE`',
    args: [arg.key('key'), arg.int('start'), arg.int('end')],
  }),
  str('setrange', 4, ['write', 'denyoom'], [1, 1, 1], ['write', 'slow'], '2.2.0', 'Overwrite part of a string at key starting at the specified offset', 'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.', setrange, {
    args: [arg.key('key'), arg.int('offset'), arg.str('value')],
  }),
  str('lcs', -3, ['readonly'], [1, 2, 1], ['read', 'slow'], '7.0.0', 'Find longest common substring', 'O(N*M) where N and M are the lengths of s1 and s2, respectively', lcs, {
    args: [arg.key('key1'), arg.key('key2'), arg.tok('LEN ?'), arg.tok('IDX ?'), arg.int('MINMATCHLEN len ?'), arg.tok('WITHMATCHLEN ?')],
  }),
]);
