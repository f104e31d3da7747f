// Seeded random command streams that exercise per-connection state: CLIENT
// REPLY ON/OFF/SKIP, HELLO 2/3 (protocol switches mid-stream), SELECT/SWAPDB/
// FLUSHDB, RESET, CLIENT SETNAME/GETNAME, BLPOP/BRPOP, wrong arity, unknown
// commands and WRONGTYPE errors, mixed with data commands over a few colliding
// keys. A whole stream is written pipelined, cut at random byte positions into
// chunks (odd seeds: 1 ms apart), over ONE fresh TCP connection to each server
// (both at once), and the raw reply bytes must be identical. Each output is
// read until it ends with the reply to the stream's final PING.
//
// Only HELLO replies are normalized (their `id` and `version` fields are
// server-specific: normalizeHello). Every other reply is compared byte for
// byte; the streams avoid unordered replies (no SMEMBERS: SCARD/SISMEMBER
// instead; hash fields and values stay small, so HGETALL keeps insertion order).
//
// Knobs:
//   SABRE_CONN_SEEDS=1,2,3 or 1..200   seeds (default 1..5)
//   SABRE_CONN_STREAM_LEN=400          random commands per stream
//   SABRE_TEST_SHARDS=0,2              shard configurations (helpers/servers.ts)
// Reproduce a failure: SABRE_CONN_SEEDS=<seed> SABRE_TEST_SHARDS=<n> npx vitest run test/differential/conn_random.test.ts
import { it } from 'vitest';
import { DiffError, describeDifferential, fmtArgs, normalizeHello, type ServerPair } from '../helpers/diff';
import { Rng } from '../helpers/gen';
import { RawClient, encodeCommand, escapeBytes, frameReply, parseReply, type Arg } from '../helpers/raw';
import { sleep } from '../helpers/servers';

function parseSeeds(spec: string | undefined): number[] {
  if (!spec) return [1, 2, 3, 4, 5];
  const out: number[] = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)\s*\.\.\s*(\d+)$/.exec(part);
    if (m) for (let s = Number(m[1]); s <= Number(m[2]); s++) out.push(s);
    else out.push(Number(part));
  }
  return out;
}

const SEEDS = parseSeeds(process.env.SABRE_CONN_SEEDS);
const COUNT = Number(process.env.SABRE_CONN_STREAM_LEN ?? 400);
const DBS = 4;
const FILE = 'test/differential/conn_random.test.ts';

// ---------------------------------------------------------------------------
// Stream generation

const KEYS: Arg[] = ['a', 'b', 'c', 'lst', 'h', 'z', Buffer.from([0x6b, 0x00, 0x0d, 0x0a, 0xff])];
const FIELDS: Arg[] = ['f1', 'f2', 'f3', 'f4', Buffer.from([0x00, 0x66, 0x0d, 0x0a])];
const ZSCORES = ['0', '1', '-1', '2', '1.5', '0.1', '-2.25', '1e20', '3.0e3', '-0', '+inf', '-inf', 'inf', '1e-5', 'abc', 'nan', ''];

interface Stream {
  cmds: Arg[][];
  /** the PING message that ends the stream */
  marker: string;
}

function randomBytes(r: Rng, len: number): Buffer {
  const b = Buffer.alloc(len);
  const printable = r.chance(0.5);
  for (let i = 0; i < len; i++) b[i] = printable ? r.int(32, 126) : r.int(0, 255);
  return b;
}

