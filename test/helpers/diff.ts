// Differential testing: the same commands go to Sabre and to redis-server and
// the raw reply bytes must be identical.
import { RawClient, escapeBytes, parseReply, serializeReply, type Arg, type RespNode } from './raw';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { SHARD_CONFIGS, startRedis, startSabre, stopAll, warnIfNoRedis, type ServerHandle } from './servers';

/** Maps a raw reply to a comparable form. Use sparingly (nondeterministic replies only). */
export type Normalizer = (reply: Buffer, args: Arg[]) => Buffer | string;

export interface DiffCmd {
  args: Arg[];
  normalize?: Normalizer;
}

export type CmdLike = Arg[] | DiffCmd;

function toCmd(c: CmdLike): DiffCmd {
  return Array.isArray(c) ? { args: c } : c;
}

export function fmtArgs(args: Arg[]): string {
  return args.map((a) => escapeBytes(Buffer.isBuffer(a) ? a : String(a), 200)).join(' ');
}

export interface Mismatch {
  index: number;
  args: Arg[];
  sabre: Buffer;
  redis: Buffer;
}

export function formatMismatch(m: Mismatch): string {
  return (
    `  #${m.index} ${fmtArgs(m.args)}\n` +
    `      redis: ${escapeBytes(m.redis, 600)}\n` +
    `      sabre: ${escapeBytes(m.sabre, 600)}`
  );
}

export class DiffError extends Error {
  constructor(
    message: string,
    readonly mismatches: Mismatch[],
  ) {
    super(message);
    this.name = 'DiffError';
  }
}

export interface DiffOptions {
  resp3?: boolean;
  /** label printed in failure messages (e.g. "shards=2 seed=42") */
  label?: string;
}

/** A pair of connections (one to Sabre, one to redis-server) kept in lock-step. */
export class DiffSession {
  private constructor(
    readonly sabre: RawClient,
    readonly redis: RawClient,
    readonly label: string,
  ) {}

  static async open(sabrePort: number, redisPort: number, opts: DiffOptions = {}): Promise<DiffSession> {
    const s = await RawClient.connect(sabrePort, '127.0.0.1', `sabre:${sabrePort}`);
    const r = await RawClient.connect(redisPort, '127.0.0.1', `redis:${redisPort}`);
    const d = new DiffSession(s, r, opts.label ?? '');
    if (opts.resp3) await d.check(['HELLO', '3'], normalizeHello);
    return d;
  }

  /** Send one command to both servers and return both raw replies (not compared). */
  async both(args: Arg[]): Promise<{ sabre: Buffer; redis: Buffer }> {
    const [sabre, redis] = await Promise.all([this.sabre.call(...args), this.redis.call(...args)]);
    return { sabre, redis };
  }

  /** Send one command to both and throw a readable error if the replies differ. Returns redis' raw reply. */
  async check(args: Arg[], normalize?: Normalizer): Promise<Buffer> {
    const { sabre, redis } = await this.both(args);
    if (!sameReply(sabre, redis, args, normalize)) {
      const m: Mismatch = { index: 0, args, sabre, redis };
      throw new DiffError(`[${this.label}] reply mismatch:\n${formatMismatch(m)}`, [m]);
    }
    return redis;
  }

