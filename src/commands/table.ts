// The command table: declarative rows registered by each *_family module.
// The rows drive dispatch, arity and unknown-command errors, routing by key,
// and the COMMAND replies. Row order = command id, identical in every thread
// because every thread loads the same modules in the same order.

import type { ExecContext } from '../shard/exec_context';
import type { MainContext } from '../server/main_context';
import type { ArgDoc, HistoryEntry } from './docs';

/** Where a command runs. */
export const enum Exec {
  /** connection/server command, on the main I/O thread */
  Main,
  /** keyed command, on the shard owning its key(s); several shards -> the lowest one coordinates under all their locks */
  Shard,
  /** needs every shard under lock (DBSIZE, KEYS, FLUSHALL, ...) */
  AllShards,
  /** keyless command run on one shard chosen by the main thread (SCAN: the cursor names the shard) */
  OneShard,
}

export type ShardHandler = (c: ExecContext) => void;
export type MainHandler = (c: MainContext) => void;

/**
 * Key-spec flags, in the order COMMAND INFO and COMMAND GETKEYSANDFLAGS list
 * them (Redis 7.0's order).
 */
export const KEY_SPEC_FLAGS = ['RO', 'RW', 'OW', 'RM', 'access', 'update', 'insert', 'delete', 'not_key', 'incomplete', 'variable_flags'] as const;

/** find_keys of a key spec: a range from the first key... */
export interface RangeKeys {
  /** last key relative to the first one; negative: counted from the end of argv */
  lastkey: number;
  keystep: number;
  /** with lastkey -1: only the first 1/limit of the remaining arguments (0: all) */
  limit: number;
}
/** ... or a count of keys given by an argument. */
export interface KeynumKeys {
  /** the count's index, relative to begin_search */
  keynumidx: number;
  /** the first key's index, relative to begin_search */
  firstkey: number;
  keystep: number;
}

/**
 * One key spec as COMMAND INFO describes it (Redis 7.0): how to find a group
 * of key arguments and how the command uses those keys. Used only for the
 * COMMAND replies; routing keeps using firstKey/lastKey/step and keys().
 */
export interface KeySpec {
  notes?: string;
  /** space-separated key-spec flags, e.g. 'RW access delete' (see KEY_SPEC_FLAGS) */
  flags: string;
  /** begin_search: the argv index of the first key, a keyword after which keys start (startfrom < 0: searched from the end), or unknown */
  begin: number | { keyword: string; startfrom: number } | 'unknown';
  /** find_keys from begin_search; default: one key (range lastkey 0, keystep 1, limit 0) */
  find?: RangeKeys | KeynumKeys | 'unknown';
}

/** find_keys: lastkey (relative to the first key, or negative from the end), keystep, limit. */
export const keyRange = (lastkey: number, keystep = 1, limit = 0): RangeKeys => ({ lastkey, keystep, limit });
/** find_keys: the key count at keynumidx, keys from firstkey (both relative to begin_search). */
export const keyNum = (keynumidx = 0, firstkey = 1, keystep = 1): KeynumKeys => ({ keynumidx, firstkey, keystep });

