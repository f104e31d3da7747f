// SORT / SORT_RO: same commands to Sabre and redis-server 7.0, raw reply bytes
// must be equal. Replies whose order Redis leaves to its hash tables (unsorted
// hashtable sets, ties between set or sorted set members) are either avoided or
// compared sorted (sortArray). Lists and intsets have a deterministic order, ties
// included (stable sort, and Redis's partial quicksort for BY + LIMIT).
import { expect, it } from 'vitest';
import { describeDifferential, diffCases, sortArray, type CmdLike, type DiffCmd } from '../helpers/diff';
import { Rng } from '../helpers/gen';
import type { Arg } from '../helpers/raw';
import { keyShard } from '../../src/routing/slot';

const I64_MAX = '9223372036854775807';
const I64_MIN = '-9223372036854775808';
const B = (...bytes: number[]): Buffer => Buffer.from(bytes);
const cat = (...parts: Array<string | Buffer>): Buffer => Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p, 'latin1'))));

const shardOf = (k: string): number => keyShard(Buffer.from(k), 0, Buffer.byteLength(k), 2);

/** A key named `${prefix}${n}` on the other shard (of 2) than `of`. */
function otherShardKey(prefix: string, of: string): string {
  for (let i = 0; ; i++) if (shardOf(`${prefix}${i}`) !== shardOf(of)) return `${prefix}${i}`;
}

const sorted = (...args: Arg[]): CmdLike => ({ args, normalize: sortArray });

/**
 * Redis 7.0 tests strtod's ERANGE without clearing errno first, so after a weight
 * that over/underflowed, every later numeric SORT of its connection fails until
 * some other code clears errno (INCRBYFLOAT's parser does). Sabre judges each
 * SORT on its own: the tests clear Redis's errno after such weights.
 */
const ERRNO_RESET: CmdLike = ['INCRBYFLOAT', 'errno:reset', '0'];
const range = (from: number, to: number): string[] => {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(String(i));
  return out;
};

/** The same SORT with every LIMIT in `limits`. */
function withLimits(base: Arg[], limits: Array<[Arg, Arg]>): CmdLike[] {
  return limits.map(([o, n]) => [...base, 'LIMIT', o, n]);
}

const LIMITS: Array<[Arg, Arg]> = [
  ['0', '0'], ['0', '1'], ['0', '3'], ['1', '2'], ['2', '-1'], ['-1', '2'], ['-5', '-5'], ['3', '100'], ['100', '5'],
  ['0', I64_MAX], ['2', I64_MAX], [I64_MIN, '3'], ['1', I64_MIN], [I64_MAX, I64_MAX], ['5', '0'],
];

