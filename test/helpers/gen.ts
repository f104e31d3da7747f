// Seeded random command streams for differential testing.
import { normalizeHello, positiveInt, sortArray, typeOnly, type DiffCmd } from './diff';

/** mulberry32: tiny deterministic 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.next() * arr.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** One of the items, each with the chance of its weight (one draw). */
  weighted<T>(items: ReadonlyArray<readonly [number, T]>): T {
    let total = 0;
    for (const [w] of items) total += w;
    let x = this.next() * total;
    for (const [w, item] of items) {
      x -= w;
      if (x < 0) return item;
    }
    return items[items.length - 1]![1];
  }
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [arr[i], arr[j]] = [arr[j]!, arr[i]!];
    }
    return arr;
  }
}

const I64_MAX = '9223372036854775807';
const I64_MIN = '-9223372036854775808';

export interface StreamOptions {
  count: number;
  keys?: number;
  dbs?: number;
  /** absolute "now" in seconds used to build absolute expire times (same for both servers) */
  nowS?: number;
}

/**
 * Generate `count` commands over a small key space mixing string, keyspace and
 * connection commands with valid and invalid arguments. Time-dependent replies
 * are avoided or normalized:
 *  - relative TTLs are >= 1000 s and GT/LT are only used with absolute times
 *    (never comparable to relative ones), so no decision depends on the clock;
 *  - TTL/PTTL/EXPIRETIME/PEXPIRETIME compare as "positive" when > 0.
 */