function generate(seed: number, count: number): Stream {
  const r = new Rng(seed);
  const key = () => r.pick(KEYS);
  const keys = (lo: number, hi: number) => Array.from({ length: r.int(lo, hi) }, key);
  /** 0..400 bytes, binary safe; small ones and integers are more likely */
  const value = (max = 400): Arg =>
    r.weighted<() => Arg>([
      [3, () => String(r.int(-5, 60))],
      [1, () => r.pick(['', '0', '-0', '007', '9223372036854775807', '-9223372036854775808', '1.5', ' 1'])],
      [4, () => randomBytes(r, r.int(0, Math.min(max, 16)))],
      [3, () => randomBytes(r, r.int(0, max))],
    ])();
  const member = () =>
    r.chance(0.6) ? r.pick(['1', '2', '3', 'm', 'mm', Buffer.from([0, 13, 10]), 'x'.repeat(100)]) : value();
  const idx = () => String(r.pick([0, 1, 2, -1, -2, -3, 5, 10, -100, 100]));
  const blockTimeout = () => r.pick(['0.01', '0.01', '0.02']);
  const caseOf = (s: string) => r.pick([s.toUpperCase(), s.toLowerCase(), s[0]!.toUpperCase() + s.slice(1).toLowerCase()]);

  const gens: Array<readonly [number, () => Arg[]]> = [
    // data commands
    [6, () => ['SET', key(), value()]],
    [2, () => ['SET', key(), String(r.int(-10, 1000))]],
    [5, () => ['GET', key()]],
    [3, () => ['DEL', ...keys(1, 3)]],
    [3, () => ['INCR', key()]],
    [4, () => [r.pick(['LPUSH', 'LPUSH', 'RPUSH']), key(), ...Array.from({ length: r.int(1, 3) }, () => value())]],
    [3, () => ['LRANGE', key(), idx(), idx()]],
    [3, () => ['HSET', key(), ...Array.from({ length: r.int(1, 3) }, () => [r.pick(FIELDS), value(60)]).flat()]],
    [2, () => ['HGETALL', key()]],
    [3, () => ['SADD', key(), ...Array.from({ length: r.int(1, 3) }, member)]],
    [1.5, () => ['SCARD', key()]],
    [1.5, () => ['SISMEMBER', key(), member()]],
    [3, () => ['ZADD', key(), ...Array.from({ length: r.int(1, 3) }, () => [r.pick(ZSCORES), member()]).flat()]],
    [2, () => ['ZRANGE', key(), ...(r.chance(0.7) ? ['0', '-1'] : [idx(), idx()]), ...(r.chance(0.8) ? ['WITHSCORES'] : [])]],
    [1, () => ['ZSCORE', key(), member()]],
    [2, () => ['EXISTS', ...keys(1, 4)]],
    [2, () => ['TYPE', key()]],
    [2, () => ['ECHO', value()]],
    [2, () => (r.chance(0.4) ? ['PING'] : ['PING', value()])],
    [1.5, () => ['DBSIZE']],
    // per-connection and keyspace-wide state
    [3, () => ['SELECT', r.chance(0.93) ? String(r.int(0, DBS - 1)) : r.pick(['16', '-1', 'abc', ''])]],
    [0.6, () => ['SWAPDB', '0', '1']],
    [0.3, () => ['FLUSHDB']],
    [1.3, () => ['CLIENT', 'REPLY', caseOf('off')]],
    [1.8, () => ['CLIENT', 'REPLY', caseOf('on')]],
    [1.8, () => ['CLIENT', 'REPLY', caseOf('skip')]],
    [0.2, () => ['CLIENT', 'REPLY', r.pick(['maybe', '', 'onn'])]],
    [2, () => ['HELLO', r.pick(['2', '3'])]],
    [0.4, () => ['HELLO', r.pick(['2', '3']), 'SETNAME', r.pick(['h1', 'h2'])]],
    [0.3, () => (r.chance(0.5) ? ['HELLO'] : ['HELLO', r.pick(['1', '4', 'x', '3.0'])])],
    [1, () => ['RESET']],
    [0.8, () => (r.chance(0.5) ? ['CLIENT', 'GETNAME'] : ['CLIENT', 'SETNAME', r.pick(['n1', 'n2', '', 'bad name'])])],
    // blocking commands: a missing key times out (no other client pushes), an existing list answers at once
    [0.8, () => [r.pick(['BLPOP', 'BRPOP']), ...keys(1, 2), blockTimeout()]],
    // errors
    [
      1.5,
      () =>
        r.pick<() => Arg[]>([
          () => ['GET'],
          () => ['SET', key()],
          () => ['LPUSH', key()],
          () => ['HSET', key(), 'f1'],
          () => ['ZADD', key(), '1'],
          () => ['SELECT'],
          () => ['ECHO'],
          () => ['PING', 'a', 'b'],
          () => ['CLIENT', 'REPLY'],
          () => ['CLIENT', 'REPLY', 'ON', 'x'],
          () => ['RESET', 'x'],
          () => ['HELLO', '3', 'SETNAME'],
          () => ['BLPOP', key()],
          () => ['BLPOP', key(), r.pick(['abc', '-1'])],
          () => ['SWAPDB', '0'],
          () => ['DBSIZE', 'x'],
          () => ['TYPE'],
          () => ['EXISTS'],
          () => ['INCR'],
          () => ['LRANGE', key(), '0'],
          () => ['SISMEMBER', key()],
          () => ['ZRANGE', key(), '0'],
          () => ['HGETALL'],
        ])(),
    ],
    [
      1,
      () =>
        r.chance(0.2)
          ? ['CLIENT', r.pick(['NOSUCH', 'replyy']), ...(r.chance(0.5) ? [value(40)] : [])]
          : [r.pick(['FOO', 'NOSUCHCMD', 'GETT', 'client-reply']), ...Array.from({ length: r.int(0, 3) }, () => value(60))],
    ],
  ];

  const marker = `conn-random-end-${seed}`;
  const cmds: Arg[][] = [['FLUSHALL']];
  for (let i = 0; i < count; i++) cmds.push(r.weighted(gens)());
  // tail: replies back on, the final state of every db, then the end marker
  cmds.push(['CLIENT', 'REPLY', 'ON']);
  for (let db = 0; db < DBS; db++) {
    cmds.push(['SELECT', String(db)], ['DBSIZE']);
    for (const k of KEYS) cmds.push(['TYPE', k]);
  }
  cmds.push(['PING', marker]);
  return { cmds, marker };
}