describeDifferential('differential: sort', (env) => {
  it('pattern keys of the tests are spread over both shards', () => {
    const shards = new Set(range(1, 12).map((e) => shardOf(`w_${e}`)));
    expect(shards.size).toBe(2);
    const hs = new Set(range(1, 12).map((e) => shardOf(`h_${e}`)));
    expect(hs.size).toBe(2);
    expect(shardOf(otherShardKey('dst', 'src'))).not.toBe(shardOf('src'));
  });

  diffCases(env, 'options, LIMIT clamping and errors', () => [
    ['RPUSH', 'l', '3', '1', '2', '10', '-5', '2.5', '1e2', '0', '-0', '007', ' 4', '+6', '.5', '-inf', 'inf'],
    ['SORT', 'l'],
    ['SORT', 'l', 'ASC'],
    ['SORT', 'l', 'DESC'],
    ['SORT', 'l', 'desc', 'asc'],
    ['sort', 'l', 'Limit', '0', '2', 'dEsC'],
    ['SORT', 'l', 'LIMIT', '0', '2', 'LIMIT', '3', '2'],
    ...withLimits(['SORT', 'l'], LIMITS),
    ...withLimits(['SORT', 'l', 'DESC'], LIMITS),
    ['SORT', 'l', 'LIMIT', 'x', '1'],
    ['SORT', 'l', 'LIMIT', '1', '1.5'],
    ['SORT', 'l', 'LIMIT', '1', '9223372036854775808'],
    ['SORT', 'l', 'LIMIT', '1'],
    ['SORT', 'l', 'LIMIT'],
    ['SORT', 'l', 'FOO'],
    ['SORT', 'l', 'STORE'],
    ['SORT', 'l', 'BY'],
    ['SORT', 'l', 'GET'],
    ['SORT', 'l', 'ALPHA'],
    ['SORT', 'l', 'ALPHA', 'DESC'],
    ['SORT', 'l', 'alpha', 'limit', '3', '4'],
    ['SORT'],
    ['SORT_RO'],
    ['SORT_RO', 'l'],
    ['SORT_RO', 'l', 'DESC', 'LIMIT', '1', '3'],
    ['SORT_RO', 'l', 'STORE', 'x'],
    ['SORT_RO', 'l', 'store'],
    ['EXISTS', 'x'],
    ['RPUSH', 'bad', '1', 'x', '2'],
    ['SORT', 'bad'],
    ['SORT', 'bad', 'LIMIT', '0', '1'],
    ['SORT', 'bad', 'ALPHA'],
    ['SORT', 'bad', 'BY', 'nosort'],
    ['SORT', 'bad', 'STORE', 'd'],
    ['EXISTS', 'd'],
    ['RPUSH', 'bad2', '1', '1e400', '1e-400', '1e-310', 'nan', '5 '],
    ['SORT', 'bad2'],
    ERRNO_RESET,
    ['SET', 'str', 'x'],
    ['SORT', 'str'],
    ['SORT_RO', 'str'],
    ['SORT', 'str', 'BY', 'nosort'],
    ['SORT', 'str', 'FOO'],
    ['SORT', 'str', 'LIMIT', 'a', 'b'],
    ['HSET', 'hh', 'f', 'v'],
    ['SORT', 'hh'],
    ['SORT', 'nokey'],
    ['SORT_RO', 'nokey', 'DESC', 'ALPHA', 'LIMIT', '0', '5'],
    ['SORT', 'nokey', 'GET', '#', 'GET', 'w_*'],
    ['SORT', 'nokey', 'BY', 'nosort'],
    ['RPUSH', 'd', 'x'],
    ['SORT', 'nokey', 'STORE', 'd'],
    ['EXISTS', 'd'],
    ['SORT', 'nokey', 'STORE', 'd'],
  ]);

  diffCases(env, 'numeric parsing of elements (strtod rules)', () => {
    const cmds: CmdLike[] = [];
    const odd: Array<string | Buffer> = [
      '', ' 5', '\t7', '\n8', '5 ', '0x10', '0X1p4', '0x', '1e', '1e+', '.', '+', '-', '+.5', '-0', 'inf', '-Infinity', 'nan', '-nan',
      '1e400', '-1e400', '1e-400', '1e-310', '0x1p-1074', '0x1.8p-1073', '2.2250738585072014e-308', '4.9e-324', '  ',
      B(0), cat('5', B(0), 'junk'), cat(' ', B(0)), cat('0x', B(0)), '12abc', '1_000', '١',
    ];
    for (const v of odd) cmds.push(ERRNO_RESET, ['DEL', 'n'], ['RPUSH', 'n', '3', v, '1'], ['SORT', 'n'], ['SORT', 'n', 'DESC', 'LIMIT', '0', '2']);
    return cmds;
  });

  diffCases(env, 'ALPHA: binary elements, NUL bytes, STORE compares bytes', () => [
    ['RPUSH', 'la', 'b', 'a', cat('a', B(0), 'b'), cat('a', B(0), 'a'), 'a', '', B(0xff), cat(B(0x80), 'x'), 'B', cat('a', B(0)), '10', '9', B(0), 'a'],
    ['SORT', 'la', 'ALPHA'],
    ['SORT', 'la', 'ALPHA', 'DESC'],
    ['SORT', 'la', 'ALPHA', 'LIMIT', '1', '4'],
    ['SORT', 'la', 'ALPHA', 'STORE', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['SORT', 'la', 'ALPHA', 'DESC', 'STORE', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['SORT', 'la'],
    ['SORT', 'la', 'BY', 'nosort', 'ALPHA'],
  ]);

  diffCases(env, 'BY patterns: string weights, hash fields, nosort', () => [
    ['RPUSH', 'l', '1', '2', '3', '4', '5', '6'],
    ['MSET', 'w_1', '5', 'w_2', '1', 'w_3', '3.5', 'w_5', '-inf', 'w_6', '10'],
    ['HSET', 'h_1', 'f', '3', 'g', 'b'],
    ['HSET', 'h_2', 'f', '-1', 'g', 'a'],
    ['HSET', 'h_3', 'f', '3', 'g', 'c'],
    ['HSET', 'h_4', 'f', '0x10', 'g', ''],
    ['HSET', 'h_6', 'x', 'y'],
    ['SORT', 'l', 'BY', 'w_*'],
    ['SORT', 'l', 'BY', 'w_*', 'DESC'],
    ...withLimits(['SORT', 'l', 'BY', 'w_*'], LIMITS),
    ['SORT', 'l', 'BY', 'w_*', 'GET', '#', 'GET', 'w_*', 'GET', 'h_*->f', 'GET', 'h_*->g'],
    ['SORT', 'l', 'BY', 'h_*->f'],
    ['SORT', 'l', 'BY', 'h_*->f', 'DESC', 'LIMIT', '1', '3'],
    ['SORT', 'l', 'BY', 'h_*->g', 'ALPHA'],
    ['SORT', 'l', 'BY', 'h_*->g', 'ALPHA', 'DESC'],
    ['SORT', 'l', 'BY', 'h_*->g', 'ALPHA', 'LIMIT', '0', '3'],
    ['SORT', 'l', 'BY', 'h_*->nofield'],
    ['SORT', 'l', 'BY', 'w_*->f'],
    ['SORT', 'l', 'BY', 'h_*'],
    ['SORT', 'l', 'BY', 'h_*->'],
    ['SET', 'h_1->', '9'],
    ['SORT', 'l', 'BY', 'h_*->'],
    ['SORT', 'l', 'BY', 'nokey_*'],
    ['SORT', 'l', 'BY', 'nokey_*', 'DESC'],
    ['SORT', 'l', 'BY', 'nokey_*', 'ALPHA'],
    ['SORT', 'l', 'BY', 'nokey_*', 'ALPHA', 'DESC', 'LIMIT', '1', '3'],
    ['SORT', 'l', 'BY', 'w_*', 'ALPHA'],
    ['SORT', 'l', 'BY', 'nosort'],
    ['SORT', 'l', 'BY', 'nosort', 'DESC'],
    ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '1', '2'],
    ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'],
    ...withLimits(['SORT', 'l', 'BY', 'nosort', 'DESC'], LIMITS),
    ['SORT', 'l', 'BY', 'nosort', 'BY', 'w_*'],
    ['SORT', 'l', 'BY', 'w_*', 'BY', 'nosort'],
    ['SORT', 'l', 'BY', 'w_*', 'BY', 'h_*->f'],
    ['SORT', 'l', 'BY', '#'],
    ['SORT', 'l', 'BY', cat('w_', B(0), '*')],
    ['SORT', 'l', 'BY', 'w_*_*'],
    ['SET', 'w_1_*', '100'],
    ['SORT', 'l', 'BY', 'w_*_*', 'GET', 'w_*_*'],
    ['MSET', '1', '6', '2', '5', '3', '4'],
    ['SORT', 'l', 'BY', '*', 'GET', '*'],
    ['HSET', 'a->b1', 'x', '1'],
    ['SORT', 'l', 'BY', 'a->b*'],
    ['HSET', 'hh_2', 'f->g', '-9'],
    ['SORT', 'l', 'BY', 'hh_*->f->g', 'GET', 'hh_*->f->g'],
    ['SET', 'w_4', 'abc'],
    ['SORT', 'l', 'BY', 'w_*'],
    ['SORT', 'l', 'BY', 'w_*', 'ALPHA'],
    ['SORT', 'l', 'BY', 'w_*', 'STORE', 'dst'],
    ['EXISTS', 'dst'],
    ['SORT', 'l', 'BY', 'nosort', 'GET', 'w_*'],
    ['SET', 'w_4', cat('7', B(0), 'x')],
    ['SORT', 'l', 'BY', 'w_*'],
    ['SET', 'w_4', ''],
    ['SORT', 'l', 'BY', 'w_*'],
    ['SET', 'w_4', '0x1p-1074'],
    ['SORT', 'l', 'BY', 'w_*'],
    ['SET', 'w_4', '1e-320'],
    ['SORT', 'l', 'BY', 'w_*'],
    ERRNO_RESET,
    ['SADD', 'w_4', 'x'],
    ['DEL', 'w_4'],
    ['SADD', 'w_4', 'x'],
    ['SORT', 'l', 'BY', 'w_*', 'GET', 'w_*'],
    ['SORT_RO', 'l', 'BY', 'w_*', 'GET', '#', 'GET', 'h_*->f'],
  ]);

  diffCases(env, 'BY with hash tags and patterns over many keys', () => {
    const cmds: CmdLike[] = [['RPUSH', 'tl', ...range(1, 30)]];
    for (let i = 1; i <= 30; i++) {
      cmds.push(['SET', `{t}w_${i}`, String((i * 7) % 11)], ['SET', `wt{${i}}`, String((i * 5) % 13)]);
      cmds.push(['HSET', `{t}h_${i}`, 'f', String((i * 3) % 8), 'g', `v${(i * 11) % 17}`]);
    }
    cmds.push(
      ['SORT', 'tl', 'BY', '{t}w_*'],
      ['SORT', 'tl', 'BY', 'wt{*}', 'DESC', 'GET', '#', 'GET', 'wt{*}'],
      ['SORT', 'tl', 'BY', '{t}h_*->f', 'GET', '{t}h_*->g', 'LIMIT', '5', '10'],
      ['SORT', 'tl', 'BY', '{t}h_*->g', 'ALPHA', 'GET', '#', 'LIMIT', '3', '7'],
      ['SORT', 'tl', 'BY', '{t}h_*->g', 'ALPHA', 'DESC', 'GET', '#'],
      ['SORT', 'tl', 'BY', '{t}w_*', 'STORE', '{t}dst'],
      ['LRANGE', '{t}dst', '0', '-1'],
    );
    return cmds;
  });

  diffCases(env, 'GET patterns', () => [
    ['RPUSH', 'l', '3', '1', '2', 'x'],
    ['MSET', 'w_1', 'one', 'w_3', 'three', 'w_x', ''],
    ['HSET', 'h_1', 'f', 'hf1'],
    ['HSET', 'h_2', 'g', 'hg2'],
    ['SADD', 'w_2', 'm'],
    ['SET', 'h_3', 'str'],
    ['SORT', 'l', 'ALPHA', 'GET', '#'],
    ['SORT', 'l', 'ALPHA', 'GET', 'w_*'],
    ['SORT', 'l', 'ALPHA', 'GET', '#', 'GET', 'w_*', 'GET', 'h_*->f', 'GET', 'h_*->g', 'GET', 'h_*'],
    ['SORT', 'l', 'ALPHA', 'GET', 'nostar'],
    ['SORT', 'l', 'ALPHA', 'GET', '#x'],
    ['SORT', 'l', 'ALPHA', 'GET', ''],
    ['SORT', 'l', 'ALPHA', 'GET', cat('#', B(0), 'x')],
    ['SORT', 'l', 'ALPHA', 'GET', cat('w_', B(0), '*')],
    ['SORT', 'l', 'ALPHA', 'GET', '#', 'GET', '#'],
    ['SORT', 'l', 'ALPHA', 'DESC', 'LIMIT', '1', '2', 'GET', 'w_*', 'GET', '#'],
    ['SORT', 'l', 'BY', 'nosort', 'GET', 'w_*', 'GET', 'h_*->f'],
    ['SORT', 'l', 'ALPHA', 'LIMIT', '0', '0', 'GET', '#'],
    ['SORT', 'l', 'ALPHA', 'LIMIT', '10', '5', 'GET', '#', 'GET', 'w_*'],
    ['SORT', 'l', 'ALPHA', 'GET', 'w_*', 'STORE', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['SORT', 'l', 'ALPHA', 'GET', '#', 'GET', 'nostar', 'GET', 'h_*->f', 'STORE', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['SORT', 'l', 'ALPHA', 'LIMIT', '9', '1', 'GET', '#', 'STORE', 'dst'],
    ['EXISTS', 'dst'],
    ['SORT', 'nokey', 'GET', '#', 'STORE', 'dst'],
  ]);

  diffCases(env, 'ties: stable full sort and partial sort with LIMIT (lists)', () => {
    const cmds: CmdLike[] = [];
    for (const n of [5, 6, 7, 8, 9, 40, 41, 42, 100, 257]) {
      const key = `tie${n}`;
      const elems = range(1, n).map((i) => `e${(Number(i) * 37) % (n + 3)}`);
      cmds.push(['RPUSH', key, ...elems]);
      // few distinct weights: many ties
      for (let i = 0; i < n; i += 2) cmds.push(['SET', `tw_${elems[i]}`, `k${i % 3}`]);
      const lims: Array<[Arg, Arg]> = [['0', '1'], ['0', '5'], ['1', '3'], [String(n >> 1), '4'], [String(n - 2), '10'], ['2', String(n)], ['0', String(n - 1)], ['3', '-1']];
      for (const by of [['BY', 'nokey_*', 'ALPHA'], ['BY', 'tw_*', 'ALPHA'], ['BY', 'tw_*', 'ALPHA', 'DESC'], ['BY', 'nokey_*'], ['BY', 'tw_*']]) {
        cmds.push(['SORT', key, ...by]);
        for (const [o, c] of lims) cmds.push(['SORT', key, ...by, 'LIMIT', o, c]);
      }
      cmds.push(['SORT', key, 'BY', 'tw_*', 'ALPHA', 'LIMIT', '1', '3', 'STORE', 'tdst'], ['LRANGE', 'tdst', '0', '-1']);
    }
    // duplicates in a list tie on both weight and element
    cmds.push(['RPUSH', 'dup', '2', '1', '2', '1', '3', '2', '1', '1', '3', '2', '2', '1'], ['SORT', 'dup'], ['SORT', 'dup', 'DESC', 'LIMIT', '2', '5']);
    cmds.push(['SORT', 'dup', 'BY', 'nokey_*', 'ALPHA', 'LIMIT', '2', '5', 'GET', '#']);
    return cmds;
  });

  diffCases(env, 'lists: large (many quicklist nodes), nosort ranges, STORE', () => {
    const r = new Rng(7);
    const big = Array.from({ length: 300 }, () => String(r.int(-1000, 1000)));
    const cmds: CmdLike[] = [
      ['CONFIG', 'SET', 'list-max-listpack-size', '4'],
      ['RPUSH', 'big', ...big],
      ['OBJECT', 'ENCODING', 'big'],
      ['SORT', 'big'],
      ['SORT', 'big', 'DESC', 'LIMIT', '17', '40'],
      ['SORT', 'big', 'ALPHA', 'LIMIT', '280', '40'],
      ['SORT', 'big', 'BY', 'nosort', 'LIMIT', '13', '30'],
      ['SORT', 'big', 'BY', 'nosort', 'DESC', 'LIMIT', '13', '30'],
      ['SORT', 'big', 'BY', 'nosort', 'DESC'],
      ['SORT', 'big', 'STORE', 'bigdst'],
      ['LRANGE', 'bigdst', '0', '-1'],
      ['LLEN', 'bigdst'],
      ['SORT', 'big', 'BY', 'nosort', 'DESC', 'STORE', 'bigdst'],
      ['LRANGE', 'bigdst', '0', '-1'],
      ['RPUSH', 'long', 'x'.repeat(5000), 'y'.repeat(70000), 'a', 'x'.repeat(100)],
      ['SORT', 'long', 'ALPHA'],
      ['SORT', 'long', 'ALPHA', 'STORE', 'longdst'],
      ['LRANGE', 'longdst', '0', '-1'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
    ];
    return cmds;
  });

  diffCases(env, 'sets: intset and hashtable encodings', () => [
    ['SADD', 'si', '5', '-3', '100', '0', '7', '-20', '42'],
    ['OBJECT', 'ENCODING', 'si'],
    ['SORT', 'si'],
    ['SORT', 'si', 'DESC', 'LIMIT', '1', '3'],
    ['SORT', 'si', 'ALPHA'],
    ['SORT', 'si', 'BY', 'nosort'],
    ['SORT', 'si', 'BY', 'nosort', 'DESC', 'LIMIT', '2', '3'],
    ['SORT', 'si', 'BY', 'nosort', 'STORE', 'sdst'],
    ['LRANGE', 'sdst', '0', '-1'],
    ['SORT', 'si', 'BY', 'nokey_*', 'ALPHA', 'LIMIT', '1', '4'],
    ['SORT', 'si', 'BY', 'nokey_*', 'ALPHA'],
    ['MSET', 'w_5', '1', 'w_100', '-1', 'w_0', '1'],
    ['SORT', 'si', 'BY', 'w_*', 'GET', '#', 'GET', 'w_*'],
    ['SADD', 'sh', 'banana', 'apple', 'cherry', '10', '9', 'Apple', 'b'],
    ['OBJECT', 'ENCODING', 'sh'],
    ['SORT', 'sh', 'ALPHA'],
    ['SORT', 'sh', 'ALPHA', 'DESC', 'LIMIT', '2', '3'],
    ['SORT', 'sh'],
    sorted('SORT', 'sh', 'BY', 'nosort'),
    sorted('SORT', 'sh', 'BY', 'nosort', 'GET', '#'),
    ['SORT', 'sh', 'BY', 'nosort', 'STORE', 'sdst'],
    ['LRANGE', 'sdst', '0', '-1'],
    ['SORT', 'sh', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2', 'STORE', 'sdst'],
    ['LRANGE', 'sdst', '0', '-1'],
    ['SORT', 'sh', 'ALPHA', 'STORE', 'sdst'],
    ['LRANGE', 'sdst', '0', '-1'],
    ['SADD', 'sn', ...range(1, 600)],
    ['OBJECT', 'ENCODING', 'sn'],
    ['SORT', 'sn', 'LIMIT', '100', '20'],
    ['SORT', 'sn', 'DESC', 'LIMIT', '0', '10'],
    ['SORT', 'sn', 'ALPHA', 'LIMIT', '590', '20'],
    ['SORT', 'sn', 'BY', 'nosort', 'LIMIT', '0', '5', 'STORE', 'sdst'],
    ['LRANGE', 'sdst', '0', '-1'],
    ['SADD', 'sf', '1.5', '-2', '1e1', 'inf'],
    ['SORT', 'sf'],
    ['SORT_RO', 'sf', 'DESC'],
  ]);

  diffCases(env, 'sorted sets: listpack and skiplist, converted by SORT', () => [
    ['ZADD', 'z', '3', 'c', '1', 'a', '2', 'b', '2', 'bb', '-1', 'neg'],
    ['OBJECT', 'ENCODING', 'z'],
    ['SORT_RO', 'z', 'BY', 'nosort'],
    ['OBJECT', 'ENCODING', 'z'],
    ['SORT', 'z', 'BY', 'nosort', 'DESC'],
    ...withLimits(['SORT', 'z', 'BY', 'nosort'], LIMITS),
    ...withLimits(['SORT', 'z', 'BY', 'nosort', 'DESC'], LIMITS),
    ['SORT', 'z', 'ALPHA'],
    ['SORT', 'z', 'ALPHA', 'DESC', 'LIMIT', '1', '2'],
    ['SORT', 'z'],
    ['ZADD', 'z2', '1', 'x'],
    ['SORT', 'z2', 'LIMIT', 'a', 'b'],
    ['OBJECT', 'ENCODING', 'z2'],
    ['SORT', 'z2', 'FOO'],
    ['OBJECT', 'ENCODING', 'z2'],
    ['SORT', 'z2', 'ALPHA'],
    ['OBJECT', 'ENCODING', 'z2'],
    ['ZADD', 'z2', '2', 'y'],
    ['OBJECT', 'ENCODING', 'z2'],
    ['ZADD', 'zn', '5', '10', '4', '20', '3', '30', '2', '40', '1', '50'],
    ['SORT', 'zn'],
    ['SORT', 'zn', 'BY', 'nosort', 'GET', '#', 'GET', 'w_*'],
    ['MSET', 'w_10', '3', 'w_20', '1', 'w_50', '2'],
    ['SORT', 'zn', 'BY', 'w_*', 'GET', '#', 'GET', 'w_*'],
    ['SORT', 'zn', 'BY', 'w_*', 'DESC', 'LIMIT', '1', '2'],
    ['SORT', 'zn', 'BY', 'nosort', 'STORE', 'zdst'],
    ['LRANGE', 'zdst', '0', '-1'],
    ['SORT', 'zn', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '3', 'STORE', 'zdst'],
    ['LRANGE', 'zdst', '0', '-1'],
    ['ZADD', 'zbig', ...range(1, 200).flatMap((i) => [String((Number(i) * 13) % 50), `m${i}`])],
    ['OBJECT', 'ENCODING', 'zbig'],
    ['SORT', 'zbig', 'BY', 'nosort', 'LIMIT', '50', '20'],
    ['SORT', 'zbig', 'BY', 'nosort', 'DESC', 'LIMIT', '50', '20'],
    ['SORT', 'zbig', 'ALPHA', 'LIMIT', '0', '15'],
    ['SORT', 'zbig', 'ALPHA', 'DESC', 'STORE', 'zdst'],
    ['LRANGE', 'zdst', '0', '9'],
  ]);

  diffCases(env, 'STORE: overwrite, TTL, empty result, same key, other shard', () => {
    const far = otherShardKey('dst', 'src');
    return [
      ['RPUSH', 'src', '3', '1', '2'],
      ['SORT', 'src', 'STORE', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
      ['TYPE', 'dst'],
      ['OBJECT', 'ENCODING', 'dst'],
      ['SORT', 'src', 'STORE', far],
      ['LRANGE', far, '0', '-1'],
      ['SORT', 'src', 'DESC', 'STORE', far],
      ['LRANGE', far, '0', '-1'],
      ['SET', 'dstr', 'x', 'EX', '1000'],
      ['SORT', 'src', 'STORE', 'dstr'],
      ['TTL', 'dstr'],
      ['LRANGE', 'dstr', '0', '-1'],
      ['SADD', 'dset', 'a'],
      ['SORT', 'src', 'STORE', 'dset'],
      ['TYPE', 'dset'],
      ['ZADD', 'dz', '1', 'a'],
      ['SORT', 'src', 'LIMIT', '1', '1', 'STORE', 'dz'],
      ['LRANGE', 'dz', '0', '-1'],
      ['SORT', 'src', 'LIMIT', '5', '5', 'STORE', 'dz'],
      ['EXISTS', 'dz'],
      ['SORT', 'src', 'LIMIT', '0', '0', 'STORE', far],
      ['EXISTS', far],
      ['SORT', 'src', 'STORE', 'a', 'STORE', 'b'],
      ['EXISTS', 'a', 'b'],
      ['LRANGE', 'b', '0', '-1'],
      ['SORT', 'src', 'DESC', 'STORE', 'src'],
      ['LRANGE', 'src', '0', '-1'],
      ['MSET', 'w_1', '1', 'w_2', '2', 'w_3', '3'],
      ['SORT', 'src', 'BY', 'w_*', 'GET', 'w_*', 'STORE', 'w_1'],
      ['LRANGE', 'w_1', '0', '-1'],
      ['SORT', 'src', 'BY', 'w_*', 'GET', 'w_*', 'GET', '#', 'STORE', far],
      ['LRANGE', far, '0', '-1'],
      ['SORT', 'src', 'GET', 'nokey_*', 'STORE', far],
      ['LRANGE', far, '0', '-1'],
      ['SADD', 'sset', 'q', 'p', 'r'],
      ['SORT', 'sset', 'BY', 'nosort', 'STORE', far],
      ['LRANGE', far, '0', '-1'],
      ['SORT', 'sset', 'BY', 'nosort', 'DESC', 'STORE', far],
      ['LRANGE', far, '0', '-1'],
    ];
  });

  diffCases(env, 'pattern keys in another database', () => [
    ['SELECT', '1'],
    ['RPUSH', 'l', '1', '2', '3'],
    ['MSET', 'w_1', '3', 'w_2', '2', 'w_3', '1'],
    ['SORT', 'l', 'BY', 'w_*', 'GET', 'w_*'],
    ['SORT', 'l', 'BY', 'w_*', 'STORE', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['SELECT', '0'],
    ['EXISTS', 'dst'],
    ['MSET', 'w_1', '1', 'w_2', '2', 'w_3', '3'],
    ['SORT', 'l'],
    ['SELECT', '1'],
    ['SORT', 'l', 'BY', 'w_*'],
    ['SELECT', '0'],
  ]);

  diffCases(env, 'COMMAND GETKEYS', () => [
    ['COMMAND', 'GETKEYS', 'SORT', 'a'],
    ['COMMAND', 'GETKEYS', 'SORT', 'a', 'STORE', 'b'],
    ['COMMAND', 'GETKEYS', 'SORT', 'a', 'STORE', 'b', 'STORE', 'c'],
    ['COMMAND', 'GETKEYS', 'SORT', 'a', 'store', 'get', 'store', 'd'],
    ['COMMAND', 'GETKEYS', 'SORT', 'a', 'LIMIT', 'store', '1', 'STORE', 'x'],
    ['COMMAND', 'GETKEYS', 'SORT', 'a', 'BY', 'store', 'GET', 'store'],
    ['COMMAND', 'GETKEYS', 'SORT', 'a', 'STORE'],
    ['COMMAND', 'GETKEYS', 'SORT_RO', 'a', 'BY', 'x'],
    ['COMMAND', 'GETKEYS', 'SORT_RO', 'a', 'STORE', 'b'],
  ]);

  it('STORE target the parser and the key positions disagree on', async () => {
    // sortGetKeys skips the word after GET, so its keys are "src" and "GET" (one
    // shard) while SORT stores into a key on the other shard
    const far = otherShardKey('d', 'src');
    expect(shardOf('GET')).toBe(shardOf('src'));
    const d = await env.open(false);
    await d.run([
      ['RPUSH', 'src', '2', '1'],
      ['COMMAND', 'GETKEYS', 'SORT', 'src', 'STORE', 'GET', 'STORE', far],
      ['SORT', 'src', 'STORE', 'GET', 'STORE', far],
      ['LRANGE', far, '0', '-1'],
      ['EXISTS', 'GET'],
    ]);
  });

  // Seeded random SORT commands over lists, sets and sorted sets of every
  // encoding, with weights and hashes spread over the shards.
  const seeds = (process.env.SABRE_SORT_SEEDS ?? '1,2').split(',').map(Number);
  for (const seed of seeds) {
    for (const resp3 of [false, true]) {
      it(`random sort stream seed=${seed} RESP${resp3 ? 3 : 2}`, async () => {
        const d = await env.open(resp3, `sort random seed=${seed} RESP${resp3 ? 3 : 2} shards=${env.shards}`);
        await d.run(randomSortStream(seed * 2 + (resp3 ? 1 : 0), 1500), {
          stopOnFirst: true,
          context: () => `(seed=${seed}, shards=${env.shards}; reproduce: SABRE_SORT_SEEDS=${seed} npx vitest run test/differential/sort.test.ts -t random)`,
        });
        await d.run([{ args: ['KEYS', '*'], normalize: sortArray }]);
      });
    }
  }
});

/**
 * Random stream. Orders Redis leaves to its hash tables are kept out: set and
 * sorted set members never contain NUL bytes (ALPHA compares C strings) and are
 * sorted with ALPHA BY only by patterns giving every member a distinct value;
 * an unsorted hashtable set is compared sorted and without LIMIT.
 */
function randomSortStream(seed: number, count: number): DiffCmd[] {
  const r = new Rng(seed);
  const out: DiffCmd[] = [];
  const push = (...args: Arg[]): void => {
    out.push({ args });
  };
  const ints = range(-40, 40);
  const words = ['a', 'b', 'c', 'aa', 'ab', 'B', 'Z', 'x1', 'x10', 'x2', '', 'é', 'zz', '-', ' 3', '3 ', '1.5', '2e1', '0x10', 'inf'];
  const binary = [cat('a', B(0), 'b'), cat('a', B(0), 'a'), B(0), B(0xff, 0), cat('q', B(0))];
  const universe: Array<string | Buffer> = [...ints, ...words, ...binary];
  const setSafe: Array<string | Buffer> = [...ints, ...words];
  const numeric: Array<string | Buffer> = [...ints, '1.5', '-2.25', '2e1', '0x10', 'inf', '-inf', ' 3', '007', '-0', '', B(0)];
  const weight = (): string => {
    const k = r.int(0, 30);
    if (k === 1) return '';
    if (k === 2) return r.pick(['inf', '-inf', ' 7', '0x1A', '-0', '1e3', '.25']);
    if (k < 8) return (r.next() * 200 - 100).toFixed(r.int(0, 4));
    return String(r.int(-10, 10));
  };
  const keyOf = (p: string, e: string | Buffer): Buffer => cat(p, e);

  // weights: w_ numeric (some missing), u_ distinct strings for every member,
  // h_ hashes (listpack or hashtable) with numeric f and distinct g
  push('CONFIG', 'SET', 'hash-max-listpack-entries', '4');
  universe.forEach((e, i) => {
    if (r.chance(0.8)) push('SET', keyOf('w_', e), String(r.int(-10, 10)));
    push('SET', keyOf('u_', e), `u${String((i * 7919) % 1000).padStart(4, '0')}`);
    const fields: string[] = ['f', String(r.int(-5, 5)), 'g', `g${(i * 31) % 997}`];
    if (r.chance(0.3)) for (let k = 0; k < 4; k++) fields.push(`extra${k}`, 'v');
    push('HSET', keyOf('h_', e), ...fields);
    // x_: weights of which a few cannot be read as numbers
    if (r.chance(0.5)) push('SET', keyOf('x_', e), r.chance(0.05) ? r.pick(['abc', '1x', 'nan']) : weight());
  });
  push('CONFIG', 'SET', 'hash-max-listpack-entries', '512');

  // bigset: a hashtable set whose members have no u_/h_ keys (ALPHA BY would tie)
  type Src = { key: string; kind: 'list' | 'intset' | 'hset' | 'bigset' | 'zset'; pool: Array<string | Buffer> };
  const sources: Src[] = [
    { key: 'L1', kind: 'list', pool: numeric },
    { key: 'L2', kind: 'list', pool: universe },
    { key: '{s}L3', kind: 'list', pool: numeric },
    { key: 'L4', kind: 'list', pool: universe },
    { key: 'S1', kind: 'intset', pool: ints },
    { key: 'S2', kind: 'hset', pool: setSafe },
    { key: 'S3', kind: 'bigset', pool: ints },
    { key: 'S4', kind: 'hset', pool: [...ints, '1.5', '2e1', '0x10', 'inf', '-inf'] },
    { key: 'Z1', kind: 'zset', pool: setSafe },
    { key: 'Z2', kind: 'zset', pool: ints },
    { key: 'dst', kind: 'list', pool: numeric },
  ];
  const fill = (s: Src, n: number): void => {
    const elems = Array.from({ length: n }, () => r.pick(s.pool));
    if (s.kind === 'list') push('RPUSH', s.key, ...elems);
    else if (s.kind === 'zset') push('ZADD', s.key, ...elems.flatMap((e) => [String(r.int(-5, 5)), e]));
    else push('SADD', s.key, ...elems);
  };
  push('CONFIG', 'SET', 'list-max-listpack-size', String(r.pick([-2, 3, 5])));
  for (const s of sources) if (s.key !== 'dst') fill(s, s.key === '{s}L3' ? 120 : r.int(3, 30));
  push('SADD', 'S3', ...range(100, 700));

  const dsts = ['dst', '{s}dst', 'dst2', 'far'];
  for (let i = 0; i < count; i++) {
    const k = r.int(0, 19);
    if (k === 0) {
      const s = r.pick(sources);
      if (s.kind === 'zset' && r.chance(0.3)) push('DEL', s.key); // back to a listpack on refill
      fill(s, r.int(1, 6));
      continue;
    }
    if (k === 1) {
      const e = r.pick(universe);
      if (r.chance(0.2)) push('DEL', keyOf('w_', e));
      else push('SET', keyOf('w_', e), weight());
      continue;
    }
    if (k === 2) {
      push('HSET', keyOf('h_', r.pick(universe)), 'f', weight());
      continue;
    }
    if (k === 3) {
      const dst = r.pick(dsts);
      push(...(r.chance(0.5) ? ['LRANGE', dst, '0', '-1'] : ['EXISTS', dst]));
      continue;
    }
    const s = r.pick(sources);
    const deterministicOrder = s.kind === 'list' || s.kind === 'intset';
    const args: Arg[] = [r.chance(0.2) ? 'SORT_RO' : 'SORT', s.key];
    let dontsort = false;
    let store = false;
    let limit = false;
    let alpha = false;
    let byPat: string | null = null;
    const opts: Arg[][] = [];
    if (r.chance(0.6)) {
      const p = r.chance(0.2) ? 'nosort' : r.pick(['w_*', 'h_*->f', 'u_*', 'h_*->g', 'nokey_*', 'w_*->f', 'x_*']);
      byPat = p;
      if (p === 'nosort') dontsort = true;
      opts.push(['BY', p]);
    }
    if (r.chance(0.4)) {
      alpha = true;
      opts.push(['ALPHA']);
    }
    if (r.chance(0.4)) opts.push([r.pick(['ASC', 'DESC'])]);
    if (r.chance(0.4)) {
      limit = true;
      const off = r.chance(0.1) ? r.pick([I64_MIN, '-1', I64_MAX]) : String(r.int(0, 40));
      const cnt = r.chance(0.1) ? r.pick([I64_MAX, '-1', '0']) : String(r.int(0, 30));
      opts.push(['LIMIT', off, cnt]);
    }
    const getCount = r.chance(0.5) ? 0 : r.int(1, 3);
    for (let g = 0; g < getCount; g++) opts.push(['GET', r.pick(['#', 'w_*', 'u_*', 'h_*->f', 'h_*->g', 'nostar', 'h_*->nope', 'x_*'])]);
    if (args[0] === 'SORT' && r.chance(0.25)) {
      store = true;
      opts.push(['STORE', r.pick(dsts)]);
    }
    r.shuffle(opts);
    for (const o of opts) args.push(...o);
    if (!deterministicOrder) {
      // ties between members come out in hash table order in Redis
      const sorts = !dontsort || (s.kind !== 'zset' && store);
      const alphaBy = sorts && alpha && !dontsort && byPat !== null;
      if (alphaBy && (s.kind === 'bigset' || (byPat !== 'u_*' && byPat !== 'h_*->g'))) continue;
      if (s.kind !== 'zset' && dontsort && !store) {
        if (limit) continue;
        out.push({ args, normalize: sortArray });
        continue;
      }
    }
    push(...args);
    if (store && r.chance(0.5)) push('LRANGE', args[args.indexOf('STORE') + 1]!, '0', '-1');
  }
  push('CONFIG', 'SET', 'list-max-listpack-size', '-2');
  return out;
}
