// Connection and server commands, run on the main I/O thread.

import { Exec, register, commands, lookupCommand, topLevelCommands, keyIndexes, keyRange, keySpecFlags, sortKeyFlags, type CommandRow, type CommandSpec, type KeySpec } from './table';
import { E } from './errors';
import * as arg from './docs';
import { replyHelp, refcountOf } from './keyspace_family';
import type { MainContext } from '../server/main_context';
import type { ExecContext } from '../shard/exec_context';
import { ReplyMode } from '../server/connection';
import { globMatchStr } from '../util/glob';
import { parseInt64 } from '../util/numbers';
import { argIs } from '../util/strings';
import { ObjType, ENC_NAMES } from '../store/keyspace';
import { ql } from '../store/list_value';

export const REDIS_VERSION = '7.0.15';

function ping(c: MainContext): void {
  if (c.argc > 2) return c.w.error(E.arity('ping'));
  if (c.argc === 2) c.w.bulk(c.bytes(1));
  else c.w.simple('PONG');
}

function echo(c: MainContext): void {
  c.w.bulk(c.bytes(1));
}

function quit(c: MainContext): void {
  c.w.ok();
  c.conn.closeAfterReply = true;
}

function select(c: MainContext): void {
  const v = c.int(1);
  if (v === null) return c.w.error(E.notInt);
  if (typeof v === 'bigint' || v > 2147483647 || v < -2147483648) return c.w.error(E.intRange);
  if (v < 0 || v >= c.server.config.num('databases')) return c.w.error(E.dbRange);
  c.conn.db = v;
  c.w.ok();
}

function checkPassword(c: MainContext, user: string, pass: string): boolean {
  const required = c.server.config.str('requirepass');
  if (user !== 'default' || (required !== '' && pass !== required)) {
    c.w.error('WRONGPASS invalid username-password pair or user is disabled.');
    return false;
  }
  return true;
}

function auth(c: MainContext): void {
  if (c.argc > 3) return c.w.error(E.syntax);
  const required = c.server.config.str('requirepass');
  if (c.argc === 2 && required === '') {
    return c.w.error('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
  }
  const user = c.argc === 3 ? c.utf8(1) : 'default';
  const pass = c.utf8(c.argc - 1);
  if (!checkPassword(c, user, pass)) return;
  c.conn.authenticated = true;
  c.w.ok();
}

function hello(c: MainContext): void {
  let ver = c.conn.resp as number;
  let j = 1;
  if (c.argc >= 2) {
    const v = c.int(1);
    if (v === null || typeof v === 'bigint') return c.w.error('ERR Protocol version is not an integer or out of range');
    if (v < 2 || v > 3) return c.w.error('NOPROTO unsupported protocol version');
    ver = v;
    j = 2;
  }
  let name: string | null = null;
  for (; j < c.argc; j++) {
    const more = c.argc - j - 1;
    if (c.is(j, 'auth') && more >= 2) {
      if (!checkPassword(c, c.utf8(j + 1), c.utf8(j + 2))) return;
      c.conn.authenticated = true;
      j += 2;
    } else if (c.is(j, 'setname') && more >= 1) {
      name = c.utf8(j + 1);
      if (!validClientName(name)) return c.w.error('ERR Client names cannot contain spaces, newlines or special characters.');
      j++;
    } else {
      return c.w.error(`ERR Syntax error in HELLO option '${c.cstr(j)}'`);
    }
  }
  if (c.server.config.str('requirepass') !== '' && !c.conn.authenticated) {
    return c.w.error('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
  }
  if (name !== null) c.conn.name = name;
  c.conn.resp = ver as 2 | 3;
  c.w.resp = c.conn.resp;
  const w = c.w;
  w.mapHeader(7);
  w.bulkAscii('server');
  w.bulkAscii('redis');
  w.bulkAscii('version');
  w.bulkAscii(REDIS_VERSION);
  w.bulkAscii('proto');
  w.integer(ver);
  w.bulkAscii('id');
  w.integer(c.conn.id);
  w.bulkAscii('mode');
  w.bulkAscii('standalone');
  w.bulkAscii('role');
  w.bulkAscii('master');
  w.bulkAscii('modules');
  w.arrayHeader(0);
}

function reset(c: MainContext): void {
  const conn = c.conn;
  conn.db = 0;
  conn.resp = 2;
  c.w.resp = 2;
  conn.name = '';
  conn.replyOn(true);
  conn.noEvict = false;
  conn.noTouch = false;
  conn.authenticated = c.server.config.str('requirepass') === '';
  c.w.simple('RESET');
}

function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) return false;
  }
  return true;
}

// ---- CLIENT ----

const CLIENT_HELP = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'HELP',
  '    Prints this help.',
];

function clientSetname(c: MainContext): void {
  const name = c.utf8(2);
  if (!validClientName(name) && name !== '') return c.w.error('ERR Client names cannot contain spaces, newlines or special characters.');
  c.conn.name = name;
  c.w.ok();
}

function clientGetname(c: MainContext): void {
  if (c.conn.name === '') c.w.nullBulk();
  else c.w.bulkString(c.conn.name);
}

function clientList(c: MainContext): void {
  let conns = [...c.server.clients.values()];
  for (let j = 2; j < c.argc; j++) {
    if (c.is(j, 'type') && j + 1 < c.argc) {
      const t = c.str(j + 1).toLowerCase();
      if (!['normal', 'master', 'replica', 'slave', 'pubsub'].includes(t)) return c.w.error(`ERR Unknown client type '${c.cstr(j + 1)}'`);
      if (t !== 'normal') conns = [];
      j++;
    } else if (c.is(j, 'id') && j + 1 < c.argc) {
      const ids = new Set<number>();
      for (j = j + 1; j < c.argc; j++) {
        const v = c.int(j);
        if (v === null || typeof v === 'bigint' || v <= 0) return c.w.error('ERR Invalid client ID');
        ids.add(v);
      }
      conns = conns.filter((x) => ids.has(x.id));
    } else return c.w.error(E.syntax);
  }
  c.w.verbatim(conns.map((x) => c.server.clientInfoLine(x) + '\n').join(''));
}

