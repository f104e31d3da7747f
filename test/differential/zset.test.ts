// Sorted set commands: same commands to Sabre and redis-server, raw reply bytes must be equal.
import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { describeDifferential, diffCases, sortArray, type CmdLike, type DiffCmd, type Normalizer } from '../helpers/diff';
import { parseReply, type RespNode } from '../helpers/raw';
import { Rng } from '../helpers/gen';

const LONG = 'x'.repeat(65);
const LIMIT64 = 'y'.repeat(64);
const BIN = Buffer.from([0, 1, 0xff, 13, 10, 0x80]);

/** ZADD args for n members m0..m(n-1) with scores i % mod. */
function members(n: number, mod = 7, prefix = 'm'): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(String(i % mod), `${prefix}${i}`);
  return out;
}

function safeParse(b: Buffer): RespNode | null {
  try {
    return parseReply(b).node;
  } catch {
    return null;
  }
}

/** ZRANDMEMBER & co: compare the size of the reply and (when distinct) that every element is unique. */
const sizeOnly: Normalizer = (b, args) => {
  const n = safeParse(b);
  if (!n || !n.items) return b;
  const withScores = args.some((a) => String(a).toLowerCase() === 'withscores');
  const items = n.items;
  const count = Number(args[2]);
  let distinct = true;
  if (count > 0) {
    const seen = new Set<string>();
    for (let i = 0; i < items.length; i += withScores && !items[i]!.items ? 2 : 1) {
      const it = items[i]!;
      const k = (it.items ? it.items[0]!.data : it.data)?.toString('latin1') ?? '';
      if (seen.has(k)) distinct = false;
      seen.add(k);
    }
  }
  return `${n.type}${items.length} distinct=${distinct} nested=${items[0]?.items ? 1 : 0}`;
};

