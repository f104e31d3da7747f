// Keyspace commands: same commands to Sabre and redis-server, raw reply bytes must be equal.
import { expect, it } from 'vitest';
import { describeDifferential, diffCases, positiveInt, sortArray, typeOnly, type CmdLike } from '../helpers/diff';
import { Rng } from '../helpers/gen';
import { escapeBytes, parseReply, type RawClient } from '../helpers/raw';

const nowS = Math.floor(Date.now() / 1000);
const FUT_S = String(nowS + 500_000);
const FUT2_S = String(nowS + 700_000);
const FUT_MS = String((nowS + 600_000) * 1000 + 321);
const I64_MAX = '9223372036854775807';
const ttl = (k: string): CmdLike => ({ args: ['TTL', k], normalize: positiveInt });
const pttl = (k: string): CmdLike => ({ args: ['PTTL', k], normalize: positiveInt });
const keys = (pattern: string): CmdLike => ({ args: ['KEYS', pattern], normalize: sortArray });


/** Full SCAN iteration; returns every key returned (with duplicates) and the number of calls. */
async function scanAll(c: RawClient, extra: string[]): Promise<{ keys: string[]; calls: number }> {
  let cursor = '0';
  const out: string[] = [];
  let calls = 0;
  do {
    const raw = await c.call('SCAN', cursor, ...extra);
    const { node } = parseReply(raw);
    if (node.type !== '*' || !node.items || node.items.length !== 2) {
      throw new Error(`SCAN ${cursor} ${extra.join(' ')}: unexpected reply ${escapeBytes(raw)}`);
    }
    cursor = node.items[0]!.data!.toString('latin1');
    for (const k of node.items[1]!.items ?? []) out.push(k.data!.toString('latin1'));
    calls++;
    if (calls > 100_000) throw new Error('SCAN did not terminate after 100000 calls');
  } while (cursor !== '0');
  return { keys: out, calls };
}

