// Server configuration: redis.conf parsing, command-line directives, and the
// CONFIG GET/SET registry. Values shards must see live in SharedSettings.

import * as fs from 'node:fs';

export type ConfigValue = string | number;

interface Param {
  name: string;
  aliases?: string[];
  kind: 'int' | 'memory' | 'string' | 'bool' | 'enum' | 'special' | 'buffer-limits';
  value: ConfigValue;
  /** accepted range (bigint where C's 64-bit bounds do not fit a double); errors print it */
  min?: number | bigint;
  max?: number | bigint;
  /** CONFIG GET's text when the value does not fit a double exactly (maxmemory 2^64-1) */
  shown?: string;
  /** an accepted value outside [lo, hi] is stored as the nearest bound (Redis's hz: accepted 0..INT_MAX, used 1..500) */
  clamp?: [number, number];
  enumValues?: string[];
  /** changeable at run time with CONFIG SET */
  mutable: boolean;
  /** accepted from redis.conf for compatibility but not acted upon */
  inert?: boolean;
}

const P = (p: Param): Param => p;

const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;
const ULLONG_MAX = 18446744073709551615n;

/** Directives Sabre knows. Unknown ones in a config file produce a warning. */
function defaults(): Param[] {
  return [
    P({ name: 'port', kind: 'int', value: 6379, min: 0, max: 65535, mutable: false }),
    P({ name: 'bind', kind: 'string', value: '127.0.0.1', mutable: false }),
    P({ name: 'databases', kind: 'int', value: 16, min: 1, max: 1 << 20, mutable: false }),
    P({ name: 'hz', kind: 'int', value: 10, min: 0, max: 2147483647, clamp: [1, 500], mutable: true }),
    P({ name: 'maxclients', kind: 'int', value: 10000, min: 1, max: 1 << 30, mutable: true }),
    P({ name: 'timeout', kind: 'int', value: 0, min: 0, max: 2147483647, mutable: true }),
    P({ name: 'tcp-keepalive', kind: 'int', value: 300, min: 0, max: 2147483647, mutable: true }),
    P({ name: 'loglevel', kind: 'enum', value: 'notice', enumValues: ['debug', 'verbose', 'notice', 'warning'], mutable: true }),
    P({ name: 'logfile', kind: 'string', value: '', mutable: false }),
    P({ name: 'shards', kind: 'int', value: -1, min: -1, max: 64, mutable: false }),
    P({ name: 'requirepass', kind: 'string', value: '', mutable: true }),
    P({ name: 'proto-max-bulk-len', kind: 'memory', value: 512 * 1024 * 1024, min: 1024 * 1024, max: LONG_MAX, mutable: true }),
    P({ name: 'client-query-buffer-limit', kind: 'memory', value: 1024 * 1024 * 1024, min: 1024 * 1024, max: LONG_MAX, mutable: true }),
    P({ name: 'maxmemory', kind: 'memory', value: 0, min: 0, max: ULLONG_MAX, mutable: true, inert: true }),
    P({
      name: 'maxmemory-policy',
      kind: 'enum',
      value: 'noeviction',
      enumValues: ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'],
      mutable: true,
      inert: true,
    }),
    P({ name: 'save', kind: 'string', value: '', mutable: true, inert: true }),
    P({ name: 'appendonly', kind: 'bool', value: 'no', mutable: true, inert: true }),
    P({ name: 'daemonize', kind: 'bool', value: 'no', mutable: false, inert: true }),
    P({ name: 'protected-mode', kind: 'bool', value: 'yes', mutable: true, inert: true }),
    P({ name: 'dir', kind: 'string', value: process.cwd(), mutable: true, inert: true }),
    P({ name: 'dbfilename', kind: 'string', value: 'dump.rdb', mutable: true, inert: true }),
    P({ name: 'pidfile', kind: 'string', value: '', mutable: false, inert: true }),
    P({ name: 'tcp-backlog', kind: 'int', value: 511, min: 0, max: 2147483647, mutable: false }),
    P({ name: 'io-threads', kind: 'int', value: 1, min: 1, max: 128, mutable: false, inert: true }),
    P({ name: 'lazyfree-lazy-user-flush', kind: 'bool', value: 'no', mutable: true, inert: true }),
    // size_t configs in Redis: entries are plain integers, values take memory units
    P({ name: 'hash-max-listpack-entries', aliases: ['hash-max-ziplist-entries'], kind: 'int', value: 512, min: 0, max: LONG_MAX, mutable: true }),
    P({ name: 'hash-max-listpack-value', aliases: ['hash-max-ziplist-value'], kind: 'memory', value: 64, min: 0, max: LONG_MAX, mutable: true }),
    P({ name: 'set-max-intset-entries', kind: 'int', value: 512, min: 0, max: LONG_MAX, mutable: true }),
    P({ name: 'zset-max-listpack-entries', aliases: ['zset-max-ziplist-entries'], kind: 'int', value: 128, min: 0, max: LONG_MAX, mutable: true }),
    P({ name: 'zset-max-listpack-value', aliases: ['zset-max-ziplist-value'], kind: 'memory', value: 64, min: 0, max: LONG_MAX, mutable: true }),
    P({ name: 'list-max-listpack-size', aliases: ['list-max-ziplist-size'], kind: 'int', value: -2, min: -2147483648, max: 2147483647, mutable: true }),
    // DEBUG (and MODULE, with modules) off by default as in Redis 7; "local": from loopback only
    P({ name: 'enable-debug-command', kind: 'enum', value: 'no', enumValues: ['no', 'yes', 'local'], mutable: false }),
    P({ name: 'enable-module-command', kind: 'enum', value: 'no', enumValues: ['no', 'yes', 'local'], mutable: false, inert: true }),
    P({ name: 'enable-protected-configs', kind: 'enum', value: 'no', enumValues: ['no', 'yes', 'local'], mutable: false, inert: true }),
    P({ name: 'list-compress-depth', kind: 'int', value: 0, min: 0, max: 2147483647, mutable: true }),
    P({ name: 'client-output-buffer-limit', kind: 'buffer-limits', value: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', mutable: true }),
  ];
}

export class ConfigError extends Error {}

/** The C library's text for the errors opening a file can give (what Redis prints). */
function strerror(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTDIR':
      return 'Not a directory';
    default:
      return err.message;
  }
}

export class Config {
  private params = new Map<string, Param>();
  /** config file the server was started with (CONFIG REWRITE target) */
  file: string | null = null;
  readonly warnings: string[] = [];
  /** called after a successful CONFIG SET of name */
  onChange: (name: string) => void = () => undefined;

  /** alias name -> canonical name (e.g. hash-max-ziplist-entries) */
  private aliases = new Map<string, string>();

  constructor() {
    for (const p of defaults()) {
      this.params.set(p.name, p);
      for (const a of p.aliases ?? []) this.aliases.set(a, p.name);
    }
  }

  private param(name: string): Param | undefined {
    const n = name.toLowerCase();
    return this.params.get(n) ?? this.params.get(this.aliases.get(n) ?? '');
  }

  get(name: string): ConfigValue {
    const p = this.param(name);
    if (!p) throw new Error(`unknown config ${name}`);
    return p.value;
  }

  num(name: string): number {
    return this.get(name) as number;
  }

  str(name: string): string {
    return String(this.get(name));
  }

  /** Canonical names and aliases (CONFIG GET lists both, as Redis does). */
  names(): string[] {
    return [...this.params.keys(), ...this.aliases.keys()];
  }

  has(name: string): boolean {
    return this.param(name) !== undefined;
  }

  isMutable(name: string): boolean {
    return this.param(name)?.mutable ?? false;
  }

  /** Value as CONFIG GET shows it. */
  show(name: string): string {
    const p = this.param(name)!;
    return p.shown ?? String(p.value);
  }

  /** Would set() accept raw for name? An error message (without "ERR ") or null. Changes nothing. */
  check(name: string, raw: string, atStartup = false): string | null {
    const r = this.parse(name, raw, atStartup);
    return typeof r === 'string' ? r : null;
  }

  /** Parse and set; returns an error message (without "ERR ") or null. */
  set(name: string, raw: string, atStartup: boolean): string | null {
    const r = this.parse(name, raw, atStartup);
    if (typeof r === 'string') return r;
    store(r.p, r.v);
    if (!atStartup) this.onChange(r.p.name);
    return null;
  }

  /** The parameter and raw parsed for it, or CONFIG SET's error message (without "ERR "). */
  private parse(name: string, raw: string, atStartup: boolean): { p: Param; v: ConfigValue | bigint } | string {
    const p = this.param(name);
    if (!p) return `Unknown option or number of arguments for CONFIG SET - '${name}'`;
    if (!atStartup && !p.mutable) return `CONFIG SET failed (possibly related to argument '${name}') - can't set immutable config`;
    const v = parseValue(p, raw);
    if (typeof v === 'object') return `CONFIG SET failed (possibly related to argument '${name}') - ${v.err}`;
    return { p, v };
  }

  /** Load a redis.conf file. Unknown directives are warned about; malformed lines are fatal. */
  loadFile(path: string): void {
    this.file = path;
    let text: string;
    try {
      text = fs.readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigError(`Fatal error, can't open config file '${path}': ${strerror(err as NodeJS.ErrnoException)}`);
    }
    this.loadText(text);
  }

  loadText(text: string): void {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === '' || line.startsWith('#')) continue;
      const args = splitConfigLine(line);
      if (args === null) throw fatal(i + 1, line, 'Unbalanced quotes in configuration line');
      if (args.length === 0) continue;
      this.applyDirective(args, i + 1, line);
    }
  }

  /** Apply `--name value...` style arguments as if they were config lines. */
  loadArgs(argv: string[]): void {
    const lines: string[][] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (a.startsWith('--')) lines.push([a.slice(2)]);
      else if (lines.length > 0) lines[lines.length - 1].push(a);
      else throw new ConfigError(`Invalid argument '${a}'`);
    }
    for (const args of lines) this.applyDirective(args, 0, args.join(' '));
  }

  private applyDirective(args: string[], lineNo: number, line: string): void {
    const name = args[0].toLowerCase();
    const p = this.param(name);
    if (!p) {
      if (name === 'include' || name === 'rename-command' || name === 'user' || name === 'loadmodule') {
        this.warnings.push(`Directive '${name}' is not supported yet by Sabre; ignored (line ${lineNo})`);
        return;
      }
      this.warnings.push(`Unknown directive '${args[0]}' ignored (line ${lineNo}): Sabre does not support it yet`);
      return;
    }
    if (name === 'save') {
      p.value = args.slice(1).join(' ');
      return;
    }
    if (name === 'bind') {
      if (args.length < 2) throw fatal(lineNo, line, 'wrong number of arguments');
      p.value = args.slice(1).join(' ');
      return;
    }
    if (p.kind === 'buffer-limits') {
      const v = parseValue(p, args.slice(1).join(' '));
      if (typeof v === 'object') throw fatal(lineNo, line, v.err);
      store(p, v);
      return;
    }
    if (args.length !== 2) throw fatal(lineNo, line, 'wrong number of arguments');
    const v = parseValue(p, args[1]);
    if (typeof v === 'object') throw fatal(lineNo, line, v.err);
    store(p, v);
  }
}