function clientKill(c: MainContext): void {
  const server = c.server;
  if (c.argc === 3) {
    const addr = c.str(2);
    const victim = [...server.clients.values()].find((x) => x.addr === addr);
    if (!victim) return c.w.error('ERR No such client');
    server.killClient(victim, victim === c.conn);
    return c.w.ok();
  }
  if ((c.argc - 2) % 2 !== 0) return c.w.error(E.syntax);
  let skipme = true;
  const filters: ((x: import('../server/connection').Connection) => boolean)[] = [];
  for (let j = 2; j < c.argc; j += 2) {
    const v = c.str(j + 1);
    if (c.is(j, 'id')) {
      const id = c.int(j + 1);
      if (id === null || typeof id === 'bigint' || id <= 0) return c.w.error('ERR client-id should be greater than 0');
      filters.push((x) => x.id === id);
    } else if (c.is(j, 'addr')) filters.push((x) => x.addr === v);
    else if (c.is(j, 'laddr')) filters.push((x) => x.laddr === v);
    else if (c.is(j, 'type')) {
      const t = v.toLowerCase();
      if (!['normal', 'master', 'replica', 'slave', 'pubsub'].includes(t)) return c.w.error(`ERR Unknown client type '${c.cstr(j + 1)}'`);
      filters.push(() => t === 'normal');
    } else if (c.is(j, 'user')) filters.push(() => v === 'default');
    else if (c.is(j, 'skipme')) {
      const y = v.toLowerCase();
      if (y === 'yes') skipme = true;
      else if (y === 'no') skipme = false;
      else return c.w.error(E.syntax);
    } else if (c.is(j, 'maxage')) {
      const age = c.int(j + 1);
      if (age === null) return c.w.error(E.notInt);
      filters.push((x) => (Date.now() - x.createdAt) / 1000 >= Number(age));
    } else return c.w.error(E.syntax);
  }
  let killed = 0;
  for (const x of [...server.clients.values()]) {
    if (skipme && x === c.conn) continue;
    if (filters.every((f) => f(x))) {
      server.killClient(x, x === c.conn);
      killed++;
    }
  }
  c.w.integer(killed);
}

function clientPause(c: MainContext): void {
  const v = c.int(2);
  if (v === null || typeof v === 'bigint') return c.w.error('ERR timeout is not an integer or out of range');
  if (v < 0) return c.w.error('ERR timeout is negative');
  let all = true;
  if (c.argc === 4) {
    if (c.is(3, 'write')) all = false;
    else if (!c.is(3, 'all')) return c.w.error('ERR CLIENT PAUSE mode must be WRITE or ALL');
  } else if (c.argc > 4) return c.w.error(E.syntax);
  c.server.pauseClients(Date.now() + v, all);
  c.w.ok();
}

function clientReply(c: MainContext): void {
  if (c.is(2, 'on')) {
    c.conn.replyOn(false);
    c.w.ok();
  } else if (c.is(2, 'off')) c.conn.replyMode = ReplyMode.Off;
  else if (c.is(2, 'skip')) {
    if (c.conn.replyMode === ReplyMode.On) c.conn.skipNext = true;
  } else c.w.error(E.syntax);
}

function onOff(c: MainContext, set: (v: boolean) => void): void {
  if (c.is(2, 'on')) set(true);
  else if (c.is(2, 'off')) set(false);
  else return c.w.error(E.syntax);
  c.w.ok();
}

function clientSetinfo(c: MainContext): void {
  const v = c.utf8(3);
  if (c.is(2, 'lib-name')) {
    if (!validClientName(v) && v !== '') return c.w.error(`ERR lib-name cannot contain spaces, newlines or special characters.`);
    c.conn.libName = v;
  } else if (c.is(2, 'lib-ver')) {
    if (!validClientName(v) && v !== '') return c.w.error(`ERR lib-ver cannot contain spaces, newlines or special characters.`);
    c.conn.libVer = v;
  } else return c.w.error(`ERR Unrecognized option '${c.cstr(2)}'`);
  c.w.ok();
}

function clientUnblock(c: MainContext): void {
  if (c.argc > 4) return c.w.error(E.subcommand(c.str(1), 'CLIENT'));
  // as Redis: the reason is checked before the id
  if (c.argc === 4 && !c.is(3, 'timeout') && !c.is(3, 'error')) return c.w.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
  const v = c.int(2);
  if (v === null) return c.w.error(E.notInt);
  const target = typeof v === 'number' ? c.server.clients.get(v) : undefined;
  const done = target !== undefined && c.server.blocking.unblockCommand(target, c.argc === 4 && c.is(3, 'error'));
  c.w.integer(done ? 1 : 0);
}

// ---- COMMAND ----

const COMMAND_HELP = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
  'HELP',
  '    Prints this help.',
];

function replyFlagSet(c: MainContext, flags: readonly string[]): void {
  c.w.setHeader(flags.length);
  for (const f of flags) c.w.simple(f);
}

/** One key spec as Redis 7.0 replies it: a map (a flat array in RESP2), notes first when there are some. */
function replyKeySpec(c: MainContext, ks: KeySpec): void {
  const w = c.w;
  w.mapHeader(ks.notes !== undefined ? 4 : 3);
  if (ks.notes !== undefined) {
    w.bulkAscii('notes');
    w.bulkString(ks.notes);
  }
  w.bulkAscii('flags');
  replyFlagSet(c, keySpecFlags(ks));
  const b = ks.begin;
  w.bulkAscii('begin_search');
  if (typeof b === 'number') replyTyped(c, 'index', [['index', b]]);
  else if (b === 'unknown') replyTyped(c, 'unknown', []);
  else replyTyped(c, 'keyword', [['keyword', b.keyword], ['startfrom', b.startfrom]]);
  const f = ks.find ?? keyRange(0);
  w.bulkAscii('find_keys');
  if (f === 'unknown') replyTyped(c, 'unknown', []);
  else if ('lastkey' in f) replyTyped(c, 'range', [['lastkey', f.lastkey], ['keystep', f.keystep], ['limit', f.limit]]);
  else replyTyped(c, 'keynum', [['keynumidx', f.keynumidx], ['firstkey', f.firstkey], ['keystep', f.keystep]]);
}

/** A key spec's begin_search or find_keys: {type, spec: {field: value...}}. */
function replyTyped(c: MainContext, type: string, spec: [string, number | string][]): void {
  const w = c.w;
  w.mapHeader(2);
  w.bulkAscii('type');
  w.bulkAscii(type);
  w.bulkAscii('spec');
  w.mapHeader(spec.length);
  for (const [name, v] of spec) {
    w.bulkAscii(name);
    if (typeof v === 'number') w.integer(v);
    else w.bulkString(v);
  }
}