describeDifferential('differential: keyspace', (env) => {
  diffCases(env, 'DEL UNLINK EXISTS TYPE TOUCH', [
    ['MSET', 'a', '1', 'b', '2', 'c', '3', 'd', '4'],
    ['EXISTS', 'a'],
    ['EXISTS', 'a', 'a', 'a'],
    ['EXISTS', 'a', 'b', 'x', 'a', 'c', 'd'],
    ['EXISTS', 'x'],
    ['EXISTS'],
    ['TYPE', 'a'],
    ['TYPE', 'x'],
    ['TYPE'],
    ['TOUCH', 'a', 'b', 'x', 'a'],
    ['TOUCH', 'x'],
    ['DEL', 'a', 'a', 'x'],
    ['DEL', 'a'],
    ['UNLINK', 'b', 'c', 'b', 'y'],
    ['EXISTS', 'a', 'b', 'c', 'd'],
    ['DEL'],
    ['UNLINK'],
    ['DEL', 'd', 'd'],
    ['DBSIZE'],
  ]);

  diffCases(env, 'TTL PTTL EXPIRE PEXPIRE PERSIST', [
    ['TTL', 'missing'],
    ['PTTL', 'missing'],
    ['SET', 'k', 'v'],
    ['TTL', 'k'],
    ['PTTL', 'k'],
    ['EXPIRE', 'k', '1000'],
    ttl('k'),
    pttl('k'),
    ['EXPIRE', 'missing', '100'],
    ['PEXPIRE', 'k', '2000000'],
    ttl('k'),
    ['PERSIST', 'k'],
    ['PERSIST', 'k'],
    ['PERSIST', 'missing'],
    ['TTL', 'k'],
    ['EXPIRE', 'k', 'abc'],
    ['EXPIRE', 'k', '1.5'],
    ['EXPIRE', 'k', ''],
    ['EXPIRE', 'k', I64_MAX],
    ['EXPIRE', 'k', '9223372036854775'],
    ['EXPIRE', 'k', '-9223372036854775808'],
    ['PEXPIRE', 'k', I64_MAX],
    ['PEXPIRE', 'k', '-9223372036854775808'],
    ['TTL', 'k'],
    ['EXPIRE', 'k'],
    ['EXPIRE', 'k', '100', 'FOO'],
    ['EXPIRE', 'k', '100', 'NX', 'XX'],
    ['EXPIRE', 'k', '100', 'GT', 'LT'],
    ['EXPIRE', 'k', '100', 'NX', 'GT'],
    ['EXPIRE', 'k', '100', 'XX', 'LT'],
    ['EXPIRE', 'k', '100', 'XX'],
    ['EXPIRE', 'k', '100', 'GT'],
    ['EXPIRE', 'k', '100', 'LT'],
    ttl('k'),
    ['EXPIRE', 'k', '100', 'NX'],
    ['EXPIRE', 'k', '10000', 'GT'],
    ['EXPIRE', 'k', '100', 'GT'],
    ['EXPIRE', 'k', '50000', 'LT'],
    ['EXPIRE', 'k', '500', 'LT'],
    ttl('k'),
    ['EXPIRE', 'k', '1000', 'xx'],
    ['EXPIRE', 'k', '100', 'NX'],
    ['PEXPIRE', 'k', '100000000', 'gt'],
    ['PEXPIRE', 'k', '100000', 'GT'],
    ttl('k'),
    ['SET', 'p', 'v'],
    ['EXPIRE', 'p', '100', 'GT'],
    ['EXPIRE', 'p', '100', 'LT'],
    ttl('p'),
    ['EXPIRE', 'p', '0'],
    ['EXISTS', 'p'],
    ['SET', 'p', 'v'],
    ['EXPIRE', 'p', '-10'],
    ['EXISTS', 'p'],
    ['SET', 'p', 'v'],
    ['PEXPIRE', 'p', '-1'],
    ['EXISTS', 'p'],
    ['SET', 'p', 'v'],
    ['EXPIRE', 'p', '-10', 'NX'],
    ['EXISTS', 'p'],
    ['SET', 'p', 'v', 'EX', '1000'],
    ['EXPIRE', 'p', '-10', 'GT'],
    ['EXISTS', 'p'],
    ['EXPIRE', 'p', '-10', 'LT'],
    ['EXISTS', 'p'],
  ]);

  diffCases(env, 'EXPIREAT PEXPIREAT EXPIRETIME PEXPIRETIME', [
    // EXPIRETIME rounds the ms deadline to the nearest second, as TTL does
    ['SET', 'r', 'v', 'PXAT', '1999999999600'],
    ['EXPIRETIME', 'r'],
    ['PEXPIREAT', 'r', '1999999999499'],
    ['EXPIRETIME', 'r'],
    ['PEXPIREAT', 'r', '1999999999500'],
    ['EXPIRETIME', 'r'],
    ['DEL', 'r'],
    ['EXPIRETIME', 'missing'],
    ['PEXPIRETIME', 'missing'],
    ['SET', 'k', 'v'],
    ['EXPIRETIME', 'k'],
    ['PEXPIRETIME', 'k'],
    ['EXPIREAT', 'k', FUT_S],
    ['EXPIRETIME', 'k'],
    ['PEXPIRETIME', 'k'],
    ['PEXPIREAT', 'k', FUT_MS],
    ['EXPIRETIME', 'k'],
    ['PEXPIRETIME', 'k'],
    ['EXPIREAT', 'k', FUT2_S, 'LT'],
    ['EXPIREAT', 'k', FUT2_S, 'GT'],
    ['EXPIRETIME', 'k'],
    ['EXPIREAT', 'k', FUT2_S, 'GT'],
    ['EXPIREAT', 'k', FUT_S, 'NX'],
    ['EXPIREAT', 'k', FUT_S, 'XX'],
    ['EXPIRETIME', 'k'],
    ['PEXPIREAT', 'k', FUT_MS, 'LT'],
    ['PEXPIRETIME', 'k'],
    ['EXPIREAT', 'k', 'abc'],
    ['EXPIREAT', 'k', I64_MAX],
    ['PEXPIREAT', 'k', I64_MAX],
    ['EXPIREAT', 'k', '-1'],
    ['EXISTS', 'k'],
    ['SET', 'k', 'v'],
    ['PEXPIREAT', 'k', '1'],
    ['EXISTS', 'k'],
    ['EXPIREAT', 'missing', FUT_S],
    ['EXPIREAT', 'k'],
    ['EXPIRETIME'],
    ['SET', 'k2', 'v', 'EXAT', FUT_S],
    ['EXPIRETIME', 'k2'],
    ['PERSIST', 'k2'],
    ['EXPIRETIME', 'k2'],
  ]);

  diffCases(env, 'KEYS patterns', [
    ['MSET', 'a', '1', 'ab', '2', 'abc', '3', 'b', '4', 'bc', '5', 'a*', '6', 'a?', '7', 'hello', '8', 'hallo', '9', 'hxllo', '10'],
    ['MSET', 'h[ae]llo', '1', '\\', '2', 'user:1', '3', 'user:2', '4', 'user:10', '5', 'x-y', '6', 'A', '7'],
    keys('*'),
    keys('a*'),
    keys('?'),
    keys('??'),
    keys('h?llo'),
    keys('h*llo'),
    keys('h[ae]llo'),
    keys('h[^e]llo'),
    keys('h[a-b]llo'),
    keys('h[b-a]llo'),
    keys('h\\[ae\\]llo'),
    keys('a\\*'),
    keys('a\\?'),
    keys('\\\\'),
    keys('user:?'),
    keys('user:*'),
    keys('*[0-9]'),
    keys('[a'),
    keys('*['),
    keys('[!a]'),
    keys('a'),
    keys('nomatch*'),
    keys(''),
    keys('**'),
    keys('*a*b*'),
    keys('[A-Z]'),
    ['KEYS'],
    ['KEYS', 'a', 'b'],
  ]);

  diffCases(env, 'KEYS / SCAN MATCH glob fuzz (seeded)', () => {
    const r = new Rng(4242);
    const alphabet = ['a', 'b', 'c', 'A', '[', ']', '\\', '*', '?', '^', '-', '!', 'z', '0'];
    const word = (min: number, max: number) =>
      Array.from({ length: r.int(min, max) }, () => r.pick(alphabet)).join('');
    const keyset = new Set<string>();
    for (let i = 0; i < 150; i++) keyset.add(word(1, 6));
    const cmds: CmdLike[] = [['MSET', ...[...keyset].flatMap((k) => [k, '1'])]];
    const keyList = [...keyset];
    const mutate = (k: string): string =>
      [...k]
        .map((c) => {
          const x = r.next();
          if (x < 0.25) return '?';
          if (x < 0.35) return '*';
          if (x < 0.45) return `[${c}${r.pick(alphabet)}]`;
          if (x < 0.5) return `[^${r.pick(alphabet)}]`;
          if (x < 0.55) return `[${r.pick(['a-c', 'A-z', 'z-a', '0-9', '\\]-a'])}]`;
          if ('[]\\*?'.includes(c)) return r.chance(0.7) ? `\\${c}` : c;
          return c;
        })
        .join('');
    for (let i = 0; i < 400; i++) {
      const p = i % 3 === 0 ? word(0, 7) : mutate(r.pick(keyList));
      cmds.push(keys(p));
    }
    return cmds;
  });

  diffCases(env, 'SCAN argument errors', [
    // an empty cursor is cursor 0 (strtoul converts nothing, leaves nothing)
    ['SET', 'only', '1'],
    ['SCAN', ''],
    ['SCAN', '', 'COUNT', '-1'],
    ['SCAN', '+'],
    ['SCAN', ' 0'],
    ['SADD', 'sk', 'a'],
    ['SSCAN', 'sk', ''],
    ['HSET', 'hk', 'f', 'v'],
    ['HSCAN', 'hk', ''],
    ['ZADD', 'zk', '1', 'm'],
    ['ZSCAN', 'zk', ''],
    ['DEL', 'only', 'sk', 'hk', 'zk'],
    ['SCAN', 'abc'],
    ['SCAN', '-1'],
    ['SCAN', '0', 'COUNT', '0'],
    ['SCAN', '0', 'COUNT', '-1'],
    ['SCAN', '0', 'COUNT', 'x'],
    ['SCAN', '0', 'COUNT'],
    ['SCAN', '0', 'MATCH'],
    ['SCAN', '0', 'FOO', 'bar'],
    ['SCAN', '0', 'TYPE'],
    ['SCAN'],
    ['SCAN', '18446744073709551616'],
    ['SCAN', '0', 'TYPE', 'string'],
    ['SCAN', '0', 'MATCH', '*', 'COUNT', '10', 'TYPE', 'string'],
  ]);

  for (const resp3 of [false, true]) {
    it(`SCAN full iteration returns every key exactly once [RESP${resp3 ? 3 : 2}]`, async () => {
      const d = await env.open(resp3);
      const all: string[] = [];
      const batch: string[] = [];
      for (let i = 0; i < 1500; i++) {
        const k = i % 3 === 0 ? `user:${i}` : i % 3 === 1 ? `item:${i}` : `k${i}`;
        all.push(k);
        batch.push(k, String(i));
      }
      await d.check(['MSET', ...batch]);
      await d.check(['DBSIZE']);
      const variants: Array<{ extra: string[]; filter: (k: string) => boolean }> = [
        { extra: [], filter: () => true },
        { extra: ['COUNT', '7'], filter: () => true },
        { extra: ['COUNT', '1000'], filter: () => true },
        { extra: ['MATCH', 'user:*'], filter: (k) => k.startsWith('user:') },
        { extra: ['MATCH', 'item:1?', 'COUNT', '3'], filter: (k) => /^item:1.$/.test(k) },
        { extra: ['MATCH', 'nomatch*', 'COUNT', '50'], filter: () => false },
        { extra: ['TYPE', 'string'], filter: () => true },
        { extra: ['TYPE', 'list'], filter: () => false },
        { extra: ['TYPE', 'nosuchtype'], filter: () => false },
        { extra: ['MATCH', 'k1*', 'TYPE', 'string', 'COUNT', '20'], filter: (k) => k.startsWith('k1') },
      ];
      for (const v of variants) {
        const expected = all.filter(v.filter).sort();
        const r = await scanAll(d.redis, v.extra);
        const s = await scanAll(d.sabre, v.extra);
        // sanity of the reference itself (no rehashing in progress: each key once)
        expect([...new Set(r.keys)].sort(), `redis SCAN ${v.extra.join(' ')}`).toEqual(expected);
        const dup = s.keys.filter((k, i) => s.keys.indexOf(k) !== i);
        expect(dup, `sabre SCAN ${v.extra.join(' ')} returned duplicates`).toEqual([]);
        expect([...s.keys].sort(), `sabre SCAN ${v.extra.join(' ')} key set`).toEqual(expected);
      }
      // multiple databases: SCAN only sees the selected db
      await d.run([['SELECT', '3'], ['SET', 'only-in-3', 'x'], ['MSET', 'k1', 'x', 'k2', 'y']]);
      const s3 = await scanAll(d.sabre, []);
      expect(s3.keys.sort()).toEqual(['k1', 'k2', 'only-in-3']);
    });

    it(`RANDOMKEY on empty and single-key db [RESP${resp3 ? 3 : 2}]`, async () => {
      const d = await env.open(resp3);
      await d.run([
        ['RANDOMKEY'],
        ['SET', 'only', 'v'],
        ['RANDOMKEY'],
        ['RANDOMKEY'],
        ['DEL', 'only'],
        ['RANDOMKEY'],
        ['SET', 'x', '1', 'EXAT', '1'],
        ['RANDOMKEY'],
        ['RANDOMKEY', 'extra'],
        ['MSET', 'a', '1', 'b', '2', 'c', '3'],
        { args: ['RANDOMKEY'], normalize: typeOnly },
      ]);
      // with several keys the reply must be one of them
      const members = new Set(['a', 'b', 'c']);
      for (let i = 0; i < 20; i++) {
        const { node } = parseReply(await d.sabre.call('RANDOMKEY'));
        expect(members.has(node.data?.toString('latin1') ?? '<null>')).toBe(true);
      }
    });
  }

  diffCases(env, 'RENAME RENAMENX (cross-shard)', [
    ['SET', 'a', '1'],
    ['RENAME', 'a', 'b'],
    ['MGET', 'a', 'b'],
    ['RENAME', 'b', 'b'],
    ['GET', 'b'],
    ['RENAME', 'missing', 'x'],
    ['RENAME', 'missing', 'missing'],
    ['RENAMENX', 'missing', 'x'],
    ['SET', 'c', '3'],
    ['RENAMENX', 'b', 'c'],
    ['RENAMENX', 'b', 'b'],
    ['RENAMENX', 'b', 'd'],
    ['MGET', 'b', 'c', 'd'],
    ['RENAME', 'c', 'd'],
    ['MGET', 'c', 'd'],
    ['SET', 't', 'v', 'EXAT', FUT_S],
    ['RENAME', 't', 't2'],
    ['EXPIRETIME', 't2'],
    ['SET', 't3', 'x', 'EXAT', FUT2_S],
    ['RENAME', 't2', 't3'],
    ['EXPIRETIME', 't3'],
    ['SET', 'plain', 'p'],
    ['RENAME', 'plain', 't3'],
    ['EXPIRETIME', 't3'],
    ['GET', 't3'],
    ['RENAMENX', 't3', 'u'],
    ['GET', 'u'],
    ['RENAME', 'u'],
    ['RENAMENX', 'u'],
    ['RENAME', 'u', 'v', 'w'],
    ['SET', 'int', '12345'],
    ['RENAME', 'int', 'int2'],
    ['OBJECT', 'ENCODING', 'int2'],
    ['DBSIZE'],
    keys('*'),
  ]);

  diffCases(env, 'RENAME and MOVE of collections (same shard, other shard, other db)', [
    ['RPUSH', '{c}l', 'a', 'b', 'c'],
    ['ZADD', '{c}z', '1', 'x', '2', 'y'],
    ['SADD', 'sx', '1', '2', '3'],
    ['HSET', 'hx', 'f', 'v'],
    ['PEXPIREAT', '{c}z', FUT_MS],
    ['RENAME', '{c}l', '{c}l2'],
    ['RENAME', '{c}z', '{c}l2'],
    ['TYPE', '{c}l2'],
    ['ZRANGE', '{c}l2', '0', '-1', 'WITHSCORES'],
    ['PEXPIRETIME', '{c}l2'],
    ['RENAME', '{c}l2', 'other'],
    ['ZRANGE', 'other', '0', '-1', 'WITHSCORES'],
    ['PEXPIRETIME', 'other'],
    ['RENAMENX', 'sx', 'hx'],
    ['RENAMENX', 'sx', 'sy'],
    ['SMEMBERS', 'sy'],
    ['MOVE', 'sy', '1'],
    ['MOVE', 'hx', '1'],
    ['MOVE', 'other', '1'],
    ['EXISTS', 'sy', 'hx', 'other'],
    ['SELECT', '1'],
    ['SMEMBERS', 'sy'],
    ['HGETALL', 'hx'],
    ['ZRANGE', 'other', '0', '-1', 'WITHSCORES'],
    ['PEXPIRETIME', 'other'],
    ['OBJECT', 'ENCODING', 'sy'],
    ['FLUSHDB'],
    ['SELECT', '0'],
    ['DBSIZE'],
  ]);

  diffCases(env, 'COPY MOVE SELECT SWAPDB (cross-shard, multi-db)', [
    ['SET', 'a', 'va'],
    ['COPY', 'a', 'b'],
    ['MGET', 'a', 'b'],
    ['COPY', 'a', 'b'],
    ['SET', 'a', 'va2'],
    ['COPY', 'a', 'b', 'REPLACE'],
    ['GET', 'b'],
    ['COPY', 'a', 'a'],
    ['COPY', 'missing', 'x'],
    ['COPY', 'a', 'c', 'DB', '1'],
    ['COPY', 'a', 'c', 'DB', '1'],
    ['COPY', 'a', 'c', 'DB', '1', 'REPLACE'],
    ['COPY', 'a', 'a', 'DB', '1'],
    ['COPY', 'a', 'a', 'DB', '0'],
    ['COPY', 'a', 'c', 'DB', '16'],
    ['COPY', 'a', 'c', 'DB', '-1'],
    ['COPY', 'a', 'c', 'DB', 'x'],
    ['COPY', 'a', 'c', 'DB'],
    ['COPY', 'a', 'c', 'FOO'],
    ['COPY', 'a', 'c', 'REPLACE', 'REPLACE'],
    ['COPY', 'a'],
    ['SET', 'e', 'v', 'EXAT', FUT_S],
    ['COPY', 'e', 'e2'],
    ['EXPIRETIME', 'e2'],
    ['SET', 'n', '42'],
    ['COPY', 'n', 'n2'],
    ['OBJECT', 'ENCODING', 'n2'],
    ['SELECT', '1'],
    ['GET', 'c'],
    ['GET', 'a'],
    ['DBSIZE'],
    ['SELECT', '0'],
    ['MOVE', 'a', '2'],
    ['MOVE', 'a', '2'],
    ['EXISTS', 'a'],
    ['SET', 'a', 'again'],
    ['MOVE', 'a', '2'],
    ['MOVE', 'a', '0'],
    ['MOVE', 'a', '16'],
    ['MOVE', 'a', '-1'],
    ['MOVE', 'a', 'x'],
    ['MOVE', 'missing', '2'],
    ['MOVE', 'e', '3'],
    ['SELECT', '3'],
    ['EXPIRETIME', 'e'],
    ['SELECT', '2'],
    ['GET', 'a'],
    ['SELECT', '16'],
    ['SELECT', '-1'],
    ['SELECT', 'x'],
    ['SELECT', '1.0'],
    ['SELECT'],
    ['SELECT', '0'],
    ['DBSIZE'],
    ['SWAPDB', '0', '2'],
    ['DBSIZE'],
    ['GET', 'a'],
    ['SELECT', '2'],
    ['DBSIZE'],
    ['GET', 'b'],
    ['SWAPDB', '2', '2'],
    ['GET', 'b'],
    ['SWAPDB', '0', '16'],
    ['SWAPDB', '16', '0'],
    ['SWAPDB', 'x', '0'],
    ['SWAPDB', '0', 'y'],
    ['SWAPDB', '-1', '0'],
    ['SWAPDB', '0'],
    ['SELECT', '0'],
    keys('*'),
  ]);

  diffCases(env, 'OBJECT ENCODING REFCOUNT FREQ HELP', () => {
    const cmds: CmdLike[] = [];
    const values = [
      '12',
      '0',
      '-1',
      '-0',
      '012',
      ' 1',
      '1 ',
      '+1',
      '9999',
      '10000',
      '10001',
      '-9223372036854775808',
      '9223372036854775807',
      '9223372036854775808',
      '-9223372036854775809',
      '12345678901234567890',
      '1e3',
      '1.5',
      '',
      'a',
      'x'.repeat(44),
      'x'.repeat(45),
      '1'.repeat(20),
      '1'.repeat(44),
      '1'.repeat(45),
      'x'.repeat(1000),
    ];
    values.forEach((v, i) => {
      cmds.push(['SET', `v${i}`, v], ['OBJECT', 'ENCODING', `v${i}`], ['OBJECT', 'REFCOUNT', `v${i}`]);
    });
    cmds.push(
      ['SET', 'ex', '123', 'EX', '1000'],
      ['OBJECT', 'ENCODING', 'ex'],
      ['OBJECT', 'REFCOUNT', 'ex'],
      ['SET', 'app', '1'],
      ['APPEND', 'app', '2'],
      ['OBJECT', 'ENCODING', 'app'],
      ['SET', 'inc', 'x'.repeat(10)],
      ['SET', 'inc', '5'],
      ['INCR', 'inc'],
      ['OBJECT', 'ENCODING', 'inc'],
      ['INCRBY', 'inc', '100000'],
      ['OBJECT', 'ENCODING', 'inc'],
      ['OBJECT', 'REFCOUNT', 'inc'],
      ['INCRBYFLOAT', 'inc', '0.5'],
      ['OBJECT', 'ENCODING', 'inc'],
      ['SETRANGE', 'sr', '0', 'abc'],
      ['OBJECT', 'ENCODING', 'sr'],
      ['SET', 'sr2', 'abc'],
      ['SETRANGE', 'sr2', '0', 'x'],
      ['OBJECT', 'ENCODING', 'sr2'],
      ['GETSET', 'gs', '77'],
      ['OBJECT', 'ENCODING', 'gs'],
      ['MSET', 'm1', '5', 'm2', 'x'.repeat(50)],
      ['OBJECT', 'ENCODING', 'm1'],
      ['OBJECT', 'ENCODING', 'm2'],
      ['SETNX', 'sn', '99'],
      ['OBJECT', 'ENCODING', 'sn'],
      ['SETEX', 'se', '1000', '99'],
      ['OBJECT', 'ENCODING', 'se'],
      ['COPY', 'v0', 'cp'],
      ['OBJECT', 'ENCODING', 'cp'],
      ['OBJECT', 'REFCOUNT', 'cp'],
      ['OBJECT', 'REFCOUNT', 'v0'],
      ['COPY', 'v0', 'cp1', 'DB', '1'],
      ['RENAME', 'v1', 'rn'],
      ['OBJECT', 'REFCOUNT', 'rn'],
      // a copy of a shared integer is its own object, and RENAME/RENAMENX/MOVE hand it over as is
      ['RENAME', 'cp', 'cp-renamed'],
      ['OBJECT', 'REFCOUNT', 'cp-renamed'],
      ['RENAMENX', 'cp-renamed', '{x}cp-renamed-nx'],
      ['OBJECT', 'REFCOUNT', '{x}cp-renamed-nx'],
      ['RENAME', '{x}cp-renamed-nx', '{y}cp-renamed-again'],
      ['OBJECT', 'REFCOUNT', '{y}cp-renamed-again'],
      ['COPY', 'v0', 'cp-moved'],
      ['MOVE', 'cp-moved', '2'],
      ['MOVE', 'v8', '1'],
      ['GETSET', 'gs2', '5'],
      ['OBJECT', 'REFCOUNT', 'gs2'],
      ['INCR', 'gs2'],
      ['OBJECT', 'REFCOUNT', 'gs2'],
      ['INCRBY', 'gs2', '20000'],
      ['OBJECT', 'REFCOUNT', 'gs2'],
      ['DECRBY', 'gs2', '20000'],
      ['OBJECT', 'REFCOUNT', 'gs2'],
      ['SETNX', 'sn2', '7'],
      ['OBJECT', 'REFCOUNT', 'sn2'],
      ['MSET', 'ms1', '8', 'ms2', '12345'],
      ['OBJECT', 'REFCOUNT', 'ms1'],
      ['OBJECT', 'REFCOUNT', 'ms2'],
      ['SELECT', '2'],
      ['OBJECT', 'REFCOUNT', 'cp-moved'],
      ['SELECT', '1'],
      ['OBJECT', 'REFCOUNT', 'cp1'],
      ['OBJECT', 'REFCOUNT', 'v8'],
      ['OBJECT', 'ENCODING', 'cp1'],
      ['SELECT', '0'],
      ['OBJECT', 'ENCODING', 'missing'],
      ['OBJECT', 'REFCOUNT', 'missing'],
      ['OBJECT', 'FREQ', 'v0'],
      ['OBJECT', 'FREQ', 'missing'],
      ['OBJECT', 'HELP'],
      ['OBJECT', 'help'],
      ['OBJECT', 'FOO'],
      ['OBJECT', 'FOO', 'bar'],
      ['OBJECT', 'ENCODING'],
      ['OBJECT', 'ENCODING', 'a', 'b'],
      ['OBJECT'],
    );
    return cmds;
  });

  for (const resp3 of [false, true]) {
    it(`SWAPDB / FLUSHALL / MOVE are seen by other connections [RESP${resp3 ? 3 : 2}]`, async () => {
      const a = await env.open(resp3);
      const b = await env.open(resp3);
      await a.run([['SELECT', '1'], ['MSET', 'x', 'in-db1', 'y', 'y1']]);
      await b.run([['MSET', 'x', 'in-db0', 'z', 'z0'], ['SWAPDB', '0', '1']]);
      await a.run([['MGET', 'x', 'y', 'z'], ['DBSIZE']]);
      await b.run([['MGET', 'x', 'y', 'z'], ['DBSIZE'], ['MOVE', 'y', '1']]);
      await a.run([['MGET', 'x', 'y', 'z'], ['SELECT', '0'], ['MGET', 'x', 'y', 'z']]);
      await b.run([['SELECT', '1'], ['COPY', 'x', 'x', 'DB', '2'], ['SWAPDB', '2', '0']]);
      await a.run([['MGET', 'x', 'y', 'z'], ['FLUSHDB'], ['SELECT', '1']]);
      await b.run([['DBSIZE'], ['FLUSHALL']]);
      await a.run([['DBSIZE'], ['SELECT', '2'], ['DBSIZE'], ['KEYS', '*']]);
    });
  }

  diffCases(env, 'DBSIZE FLUSHDB FLUSHALL', [
    ['DBSIZE'],
    ['MSET', 'a', '1', 'b', '2', 'c', '3'],
    ['SELECT', '5'],
    ['MSET', 'x', '1', 'y', '2'],
    ['DBSIZE'],
    ['FLUSHDB'],
    ['DBSIZE'],
    ['SELECT', '0'],
    ['DBSIZE'],
    ['FLUSHDB', 'ASYNC'],
    ['DBSIZE'],
    ['SET', 'a', '1'],
    ['FLUSHDB', 'SYNC'],
    ['FLUSHDB', 'sync'],
    ['FLUSHDB', 'FOO'],
    ['FLUSHDB', 'SYNC', 'ASYNC'],
    ['SET', 'a', '1'],
    ['SELECT', '9'],
    ['SET', 'b', '1'],
    ['FLUSHALL'],
    ['DBSIZE'],
    ['SELECT', '0'],
    ['DBSIZE'],
    ['FLUSHALL', 'ASYNC'],
    ['FLUSHALL', 'SYNC'],
    ['FLUSHALL', 'FOO'],
    ['DBSIZE', 'x'],
  ]);
});