export function randomStream(seed: number, opts: StreamOptions): DiffCmd[] {
  const r = new Rng(seed);
  const nKeys = opts.keys ?? 20;
  const nDbs = opts.dbs ?? 4;
  const nowS = opts.nowS ?? Math.floor(Date.now() / 1000);
  const keys = Array.from({ length: nKeys }, (_, i) => (i % 5 === 4 ? `key:${i}` : `k${i}`));
  const key = () => r.pick(keys);
  const absS = () => String(nowS + 100_000 + r.int(0, 50) * 7919);
  const absMs = () => String((nowS + 100_000 + r.int(0, 50) * 7919) * 1000 + r.int(0, 999));
  const bin = Buffer.from([0, 0xff, 13, 10, 0x80]);
  const values: Array<() => string | Buffer> = [
    () => String(r.int(-20, 20)),
    () => String(r.int(0, 20000)),
    () => r.pick(['0', '-0', '012', ' 1', '+1', '9999', '10000', I64_MAX, I64_MIN, '9223372036854775808']),
    () => r.pick(['1.5', '3.0e3', '-2.25', '1e300', '0.1', 'inf', 'nan', '1e3']),
    () => r.pick(['', 'a', 'hello', 'hello world', 'abcabcabc', 'ohmytext', 'mynewtext']),
    () => 'x'.repeat(r.pick([43, 44, 45, 46, 100])),
    () => bin,
  ];
  const value = () => r.pick(values)();
  const intArg = () =>
    r.pick([
      () => String(r.int(-10, 10)),
      () => String(r.int(-100000, 100000)),
      () => r.pick([I64_MAX, I64_MIN, '9223372036854775808', '1.5', 'abc', '', ' 1', '0']),
    ])();
  const floatArg = () =>
    r.pick(['0.1', '0.2', '-0', '1', '10.5', '3.0e3', '1e300', '1e308', '-1e308', 'inf', '-inf', 'nan', 'abc', '.5', '5.', '1e-5', '-1.5', '2', '1e20'])
  ;
  const relS = () => r.pick(['1000', '2000', '3000', '5000', '9000', '0', '-1', 'abc', '1.5', I64_MAX]);
  const relMs = () => r.pick(['1000000', '2000000', '4000000', '0', '-5', 'x', I64_MAX]);
  // SET ... EXAT/PXAT <past> leaves a logically expired key in the keyspace in
  // redis 7.0 until it is reclaimed (lazily or by the timed active cycle), so
  // DBSIZE would depend on timing: every SET that might carry a past time is
  // followed by EXISTS on its key, which reclaims it deterministically.
  let pastUsed = false;
  const pastOrAbsS = () => {
    if (!r.chance(0.15)) return absS();
    pastUsed = true;
    return r.pick(['1', '0', String(nowS - 1000)]);
  };
  const pastOrAbsMs = () => {
    if (!r.chance(0.15)) return absMs();
    pastUsed = true;
    return r.pick(['1', String((nowS - 1000) * 1000)]);
  };
  const rangeArg = () => r.pick([() => String(r.int(-30, 30)), () => r.pick([I64_MAX, I64_MIN, 'x', '100'])])();
  const keysArr = (min: number, max: number) => Array.from({ length: r.int(min, max) }, key);
  const pos = (args: Array<string | Buffer>): DiffCmd => ({ args, normalize: positiveInt });

  const setOptions = (): string[] => {
    const o: string[] = [];
    const expiry = r.int(0, 9);
    if (expiry === 1) o.push('EX', relS());
    else if (expiry === 2) o.push('PX', relMs());
    else if (expiry === 3) o.push('EXAT', pastOrAbsS());
    else if (expiry === 4) o.push('PXAT', pastOrAbsMs());
    else if (expiry === 5) o.push('KEEPTTL');
    const cond = r.int(0, 5);
    if (cond === 1) o.push('NX');
    else if (cond === 2) o.push('XX');
    if (r.chance(0.2)) o.push('GET');
    if (r.chance(0.03)) o.push(r.pick(['FOO', 'EX', 'NX', 'KEEPTTL', 'PX']));
    return r.chance(0.5) ? r.shuffle(o) : o;
  };

  const gens: Array<[number, () => DiffCmd | DiffCmd[]]> = [
    [
      10,
      () => {
        pastUsed = false;
        const k = key();
        const cmd: DiffCmd = { args: ['SET', k, value(), ...setOptions()] };
        return pastUsed ? [cmd, { args: ['EXISTS', k] }] : cmd;
      },
    ],
    [8, () => ({ args: ['GET', key()] })],
    [3, () => ({ args: ['MGET', ...keysArr(1, 6)] })],
    [3, () => ({ args: ['MSET', ...keysArr(1, 4).flatMap((k) => [k, value()])] })],
    [1, () => ({ args: ['MSETNX', ...keysArr(1, 3).flatMap((k) => [k, value()])] })],
    [1, () => ({ args: ['SETNX', key(), value()] })],
    [1, () => ({ args: ['SETEX', key(), relS(), value()] })],
    [1, () => ({ args: ['PSETEX', key(), relMs(), value()] })],
    [1, () => ({ args: ['GETSET', key(), value()] })],
    [1, () => ({ args: ['GETDEL', key()] })],
    [
      2,
      () => {
        const o = r.pick([[], ['EX', relS()], ['PX', relMs()], ['EXAT', pastOrAbsS()], ['PXAT', pastOrAbsMs()], ['PERSIST'], ['FOO'], ['EX']]);
        return { args: ['GETEX', key(), ...o] };
      },
    ],
    [3, () => ({ args: ['APPEND', key(), value()] })],
    [2, () => ({ args: ['STRLEN', key()] })],
    [3, () => ({ args: ['INCR', key()] })],
    [2, () => ({ args: ['DECR', key()] })],
    [2, () => ({ args: ['INCRBY', key(), intArg()] })],
    [1, () => ({ args: ['DECRBY', key(), intArg()] })],
    [3, () => ({ args: ['INCRBYFLOAT', key(), floatArg()] })],
    [2, () => ({ args: ['GETRANGE', key(), rangeArg(), rangeArg()] })],
    [1, () => ({ args: ['SUBSTR', key(), rangeArg(), rangeArg()] })],
    [2, () => ({ args: ['SETRANGE', key(), r.pick([() => String(r.int(0, 30)), () => r.pick(['-1', 'x', '536870912'])])(), value()] })],
    [
      1,
      () => {
        const o = r.pick([[], ['LEN'], ['IDX'], ['IDX', 'WITHMATCHLEN'], ['IDX', 'MINMATCHLEN', String(r.int(0, 4))], ['LEN', 'IDX'], ['FOO']]);
        return { args: ['LCS', key(), key(), ...o] };
      },
    ],
    [3, () => ({ args: [r.pick(['DEL', 'UNLINK']), ...keysArr(1, 4)] })],
    [3, () => ({ args: ['EXISTS', ...keysArr(1, 5)] })],
    [1, () => ({ args: ['TOUCH', ...keysArr(1, 3)] })],
    [2, () => ({ args: ['TYPE', key()] })],
    [2, () => pos([r.pick(['TTL', 'PTTL']), key()])],
    [2, () => pos([r.pick(['EXPIRETIME', 'PEXPIRETIME']), key()])],
    [
      3,
      () => {
        const c = r.pick(['EXPIRE', 'PEXPIRE']);
        const o = r.chance(0.3) ? [r.pick(['NX', 'XX', 'FOO'])] : [];
        if (r.chance(0.05)) o.push(r.pick(['NX', 'XX']));
        return { args: [c, key(), c === 'EXPIRE' ? relS() : relMs(), ...o] };
      },
    ],
    [
      3,
      () => {
        const c = r.pick(['EXPIREAT', 'PEXPIREAT']);
        const o = r.chance(0.5) ? [r.pick(['NX', 'XX', 'GT', 'LT'])] : [];
        if (r.chance(0.05)) o.push(r.pick(['NX', 'XX', 'GT', 'LT']));
        return { args: [c, key(), c === 'EXPIREAT' ? pastOrAbsS() : pastOrAbsMs(), ...o] };
      },
    ],
    [2, () => ({ args: ['PERSIST', key()] })],
    [1, () => ({ args: ['KEYS', r.pick(['*', 'k1*', 'k?', '*1', 'key:*', '[a-k]*', 'k[0-5]', 'nomatch'])], normalize: sortArray })],
    [2, () => ({ args: [r.pick(['RENAME', 'RENAMENX']), key(), key()] })],
    [
      2,
      () => {
        const o: string[] = [];
        if (r.chance(0.4)) o.push('DB', r.chance(0.9) ? String(r.int(0, nDbs - 1)) : r.pick(['16', '-1', 'x']));
        if (r.chance(0.4)) o.push('REPLACE');
        return { args: ['COPY', key(), key(), ...(r.chance(0.3) ? r.shuffle(o) : o)] };
      },
    ],
    [1, () => ({ args: ['MOVE', key(), r.chance(0.9) ? String(r.int(0, nDbs - 1)) : r.pick(['16', 'x'])] })],
    [2, () => ({ args: ['OBJECT', 'ENCODING', key()] })],
    [1, () => ({ args: ['DBSIZE'] })],
    [2, () => ({ args: ['SELECT', r.chance(0.95) ? String(r.int(0, nDbs - 1)) : r.pick(['16', '-1', 'abc'])] })],
    [0.3, () => ({ args: ['SWAPDB', String(r.int(0, nDbs - 1)), String(r.int(0, nDbs - 1))] })],
    [0.1, () => ({ args: [r.pick(['FLUSHDB', 'FLUSHALL'])] })],
    [0.5, () => ({ args: ['RANDOMKEY'], normalize: typeOnly })],
    [0.7, () => ({ args: ['OBJECT', 'REFCOUNT', key()] })],
    [0.2, () => ({ args: ['HELLO', r.pick(['2', '3'])], normalize: normalizeHello })],
    [
      0.3,
      () =>
        r.chance(0.5)
          ? { args: ['CLIENT', 'GETNAME'] }
          : { args: ['CLIENT', 'SETNAME', r.pick(['', 'name1', 'bad name', `c${r.int(0, 99)}`])] },
    ],
    [0.5, () => ({ args: r.chance(0.5) ? ['PING'] : ['ECHO', value()] })],
    [
      0.5,
      () =>
        r.pick([
          { args: ['NOSUCHCMD', key()] },
          { args: ['GET'] },
          { args: ['SET', key()] },
          { args: ['MSET', key()] },
          { args: ['EXPIRE', key()] },
          { args: ['GETRANGE', key(), '0'] },
        ]),
    ],
  ];
  const out: DiffCmd[] = [];
  for (let i = 0; i < opts.count; i++) {
    const c = r.weighted(gens)();
    if (Array.isArray(c)) out.push(...c);
    else out.push(c);
  }
  return out;
}