function replyCommandInfo(c: MainContext, spec: CommandSpec): void {
  const w = c.w;
  w.arrayHeader(10);
  w.bulkString(spec.fullName);
  w.integer(spec.arity);
  replyFlagSet(c, spec.flags);
  w.integer(spec.firstKey);
  w.integer(spec.lastKey);
  w.integer(spec.step);
  w.setHeader(spec.acl.length);
  for (const a of spec.acl) w.simple('@' + a);
  // tips and key specs are sets in RESP3
  w.setHeader(spec.tips.length);
  for (const t of spec.tips) w.bulkString(t);
  w.setHeader(spec.keySpecs.length);
  for (const ks of spec.keySpecs) replyKeySpec(c, ks);
  // as Redis: no subcommands is an empty set, subcommands an array
  if (!spec.subs) return w.setHeader(0);
  const subs = [...spec.subs.values()];
  w.arrayHeader(subs.length);
  for (const s of subs) replyCommandInfo(c, s);
}

/** One argument of COMMAND DOCS: a map of its fields, in Redis 7.0's order. */
function replyArgDoc(c: MainContext, a: arg.ArgDoc): void {
  const w = c.w;
  let n = 2;
  if (a.keySpecIndex !== undefined) n++;
  if (a.token !== undefined) n++;
  if (a.since !== undefined) n++;
  if (a.deprecatedSince !== undefined) n++;
  if (a.flags.length > 0) n++;
  if (a.args) n++;
  w.mapHeader(n);
  w.bulkAscii('name');
  w.bulkString(a.name);
  w.bulkAscii('type');
  w.bulkAscii(a.type);
  if (a.keySpecIndex !== undefined) {
    w.bulkAscii('key_spec_index');
    w.integer(a.keySpecIndex);
  }
  if (a.token !== undefined) {
    w.bulkAscii('token');
    w.bulkString(a.token);
  }
  if (a.since !== undefined) {
    w.bulkAscii('since');
    w.bulkAscii(a.since);
  }
  if (a.deprecatedSince !== undefined) {
    w.bulkAscii('deprecated_since');
    w.bulkAscii(a.deprecatedSince);
  }
  if (a.flags.length > 0) {
    w.bulkAscii('flags');
    w.setHeader(a.flags.length);
    for (const f of a.flags) w.simple(f);
  }
  if (a.args) {
    w.bulkAscii('arguments');
    w.arrayHeader(a.args.length);
    for (const x of a.args) replyArgDoc(c, x);
  }
}

/** COMMAND DOCS of one command: a map of the fields it has, in Redis 7.0's order. */
function replyCommandDocs(c: MainContext, spec: CommandSpec): void {
  const w = c.w;
  const fields: [string, () => void][] = [
    ['summary', () => w.bulkString(spec.summary)],
    ['since', () => w.bulkAscii(spec.since)],
    ['group', () => w.bulkAscii(spec.group)],
  ];
  if (spec.complexity) fields.push(['complexity', () => w.bulkString(spec.complexity!)]);
  if (spec.docFlags) {
    fields.push([
      'doc_flags',
      () => {
        w.setHeader(spec.docFlags!.length);
        for (const f of spec.docFlags!) w.simple(f);
      },
    ]);
  }
  if (spec.deprecatedSince) fields.push(['deprecated_since', () => w.bulkAscii(spec.deprecatedSince!)]);
  if (spec.replacedBy) fields.push(['replaced_by', () => w.bulkString(spec.replacedBy!)]);
  if (spec.history) {
    fields.push([
      'history',
      () => {
        // a set of [version, description] pairs
        w.setHeader(spec.history!.length);
        for (const [version, what] of spec.history!) {
          w.arrayHeader(2);
          w.bulkAscii(version);
          w.bulkString(what);
        }
      },
    ]);
  }
  if (spec.args) {
    fields.push([
      'arguments',
      () => {
        w.arrayHeader(spec.args!.length);
        for (const a of spec.args!) replyArgDoc(c, a);
      },
    ]);
  }
  if (spec.subs) {
    fields.push([
      'subcommands',
      () => {
        w.mapHeader(spec.subs!.size);
        for (const s of spec.subs!.values()) {
          w.bulkString(s.fullName);
          replyCommandDocs(c, s);
        }
      },
    ]);
  }
  w.mapHeader(fields.length);
  for (const [k, f] of fields) {
    w.bulkAscii(k);
    f();
  }
}

function commandAll(c: MainContext): void {
  const all = topLevelCommands();
  c.w.arrayHeader(all.length);
  for (const s of all) replyCommandInfo(c, s);
}

function commandInfo(c: MainContext): void {
  if (c.argc === 2) return commandAll(c);
  c.w.arrayHeader(c.argc - 2);
  for (let j = 2; j < c.argc; j++) {
    const s = findCommandByFullName(c.str(j));
    if (s) replyCommandInfo(c, s);
    else c.w.nullBulk();
  }
}

function findCommandByFullName(name: string): CommandSpec | undefined {
  const [a, b] = name.toLowerCase().split('|');
  const top = lookupCommand(a);
  if (!top || b === undefined) return top;
  return top.subs?.get(b);
}

function commandDocs(c: MainContext): void {
  const list = c.argc === 2 ? topLevelCommands() : [];
  if (c.argc > 2) {
    for (let j = 2; j < c.argc; j++) {
      const s = findCommandByFullName(c.str(j));
      if (s) list.push(s);
    }
  }
  c.w.mapHeader(list.length);
  for (const s of list) {
    c.w.bulkString(s.fullName);
    replyCommandDocs(c, s);
  }
}

function commandList(c: MainContext): void {
  let names: CommandSpec[] = [];
  for (const s of topLevelCommands()) {
    names.push(s);
    if (s.subs) names.push(...s.subs.values());
  }
  if (c.argc > 2) {
    if (c.argc !== 5 || !c.is(2, 'filterby')) return c.w.error(E.syntax);
    const v = c.str(4);
    if (c.is(3, 'module')) names = [];
    else if (c.is(3, 'aclcat')) names = names.filter((s) => s.acl.includes(v.toLowerCase()));
    else if (c.is(3, 'pattern')) names = names.filter((s) => globMatchStr(v, s.fullName, true));
    else return c.w.error(E.syntax);
  }
  c.w.arrayHeader(names.length);
  for (const s of names) c.w.bulkString(s.fullName);
}

/** A key found in a command's arguments: its argv index and its key-spec flags (Redis's order). */
interface KeyRef {
  pos: number;
  flags: string[];
}

/** C's atoi on an argument: leading spaces, a sign, digits up to the first other byte; strtol's clamping, then an int. */
function atoi(buf: Uint8Array, offs: Int32Array, i: number): number {
  const s = offs[i * 2];
  const end = s + offs[i * 2 + 1];
  let p = s;
  while (p < end && (buf[p] === 32 || (buf[p] >= 9 && buf[p] <= 13))) p++;
  let neg = false;
  if (p < end && (buf[p] === 43 || buf[p] === 45)) neg = buf[p++] === 45;
  let v = 0n;
  while (p < end && buf[p] >= 48 && buf[p] <= 57 && v <= 9223372036854775808n) v = v * 10n + BigInt(buf[p++] - 48);
  if (neg) v = -v;
  if (v > 9223372036854775807n) v = 9223372036854775807n;
  if (v < -9223372036854775808n) v = -9223372036854775808n;
  return Number(BigInt.asIntN(32, v));
}