export interface CommandRow {
  name: string;
  arity: number;
  flags: string[];
  firstKey: number;
  lastKey: number;
  step: number;
  acl: string[];
  group: string;
  since: string;
  summary: string;
  complexity?: string;
  exec: Exec;
  run?: ShardHandler;
  runMain?: MainHandler;
  /** documented subcommands (COMMAND INFO/DOCS and "cmd|sub" arity errors) */
  subcommands?: CommandRow[];
  /**
   * Key positions for commands whose keys are not a fixed (first, last, step)
   * range, e.g. "numkeys" commands. Returns argv indexes, or null when the
   * arguments are malformed (the handler then replies the error without
   * touching keys). Used for routing and COMMAND GETKEYS.
   */
  keys?: (buf: Uint8Array, offs: Int32Array, argc: number) => number[] | null;
  /**
   * For Shard commands that may touch keys not named by their key positions
   * (SORT BY/GET patterns): when this returns true the command runs under
   * every shard's lock, like an AllShards command.
   */
  allShardsWhen?: (buf: Uint8Array, offs: Int32Array, argc: number) => boolean;
  /** for OneShard commands: which shard (main thread computes it from the arguments) */
  pickShard?: (buf: Uint8Array, offs: Int32Array, argc: number, shardCount: number) => number;
  /**
   * Key specs for COMMAND INFO / GETKEYSANDFLAGS. Default (a command with
   * firstKey > 0): one spec for the firstKey/lastKey/step range, flagged
   * 'RO access' (readonly), 'RW update' (write, denyoom) or 'RW delete' (other writes).
   */
  keySpecs?: KeySpec[];
  /** command tips, e.g. 'nondeterministic_output', 'request_policy:all_shards' (COMMAND INFO) */
  tips?: string[];
  /**
   * COMMAND GETKEYSANDFLAGS for rows whose key specs cannot give every key's
   * flags ('unknown' or 'variable_flags' specs): the flags of the key at argv
   * index pos (a position keys() found), as Redis's key extraction reports them.
   */
  keyFlagsAt?: (buf: Uint8Array, offs: Int32Array, argc: number, pos: number) => string;
  /**
   * Whether the command's key lookups count as INFO keyspace hits/misses.
   * Default: read-only commands. Redis counts its read lookups, which some
   * write commands make too (GETDEL, SET ... GET, COPY's source, the sources
   * of the *STORE commands), and a few read-only ones skip (MEMORY USAGE, SCAN).
   */
  keyspaceStats?: boolean;
  // ---- documentation, read only by COMMAND DOCS (Redis 7.0's docs) ----
  /** Redis doc flags, e.g. "deprecated", "syscmd" */
  docFlags?: string[];
  replacedBy?: string;
  deprecatedSince?: string;
  /** changes to the command by version: [version, description] */
  history?: readonly HistoryEntry[];
  /** the argument tree (see docs.ts) */
  args?: ArgDoc[];
}

/**
 * A row builder for a family of keyed shard commands: positional arguments in
 * table order, the family's group, and its ACL categories added by aclOf.
 */
export function shardRowBuilder(group: string, aclOf: (acl: string[]) => string[]) {
  return (
    name: string,
    arity: number,
    flags: string[],
    keys: readonly [number, number, number],
    acl: string[],
    since: string,
    summary: string,
    complexity: string,
    run: ShardHandler,
    extra: Partial<CommandRow> = {},
  ): CommandRow => ({
    name,
    arity,
    flags,
    firstKey: keys[0],
    lastKey: keys[1],
    step: keys[2],
    acl: aclOf(acl),
    group,
    since,
    summary,
    complexity,
    exec: Exec.Shard,
    run,
    ...extra,
  });
}

export interface CommandSpec extends CommandRow {
  id: number;
  /** full name as shown in errors, e.g. "get" or "object|encoding" */
  fullName: string;
  subs?: Map<string, CommandSpec>;
  parent?: CommandSpec;
  /** flags as a bit set for the hot path */
  isWrite: boolean;
  /** whether the key positions name more than one key */
  multiKey: boolean;
  /** the row's key specs, or the default one */
  keySpecs: KeySpec[];
  tips: string[];
}

export const commands: CommandSpec[] = [];
const byName = new Map<string, CommandSpec>();

/** ACL categories in Redis's table order: COMMAND INFO lists a command's categories in this order. */
const ACL_ORDER = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];
const aclRank = (c: string): number => {
  const i = ACL_ORDER.indexOf(c);
  return i < 0 ? ACL_ORDER.length : i;
};

/** Every field of T, present though maybe undefined: a literal of this type has to name them all. */
type AllFields<T> = { [K in keyof Required<T>]: T[K] | undefined };

function finish(row: CommandRow, parent?: CommandSpec): CommandSpec {
  // A new object with every field, in one order, rather than the row itself:
  // rows differ in which optional fields they set, and objects of many shapes
  // make each spec field read on the dispatch path a megamorphic lookup.
  const fields: AllFields<CommandSpec> = {
    name: row.name,
    arity: row.arity,
    flags: row.flags,
    firstKey: row.firstKey,
    lastKey: row.lastKey,
    step: row.step,
    acl: [...new Set(row.acl)].sort((x, y) => aclRank(x) - aclRank(y)),
    group: row.group,
    since: row.since,
    summary: row.summary,
    complexity: row.complexity,
    exec: row.exec,
    run: row.run,
    runMain: row.runMain,
    subcommands: row.subcommands,
    keys: row.keys,
    allShardsWhen: row.allShardsWhen,
    pickShard: row.pickShard,
    keySpecs: row.keySpecs ?? defaultKeySpecs(row),
    tips: row.tips ?? [],
    keyFlagsAt: row.keyFlagsAt,
    keyspaceStats: row.keyspaceStats ?? !row.flags.includes('write'),
    docFlags: row.docFlags,
    replacedBy: row.replacedBy,
    deprecatedSince: row.deprecatedSince,
    history: row.history,
    args: row.args,
    id: commands.length,
    fullName: parent ? `${parent.name}|${row.name}` : row.name,
    subs: undefined,
    parent,
    isWrite: row.flags.includes('write'),
    multiKey: row.firstKey > 0 && (row.lastKey < 0 || row.lastKey > row.firstKey),
  };
  const spec = fields as CommandSpec;
  for (const ks of spec.keySpecs) {
    for (const f of keySpecFlags(ks)) {
      if (!(KEY_SPEC_FLAGS as readonly string[]).includes(f)) throw new Error(`${spec.fullName}: unknown key-spec flag ${f}`);
    }
  }
  commands.push(spec);
  if (row.subcommands) {
    spec.subs = new Map();
    for (const s of row.subcommands) spec.subs.set(s.name, finish(s, spec));
  }
  return spec;
}

