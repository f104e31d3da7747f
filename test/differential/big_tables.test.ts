// Big tables: key prefetch (Keyspace.prefetch) only starts at 64 Ki entries, and
// its look-ahead guesses keys and members from raw requests, during rehashes
// too. Nothing it does may change a reply: a seeded stream over 128k keys and a
// big hash, set and zset, pipelined so the look-ahead sees whole batches, must
// answer byte for byte as redis-server, in both layouts.
import { it } from 'vitest';
import { describeDifferential, sortArray, type CmdLike } from '../helpers/diff';
import { Rng } from '../helpers/gen';

const MEMBERS = 70_000;

/**
 * Keys loaded: past the 64 Ki threshold in every shard's table. Inline: just
 * under 2^17, so the stream's new keys start a rehash mid-stream; two shards:
 * ~70k each, so each table is still rehashing from 2^16 when the stream runs.
 */
const keysFor = (shards: number): number => (shards === 0 ? 130_000 : 140_000);

function* load(KEYS: number): Generator<CmdLike> {
  for (let i = 0; i < KEYS; i += 500) {
    const args = ['MSET'];
    for (let j = i; j < Math.min(KEYS, i + 500); j++) args.push(`k:${j}`, String(j));
    yield args;
  }
  for (let i = 0; i < MEMBERS; i += 500) {
    const h = ['HSET', 'bighash'];
    const s = ['SADD', 'bigset'];
    const z = ['ZADD', 'bigzset'];
    for (let j = i; j < Math.min(MEMBERS, i + 500); j++) {
      h.push(`f:${j}`, `v${j}`);
      s.push(`m:${j}`);
      z.push(String(j % 977), `m:${j}`);
    }
    yield h;
    yield s;
    yield z;
  }
}

function stream(seed: number, count: number, KEYS: number): CmdLike[] {
  const r = new Rng(seed);
  const key = (): string => (r.chance(0.85) ? `k:${r.int(0, KEYS - 1)}` : `new:${r.int(0, 9000)}`);
  const member = (p: string): string => `${p}:${r.int(0, MEMBERS + 2000)}`;
  const out: CmdLike[] = [];
  for (let i = 0; i < count; i++) {
    const c = r.weighted<() => CmdLike>([
      [6, () => ['GET', key()]],
      [5, () => ['SET', key(), `s${i}`]],
      [3, () => ['INCR', key()]],
      [2, () => ['DEL', key()]],
      [1, () => ['EXISTS', key(), key()]],
      [1, () => ['MGET', key(), key(), key()]],
      [3, () => ['HGET', 'bighash', member('f')]],
      [2, () => ['HSET', 'bighash', member('f'), `x${i}`]],
      [1, () => ['HDEL', 'bighash', member('f')]],
      [2, () => ['SISMEMBER', 'bigset', member('m')]],
      [1, () => ['SADD', 'bigset', member('m')]],
      [1, () => ['SREM', 'bigset', member('m')]],
      [2, () => ['ZSCORE', 'bigzset', member('m')]],
      [2, () => ['ZADD', 'bigzset', String(r.int(0, 999)), member('m')]],
      [1, () => ['ZINCRBY', 'bigzset', '1.5', member('m')]],
      [1, () => ['ZRANK', 'bigzset', member('m')]],
      [1, () => ['ZREM', 'bigzset', member('m')]],
      [1, () => ['GET', 'bighash']], // WRONGTYPE, with a member-looking argument 2 missing
      [1, () => ['HGET', `k:${r.int(0, KEYS - 1)}`, 'f']], // a string where a hash is expected
      [1, () => ['SELECT', String(r.int(0, 1))]],
    ]);
    out.push(c());
  }
  out.push(['SELECT', '0']);
  return out;
}

describeDifferential('differential: big tables (key and member prefetch)', (env) => {
  for (const seed of [1, 2]) {
    it(`seed=${seed}: ${keysFor(env.shards)} keys, ${MEMBERS}-member hash/set/zset, 6000 pipelined commands`, async () => {
      const KEYS = keysFor(env.shards);
      const d = await env.open(seed === 2, `big tables seed=${seed} shards=${env.shards}`);
      await d.run([...load(KEYS)], { batch: 50, stopOnFirst: true });
      await d.run(stream(seed, 6000, KEYS), { batch: 300, stopOnFirst: true, context: () => `(seed=${seed}, shards=${env.shards})` });
      await d.run([['DBSIZE'], ['HLEN', 'bighash'], ['SCARD', 'bigset'], ['ZCARD', 'bigzset'], { args: ['ZRANGE', 'bigzset', '0', '50', 'WITHSCORES'] }, { args: ['KEYS', 'new:*'], normalize: sortArray }], {
        stopOnFirst: true,
      });
    }, 120_000);
  }
});