/**
 * The keys a command's key specs find in argv (argc arguments, argv[0] the
 * command), as Redis's getKeysUsingKeySpecs; null when a spec cannot be used
 * (unknown, incomplete, or the arguments do not fit it).
 */
function keysFromSpecs(specs: KeySpec[], buf: Uint8Array, offs: Int32Array, argc: number): KeyRef[] | null {
  const out: KeyRef[] = [];
  for (const ks of specs) {
    const flags = keySpecFlags(ks);
    if (flags.includes('not_key')) continue;
    let first = 0;
    const b = ks.begin;
    if (typeof b === 'number') first = b;
    else if (b === 'unknown') return null;
    else {
      // a keyword searched forwards from startfrom, or backwards from the end
      const from = b.startfrom > 0 ? b.startfrom : argc + b.startfrom;
      const to = b.startfrom > 0 ? argc - 1 : 1;
      for (let i = from; i !== to; i = from <= to ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argIs(buf, offs, i, b.keyword.toLowerCase())) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue; // no keyword: no keys
    }
    const f = ks.find ?? keyRange(0);
    let last: number;
    let step: number;
    if (f === 'unknown') return null;
    if ('lastkey' in f) {
      step = f.keystep;
      if (f.lastkey >= 0) last = first + f.lastkey;
      else if (f.limit === 0) last = argc + f.lastkey;
      else last = first + (Math.trunc((argc - first) / f.limit) + f.lastkey);
    } else {
      step = f.keystep;
      if (f.keynumidx >= argc || first + f.keynumidx >= argc) return null;
      const at = first + f.keynumidx;
      const n = parseInt64(buf, offs[at * 2], offs[at * 2] + offs[at * 2 + 1]);
      if (n === null || n < 0) return null;
      first += f.firstkey;
      // as Redis: the count is cast to an int
      last = first + (typeof n === 'bigint' ? Number(BigInt.asIntN(32, n)) : n | 0) - 1;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) out.push({ pos: i, flags });
    if (flags.includes('incomplete')) return null;
  }
  return out;
}

/**
 * Redis's key extraction for a numkeys command whose key spec rejected the
 * count (genericGetKeys): the count read with atoi, the keys after it, then
 * a fixed-position destination key; no flags.
 */
function legacyKeynumKeys(specs: KeySpec[], buf: Uint8Array, offs: Int32Array, argc: number): KeyRef[] | null {
  const ks = specs.find((k) => typeof k.find === 'object' && 'keynumidx' in k.find);
  if (!ks || typeof ks.begin !== 'number' || typeof ks.find !== 'object' || !('keynumidx' in ks.find)) return null;
  const countAt = ks.begin + ks.find.keynumidx;
  const firstAt = ks.begin + ks.find.firstkey;
  const step = ks.find.keystep;
  if (countAt >= argc) return null;
  const n = atoi(buf, offs, countAt);
  if (n < 1 || n > Math.trunc((argc - firstAt) / step)) return null;
  const out: KeyRef[] = [];
  for (let i = 0; i < n; i++) out.push({ pos: firstAt + i * step, flags: [] });
  const store = specs.find((k) => k !== ks && typeof k.begin === 'number');
  if (store && typeof store.begin === 'number') out.push({ pos: store.begin, flags: [] });
  return out;
}

/** Whether COMMAND GETKEYS can find keys in the command (Redis's doesCommandHaveKeys). */
function hasKeys(spec: CommandSpec): boolean {
  return spec.keys !== undefined || spec.keyFlagsAt !== undefined || spec.keySpecs.some((ks) => !keySpecFlags(ks).includes('not_key'));
}

/**
 * The keys of a command and their flags, as Redis's getKeysFromCommandWithSpecs:
 * from the key specs when they can tell (no variable flags); else, or when a
 * spec cannot be used, as the command's own key extraction does. null: the
 * arguments are invalid.
 */
function commandKeys(spec: CommandSpec, buf: Uint8Array, offs: Int32Array, argc: number): KeyRef[] | null {
  if (!spec.keySpecs.some((ks) => keySpecFlags(ks).includes('variable_flags'))) {
    const found = keysFromSpecs(spec.keySpecs, buf, offs, argc);
    if (found !== null) return found;
    if (spec.keySpecs.some((ks) => typeof ks.find === 'object' && 'keynumidx' in ks.find)) return legacyKeynumKeys(spec.keySpecs, buf, offs, argc);
  }
  const at = spec.keyFlagsAt;
  if (!at) return null;
  const idx = spec.keys ? spec.keys(buf, offs, argc) : keyIndexes(spec, argc, []);
  return idx === null ? null : idx.map((pos) => ({ pos, flags: sortKeyFlags(at(buf, offs, argc, pos)) }));
}

function commandGetkeys(c: MainContext, withFlags: boolean): void {
  let spec = lookupCommand(c.str(2).toLowerCase());
  const argc = c.argc - 2;
  // as Redis: a container with arguments names one of its subcommands
  if (spec?.subs && argc >= 2) spec = spec.subs.get(c.str(3).toLowerCase());
  if (!spec) return c.w.error('ERR Invalid command specified');
  if (!hasKeys(spec)) return c.w.error('ERR The command has no key arguments');
  if ((spec.arity > 0 && spec.arity !== argc) || argc < -spec.arity) return c.w.error('ERR Invalid number of arguments specified for command');
  const keys = commandKeys(spec, c.buf, c.offs.subarray(4), argc);
  if (keys === null || keys.length === 0) return c.w.error('ERR Invalid arguments specified for command');
  c.w.arrayHeader(keys.length);
  for (const k of keys) {
    if (withFlags) {
      c.w.arrayHeader(2);
      c.w.bulk(c.bytes(k.pos + 2));
      replyFlagSet(c, k.flags);
    } else c.w.bulk(c.bytes(k.pos + 2));
  }
}

// ---- CONFIG ----

const CONFIG_HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Prints this help.',
];