  /**
   * Run commands (pipelined in batches) against both servers and compare each
   * pair of replies. Collects every mismatch, then throws one error listing
   * them all (or stops at the first one when `stopOnFirst`).
   */
  async run(
    cmds: CmdLike[],
    opts: { batch?: number; stopOnFirst?: boolean; context?: (index: number) => string } = {},
  ): Promise<void> {
    const list = cmds.map(toCmd);
    const batch = opts.batch ?? 200;
    const mismatches: Mismatch[] = [];
    for (let i = 0; i < list.length; i += batch) {
      const chunk = list.slice(i, i + batch);
      const argv = chunk.map((c) => c.args);
      const [sr, rr] = await Promise.all([
        this.sabre.pipeline(argv).catch((e: Error) => e),
        this.redis.pipeline(argv).catch((e: Error) => e),
      ]);
      if (rr instanceof Error) throw new Error(`[${this.label}] redis-server failed: ${rr.message}`);
      if (sr instanceof Error) {
        throw new Error(
          `[${this.label}] sabre failed during batch starting at #${i} (${fmtArgs(argv[0] ?? [])} ...): ${sr.message}` +
            (mismatches.length ? `\nearlier mismatches:\n${mismatches.map(formatMismatch).join('\n')}` : ''),
        );
      }
      for (let j = 0; j < chunk.length; j++) {
        const c = chunk[j]!;
        if (process.env.SABRE_TEST_DUMP) console.log(`${fmtArgs(c.args)}\n    -> ${escapeBytes(rr[j]!, 300)}`);
        if (!sameReply(sr[j]!, rr[j]!, c.args, c.normalize)) {
          mismatches.push({ index: i + j, args: c.args, sabre: sr[j]!, redis: rr[j]! });
          if (opts.stopOnFirst) {
            const idx = i + j;
            const prev = list
              .slice(Math.max(0, idx - 12), idx)
              .map((p, k) => `  #${Math.max(0, idx - 12) + k} ${fmtArgs(p.args)}`)
              .join('\n');
            throw new DiffError(
              `[${this.label}] reply mismatch at command #${idx}${opts.context ? ' ' + opts.context(idx) : ''}\n` +
                `previous commands:\n${prev}\nmismatch:\n${formatMismatch(mismatches[0]!)}`,
              mismatches,
            );
          }
        }
      }
    }
    if (mismatches.length) {
      const shown = mismatches.slice(0, 40).map(formatMismatch).join('\n');
      throw new DiffError(
        `[${this.label}] ${mismatches.length} of ${list.length} replies differ between redis-server and sabre:\n${shown}` +
          (mismatches.length > 40 ? `\n  ... and ${mismatches.length - 40} more` : ''),
        mismatches,
      );
    }
  }

  close(): void {
    this.sabre.close();
    this.redis.close();
  }
}

function sameReply(sabre: Buffer, redis: Buffer, args: Arg[], normalize?: Normalizer): boolean {
  if (!normalize) return sabre.equals(redis);
  const a = normalize(sabre, args);
  const b = normalize(redis, args);
  const ab = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
  const bb = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
  return ab.equals(bb);
}

// ---------------------------------------------------------------------------
// Normalizers

function safeParse(b: Buffer): RespNode | null {
  try {
    return parseReply(b).node;
  } catch {
    return null;
  }
}

/** Sort the elements of a top-level array/set reply (KEYS, SMEMBERS-like). */
export const sortArray: Normalizer = (b) => {
  const n = safeParse(b);
  if (!n || !n.items || n.type === '%') return b;
  n.items.sort((x, y) => Buffer.compare(serializeReply(x), serializeReply(y)));
  return serializeReply(n);
};

/** Compare only the RESP type byte (e.g. CLIENT ID, TIME, RANDOMKEY on multi-key dbs). */
export const typeOnly: Normalizer = (b) => `type:${String.fromCharCode(b[0] ?? 0)}`;

/** Integer replies > 0 become ":<positive>" (TTL/PTTL that may drift); others kept. */
export const positiveInt: Normalizer = (b) => {
  const s = b.toString('latin1');
  const m = /^:(-?\d+)\r\n$/.exec(s);
  if (m && Number(m[1]) > 0) return ':<positive>\r\n';
  return b;
};

/** Replace the values of `id` and `version` in a HELLO reply (RESP2 flat array or RESP3 map). */
export const normalizeHello: Normalizer = (b) => {
  const n = safeParse(b);
  if (!n || !n.items) return b;
  for (let i = 0; i + 1 < n.items.length; i += 2) {
    const k = n.items[i]!.data?.toString('latin1');
    if (k === 'id' || k === 'version') n.items[i + 1] = { type: '+', data: Buffer.from('<normalized>') };
  }
  return serializeReply(n);
};

/** Start Sabre + redis-server for a describe block. */
export interface ServerPair {
  sabre: ServerHandle;
  redis: ServerHandle;
}

export async function startPair(shards: number, args: string[] = []): Promise<ServerPair> {
  const [s, r] = await Promise.allSettled([startSabre({ shards, args }), startRedis({ args })]);
  const sabre = s.status === 'fulfilled' ? s.value : null;
  const redis = r.status === 'fulfilled' ? r.value : null;
  if (s.status === 'rejected' || r.status === 'rejected' || !sabre || !redis) {
    await stopAll(sabre, redis);
    if (s.status === 'rejected') throw s.reason;
    if (r.status === 'rejected') throw r.reason;
    throw new Error('redis-server is missing');
  }
  return { sabre, redis };
}

// ---------------------------------------------------------------------------
// Suite scaffolding


export interface DiffEnv {
  readonly shards: number;
  pair(): ServerPair;
  /** open a lock-step session (closed automatically after the test) */
  open(resp3?: boolean, label?: string): Promise<DiffSession>;
}