/** Cut the encoded stream at random byte positions (chunks of 1 byte up to 4 KiB). */
function chunked(seed: number, data: Buffer): Buffer[] {
  const r = new Rng(seed ^ 0x5bd1e995);
  const out: Buffer[] = [];
  for (let pos = 0; pos < data.length; ) {
    const n = r.weighted<() => number>([
      [3, () => r.int(1, 8)],
      [4, () => r.int(9, 300)],
      [3, () => r.int(301, 4096)],
    ])();
    out.push(data.subarray(pos, pos + n));
    pos += n;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Which command each visible reply belongs to (for failure messages only: the
// comparison itself is on bytes). Model of Redis 7 CLIENT REPLY:
//  - OFF and SKIP never answer; SKIP is ignored while OFF; ON clears both and
//    answers +OK (even when the reply to ON itself was to be skipped);
//  - SKIP silences the next command's reply (errors included) and only that one;
//  - RESET clears OFF (and answers +RESET) and a pending SKIP, but a RESET
//    that is itself being skipped stays silent.

function lc(a: Arg | undefined): string {
  return a === undefined ? '' : (Buffer.isBuffer(a) ? a.toString('latin1') : String(a)).toLowerCase();
}

function visibleReplies(cmds: Arg[][]): number[] {
  let off = false;
  let skip = false; // the current command's reply is skipped
  const out: number[] = [];
  for (let i = 0; i < cmds.length; i++) {
    const c = cmds[i]!;
    const name = lc(c[0]);
    let skipNext = false;
    let silent = off || skip;
    if (name === 'client' && lc(c[1]) === 'reply' && c.length === 3) {
      const mode = lc(c[2]);
      if (mode === 'on') {
        off = false;
        silent = false;
      } else if (mode === 'off') {
        off = true;
        silent = true;
      } else if (mode === 'skip') {
        if (!off) skipNext = true;
        silent = true;
      }
    } else if (name === 'reset' && c.length === 1) {
      off = false;
      silent = skip;
    }
    if (!silent) out.push(i);
    skip = skipNext;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Comparison

/** Frame raw output into replies; `rest` holds bytes that do not form a complete reply. */
function frameAll(data: Buffer): { replies: Buffer[]; rest: Buffer; error?: string } {
  const replies: Buffer[] = [];
  let pos = 0;
  try {
    while (pos < data.length) {
      const end = frameReply(data, pos);
      if (end < 0) break;
      replies.push(data.subarray(pos, end));
      pos = end;
    }
  } catch (e) {
    return { replies, rest: data.subarray(pos), error: (e as Error).message };
  }
  return { replies, rest: data.subarray(pos) };
}

/** HELLO replies (RESP2 array or RESP3 map starting with "server") get id/version masked; others unchanged. */
function normalizeReply(b: Buffer): Buffer {
  const t = b[0];
  if (t !== 0x2a /* * */ && t !== 0x25 /* % */) return b;
  try {
    const first = parseReply(b).node.items?.[0];
    if (first?.data?.toString('latin1') !== 'server') return b;
  } catch {
    return b;
  }
  const n = normalizeHello(b, []);
  return typeof n === 'string' ? Buffer.from(n, 'latin1') : n;
}

function describeCmd(cmds: Arg[][], i: number | undefined): string {
  return i === undefined ? '(no command: more replies than the model expects)' : `#${i} ${fmtArgs(cmds[i]!)}`;
}

async function runStream(pair: ServerPair, seed: number, shards: number): Promise<void> {
  const { cmds, marker } = generate(seed, COUNT);
  const chunks = chunked(seed, Buffer.concat(cmds.map((c) => encodeCommand(c))));
  const chunkDelayMs = seed % 2 === 1 ? 1 : 0;
  const label = `[conn_random seed=${seed} shards=${shards}]`;
  const repro = `reproduce: SABRE_CONN_SEEDS=${seed} SABRE_TEST_SHARDS=${shards} npx vitest run ${FILE}`;

  // both at once: each output is complete when it ends with the reply to the final PING
  const endReply = encodeReply(marker);
  const [r, s] = await Promise.all([
    exchangeUntil(pair.redis.port, chunks, chunkDelayMs, endReply),
    exchangeUntil(pair.sabre.port, chunks, chunkDelayMs, endReply),
  ]);

  const rf = frameAll(r.data);
  const sf = frameAll(s.data);
  const visible = visibleReplies(cmds);
  // harness sanity: the reference answered everything (and, below, the reply model agrees with it)
  if (r.closed || rf.rest.length || !rf.replies.length || !rf.replies[rf.replies.length - 1]!.equals(endReply)) {
    throw new Error(
      `${label} harness: redis-server's output is incomplete (closed=${r.closed}, ${rf.replies.length} replies, ` +
        `unframed tail ${escapeBytes(rf.rest, 200)}); ${repro}`,
    );
  }
  const modelNote =
    rf.replies.length === visible.length
      ? ''
      : ` [harness: the CLIENT REPLY model expects ${visible.length} replies, redis-server sent ${rf.replies.length}: command attribution is unreliable]`;

  let k = 0;
  while (k < rf.replies.length && k < sf.replies.length && normalizeReply(rf.replies[k]!).equals(normalizeReply(sf.replies[k]!))) k++;
  const same = k === rf.replies.length && k === sf.replies.length && sf.rest.length === 0 && s.closed === r.closed;
  if (same) {
    if (modelNote) throw new Error(`${label}${modelNote}; ${repro}`);
    return;
  }

  // first difference: reply #k (or the end of one of the outputs)
  const offset = rf.replies.slice(0, k).reduce((n, b) => n + b.length, 0);
  const ci = visible[k];
  const lines: string[] = [];
  lines.push(
    `${label} raw replies differ at reply #${k} (byte offset ${offset}), command ${describeCmd(cmds, ci)}${modelNote}`,
    `  ${repro}`,
    `  redis: ${r.data.length} bytes, ${rf.replies.length} replies, connection ${r.closed ? 'CLOSED' : 'open'}`,
    `  sabre: ${s.data.length} bytes, ${sf.replies.length} replies${sf.error ? ` (unframable: ${sf.error})` : ''}` +
      `${sf.rest.length ? `, unframed tail ${escapeBytes(sf.rest, 200)}` : ''}, connection ${s.closed ? 'CLOSED' : 'open'}`,
    `  previous commands (-> redis' reply; "(silent)" = no reply):`,
  );
  const from = Math.max(0, (ci ?? cmds.length) - 15);
  const replyOf = new Map<number, number>(visible.map((c, j) => [c, j]));
  for (let i = from; i < (ci ?? cmds.length); i++) {
    const j = replyOf.get(i);
    lines.push(`    #${i} ${fmtArgs(cmds[i]!)} -> ${j === undefined ? '(silent)' : escapeBytes(rf.replies[j]!, 120)}`);
  }
  lines.push(`  at reply #${k}, ${describeCmd(cmds, ci)}:`);
  lines.push(`      redis: ${k < rf.replies.length ? escapeBytes(rf.replies[k]!, 600) : '(no more replies)'}`);
  lines.push(`      sabre: ${k < sf.replies.length ? escapeBytes(sf.replies[k]!, 600) : '(no more replies)'}`);
  lines.push(`  following replies:`);
  for (let j = k + 1; j < k + 6; j++) {
    if (j >= rf.replies.length && j >= sf.replies.length) break;
    lines.push(
      `    #${j} ${describeCmd(cmds, visible[j])}\n` +
        `      redis: ${j < rf.replies.length ? escapeBytes(rf.replies[j]!, 200) : '(none)'}\n` +
        `      sabre: ${j < sf.replies.length ? escapeBytes(sf.replies[j]!, 200) : '(none)'}`,
    );
  }
  const ctx = (b: Buffer) => escapeBytes(b.subarray(Math.max(0, offset - 80), offset + 160), 400);
  lines.push(`  raw bytes around offset ${offset} (from ${Math.max(0, offset - 80)}):`);
  lines.push(`      redis: ${ctx(r.data)}`);
  lines.push(`      sabre: ${ctx(s.data)}`);
  throw new DiffError(lines.join('\n'), [
    { index: k, args: ci === undefined ? [] : cmds[ci]!, sabre: sf.replies[k] ?? Buffer.alloc(0), redis: rf.replies[k] ?? Buffer.alloc(0) },
  ]);
}

/**
 * Write the chunks to a fresh connection, then collect output until it ends
 * with `end` (plus a short quiet period, to catch anything sent after it), the
 * server closes the connection, or `maxMs` passes. Reading never stops on
 * silence alone: under CLIENT REPLY OFF a stream can be quiet for a long time
 * (several blocking commands timing out in a row).
 */
async function exchangeUntil(
  port: number,
  chunks: Buffer[],
  chunkDelayMs: number,
  end: Buffer,
  maxMs = 20_000,
): Promise<{ data: Buffer; closed: boolean }> {
  const c = await RawClient.connect(port);
  try {
    for (const ch of chunks) {
      if (c.closed) break;
      await c.writeRawAsync(ch).catch(() => undefined);
      if (chunkDelayMs) await sleep(chunkDelayMs);
    }
    const parts: Buffer[] = [];
    let size = 0;
    const deadline = Date.now() + maxMs;
    for (;;) {
      const remaining = deadline - Date.now();
      const done = size >= end.length && Buffer.concat(parts).subarray(size - end.length).equals(end);
      if (remaining <= 0 && !done) break;
      const got = await c.readUntilIdleOrClose(done ? 50 : 100, Math.max(remaining, 100));
      parts.push(got.data);
      size += got.data.length;
      if (got.closed || (done && got.data.length === 0)) break;
    }
    return { data: Buffer.concat(parts), closed: c.closed };
  } finally {
    c.close();
  }
}

function encodeReply(bulk: string): Buffer {
  return Buffer.from(`$${Buffer.byteLength(bulk)}\r\n${bulk}\r\n`);
}

describeDifferential('differential: random per-connection state streams (one pipelined raw connection)', (env) => {
  for (const seed of SEEDS) {
    it(`seed=${seed} (${COUNT} commands)`, async () => {
      await runStream(env.pair(), seed, env.shards);
    }, 60_000);
  }
});