/** Keep a parsed value: clamped where the parameter clamps, with its exact digits when a double cannot hold them. */
function store(p: Param, parsed: ConfigValue | bigint): void {
  let v = parsed;
  p.shown = undefined;
  if (typeof v === 'bigint') {
    p.shown = String(v);
    v = Number(v);
  }
  if (p.clamp !== undefined && typeof v === 'number') v = Math.min(Math.max(v, p.clamp[0]), p.clamp[1]);
  p.value = v;
}

function fatal(lineNo: number, line: string, reason: string): ConfigError {
  return new ConfigError(`\n*** FATAL CONFIG FILE ERROR (Sabre) ***\nReading the configuration file, at line ${lineNo}\n>>> '${line}'\n${reason}`);
}

/** Outside [min, max]: Redis's range error, else null. */
function rangeError(p: Param, v: bigint): { err: string } | null {
  if ((p.min !== undefined && v < BigInt(p.min)) || (p.max !== undefined && v > BigInt(p.max))) return { err: `argument must be between ${p.min} and ${p.max} inclusive` };
  return null;
}

/**
 * A value as Redis's config types take it: integers as string2ll (no sign but
 * '-', no leading zeros, 64-bit), memory values as memtoull (digits with an
 * optional unit, '' is 0, strtoull's saturation and the unit's wrap-around).
 * A number beyond a double's exact integers comes back as a bigint.
 */