/**
 * describe(name) x SHARD_CONFIGS: starts Sabre (--shards N) and redis-server once
 * per shard configuration, FLUSHALLs both before every test and closes sessions
 * after it. Skips visibly when redis-server is missing.
 */
export function describeDifferential(
  name: string,
  body: (env: DiffEnv) => void,
  opts: { args?: string[]; shardConfigs?: number[] } = {},
): void {
  const haveRedis = warnIfNoRedis(name);
  describe.skipIf(!haveRedis)(name, () => {
    for (const shards of opts.shardConfigs ?? SHARD_CONFIGS) {
      describe(`shards=${shards}`, () => {
        let pair: ServerPair | null = null;
        const sessions: DiffSession[] = [];
        beforeAll(async () => {
          pair = await startPair(shards, opts.args ?? []);
        });
        afterAll(async () => {
          for (const s of sessions.splice(0)) s.close();
          if (pair) await stopAll(pair.sabre, pair.redis);
        });
        afterEach(() => {
          for (const s of sessions.splice(0)) s.close();
        });
        const env: DiffEnv = {
          shards,
          pair() {
            if (!pair) throw new Error('servers not started');
            return pair;
          },
          async open(resp3 = false, label?: string) {
            const p = env.pair();
            const d = await DiffSession.open(p.sabre.port, p.redis.port, {
              resp3,
              label: label ?? `${name} shards=${shards} RESP${resp3 ? 3 : 2}`,
            });
            sessions.push(d);
            // start every test from an empty keyspace on both sides, in db 0
            await d.check(['FLUSHALL']);
            return d;
          },
        };
        body(env);
      });
    }
  });
}

/** Declare one test per protocol (RESP2 and RESP3) that runs `cmds` through run(). */
export function diffCases(env: DiffEnv, title: string, cmds: CmdLike[] | (() => CmdLike[])): void {
  for (const resp3 of [false, true]) {
    it(`${title} [RESP${resp3 ? 3 : 2}]`, async () => {
      const d = await env.open(resp3);
      await d.run(typeof cmds === 'function' ? cmds() : cmds);
    });
  }
}

// ---------------------------------------------------------------------------
// Raw byte exchanges (inline commands, protocol abuse)

export interface RawOutcome {
  data: Buffer;
  closed: boolean;
}

/**
 * Open a fresh connection to a server, write `input` (one chunk, or several
 * chunks written one after the other with an optional delay), then collect
 * everything until the server closes the connection or stays idle for `idleMs`.
 */
export async function rawExchange(
  port: number,
  input: Buffer | string | Array<Buffer | string>,
  opts: { idleMs?: number; chunkDelayMs?: number; maxMs?: number; until?: { minBytes?: number; closed?: boolean } } = {},
): Promise<RawOutcome> {
  const c = await RawClient.connect(port);
  try {
    const chunks = Array.isArray(input) ? input : [input];
    for (const ch of chunks) {
      if (c.closed) break;
      await c.writeRawAsync(ch).catch(() => undefined);
      if (opts.chunkDelayMs) await new Promise((r) => setTimeout(r, opts.chunkDelayMs));
    }
    return await c.readUntilIdleOrClose(opts.idleMs ?? 300, opts.maxMs ?? 20_000, opts.until);
  } finally {
    c.close();
  }
}

/** Same raw input to both servers; throws a readable error unless bytes and close-state match. */
export async function expectSameRawExchange(
  pair: ServerPair,
  input: Buffer | string | Array<Buffer | string>,
  opts: { idleMs?: number; chunkDelayMs?: number; maxMs?: number; label?: string } = {},
): Promise<RawOutcome> {
  // reference first; then give Sabre time to produce at least as much output (and to close, if redis did)
  const r = await rawExchange(pair.redis.port, input, opts);
  const s = await rawExchange(pair.sabre.port, input, {
    ...opts,
    maxMs: opts.maxMs ?? 5_000,
    until: { minBytes: r.data.length, closed: r.closed },
  });
  if (!s.data.equals(r.data) || s.closed !== r.closed) {
    const inp = Array.isArray(input) ? Buffer.concat(input.map((x) => Buffer.from(x))) : Buffer.from(input);
    throw new DiffError(
      `${opts.label ?? 'raw exchange'} differs\n  input: ${escapeBytes(inp, 300)}\n` +
        `      redis: ${escapeBytes(r.data, 600)} connection ${r.closed ? 'CLOSED' : 'open'}\n` +
        `      sabre: ${escapeBytes(s.data, 600)} connection ${s.closed ? 'CLOSED' : 'open'}`,
      [{ index: 0, args: [inp], sabre: s.data, redis: r.data }],
    );
  }
  return r;
}