/** A row without key specs: one spec for its firstKey/lastKey/step range. */
function defaultKeySpecs(row: CommandRow): KeySpec[] {
  if (row.firstKey <= 0) return [];
  const write = row.flags.includes('write');
  return [
    {
      flags: !write ? 'RO access' : row.flags.includes('denyoom') ? 'RW update' : 'RW delete',
      begin: row.firstKey,
      find: keyRange(row.lastKey < 0 ? row.lastKey : row.lastKey - row.firstKey, row.step),
    },
  ];
}

/** A key spec's flags, in Redis's order. */
export function keySpecFlags(ks: KeySpec): string[] {
  return sortKeyFlags(ks.flags);
}

/** Space-separated key-spec flags as a list in Redis's order. */
export function sortKeyFlags(flags: string): string[] {
  const rank = (f: string): number => (KEY_SPEC_FLAGS as readonly string[]).indexOf(f);
  return flags.split(' ').filter((f) => f !== '').sort((a, b) => rank(a) - rank(b));
}

export function register(rows: CommandRow[]): void {
  for (const row of rows) {
    if (byName.has(row.name)) throw new Error(`duplicate command ${row.name}`);
    const spec = finish(row);
    byName.set(row.name, spec);
    indexShape(spec);
  }
}

export function lookupCommand(name: string): CommandSpec | undefined {
  return byName.get(name);
}

export function topLevelCommands(): CommandSpec[] {
  return [...byName.values()];
}

// Command names by (length, first byte, last byte), so that argv[0] can be
// matched case-insensitively straight from the request bytes, without
// building a string per command. A flat array indexed by the low 5 bits of
// both end bytes (the same for upper and lower case letters): a name sharing
// a slot is told apart by comparing every byte.
const MAX_NAME = 32;
const byShape: Array<CommandSpec[] | undefined> = new Array((MAX_NAME + 1) * 1024).fill(undefined);
const shapeKey = (len: number, first: number, last: number): number => (len << 10) | ((first & 31) << 5) | (last & 31);

function indexShape(spec: CommandSpec): void {
  const n = spec.name;
  if (n.length > MAX_NAME) throw new Error(`command name too long: ${n}`);
  const k = shapeKey(n.length, n.charCodeAt(0), n.charCodeAt(n.length - 1));
  const list = byShape[k];
  if (list) list.push(spec);
  else byShape[k] = [spec];
}

const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/** Look up argv[0] (case-insensitive) straight from the request bytes. */
export function lookupFromBytes(buf: Uint8Array, start: number, len: number): CommandSpec | undefined {
  if (len === 0 || len > MAX_NAME) return undefined;
  const list = byShape[shapeKey(len, buf[start], buf[start + len - 1])];
  if (list === undefined) return undefined;
  outer: for (let k = 0; k < list.length; k++) {
    const name = list[k].name;
    for (let i = 0; i < len; i++) if (lower(buf[start + i]) !== name.charCodeAt(i)) continue outer;
    return list[k];
  }
  return undefined;
}

/** Keys of a command: indexes into argv, per the row's (first, last, step). */
export function keyIndexes(spec: CommandSpec, argc: number, out: number[]): number[] {
  out.length = 0;
  if (spec.firstKey <= 0) return out;
  const last = spec.lastKey < 0 ? argc + spec.lastKey : spec.lastKey;
  for (let i = spec.firstKey; i <= last && i < argc; i += spec.step) out.push(i);
  return out;
}