/** ZSCAN of a skip list: hash order differs, compare the sorted (member, score) pairs and the cursor. */
const scanSorted: Normalizer = (b) => {
  const n = safeParse(b);
  if (!n || !n.items || n.items.length !== 2 || !n.items[1]!.items) return b;
  const flat = n.items[1]!.items!;
  const pairs: string[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push(`${flat[i]!.data!.toString('latin1')}=${flat[i + 1]!.data!.toString('latin1')}`);
  pairs.sort();
  return `cursor=${n.items[0]!.data!.toString()} ${pairs.join(',')}`;
};

const enc = (k: string): string[] => ['OBJECT', 'ENCODING', k];

describeDifferential('differential: zsets', (env) => {
  diffCases(env, 'ZADD basics and options', [
    ['ZADD', 'z', '1', 'a', '2', 'b', '3.5', 'c'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZADD', 'z', '1', 'a'],
    ['ZADD', 'z', 'CH', '5', 'a', '1', 'new'],
    ['ZADD', 'z', 'NX', '9', 'a', '9', 'nx1'],
    ['ZADD', 'z', 'XX', '9', 'a', '9', 'xx1'],
    ['ZADD', 'z', 'XX', 'CH', '10', 'a', '9', 'xx1'],
    ['ZADD', 'z', 'GT', 'CH', '1', 'a', '11', 'b'],
    ['ZADD', 'z', 'LT', 'CH', '100', 'a', '0', 'c'],
    ['ZADD', 'z', 'GT', 'XX', '200', 'a'],
    ['ZADD', 'z', 'INCR', '1.5', 'a'],
    ['ZADD', 'z', 'INCR', 'NX', '1', 'a'],
    ['ZADD', 'z', 'INCR', 'XX', '1', 'nope'],
    ['ZADD', 'z', 'INCR', 'GT', '-1', 'a'],
    ['ZADD', 'z', 'INCR', 'LT', '-1', 'a'],
    ['ZADD', 'nokey', 'XX', '1', 'a'],
    ['ZADD', 'nokey', 'XX', 'INCR', '1', 'a'],
    ['EXISTS', 'nokey'],
    ['ZADD', 'z', 'inf', 'pinf', '-inf', 'ninf', '+inf', 'pinf2'],
    ['ZADD', 'z', 'INCR', '-inf', 'pinf'],
    ['ZADD', 'z', '1e300', 'big', '0.1', 'tenth', '1.5e-20', 'tiny', '-0', 'negzero', '123456789012345678', 'huge'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZSCORE', 'z', 'negzero'],
    ['ZADD', 'z', 'INCR', '-0', 'negzero2'],
    ['ZINCRBY', 'z', '-0', 'negzero'],
    ['ZADD', 'z', '0x10', 'hex', '+5', 'plus', '.5', 'dot', '5.', 'dot2', '1E3', 'exp'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZCARD', 'z'],
    ['OBJECT', 'ENCODING', 'z'],
    // errors
    ['ZADD', 'z', 'nan', 'x'],
    ['ZADD', 'z', ' 1', 'x'],
    ['ZADD', 'z', '1 ', 'x'],
    ['ZADD', 'z', '', 'x'],
    ['ZADD', 'z', '1e400', 'x'],
    ['ZADD', 'z', '1', 'x', '2'],
    ['ZADD', 'z', 'XX', 'NX', '1', 'x'],
    ['ZADD', 'z', 'GT', 'LT', '1', 'x'],
    ['ZADD', 'z', 'GT', 'NX', '1', 'x'],
    ['ZADD', 'z', 'LT', 'NX', '1', 'x'],
    ['ZADD', 'z', 'INCR', '1', 'x', '2', 'y'],
    ['ZADD', 'z', '1', 'a', 'INCR'],
    ['ZADD', 'z', 'CH'],
    ['ZADD', 'z', 'CH', 'XX'],
    ['ZADD', 'z'],
    ['ZADD', 'z', '1', 'a', 'x', 'b'],
    ['ZINCRBY', 'z', 'x', 'a'],
    ['ZINCRBY', 'z', 'nan', 'a'],
    ['ZINCRBY', 'z', '1'],
    ['ZINCRBY', 'newz', '2.5', 'm'],
    ['ZINCRBY', 'newz', '-2.5', 'm'],
    ['ZRANGE', 'newz', '0', '-1', 'WITHSCORES'],
    ['SET', 'str', 'v'],
    ['ZADD', 'str', '1', 'a'],
    ['ZADD', 'str', 'x', 'a'],
    ['ZINCRBY', 'str', '1', 'a'],
    ['ZADD', 'bin', '1', BIN, '2', '', '3', Buffer.from('é')],
    ['ZRANGE', 'bin', '0', '-1', 'WITHSCORES'],
    ['ZSCORE', 'bin', BIN],
    ['ZSCORE', 'bin', ''],
    ['ZADD', 'ints', '1', '10', '2', '-5', '3', '007', '4', '9007199254740993', '5', '-0'],
    ['ZRANGE', 'ints', '0', '-1', 'WITHSCORES'],
    ['ZSCORE', 'ints', '10'],
    ['ZRANGEBYLEX', 'ints', '-', '+'],
  ]);

  diffCases(env, 'reads: ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT', [
    ['ZADD', 'z', '1', 'a', '2', 'b', '2', 'bb', '3', 'c', '4', 'd'],
    ['ZCARD', 'z'],
    ['ZCARD', 'nokey'],
    ['ZSCORE', 'z', 'bb'],
    ['ZSCORE', 'z', 'nope'],
    ['ZSCORE', 'nokey', 'a'],
    ['ZMSCORE', 'z', 'a', 'nope', 'd'],
    ['ZMSCORE', 'nokey', 'a', 'b'],
    ['ZMSCORE', 'z'],
    ['ZRANK', 'z', 'a'],
    ['ZRANK', 'z', 'bb'],
    ['ZRANK', 'z', 'nope'],
    ['ZRANK', 'nokey', 'a'],
    ['ZREVRANK', 'z', 'a'],
    ['ZREVRANK', 'z', 'd'],
    ['ZREVRANK', 'z', 'nope'],
    ['ZRANK', 'z', 'a', 'WITHSCORE'],
    ['ZCOUNT', 'z', '-inf', '+inf'],
    ['ZCOUNT', 'z', '2', '2'],
    ['ZCOUNT', 'z', '(2', '4'],
    ['ZCOUNT', 'z', '(2', '(2'],
    ['ZCOUNT', 'z', '3', '1'],
    ['ZCOUNT', 'z', '(', '5'],
    ['ZCOUNT', 'z', ' 2', '5'],
    ['ZCOUNT', 'z', '2 ', '5'],
    ['ZCOUNT', 'z', '1e400', '-1e400'],
    ['ZCOUNT', 'z', '-1e400', '1e400'],
    ['ZCOUNT', 'z', 'a', '1'],
    ['ZCOUNT', 'z', 'nan', '1'],
    ['ZCOUNT', 'z', '1', '(nan'],
    ['ZCOUNT', 'nokey', '0', '1'],
    ['ZLEXCOUNT', 'z', '-', '+'],
    ['ZLEXCOUNT', 'z', '[b', '(c'],
    ['ZLEXCOUNT', 'z', '(a', '[bb'],
    ['ZLEXCOUNT', 'z', '+', '-'],
    ['ZLEXCOUNT', 'z', '-', '-'],
    ['ZLEXCOUNT', 'z', 'a', '+'],
    ['ZLEXCOUNT', 'z', '-a', '+'],
    ['ZLEXCOUNT', 'z', '', '+'],
    ['ZLEXCOUNT', 'nokey', '-', '+'],
    ['SET', 'str', 'v'],
    ['ZCARD', 'str'],
    ['ZSCORE', 'str', 'a'],
    ['ZMSCORE', 'str', 'a'],
    ['ZRANK', 'str', 'a'],
    ['ZCOUNT', 'str', '0', '1'],
    ['ZCOUNT', 'str', 'x', '1'],
    ['ZLEXCOUNT', 'str', '-', '+'],
  ]);

  const rangeCases = (key: string, lexKey: string): CmdLike[] => [
    ['ZRANGE', key, '0', '-1'],
    ['ZRANGE', key, '0', '-1', 'WITHSCORES'],
    ['ZRANGE', key, '2', '5', 'withscores'],
    ['ZRANGE', key, '-3', '-1'],
    ['ZRANGE', key, '-1000', '1000'],
    ['ZRANGE', key, '5', '2'],
    ['ZRANGE', key, '1000', '2000'],
    ['ZRANGE', key, '0', '-1000'],
    ['ZRANGE', key, '0', '9223372036854775807'],
    ['ZRANGE', key, '-9223372036854775808', '2'],
    ['ZRANGE', key, '0', '3', 'REV', 'WITHSCORES'],
    ['ZRANGE', key, '(1', '4', 'BYSCORE'],
    ['ZRANGE', key, '4', '(1', 'BYSCORE', 'REV', 'WITHSCORES'],
    ['ZRANGE', key, '-inf', '+inf', 'BYSCORE', 'LIMIT', '2', '3'],
    ['ZRANGE', key, '-inf', '+inf', 'BYSCORE', 'LIMIT', '2', '-1'],
    ['ZRANGE', key, '-inf', '+inf', 'BYSCORE', 'LIMIT', '-1', '3'],
    ['ZRANGE', key, '-inf', '+inf', 'BYSCORE', 'LIMIT', '0', '0'],
    ['ZRANGE', key, '-inf', '+inf', 'BYSCORE', 'LIMIT', '100000', '5'],
    ['ZRANGE', key, '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', '1', '2', 'WITHSCORES'],
    ['ZRANGE', lexKey, '[m1', '(m3', 'BYLEX'],
    ['ZRANGE', lexKey, '(m3', '[m1', 'BYLEX', 'REV'],
    ['ZRANGE', lexKey, '-', '+', 'BYLEX', 'LIMIT', '1', '3'],
    ['ZRANGE', lexKey, '+', '-', 'BYLEX', 'REV', 'LIMIT', '0', '2'],
    ['ZRANGE', key, '0', '1', 'LIMIT', '0', '1'],
    ['ZRANGE', key, '[a', '[b', 'BYLEX', 'WITHSCORES'],
    ['ZRANGE', key, '0', '1', 'REV', 'REV'],
    ['ZRANGE', lexKey, '0', '1', 'BYSCORE', 'BYLEX'],
    ['ZRANGE', key, '0', '1', 'LIMIT', '0'],
    ['ZRANGE', key, '0', '1', 'BYSCORE', 'LIMIT', 'x', '1'],
    ['ZRANGE', key, 'a', '1'],
    ['ZRANGE', key, 'a', '1', 'BYSCORE'],
    ['ZRANGE', lexKey, 'a', '1', 'BYLEX'],
    ['ZRANGE', key, '0', '1', 'foo'],
    ['ZREVRANGE', key, '0', '-1'],
    ['ZREVRANGE', key, '1', '3', 'WITHSCORES'],
    ['ZREVRANGE', key, '0', '1', 'REV'],
    ['ZREVRANGE', key, '0', '1', 'BYSCORE'],
    ['ZRANGEBYSCORE', key, '-inf', '+inf'],
    ['ZRANGEBYSCORE', key, '2', '3', 'WITHSCORES'],
    ['ZRANGEBYSCORE', key, '(2', '(5', 'LIMIT', '1', '1'],
    ['ZRANGEBYSCORE', key, '0', '1', 'REV'],
    ['ZRANGEBYSCORE', key, '0', '1', 'BYSCORE'],
    ['ZRANGEBYSCORE', key, '0', '1', 'LIMIT', '1'],
    ['ZREVRANGEBYSCORE', key, '+inf', '-inf', 'WITHSCORES'],
    ['ZREVRANGEBYSCORE', key, '5', '(2', 'LIMIT', '0', '3'],
    ['ZREVRANGEBYSCORE', key, '2', '5'],
    ['ZRANGEBYLEX', lexKey, '-', '+'],
    ['ZRANGEBYLEX', lexKey, '[m10', '[m2', 'LIMIT', '1', '5'],
    ['ZRANGEBYLEX', lexKey, '-', '+', 'WITHSCORES'],
    ['ZRANGEBYLEX', lexKey, 'm', '+'],
    ['ZREVRANGEBYLEX', lexKey, '+', '-', 'LIMIT', '2', '4'],
    ['ZREVRANGEBYLEX', lexKey, '(m5', '[m1'],
    ['ZREVRANGEBYLEX', lexKey, '-', '+'],
  ];

  diffCases(env, 'ranges on a listpack', () => [
    ['ZADD', 'lp', ...members(20)],
    ['ZADD', 'lplex', ...members(20, 1)],
    enc('lp'),
    ...rangeCases('lp', 'lplex'),
    ...rangeCases('nokey', 'nokey'),
  ]);
  diffCases(env, 'ranges on a skiplist', () => [
    ['ZADD', 'sl', ...members(300)],
    ['ZADD', 'sllex', ...members(300, 1)],
    enc('sl'),
    enc('sllex'),
    ...rangeCases('sl', 'sllex'),
  ]);
  diffCases(env, 'ranges: same scores, lex order', () => {
    const args: string[] = [];
    for (const m of ['b', 'a', 'c', 'aa', 'ab', '', 'B', 'a\x00', 'zz', 'z']) args.push('0', m);
    return [
      ['ZADD', 'lx', ...args],
      ['ZRANGE', 'lx', '0', '-1'],
      ['ZRANGEBYLEX', 'lx', '-', '+'],
      ['ZRANGEBYLEX', 'lx', '[a', '(b'],
      ['ZRANGEBYLEX', 'lx', '(a', '[aa'],
      ['ZRANGEBYLEX', 'lx', '[', '(a'],
      ['ZREVRANGEBYLEX', 'lx', '[z', '(a'],
      ['ZLEXCOUNT', 'lx', '[a', '[b'],
      ['ZREMRANGEBYLEX', 'lx', '[a', '(b'],
      ['ZRANGE', 'lx', '0', '-1'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'],
      ['ZADD', 'lx2', ...args],
      enc('lx2'),
      ['ZRANGEBYLEX', 'lx2', '[a', '(b'],
      ['ZREVRANGEBYLEX', 'lx2', '+', '-', 'LIMIT', '1', '3'],
      ['ZREMRANGEBYLEX', 'lx2', '(a', '+'],
      ['ZRANGE', 'lx2', '0', '-1'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
    ];
  });

  diffCases(env, 'ZRANGESTORE', () => [
    ['ZADD', 'src', ...members(150)],
    ['ZRANGESTORE', 'dst', 'src', '0', '9'],
    enc('dst'),
    ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'dst', 'src', '0', '127'],
    enc('dst'),
    ['ZRANGESTORE', 'dst', 'src', '0', '128'],
    enc('dst'),
    ['ZCARD', 'dst'],
    ['ZRANGESTORE', 'dst', 'src', '(2', '5', 'BYSCORE', 'LIMIT', '3', '7'],
    ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    enc('dst'),
    ['ZRANGESTORE', 'dst', 'src', '5', '(2', 'BYSCORE', 'REV'],
    ['ZCARD', 'dst'],
    enc('dst'),
    ['ZRANGESTORE', 'dst', 'src', '[m1', '[m2', 'BYLEX'],
    ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'dst', 'src', '+', '-', 'BYLEX', 'REV', 'LIMIT', '0', '5'],
    ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'dst', 'src', '5', '1'],
    ['EXISTS', 'dst'],
    ['ZRANGESTORE', 'dst', 'nokey', '0', '-1'],
    ['ZRANGESTORE', 'dst', 'src', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'dst', 'src', '0', '1', 'LIMIT', '0', '1'],
    ['ZRANGESTORE', 'dst', 'src', 'a', 'b'],
    ['SET', 'str', 'v'],
    ['ZRANGESTORE', 'dst', 'str', '0', '-1'],
    ['ZRANGESTORE', 'str', 'src', '0', '2'],
    ['TYPE', 'str'],
    ['ZRANGESTORE', 'src', 'src', '0', '4'],
    ['ZRANGE', 'src', '0', '-1', 'WITHSCORES'],
    enc('src'),
    ['ZADD', 'long', '1', LONG, '2', 'short'],
    ['ZRANGESTORE', 'dl', 'long', '0', '-1'],
    enc('dl'),
    ['ZRANGESTORE', 'dl', 'long', '1', '1'],
    enc('dl'),
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'],
    ['ZADD', 'nz', '-0', 'a', '0', 'b'],
    ['ZRANGE', 'nz', '0', '-1', 'WITHSCORES'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
    ['ZRANGESTORE', 'nzd', 'nz', '0', '-1'],
    ['ZRANGE', 'nzd', '0', '-1', 'WITHSCORES'],
    enc('nzd'),
    // the destination's encoding is chosen by the size of a rank range up front
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'],
    ['ZADD', 'nz6', '-0', 'a', '-0', 'b', '-0', 'c', '-0', 'd', '-0', 'e', '-0', 'f'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '4'],
    ['ZRANGESTORE', 'r1', 'nz6', '0', '-1'],
    enc('r1'),
    ['ZRANGE', 'r1', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'r2', 'nz6', '0', '1'],
    enc('r2'),
    ['ZRANGE', 'r2', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'r3', 'nz6', '-inf', 'inf', 'BYSCORE'],
    enc('r3'),
    ['ZRANGE', 'r3', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'r4', 'nz6', '-', '+', 'BYLEX', 'LIMIT', '0', '2'],
    enc('r4'),
    ['ZRANGE', 'r4', '0', '-1', 'WITHSCORES'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
  ]);

  diffCases(env, 'ZREM and ZREMRANGEBY*', () => [
    ['ZADD', 'z', ...members(10)],
    ['ZREM', 'z', 'm1', 'm2', 'nope', 'm1'],
    ['ZREM', 'z'],
    ['ZREM', 'nokey', 'a'],
    ['ZREMRANGEBYRANK', 'z', '0', '1'],
    ['ZREMRANGEBYRANK', 'z', '-1', '-1'],
    ['ZREMRANGEBYRANK', 'z', '5', '2'],
    ['ZREMRANGEBYRANK', 'z', '100', '200'],
    ['ZREMRANGEBYRANK', 'z', 'x', '1'],
    ['ZREMRANGEBYRANK', 'nokey', '0', '1'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZREMRANGEBYSCORE', 'z', '(3', '5'],
    ['ZREMRANGEBYSCORE', 'z', '5', '3'],
    ['ZREMRANGEBYSCORE', 'z', 'x', '3'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZREMRANGEBYLEX', 'z', '[m0', '(m4'],
    ['ZREMRANGEBYLEX', 'z', 'x', '+'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf'],
    ['EXISTS', 'z'],
    ['ZADD', 'z', '1', 'a'],
    ['ZREM', 'z', 'a'],
    ['EXISTS', 'z'],
    ['ZADD', 'big', ...members(500)],
    ['ZREMRANGEBYRANK', 'big', '10', '-10'],
    ['ZRANGE', 'big', '0', '-1', 'WITHSCORES'],
    enc('big'),
    ['ZADD', 'big', ...members(500)],
    ['ZREMRANGEBYSCORE', 'big', '(1', '5'],
    ['ZCARD', 'big'],
    ['ZADD', 'biglex', ...members(300, 1)],
    ['ZREMRANGEBYLEX', 'biglex', '[m2', '(m4'],
    ['ZCARD', 'biglex'],
    ['ZRANGE', 'biglex', '0', '30'],
    ['ZRANGE', 'big', '0', '20', 'WITHSCORES'],
    ['ZREMRANGEBYRANK', 'big', '0', '-1'],
    ['EXISTS', 'big'],
    ['SET', 'str', 'v'],
    ['ZREM', 'str', 'a'],
    ['ZREMRANGEBYRANK', 'str', '0', '1'],
    ['ZREMRANGEBYSCORE', 'str', '0', '1'],
    ['ZREMRANGEBYLEX', 'str', '-', '+'],
  ]);

  diffCases(env, 'ZPOPMIN ZPOPMAX ZMPOP', () => [
    ['ZADD', 'z', ...members(10)],
    ['ZPOPMIN', 'z'],
    ['ZPOPMAX', 'z'],
    ['ZPOPMIN', 'z', '2'],
    ['ZPOPMAX', 'z', '1'],
    ['ZPOPMIN', 'z', '0'],
    ['ZPOPMIN', 'z', '-1'],
    ['ZPOPMIN', 'z', 'x'],
    ['ZPOPMIN', 'z', '1', '2'],
    ['ZPOPMIN', 'nokey'],
    ['ZPOPMIN', 'nokey', '3'],
    ['ZPOPMIN', 'nokey', '0'],
    ['ZPOPMAX', 'z', '100'],
    ['EXISTS', 'z'],
    ['ZADD', 'z1', ...members(5)],
    ['ZADD', 'z2', ...members(200)],
    ['ZMPOP', '3', 'nokey', 'z1', 'z2', 'MIN'],
    ['ZMPOP', '3', 'nokey', 'z1', 'z2', 'MAX', 'COUNT', '10'],
    ['ZMPOP', '3', 'nokey', 'z1', 'z2', 'max', 'count', '3'],
    ['ZMPOP', '1', 'nokey', 'MIN'],
    ['ZMPOP', '0', 'z1', 'MIN'],
    ['ZMPOP', '-1', 'z1', 'MIN'],
    ['ZMPOP', 'x', 'z1', 'MIN'],
    ['ZMPOP', '2', 'z1', 'MIN'],
    ['ZMPOP', '1', 'z1', 'FOO'],
    ['ZMPOP', '1', 'z1', 'MIN', 'COUNT'],
    ['ZMPOP', '1', 'z1', 'MIN', 'COUNT', '0'],
    ['ZMPOP', '1', 'z1', 'MIN', 'COUNT', '-1'],
    ['ZMPOP', '1', 'z1', 'MIN', 'COUNT', '1', 'COUNT', '1'],
    ['ZMPOP', '1', 'z1', 'MIN', 'FOO'],
    ['ZPOPMAX', 'z2', '5'],
    ['SET', 'str', 'v'],
    ['ZPOPMIN', 'str'],
    ['ZPOPMIN', 'str', '0'],
    ['ZMPOP', '2', 'nokey', 'str', 'MIN'],
    ['ZMPOP', '2', 'z2', 'str', 'MIN'],
  ]);

  diffCases(env, 'ZRANDMEMBER', () => {
    const rm = (...a: string[]): DiffCmd => ({ args: ['ZRANDMEMBER', ...a], normalize: sizeOnly });
    return [
      ['ZADD', 'z', ...members(10)],
      ['ZADD', 'big', ...members(300)],
      ['ZRANDMEMBER', 'nokey'],
      ['ZRANDMEMBER', 'nokey', '5'],
      ['ZRANDMEMBER', 'nokey', '5', 'WITHSCORES'],
      // C's LONG_MAX / 2 is 4611686018427387903: one more is out of range with WITHSCORES
      ['ZRANDMEMBER', 'nokey', '4611686018427387904', 'WITHSCORES'],
      ['ZRANDMEMBER', 'z', '4611686018427387904', 'WITHSCORES'],
      ['ZRANDMEMBER', 'z', '-4611686018427387904', 'WITHSCORES'],
      ['ZRANDMEMBER', 'z', '-9223372036854775808', 'WITHSCORES'],
      ['ZRANDMEMBER', 'z', '9223372036854775808'],
      ['ZRANDMEMBER', 'z', '4611686018427387904', 'WITHSCORE'],
      ['HRANDFIELD', 'nokey', '4611686018427387904', 'WITHVALUES'],
      ['HRANDFIELD', 'nokey', '-4611686018427387904', 'WITHVALUES'],
      ['HRANDFIELD', 'nokey', '-9223372036854775808'],
      ['ZRANDMEMBER', 'z', '0'],
      ['ZRANDMEMBER', 'z', '0', 'WITHSCORES'],
      ['ZRANDMEMBER', 'z', '100'],
      ['ZRANDMEMBER', 'z', '10', 'WITHSCORES'],
      ['ZRANDMEMBER', 'big', '300', 'WITHSCORES'],
      ['ZRANDMEMBER', 'big', '1000'],
      { args: ['ZRANDMEMBER', 'z'], normalize: (b) => `type:${String.fromCharCode(b[0] ?? 0)}` },
      rm('z', '1'),
      rm('z', '5'),
      rm('z', '5', 'WITHSCORES'),
      rm('z', '-5'),
      rm('z', '-20', 'WITHSCORES'),
      rm('big', '5'),
      rm('big', '150', 'WITHSCORES'),
      rm('big', '-400'),
      ['ZRANDMEMBER', 'z', 'x'],
      ['ZRANDMEMBER', 'z', '1', 'foo'],
      ['ZRANDMEMBER', 'z', '1', 'WITHSCORES', 'x'],
      ['ZRANDMEMBER', 'z', '-9223372036854775808'],
      ['ZRANDMEMBER', 'z', '9223372036854775807', 'WITHSCORES'],
      ['ZRANDMEMBER', 'z', '-9223372036854775807', 'WITHSCORES'],
      ['SET', 'str', 'v'],
      ['ZRANDMEMBER', 'str'],
      ['ZRANDMEMBER', 'str', '2'],
    ];
  });

  diffCases(env, 'ZUNION ZINTER ZDIFF (+STORE) ZINTERCARD', () => [
    ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z', '0.1', 'w'],
    ['ZADD', 'b', '10', 'y', '20', 'z', '30', 'q', '0.2', 'w'],
    ['ZADD', 'c', '-1', 'z', 'inf', 'y', '5', 'r'],
    ['ZADD', 'n', '-inf', 'y', 'inf', 'z'],
    ['ZUNION', '2', 'a', 'b'],
    ['ZUNION', '2', 'a', 'b', 'WITHSCORES'],
    ['ZUNION', '3', 'a', 'b', 'c', 'WEIGHTS', '1', '2', '0.5', 'WITHSCORES'],
    ['ZUNION', '3', 'a', 'b', 'c', 'AGGREGATE', 'MIN', 'WITHSCORES'],
    ['ZUNION', '3', 'a', 'b', 'c', 'AGGREGATE', 'MAX', 'WITHSCORES'],
    ['ZUNION', '2', 'c', 'n', 'WITHSCORES'],
    ['ZUNION', '2', 'c', 'n', 'WEIGHTS', '0', '1', 'WITHSCORES'],
    ['ZUNION', '2', 'c', 'n', 'WEIGHTS', '-1', '1', 'aggregate', 'min', 'WITHSCORES'],
    ['ZUNION', '2', 'a', 'nokey', 'WITHSCORES'],
    ['ZUNION', '2', 'a', 'a', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'b', 'WITHSCORES'],
    ['ZINTER', '3', 'a', 'b', 'c', 'WITHSCORES'],
    ['ZINTER', '3', 'a', 'b', 'c', 'WEIGHTS', '2', '3', '-1', 'AGGREGATE', 'MAX', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'a', 'WEIGHTS', '1', '2', 'WITHSCORES'],
    ['ZINTER', '2', 'c', 'n', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'nokey'],
    ['ZDIFF', '2', 'a', 'b', 'WITHSCORES'],
    ['ZDIFF', '3', 'b', 'a', 'c'],
    ['ZDIFF', '2', 'a', 'a'],
    ['ZDIFF', '1', 'nokey'],
    ['ZDIFF', '2', 'nokey', 'a'],
    ['ZINTERCARD', '2', 'a', 'b'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '0'],
    ['ZINTERCARD', '1', 'a', 'LIMIT', '100'],
    ['ZINTERCARD', '2', 'a', 'nokey'],
    ['ZUNIONSTORE', 'dst', '2', 'a', 'b'],
    ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    enc('dst'),
    ['ZINTERSTORE', 'dst', '2', 'a', 'b', 'WEIGHTS', '2', '2'],
    ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['ZDIFFSTORE', 'dst', '2', 'a', 'b'],
    ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['ZINTERSTORE', 'dst', '2', 'a', 'nokey'],
    ['EXISTS', 'dst'],
    ['ZUNIONSTORE', 'a', '2', 'a', 'b'],
    ['ZRANGE', 'a', '0', '-1', 'WITHSCORES'],
    ['ZDIFFSTORE', 'dst', '2', 'a', 'a'],
    ['EXISTS', 'dst'],
    // encodings of stored results
    ['ZADD', 'big', ...members(200)],
    ['ZADD', 'long', '1', LONG],
    ['ZUNIONSTORE', 'e1', '1', 'big'],
    enc('e1'),
    ['ZINTERSTORE', 'e2', '2', 'big', 'a'],
    enc('e2'),
    ['ZUNIONSTORE', 'e3', '2', 'a', 'long'],
    enc('e3'),
    ['ZDIFFSTORE', 'e4', '2', 'e3', 'long'],
    enc('e4'),
    ['ZRANGE', 'e4', '0', '-1', 'WITHSCORES'],
    ['ZADD', 'b128', ...members(128, 5, 'q')],
    ['ZUNIONSTORE', 'e5', '1', 'b128'],
    enc('e5'),
    ['ZADD', 'b129', ...members(129, 5, 'q')],
    ['ZUNIONSTORE', 'e6', '1', 'b129'],
    enc('e6'),
    ['ZDIFFSTORE', 'e7', '2', 'b129', 'b128'],
    enc('e7'),
    ['ZRANGE', 'e7', '0', '-1', 'WITHSCORES'],
    ['ZUNION', '2', 'big', 'b129', 'WITHSCORES'],
    ['ZINTER', '2', 'big', 'big', 'AGGREGATE', 'SUM'],
    // errors
    ['ZUNION', '0', 'a'],
    ['ZUNION', '-1', 'a'],
    ['ZUNION', 'x', 'a'],
    ['ZUNION', '3', 'a', 'b'],
    ['ZUNION', '1', 'a', 'WEIGHTS'],
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1'],
    ['ZUNION', '1', 'a', 'WEIGHTS', 'x'],
    ['ZUNION', '1', 'a', 'WEIGHTS', 'nan'],
    ['ZUNION', '1', 'a', 'AGGREGATE', 'avg'],
    ['ZUNION', '1', 'a', 'AGGREGATE'],
    ['ZUNION', '1', 'a', 'foo'],
    ['ZUNIONSTORE', 'd', '1', 'a', 'WITHSCORES'],
    ['ZUNIONSTORE', 'd', '0', 'a'],
    ['ZINTERSTORE', 'd', 'x', 'a'],
    ['ZDIFF', '1', 'a', 'WEIGHTS', '1'],
    ['ZDIFF', '1', 'a', 'AGGREGATE', 'SUM'],
    ['ZDIFFSTORE', 'd', '2', 'a'],
    ['ZINTERCARD', '0', 'a'],
    ['ZINTERCARD', 'x', 'a'],
    ['ZINTERCARD', '2', 'a'],
    ['ZINTERCARD', '1', 'a', 'LIMIT', '-1'],
    ['ZINTERCARD', '1', 'a', 'LIMIT', 'x'],
    ['ZINTERCARD', '1', 'a', 'WITHSCORES'],
    ['ZINTERCARD', '1', 'a', 'WEIGHTS', '1'],
    ['SET', 'str', 'v'],
    ['ZUNION', '2', 'a', 'str'],
    ['ZUNION', '2', 'a', 'str', 'AGGREGATE', 'foo'],
    ['ZINTERSTORE', 'd', '2', 'str', 'a'],
    ['ZDIFF', '2', 'str', 'a'],
    ['ZINTERCARD', '2', 'a', 'str'],
    ['ZUNIONSTORE', 'str', '1', 'a'],
    ['TYPE', 'str'],
  ]);

  diffCases(env, 'set operations with plain sets as inputs', () => [
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', '10'],
    ['SADD', 's', 'a', 'c', 'd'],
    ['SADD', 'is', '10', '20', '3'],
    ['ZUNION', '2', 'z', 's', 'WITHSCORES'],
    ['ZUNION', '3', 'z', 's', 'is', 'WEIGHTS', '1', '2', '3', 'WITHSCORES'],
    ['ZINTER', '2', 'z', 's', 'WITHSCORES'],
    ['ZINTER', '2', 'is', 'z', 'WITHSCORES'],
    ['ZDIFF', '2', 'z', 's', 'WITHSCORES'],
    ['ZDIFF', '2', 's', 'z', 'WITHSCORES'],
    ['ZINTERCARD', '2', 'z', 'is'],
    ['ZUNIONSTORE', 'd', '2', 's', 'is'],
    ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    enc('d'),
    ['ZDIFFSTORE', 'd2', '2', 's', 'z'],
    ['ZRANGE', 'd2', '0', '-1', 'WITHSCORES'],
  ]);

  diffCases(env, 'ZSCAN', () => [
    ['ZADD', 'lp', '0.1', 'a', '-0', 'b', '1e300', 'c', '1.5e-20', 'd', '3', 'e', 'inf', 'f', '-inf', 'g', '123456789012345678', 'h', '2.5', 'i', '-7', 'j'],
    ['ZSCAN', 'lp', '0'],
    ['ZSCAN', 'lp', '0', 'COUNT', '1'],
    ['ZSCAN', 'lp', '0', 'MATCH', '[a-e]'],
    ['ZSCAN', 'lp', '0', 'MATCH', '*', 'COUNT', '100'],
    ['ZSCAN', 'lp', '0', 'COUNT', '0'],
    ['ZSCAN', 'lp', '0', 'COUNT', 'x'],
    ['ZSCAN', 'lp', '0', 'TYPE', 'string'],
    ['ZSCAN', 'lp', '0', 'MATCH'],
    ['ZSCAN', 'lp', 'x'],
    ['ZSCAN', 'lp', '-1'],
    ['ZSCAN', 'nokey', '0'],
    ['ZSCAN', 'nokey', '0', 'COUNT', '0'],
    ['ZSCAN', 'nokey', 'x'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'],
    ['ZADD', 'sl', '0.1', 'a', '-0', 'b', '1e300', 'c', '1.5e-20', 'd', '3', 'e', 'inf', 'f', '-inf', 'g', '123456789012345678', 'h', '2.5', 'i'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
    { args: ['ZSCAN', 'sl', '0', 'COUNT', '1000'], normalize: scanSorted },
    { args: ['ZSCAN', 'sl', '0', 'COUNT', '1000', 'MATCH', '[a-d]'], normalize: scanSorted },
    ['ZADD', 'big', ...members(300)],
    { args: ['ZSCAN', 'big', '0', 'COUNT', '100000'], normalize: scanSorted },
    { args: ['ZSCAN', 'big', '0', 'COUNT', '100000', 'MATCH', 'm1*'], normalize: scanSorted },
    ['SET', 'str', 'v'],
    ['ZSCAN', 'str', '0'],
  ]);

  // a full ZSCAN iteration of a skip list returns every member exactly once (cursor order is Sabre's own)
  it('ZSCAN full iteration of a skiplist', async () => {
    const d = await env.open(false);
    await d.check(['ZADD', 'big', ...members(1000)]);
    const got = new Map<string, string>();
    let cursor = '0';
    let calls = 0;
    do {
      const r = parseReply(await d.sabre.call('ZSCAN', 'big', cursor, 'COUNT', '37')).node;
      cursor = r.items![0]!.data!.toString();
      const flat = r.items![1]!.items!;
      for (let i = 0; i < flat.length; i += 2) got.set(flat[i]!.data!.toString(), flat[i + 1]!.data!.toString());
      calls++;
    } while (cursor !== '0' && calls < 10000);
    if (got.size !== 1000) throw new Error(`ZSCAN returned ${got.size} members`);
    for (let i = 0; i < 1000; i++) if (got.get(`m${i}`) !== String(i % 7)) throw new Error(`m${i} missing or wrong`);
  });

  diffCases(env, 'encoding conversion thresholds', () => [
    ['ZADD', 'e', ...members(128)],
    enc('e'),
    ['ZADD', 'e', '1', 'm5'],
    enc('e'),
    ['ZADD', 'e', '1', 'one-more'],
    enc('e'),
    ['ZREM', 'e', 'one-more', 'm1', 'm2'],
    enc('e'),
    ['ZADD', 'v', '1', LIMIT64],
    enc('v'),
    ['ZADD', 'v', '1', LONG],
    enc('v'),
    ['ZADD', 'v2', '1', LONG],
    enc('v2'),
    ['ZADD', 'v3', '1', 'a', '1', LONG],
    enc('v3'),
    ['ZADD', 'v4', '1', 'a', '2', 'a', '3', 'a'],
    enc('v4'),
    ['ZADD', 'v5', ...Array.from({ length: 200 }, () => ['1', 'same']).flat()],
    enc('v5'),
    ['ZINCRBY', 'v6', '1', LONG],
    enc('v6'),
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '3'],
    ['ZADD', 'c', '1', 'a', '2', 'b', '3', 'c'],
    enc('c'),
    ['ZADD', 'c', '4', 'd'],
    enc('c'),
    ['ZRANGE', 'c', '0', '-1', 'WITHSCORES'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'],
    ['ZADD', 'c0', '1', 'a'],
    enc('c0'),
    ['ZUNIONSTORE', 'c0u', '1', 'c0'],
    enc('c0u'),
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
    ['CONFIG', 'SET', 'zset-max-listpack-value', '3'],
    ['ZADD', 'c1', '1', 'abcd'],
    enc('c1'),
    ['ZADD', 'c2', '1', 'abc'],
    enc('c2'),
    ['ZADD', 'c2', '1', 'abcd'],
    enc('c2'),
    ['CONFIG', 'SET', 'zset-max-listpack-value', '64'],
    ['ZUNIONSTORE', 'c3', '1', 'c2'],
    enc('c3'),
    ['CONFIG', 'SET', 'zset-max-ziplist-entries', '2'],
    ['ZADD', 'zl', '1', 'a', '2', 'b', '3', 'c'],
    enc('zl'),
    ['CONFIG', 'SET', 'zset-max-ziplist-entries', '128'],
    // -0 is kept by a skiplist, turned into 0 by a listpack
    ['ZADD', 'nz', '-0', 'a'],
    ['ZSCORE', 'nz', 'a'],
    ['ZADD', 'nzs', '-0', 'a', '1', LONG],
    ['ZSCORE', 'nzs', 'a'],
    ['ZRANGE', 'nzs', '0', '-1', 'WITHSCORES'],
    ['ZUNIONSTORE', 'nzu', '1', 'nzs'],
    ['ZRANGE', 'nzu', '0', '-1', 'WITHSCORES'],
    ['ZUNION', '1', 'nz', 'WEIGHTS', '-1', 'WITHSCORES'],
    ['ZUNIONSTORE', 'nzw', '1', 'nz', 'WEIGHTS', '-1'],
    ['ZRANGE', 'nzw', '0', '-1', 'WITHSCORES'],
    // keyspace commands on zsets
    ['COPY', 'e', 'ecopy'],
    enc('ecopy'),
    ['ZRANGE', 'ecopy', '0', '5', 'WITHSCORES'],
    ['COPY', 'v', 'vcopy'],
    enc('vcopy'),
    ['ZRANGE', 'vcopy', '0', '-1', 'WITHSCORES'],
    ['RENAME', 'v', 'vren'],
    ['ZRANGE', 'vren', '0', '-1', 'WITHSCORES'],
    ['TYPE', 'vren'],
    ['DEL', 'e', 'vren', 'ecopy'],
    ['EXISTS', 'e'],
  ]);

  diffCases(env, 'cross-shard multi-key commands', () => {
    const keys = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
    const cmds: CmdLike[] = [];
    keys.forEach((k, i) => cmds.push(['ZADD', k, ...members(5 + i * 60, 3 + i, 'k')]));
    cmds.push(
      ['ZUNIONSTORE', 'omega', '3', 'alpha', 'beta', 'gamma', 'WEIGHTS', '1', '2', '3'],
      ['ZRANGE', 'omega', '0', '20', 'WITHSCORES'],
      enc('omega'),
      ['ZINTERSTORE', 'psi', '4', 'beta', 'gamma', 'delta', 'epsilon', 'AGGREGATE', 'MAX'],
      ['ZRANGE', 'psi', '0', '-1', 'WITHSCORES'],
      ['ZDIFFSTORE', 'chi', '2', 'zeta', 'epsilon'],
      ['ZRANGE', 'chi', '0', '-1', 'WITHSCORES'],
      ['ZUNION', '6', ...keys, 'WITHSCORES'],
      ['ZINTER', '3', 'zeta', 'epsilon', 'delta', 'WITHSCORES'],
      ['ZDIFF', '3', 'zeta', 'alpha', 'beta'],
      ['ZINTERCARD', '3', 'zeta', 'epsilon', 'delta', 'LIMIT', '7'],
      ['ZRANGESTORE', 'phi', 'zeta', '10', '40'],
      ['ZRANGE', 'phi', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'phi', 'epsilon', '(1', '3', 'BYSCORE'],
      ['ZCARD', 'phi'],
      ['ZMPOP', '4', 'nokey1', 'nokey2', 'gamma', 'alpha', 'MIN', 'COUNT', '3'],
      ['ZMPOP', '2', 'alpha', 'gamma', 'MAX', 'COUNT', '1000'],
      ['EXISTS', 'alpha'],
      ['ZUNIONSTORE', 'zeta', '2', 'zeta', 'beta'],
      ['ZCARD', 'zeta'],
    );
    return cmds;
  });

  // Seeded random command stream over a few keys, compared byte for byte.
  const seeds = (process.env.SABRE_ZSET_SEEDS ?? '1,2').split(',').map(Number);
  for (const seed of seeds) {
    for (const resp3 of [false, true]) {
      it(`random zset stream seed=${seed} RESP${resp3 ? 3 : 2}`, async () => {
        const d = await env.open(resp3, `zsets random seed=${seed} RESP${resp3 ? 3 : 2} shards=${env.shards}`);
        const stream = randomZsetStream(seed * 2 + (resp3 ? 1 : 0), 3000);
        if (process.env.SABRE_ZSET_DUMP) writeFileSync(process.env.SABRE_ZSET_DUMP, JSON.stringify(stream.map((c) => c.args)));
        await d.run(stream, {
          stopOnFirst: true,
          context: () => `(seed=${seed}, shards=${env.shards}; reproduce: SABRE_ZSET_SEEDS=${seed} npx vitest run test/differential/zset.test.ts -t random)`,
        });
        await d.run([{ args: ['KEYS', '*'], normalize: sortArray }]);
      });
    }
  }
});

function randomZsetStream(seed: number, count: number): DiffCmd[] {
  const r = new Rng(seed);
  const keys = ['z1', 'z2', 'z3', 'z4', '{t}a', '{t}b'];
  const key = (): string => r.pick(keys);
  // lex ranges are only meaningful when all scores are equal (otherwise the
  // result depends on the skip list's random levels): separate keys for them
  const lexKeys = ['lex1', 'lex2', '{t}lex'];
  const lexKey = (): string => r.pick(lexKeys);
  const member = (): string => {
    if (r.chance(0.02)) return LONG + r.int(0, 3);
    if (r.chance(0.2)) return String(r.int(-20, 200));
    return `m${r.int(0, 150)}`;
  };
  const score = (): string => {
    const k = r.int(0, 20);
    if (k === 0) return 'inf';
    if (k === 1) return '-inf';
    if (k === 2) return '-0';
    if (k === 3) return (r.next() * 100 - 50).toFixed(r.int(0, 6));
    if (k === 4) return `${r.int(1, 9)}e${r.int(-30, 30)}`;
    return String(r.int(-10, 10));
  };
  const rangeItem = (): string => {
    const k = r.int(0, 6);
    if (k === 0) return '-inf';
    if (k === 1) return '+inf';
    if (k === 2) return '(' + String(r.int(-10, 10));
    return String(r.int(-10, 10));
  };
  const lexItem = (): string => {
    const k = r.int(0, 5);
    if (k === 0) return '-';
    if (k === 1) return '+';
    return (r.chance(0.5) ? '[' : '(') + member();
  };
  const idx = (): string => String(r.int(-30, 200));
  const out: DiffCmd[] = [];
  for (let i = 0; i < count; i++) {
    const k = r.int(0, 34);
    let args: string[];
    switch (k) {
      case 0:
      case 1:
      case 2:
      case 3: {
        args = ['ZADD', key()];
        const opts = ['NX', 'XX', 'GT', 'LT', 'CH'];
        if (r.chance(0.3)) args.push(r.pick(opts));
        const n = r.chance(0.1) ? r.int(20, 80) : r.int(1, 5);
        for (let j = 0; j < n; j++) args.push(score(), member());
        break;
      }
      case 4:
        args = ['ZADD', key(), ...(r.chance(0.5) ? [r.pick(['NX', 'XX', 'GT', 'LT'])] : []), 'INCR', score(), member()];
        break;
      case 5:
        args = ['ZINCRBY', key(), score(), member()];
        break;
      case 6:
        args = ['ZREM', key(), member(), member()];
        break;
      case 7:
        args = ['ZCARD', key()];
        break;
      case 8:
        args = ['ZSCORE', key(), member()];
        break;
      case 9:
        args = ['ZMSCORE', key(), member(), member(), member()];
        break;
      case 10:
        args = [r.pick(['ZRANK', 'ZREVRANK']), key(), member()];
        break;
      case 11:
        args = ['ZCOUNT', key(), rangeItem(), rangeItem()];
        break;
      case 12:
        if (r.chance(0.5)) {
          args = ['ZADD', lexKey()];
          const n = r.chance(0.1) ? r.int(20, 80) : r.int(1, 5);
          for (let j = 0; j < n; j++) args.push('0', member());
        } else args = ['ZLEXCOUNT', lexKey(), lexItem(), lexItem()];
        break;
      case 13:
      case 14:
        args = ['ZRANGE', key(), idx(), idx()];
        if (r.chance(0.5)) args.push('WITHSCORES');
        if (r.chance(0.3)) args.push('REV');
        break;
      case 15:
        args = ['ZRANGE', key(), rangeItem(), rangeItem(), 'BYSCORE'];
        if (r.chance(0.5)) args.push('REV');
        if (r.chance(0.5)) args.push('WITHSCORES');
        if (r.chance(0.5)) args.push('LIMIT', String(r.int(-1, 10)), String(r.int(-1, 10)));
        break;
      case 16:
        args = ['ZRANGE', lexKey(), lexItem(), lexItem(), 'BYLEX'];
        if (r.chance(0.5)) args.push('REV');
        if (r.chance(0.5)) args.push('LIMIT', String(r.int(-1, 10)), String(r.int(-1, 10)));
        break;
      case 17:
        args = [r.pick(['ZRANGEBYSCORE', 'ZREVRANGEBYSCORE']), key(), rangeItem(), rangeItem()];
        if (r.chance(0.5)) args.push('WITHSCORES');
        break;
      case 18:
        args = r.chance(0.3) ? ['ZRANGESTORE', key(), lexKey(), lexItem(), lexItem(), 'BYLEX'] : [r.pick(['ZRANGEBYLEX', 'ZREVRANGEBYLEX']), lexKey(), lexItem(), lexItem()];
        break;
      case 19:
        args = ['ZRANGESTORE', key(), key(), idx(), idx()];
        break;
      case 20:
        args = ['ZREMRANGEBYRANK', key(), idx(), idx()];
        break;
      case 21:
        args = ['ZREMRANGEBYSCORE', key(), rangeItem(), rangeItem()];
        break;
      case 22:
        args = ['ZREMRANGEBYLEX', lexKey(), lexItem(), lexItem()];
        break;
      case 23:
        args = [r.pick(['ZPOPMIN', 'ZPOPMAX']), key()];
        if (r.chance(0.6)) args.push(String(r.int(0, 5)));
        break;
      case 24:
        args = ['ZMPOP', '2', key(), key(), r.pick(['MIN', 'MAX'])];
        if (r.chance(0.5)) args.push('COUNT', String(r.int(1, 5)));
        break;
      case 25:
      case 26: {
        const op = r.pick(['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']);
        args = [op, key(), '2', key(), key()];
        if (op !== 'ZDIFFSTORE' && r.chance(0.5)) args.push('WEIGHTS', score(), score());
        if (op !== 'ZDIFFSTORE' && r.chance(0.5)) args.push('AGGREGATE', r.pick(['SUM', 'MIN', 'MAX']));
        break;
      }
      case 27: {
        const op = r.pick(['ZUNION', 'ZINTER', 'ZDIFF']);
        args = [op, '3', key(), key(), key()];
        if (op !== 'ZDIFF' && r.chance(0.5)) args.push('WEIGHTS', score(), score(), score());
        if (op !== 'ZDIFF' && r.chance(0.5)) args.push('AGGREGATE', r.pick(['SUM', 'MIN', 'MAX']));
        if (r.chance(0.5)) args.push('WITHSCORES');
        break;
      }
      case 28:
        args = ['ZINTERCARD', '2', key(), key()];
        break;
      case 29:
        args = ['OBJECT', 'ENCODING', key()];
        break;
      case 30:
        args = ['ZSCAN', key(), '0', 'COUNT', '1000'];
        out.push({ args, normalize: scanSorted });
        continue;
      case 31:
        args = ['ZRANDMEMBER', key(), String(r.int(-5, 300))];
        if (r.chance(0.5)) args.push('WITHSCORES');
        out.push({ args, normalize: sizeOnly });
        continue;
      case 32:
        args = r.chance(0.5) ? ['DEL', key()] : ['SET', key(), 'str'];
        break;
      case 33:
        args = ['CONFIG', 'SET', 'zset-max-listpack-entries', String(r.pick([0, 4, 16, 128]))];
        break;
      default:
        args = ['ZRANGE', key(), '0', '-1', 'WITHSCORES'];
    }
    out.push({ args });
  }
  out.push({ args: ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'] });
  for (const k of [...keys, ...lexKeys]) out.push({ args: ['ZRANGE', k, '0', '-1', 'WITHSCORES'] });
  return out;
}