function parseValue(p: Param, raw: string): ConfigValue | bigint | { err: string } {
  switch (p.kind) {
    case 'int': {
      const t = raw.trim();
      if (!/^(0|-?[1-9][0-9]*)$/.test(t)) return { err: 'argument couldn\'t be parsed into an integer' };
      const n = BigInt(t);
      if (n < LONG_MIN || n > LONG_MAX) return { err: 'argument couldn\'t be parsed into an integer' };
      return rangeError(p, n) ?? Number(n);
    }
    case 'memory': {
      const n = parseMemoryBig(raw.trim());
      if (n === null) return { err: 'argument must be a memory value' };
      const r = rangeError(p, n);
      if (r !== null) return r;
      return n > BigInt(Number.MAX_SAFE_INTEGER) ? n : Number(n);
    }
    case 'buffer-limits':
      return parseBufferLimits(String(p.value), raw);
    case 'bool': {
      const v = raw.toLowerCase();
      if (v !== 'yes' && v !== 'no') return { err: 'argument must be \'yes\' or \'no\'' };
      return v;
    }
    case 'enum': {
      const v = raw.toLowerCase();
      if (!p.enumValues!.includes(v)) return { err: `argument(s) must be one of the following: ${p.enumValues!.join(', ')}` };
      return v;
    }
    default:
      return raw;
  }
}

