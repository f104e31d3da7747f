// The command table: declarative rows registered by each *_family module.
// The rows drive dispatch, arity and unknown-command errors, routing by key,
// and the COMMAND replies. Row order = command id, identical in every thread
// because every thread loads the same modules in the same order.

import type { ExecContext } from '../shard/exec_context';
import type { MainContext } from '../server/main_context';

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
  /** for OneShard commands: which shard (main thread computes it from the arguments) */
  pickShard?: (buf: Uint8Array, offs: Int32Array, argc: number, shardCount: number) => number;
  /** Redis doc flags, e.g. "deprecated" */
  docFlags?: string[];
  replacedBy?: string;
  deprecatedSince?: string;
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
}

export const commands: CommandSpec[] = [];
const byName = new Map<string, CommandSpec>();

function finish(row: CommandRow, parent?: CommandSpec): CommandSpec {
  const spec = row as CommandSpec;
  spec.id = commands.length;
  spec.fullName = parent ? `${parent.name}|${row.name}` : row.name;
  spec.parent = parent;
  spec.isWrite = row.flags.includes('write');
  spec.multiKey = row.firstKey > 0 && (row.lastKey < 0 || row.lastKey > row.firstKey);
  commands.push(spec);
  if (row.subcommands) {
    spec.subs = new Map();
    for (const s of row.subcommands) spec.subs.set(s.name, finish(s, spec));
  }
  return spec;
}

export function register(rows: CommandRow[]): void {
  for (const row of rows) {
    if (byName.has(row.name)) throw new Error(`duplicate command ${row.name}`);
    byName.set(row.name, finish(row));
  }
}

export function lookupCommand(name: string): CommandSpec | undefined {
  return byName.get(name);
}

export function topLevelCommands(): CommandSpec[] {
  return [...byName.values()];
}

// Lower-case a command name from bytes without allocating when it is cached.
const nameCache = new Map<number, Map<string, CommandSpec>>();
void nameCache;

/** Look up argv[0] (case-insensitive) straight from the request bytes. */
export function lookupFromBytes(buf: Uint8Array, start: number, len: number): CommandSpec | undefined {
  if (len > 32) return undefined;
  let s = '';
  for (let i = 0; i < len; i++) {
    let c = buf[start + i];
    if (c >= 65 && c <= 90) c += 32;
    s += String.fromCharCode(c);
  }
  return byName.get(s);
}

/** Keys of a command: indexes into argv, per the row's (first, last, step). */
export function keyIndexes(spec: CommandSpec, argc: number, out: number[]): number[] {
  out.length = 0;
  if (spec.firstKey <= 0) return out;
  const last = spec.lastKey < 0 ? argc + spec.lastKey : spec.lastKey;
  for (let i = spec.firstKey; i <= last && i < argc; i += spec.step) out.push(i);
  return out;
}