function configGet(c: MainContext): void {
  const cfg = c.server.config;
  const matched = new Map<string, string>();
  for (let j = 2; j < c.argc; j++) {
    const arg = c.str(j);
    const pat = arg.toLowerCase();
    // a plain name is echoed as the client spelled it; a glob lists canonical names
    if (!/[*?[]/.test(pat)) {
      if (cfg.has(pat)) matched.set(arg, cfg.show(pat));
      continue;
    }
    for (const name of cfg.names()) if (globMatchStr(pat, name, true)) matched.set(name, cfg.show(name));
  }
  c.w.mapHeader(matched.size);
  for (const [k, v] of matched) {
    c.w.bulkString(k);
    c.w.bulkString(v);
  }
}

function configSet(c: MainContext): void {
  if ((c.argc - 2) % 2 !== 0) return c.w.error(E.syntax);
  const cfg = c.server.config;
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  // as Redis: names first, in order (the first problem is the one reported, naming the argument as sent)
  for (let j = 2; j < c.argc; j += 2) {
    const name = c.str(j).toLowerCase();
    if (!cfg.has(name)) return c.w.error(`ERR Unknown option or number of arguments for CONFIG SET - '${c.cstr(j)}'`);
    if (!cfg.isMutable(name)) return c.w.error(`ERR CONFIG SET failed (possibly related to argument '${c.cstr(j)}') - can't set immutable config`);
    if (seen.has(name)) return c.w.error(`ERR CONFIG SET failed (possibly related to argument '${c.cstr(j)}') - duplicate parameter`);
    seen.add(name);
    pairs.push([name, c.utf8(j + 1)]);
  }
  // then every value, before any is set: a rejected value leaves the configuration as it was
  for (const [name, v] of pairs) {
    const err = cfg.check(name, v);
    if (err) return c.w.error('ERR ' + err);
  }
  for (const [name, v] of pairs) cfg.set(name, v, false);
  c.w.ok();
}

// ---- INFO, TIME, DEBUG, SHUTDOWN ----

function info(c: MainContext): void {
  const sections = [];
  for (let j = 1; j < c.argc; j++) sections.push(c.str(j).toLowerCase());
  c.w.verbatim(c.server.infoText(sections));
}

function time(c: MainContext): void {
  // one wall-clock reading in ms (Date.now follows clock adjustments, as gettimeofday),
  // its sub-millisecond digits from the monotonic clock: the pair can never disagree
  const us = Date.now() * 1000 + Math.floor((performance.now() % 1) * 1000);
  c.w.arrayHeader(2);
  c.w.bulkAscii(String(Math.floor(us / 1e6)));
  c.w.bulkAscii(String(us % 1e6));
}

/** ROLE: a lone master (replication is not built yet): its role, replication offset and no replicas. */
function role(c: MainContext): void {
  c.w.arrayHeader(3);
  c.w.bulkAscii('master');
  c.w.integer(0);
  c.w.arrayHeader(0);
}

function debug(c: MainContext): void {
  if (c.is(1, 'sleep') && c.argc === 3) {
    const secs = Number(c.str(2));
    if (Number.isFinite(secs) && secs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, secs * 1000);
    return c.w.ok();
  }
  if (c.is(1, 'object') && c.argc === 3) return c.server.debugObject(c, c.bytes(2));
  if (c.is(1, 'set-active-expire') && c.argc === 3) {
    // as Redis: atoi of the argument, so anything but a non-zero number turns it off
    c.server.settings.activeExpire = atoi(c.buf, c.offs, 2) !== 0;
    return c.w.ok();
  }
  if (c.is(1, 'help') && c.argc === 2) {
    return replyHelp(c, [
      'DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
      'OBJECT <key>',
      '    Show low level info about `key` and associated value.',
      'SET-ACTIVE-EXPIRE <0|1>',
      '    Setting it to 0 disables expiring keys in background when they are not',
      '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
      '    default.',
      'SLEEP <seconds>',
      '    Stop the server for <seconds>. Decimals allowed.',
      'HELP',
      '    Prints this help.',
    ]);
  }
  c.w.error(E.subcommand(c.str(1), 'DEBUG'));
}

/** DEBUG OBJECT's status line for an entry (shard-side data, formatted here). */
export function debugObjectLine(ks: import('../store/keyspace').Keyspace, e: number): string {
  const enc = ENC_NAMES[ks.encoding(e)];
  const type = ks.type(e);
  const v = type === ObjType.String ? ks.valueOf(e).len : 0;
  const line = `Value at:0x${e.toString(16)} refcount:${refcountOf(ks, e)} encoding:${enc} serializedlength:${v + 1} lru:${ks.a.u32[(e + 16) >>> 2] & 0xffffff} lru_seconds_idle:${ks.idleSeconds(e)}`;
  if (type !== ObjType.List) return line;
  // Redis 7.0 adds the quicklist's shape; fill and compression are the list's own, fixed when it was created
  const a = ks.a;
  const h = ks.objectPtr(e);
  const nodes = ql.nodeCount(a, h);
  const avg = (ql.length(a, h) / nodes).toFixed(2);
  return `${line} ql_nodes:${nodes} ql_avg_node:${avg} ql_listpack_max:${ql.fill(a, h)} ql_compressed:${ql.compressDepth(a, h) !== 0 ? 1 : 0} ql_uncompressed_size:${ql.uncompressedBytes(a, h)}`;
}

function shutdown(c: MainContext): void {
  let abort = false;
  for (let j = 1; j < c.argc; j++) {
    if (c.is(j, 'nosave') || c.is(j, 'save') || c.is(j, 'now') || c.is(j, 'force')) continue;
    if (c.is(j, 'abort')) abort = true;
    else return c.w.error(E.syntax);
  }
  if (abort) return c.w.error('ERR No shutdown in progress.');
  c.server.shutdown('User requested shutdown...');
}

// ---- MEMORY ----

const MEMORY_HELP = [
  'MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
  'HELP',
  '    Prints this help.',
];

/** Redis computes these ratios in C floats and replies them as doubles. */
const f32 = Math.fround;

function memoryStats(c: MainContext): void {
  const m = c.server.memoryFigures();
  const w = c.w;
  const int = (name: string, v: number): void => {
    w.bulkAscii(name);
    w.integer(v);
  };
  const dbl = (name: string, v: number): void => {
    w.bulkAscii(name);
    w.double(f32(v));
  };
  w.mapHeader(27 + m.dbs.length);
  int('peak.allocated', m.peak);
  int('total.allocated', m.used);
  int('startup.allocated', m.startup);
  int('replication.backlog', 0);
  int('clients.slaves', 0);
  int('clients.normal', m.clients);
  int('cluster.links', 0);
  int('aof.buffer', 0);
  int('lua.caches', 0);
  int('functions.caches', 0);
  for (const db of m.dbs) {
    w.bulkAscii(`db.${db.db}`);
    w.mapHeader(3);
    int('overhead.hashtable.main', db.main);
    int('overhead.hashtable.expires', db.expires);
    int('overhead.hashtable.slot-to-keys', 0);
  }
  int('overhead.total', m.overhead);
  int('keys.count', m.keys);
  int('keys.bytes-per-key', m.bytesPerKey);
  int('dataset.bytes', m.dataset);
  dbl('dataset.percentage', m.datasetPerc);
  dbl('peak.percentage', m.peakPerc);
  int('allocator.allocated', m.used);
  int('allocator.active', m.active);
  int('allocator.resident', m.active);
  dbl('allocator-fragmentation.ratio', m.used > 0 ? m.active / m.used : 0);
  int('allocator-fragmentation.bytes', m.active - m.used);
  dbl('allocator-rss.ratio', 1);
  int('allocator-rss.bytes', 0);
  dbl('rss-overhead.ratio', m.active > 0 ? m.rss / m.active : 0);
  int('rss-overhead.bytes', m.rss - m.active);
  dbl('fragmentation', m.used > 0 ? m.rss / m.used : 0);
  int('fragmentation.bytes', m.rss - m.used);
}

/** MEMORY DOCTOR: Redis's checks and report texts, on Sabre's figures (its arenas are the allocator). */
function memoryDoctor(c: MainContext): void {
  const m = c.server.memoryFigures();
  const MB10 = 10 << 20;
  const issues: string[] = [];
  const empty = m.used < 5 * 1024 * 1024;
  if (!empty) {
    if (m.peak / m.used > 1.5) {
      issues.push(
        'Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.',
      );
    }
    if (m.rss / m.used > 1.4 && m.rss - m.used > MB10) {
      issues.push(
        'High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (this means that the Resident Set Size of the Redis process is much larger than the sum of the logical allocations Redis performed). This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. If the problem is a large peak memory, then there is no issue. Otherwise, make sure you are using the Jemalloc allocator and not the default libc malloc. Note: The currently used allocator is "sabre-sab".',
      );
    }
    if (m.active / m.used > 1.1 && m.active - m.used > MB10) {
      issues.push(
        "High allocator fragmentation: This instance has an allocator external fragmentation greater than 1.1. This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. You can try enabling 'activedefrag' config option.",
      );
    }
    if (m.active > 0 && m.rss / m.active > 1.1 && m.rss - m.active > MB10) {
      // Redis blames Lua scripts or modules here; in Sabre it is the JavaScript runtime
      issues.push(
        'High process RSS overhead: This instance has non-allocator RSS memory overhead is greater than 1.1 (this means that the Resident Set Size of the Redis process is much larger than the RSS the allocator holds). In Sabre this is mostly the JavaScript runtime (V8 heaps, compiled code, worker threads).',
      );
    }
    if (c.server.clients.size > 0 && m.clients / c.server.clients.size > 200 * 1024) {
      issues.push(
        'Big client buffers: The clients output buffers in this instance are greater than 200K per client (on average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.',
      );
    }
  }
  let report: string;
  if (empty) {
    report =
      "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
  } else if (issues.length === 0) {
    report = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
  } else {
    report = `Sam, I detected a few issues in this Redis instance memory implants:\n\n${issues.map((t) => ` * ${t}\n\n`).join('')}I'm here to keep you safe, Sam. I want to help you.\n`;
  }
  c.w.verbatim(report);
}

// MEMORY USAGE runs on the key's shard.
function memoryUsage(c: ExecContext): void {
  if (c.argc > 3) {
    if (c.argc !== 5 || !c.is(3, 'samples')) return c.w.error(E.syntax);
    const n = c.longOrReply(4);
    if (n === null) return;
  }
  const ks = c.ks(2);
  const e = ks.lookup(c.db, c.buf, c.start(2), c.len(2), false);
  if (e === 0) return c.w.nullBulk();
  c.w.integer(ks.memoryUsage(e) + c.len(2));
}

// ---- table ----

const M = Exec.Main;
const main = (
  name: string,
  arity: number,
  flags: string[],
  acl: string[],
  group: string,
  since: string,
  summary: string,
  complexity: string,
  runMain: (c: MainContext) => void,
  extra: Partial<CommandRow> = {},
): CommandRow => ({ name, arity, flags, firstKey: 0, lastKey: 0, step: 0, acl, group, since, summary, complexity, exec: M, runMain, ...extra });

register([
  main('ping', -1, ['fast'], ['fast', 'connection'], 'connection', '1.0.0', 'Ping the server', 'O(1)', ping, {
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    args: [arg.str('message ?')],
  }),
  main('echo', 2, ['loading', 'stale', 'fast'], ['fast', 'connection'], 'connection', '1.0.0', 'Echo the given string', 'O(1)', echo, { args: [arg.str('message')] }),
  main('quit', -1, ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], ['fast', 'connection'], 'connection', '1.0.0', 'Close the connection', 'O(1)', quit),
  main('select', 2, ['loading', 'stale', 'fast'], ['fast', 'connection'], 'connection', '1.0.0', 'Change the selected database for the current connection', 'O(1)', select, { args: [arg.int('index')] }),
  main('auth', -2, ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], ['fast', 'connection'], 'connection', '1.0.0', 'Authenticate to the server', 'O(N) where N is the number of passwords defined for the user', auth, {
    history: [['6.0.0', 'Added ACL style (username and password).']],
    args: [arg.str('username ? @6.0.0'), arg.str('password')],
  }),
  main('hello', -1, ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], ['fast', 'connection'], 'connection', '6.0.0', 'Handshake with Redis', 'O(1)', hello, {
    history: [['6.2.0', '`protover` made optional; when called without arguments the command reports the current connection\'s context.']],
    args: [
      arg.block(
        'arguments ?',
        arg.int('protover'),
        arg.block('AUTH username_password ?', arg.str('username'), arg.str('password')),
        arg.str('SETNAME clientname ?'),
      ),
    ],
  }),
  main('reset', 1, ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], ['fast', 'connection'], 'connection', '6.2.0', 'Reset the connection', 'O(1)', reset),
  main('client', -2, [], ['slow'], 'connection', '2.4.0', 'A container for client connection commands', 'Depends on subcommand.', () => undefined, {
    subcommands: [
      main('id', 2, ['noscript', 'loading', 'stale'], ['slow', 'connection'], 'connection', '5.0.0', 'Returns the client ID for the current connection', 'O(1)', (c) => c.w.integer(c.conn.id)),
      main('getname', 2, ['noscript', 'loading', 'stale'], ['slow', 'connection'], 'connection', '2.6.9', 'Get the current connection name', 'O(1)', clientGetname),
      main('setname', 3, ['noscript', 'loading', 'stale'], ['slow', 'connection'], 'connection', '2.6.9', 'Set the current connection name', 'O(1)', clientSetname, { args: [arg.str('connection-name')] }),
      main('list', -2, ['admin', 'noscript', 'loading', 'stale'], ['admin', 'slow', 'dangerous', 'connection'], 'connection', '2.4.0', 'Get the list of client connections', 'O(N) where N is the number of client connections', clientList, {
        tips: ['nondeterministic_output'],
        history: [
          ['2.8.12', 'Added unique client `id` field.'],
          ['5.0.0', 'Added optional `TYPE` filter.'],
          ['6.0.0', 'Added `user` field.'],
          ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'],
          ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'],
          ['7.0.3', 'Added `ssub` field.'],
        ],
        args: [
          arg.oneof('TYPE normal_master_replica_pubsub ? @5.0.0', arg.tok('NORMAL'), arg.tok('MASTER'), arg.tok('REPLICA'), arg.tok('PUBSUB')),
          arg.block('ID id ? @6.2.0', arg.int('client-id *')),
        ],
      }),
      main('info', 2, ['noscript', 'loading', 'stale'], ['slow', 'connection'], 'connection', '6.2.0', 'Returns information about the current client connection.', 'O(1)', (c) => c.w.verbatim(c.server.clientInfoLine(c.conn) + '\n'), {
        tips: ['nondeterministic_output'],
      }),
      main('kill', -3, ['admin', 'noscript', 'loading', 'stale'], ['admin', 'slow', 'dangerous', 'connection'], 'connection', '2.4.0', 'Kill the connection of a client', 'O(N) where N is the number of client connections', clientKill, {
        history: [
          ['2.8.12', 'Added new filter format.'],
          ['2.8.12', '`ID` option.'],
          ['3.2.0', 'Added `master` type in for `TYPE` option.'],
          ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'],
          ['6.2.0', '`LADDR` option.'],
        ],
        args: [
          arg.oneof(
            'filter',
            arg.str('ip:port dep@2.8.12'),
            arg.oneof(
              'new-format *',
              arg.int('ID client-id ? @2.8.12'),
              arg.oneof(
                'TYPE normal_master_slave_pubsub ? @2.8.12',
                arg.tok('NORMAL'),
                arg.tok('MASTER @3.2.0'),
                arg.tok('SLAVE'),
                arg.tok('REPLICA @5.0.0'),
                arg.tok('PUBSUB'),
              ),
              arg.str('USER username ?'),
              arg.str('ADDR ip:port ?'),
              arg.str('LADDR ip:port ? @6.2.0'),
              arg.str('SKIPME yes/no ?'),
            ),
          ),
        ],
      }),
      main('pause', -3, ['admin', 'noscript', 'loading', 'stale'], ['admin', 'slow', 'dangerous', 'connection'], 'connection', '2.9.50', 'Stop processing commands from clients for some time', 'O(1)', clientPause, {
        history: [['6.2.0', '`CLIENT PAUSE WRITE` mode added along with the `mode` option.']],
        args: [arg.int('timeout'), arg.oneof('mode ? @6.2.0', arg.tok('WRITE'), arg.tok('ALL'))],
      }),
      main('unpause', 2, ['admin', 'noscript', 'loading', 'stale'], ['admin', 'slow', 'dangerous', 'connection'], 'connection', '6.2.0', 'Resume processing of clients that were paused', 'O(N) Where N is the number of paused clients', (c) => {
        c.server.pauseClients(0, true);
        c.w.ok();
      }),
      main('reply', 3, ['noscript', 'loading', 'stale'], ['slow', 'connection'], 'connection', '3.2.0', 'Instruct the server whether to reply to commands', 'O(1)', clientReply, {
        args: [arg.oneof('on_off_skip', arg.tok('ON'), arg.tok('OFF'), arg.tok('SKIP'))],
      }),
      main('no-evict', 3, ['admin', 'noscript', 'loading', 'stale'], ['admin', 'slow', 'dangerous', 'connection'], 'connection', '7.0.0', 'Set client eviction mode for the current connection', 'O(1)', (c) => onOff(c, (v) => (c.conn.noEvict = v)), {
        args: [arg.oneof('enabled', arg.tok('ON'), arg.tok('OFF'))],
      }),
      main('no-touch', 3, ['noscript', 'loading', 'stale'], ['slow', 'connection'], 'connection', '7.2.0', 'Controls whether commands sent by the client affect the LRU/LFU of accessed keys.', 'O(1)', (c) => onOff(c, (v) => (c.conn.noTouch = v)), {
        // not in Redis 7.0: its Redis 7.2 docs
        args: [arg.oneof('enabled', arg.tok('ON'), arg.tok('OFF'))],
      }),
      main('setinfo', 4, ['noscript', 'loading', 'stale'], ['slow', 'connection'], 'connection', '7.2.0', 'Sets information specific to the client or connection.', 'O(1)', clientSetinfo, {
        // not in Redis 7.0: its Redis 7.2 docs
        args: [arg.oneof('attr', arg.str('LIB-NAME libname'), arg.str('LIB-VER libver'))],
      }),
      main('unblock', -3, ['admin', 'noscript', 'loading', 'stale'], ['admin', 'slow', 'dangerous', 'connection'], 'connection', '5.0.0', 'Unblock a client blocked in a blocking command from a different connection', 'O(log N) where N is the number of client connections', clientUnblock, {
        args: [arg.int('client-id'), arg.oneof('timeout_error ?', arg.tok('TIMEOUT'), arg.tok('ERROR'))],
      }),
      main('help', 2, ['loading', 'stale'], ['slow', 'connection'], 'connection', '5.0.0', 'Show helpful text about the different subcommands', 'O(1)', (c) => replyHelp(c, CLIENT_HELP)),
    ],
  }),
  main('command', -1, ['loading', 'stale'], ['slow', 'connection'], 'server', '2.8.13', 'Get array of Redis command details', 'O(N) where N is the total number of Redis commands', commandAll, {
    tips: ['nondeterministic_output_order'],
    subcommands: [
      main('count', 2, ['loading', 'stale'], ['slow', 'connection'], 'server', '2.8.13', 'Get total number of Redis commands', 'O(1)', (c) => c.w.integer(topLevelCommands().length)),
      main('list', -2, ['loading', 'stale'], ['slow', 'connection'], 'server', '7.0.0', 'Get an array of Redis command names', 'O(N) where N is the total number of Redis commands', commandList, {
        tips: ['nondeterministic_output_order'],
        args: [arg.oneof('FILTERBY filterby ?', arg.str('MODULE module-name'), arg.str('ACLCAT category'), arg.pat('PATTERN pattern'))],
      }),
      main('info', -2, ['loading', 'stale'], ['slow', 'connection'], 'server', '2.8.13', 'Get array of specific Redis command details, or all when no argument is given.', 'O(N) where N is the number of commands to look up', commandInfo, {
        tips: ['nondeterministic_output_order'],
        history: [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']],
        args: [arg.str('command-name ? *')],
      }),
      main('docs', -2, ['loading', 'stale'], ['slow', 'connection'], 'server', '7.0.0', 'Get array of specific Redis command documentation', 'O(N) where N is the number of commands to look up', commandDocs, {
        tips: ['nondeterministic_output_order'],
        args: [arg.str('command-name ? *')],
      }),
      main('getkeys', -4, ['loading', 'stale'], ['slow', 'connection'], 'server', '2.8.13', 'Extract keys given a full Redis command', 'O(N) where N is the number of arguments to the command', (c) => commandGetkeys(c, false)),
      main('getkeysandflags', -4, ['loading', 'stale'], ['slow', 'connection'], 'server', '7.0.0', 'Extract keys and access flags given a full Redis command', 'O(N) where N is the number of arguments to the command', (c) => commandGetkeys(c, true)),
      main('help', 2, ['loading', 'stale'], ['slow', 'connection'], 'server', '5.0.0', 'Show helpful text about the different subcommands', 'O(1)', (c) => replyHelp(c, COMMAND_HELP)),
    ],
  }),
  main('config', -2, [], ['slow'], 'server', '2.0.0', 'A container for server configuration commands', 'Depends on subcommand.', () => undefined, {
    subcommands: [
      main('get', -3, ['admin', 'noscript', 'loading', 'stale'], ['admin', 'slow', 'dangerous'], 'server', '2.0.0', 'Get the values of configuration parameters', 'O(N) when N is the number of configuration parameters provided', configGet, {
        history: [['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']],
        args: [arg.block('parameter *', arg.str('parameter'))],
      }),
      main('set', -4, ['admin', 'noscript', 'loading', 'stale'], ['admin', 'slow', 'dangerous'], 'server', '2.0.0', 'Set configuration parameters to the given values', 'O(N) when N is the number of configuration parameters provided', configSet, {
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
        history: [['7.0.0', 'Added the ability to set multiple parameters in one call.']],
        args: [arg.block('parameter_value *', arg.str('parameter'), arg.str('value'))],
      }),
      main('resetstat', 2, ['admin', 'noscript', 'loading', 'stale'], ['admin', 'slow', 'dangerous'], 'server', '2.0.0', 'Reset the stats returned by INFO', 'O(1)', (c) => {
        c.server.resetStats();
        c.w.ok();
      }),
      main('rewrite', 2, ['admin', 'noscript', 'loading', 'stale'], ['admin', 'slow', 'dangerous'], 'server', '2.8.0', 'Rewrite the configuration file with the in memory configuration', 'O(1)', (c) => {
        const err = c.server.rewriteConfig();
        if (err) c.w.error(err);
        else c.w.ok();
      }),
      main('help', 2, ['loading', 'stale'], ['slow'], 'server', '5.0.0', 'Show helpful text about the different subcommands', 'O(1)', (c) => replyHelp(c, CONFIG_HELP)),
    ],
  }),
  main('info', -1, ['loading', 'stale'], ['slow', 'dangerous'], 'server', '1.0.0', 'Get information and statistics about the server', 'O(1)', info, {
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
    history: [['7.0.0', 'Added support for taking multiple section arguments.']],
    args: [arg.str('section ? *')],
  }),
  main('time', 1, ['loading', 'stale', 'fast'], ['fast'], 'server', '2.6.0', 'Return the current server time', 'O(1)', time, { tips: ['nondeterministic_output'] }),
  main('role', 1, ['noscript', 'loading', 'stale', 'fast'], ['admin', 'fast', 'dangerous'], 'server', '2.8.12', 'Return the role of the instance in the context of replication', 'O(1)', role),
  main('debug', -2, ['admin', 'noscript', 'loading', 'stale'], ['admin', 'slow', 'dangerous'], 'server', '1.0.0', 'A container for debugging commands', 'Depends on subcommand.', debug, { docFlags: ['syscmd'] }),
  main('shutdown', -1, ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'], ['admin', 'slow', 'dangerous'], 'server', '1.0.0', 'Synchronously save the dataset to disk and then shut down the server', 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)', shutdown, {
    history: [['7.0.0', 'Added the `NOW`, `FORCE` and `ABORT` modifiers.']],
    args: [
      arg.oneof('nosave_save ?', arg.tok('NOSAVE'), arg.tok('SAVE')),
      arg.tok('NOW ? @7.0.0'),
      arg.tok('FORCE ? @7.0.0'),
      arg.tok('ABORT ? @7.0.0'),
    ],
  }),
  main('memory', -2, [], ['slow'], 'server', '4.0.0', 'A container for memory diagnostics commands', 'Depends on subcommand.', () => undefined, {
    subcommands: [
      {
        name: 'usage',
        arity: -3,
        flags: ['readonly'],
        keyspaceStats: false,
        firstKey: 2,
        lastKey: 2,
        step: 1,
        acl: ['read', 'slow'],
        group: 'server',
        since: '4.0.0',
        summary: 'Estimate the memory usage of a key',
        complexity: 'O(N) where N is the number of samples.',
        exec: Exec.Shard,
        run: memoryUsage,
        keySpecs: [{ flags: 'RO', begin: 2 }],
        args: [arg.key('key'), arg.int('SAMPLES count ?')],
      },
      main('help', 2, ['loading', 'stale'], ['slow'], 'server', '4.0.0', 'Show helpful text about the different subcommands', 'O(1)', (c) => replyHelp(c, MEMORY_HELP)),
      main('doctor', 2, [], ['slow'], 'server', '4.0.0', 'Outputs memory problems report', 'O(1)', memoryDoctor, {
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
      }),
      // Sabre's arenas are not jemalloc: Redis's reply for other allocators
      main('malloc-stats', 2, [], ['slow'], 'server', '4.0.0', 'Show allocator internal stats', 'Depends on how much memory is allocated, could be slow', (c) => c.w.bulkAscii('Stats not supported for the current allocator'), {
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
      }),
      // as Redis without jemalloc: nothing to purge (an arena keeps its pages for reuse)
      main('purge', 2, [], ['slow'], 'server', '4.0.0', 'Ask the allocator to release memory', 'Depends on how much memory is allocated, could be slow', (c) => c.w.ok(), {
        tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
      }),
      main('stats', 2, [], ['slow'], 'server', '4.0.0', 'Show memory usage details', 'O(1)', memoryStats, {
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
      }),
    ],
  }),
]);

export { commands };