const BUFFER_CLASSES = ['normal', 'slave', 'pubsub'];

/**
 * client-output-buffer-limit as Redis takes it: groups of four words split on
 * single spaces (class, hard and soft as memory values, soft seconds as
 * strtoll into a C int), all checked before any class changes; '' changes
 * nothing. Returns the whole new value as CONFIG GET shows it.
 */
function parseBufferLimits(current: string, raw: string): string | { err: string } {
  if (raw === '') return current;
  const t = raw.split(' ');
  if (t.length % 4 !== 0) return { err: 'Wrong number of arguments in buffer limit configuration.' };
  const limits = new Map<string, string>();
  const cur = current.split(' ');
  for (let i = 0; i + 3 < cur.length; i += 4) limits.set(cur[i], `${cur[i + 1]} ${cur[i + 2]} ${cur[i + 3]}`);
  const updates: [string, string][] = [];
  for (let i = 0; i < t.length; i += 4) {
    let cls = t[i].toLowerCase();
    if (cls === 'replica') cls = 'slave';
    if (!BUFFER_CLASSES.includes(cls)) return { err: 'Invalid client class specified in buffer limit configuration.' };
    const hard = parseMemoryBig(t[i + 1]);
    const soft = parseMemoryBig(t[i + 2]);
    const secs = strtollToInt(t[i + 3]);
    if (hard === null || soft === null || secs === null || secs < 0) return { err: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    updates.push([cls, `${hard} ${soft} ${secs}`]);
  }
  for (const [cls, v] of updates) limits.set(cls, v);
  return BUFFER_CLASSES.map((c) => `${c} ${limits.get(c) ?? '0 0 0'}`).join(' ');
}

/** C's strtoll(s, &end, 10) with *end required to be the end, stored into an int (wraps); null when rejected. */
function strtollToInt(s: string): number | null {
  if (s === '') return 0;
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)$/.exec(s);
  if (!m) return null;
  let n = BigInt(m[1]);
  if (n > LONG_MAX) n = LONG_MAX;
  if (n < LONG_MIN) n = LONG_MIN;
  return Number(BigInt.asIntN(32, n));
}

const MEMORY_UNITS: Record<string, bigint> = { '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n };

/** Redis's memtoull: null where it reports an error. */
function parseMemoryBig(s: string): bigint | null {
  const m = /^([0-9]*)([a-z]*)$/i.exec(s);
  if (!m || m[1].length >= 128) return null;
  const mul = MEMORY_UNITS[m[2].toLowerCase()];
  if (mul === undefined) return null;
  let n = m[1] === '' ? 0n : BigInt(m[1]);
  if (n > ULLONG_MAX) n = ULLONG_MAX;
  return (n * mul) & ULLONG_MAX;
}


/** Split a config line like Redis (sdssplitargs): quotes and escapes. null on unbalanced quotes. */
export function splitConfigLine(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && /\s/.test(line[i])) i++;
    if (i >= n) break;
    let cur = '';
    let inq = false;
    let insq = false;
    for (;;) {
      if (inq) {
        if (i >= n) return null;
        if (line[i] === '\\' && i + 1 < n) {
          i++;
          const e = line[i];
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e;
        } else if (line[i] === '"') {
          if (i + 1 < n && !/\s/.test(line[i + 1])) return null;
          i++;
          break;
        } else cur += line[i];
      } else if (insq) {
        if (i >= n) return null;
        if (line[i] === "'") {
          if (i + 1 < n && !/\s/.test(line[i + 1])) return null;
          i++;
          break;
        }
        cur += line[i];
      } else {
        if (i >= n || /\s/.test(line[i])) break;
        if (line[i] === '"') inq = true;
        else if (line[i] === "'") insq = true;
        else cur += line[i];
      }
      i++;
    }
    out.push(cur);
  }
  return out;
}
