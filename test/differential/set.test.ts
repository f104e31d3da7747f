// Set commands: same commands to Sabre and redis-server 7.0, raw reply bytes
// must be equal. Replies whose order Redis leaves to its hash table are sorted
// (sortArray); intset replies (ascending) are compared byte for byte. Random
// commands (SPOP, SRANDMEMBER) are compared by shape and membership.
import { expect, it } from 'vitest';
import { describeDifferential, diffCases, sortArray, type CmdLike, type DiffSession, type Normalizer } from '../helpers/diff';
import { RawClient, parseReply, serializeReply, type Arg, type RespNode } from '../helpers/raw';
import { Rng } from '../helpers/gen';
import { keyShard } from '../../src/routing/slot';

const I64_MAX = '9223372036854775807';
const I64_MIN = '-9223372036854775808';
const BIN = Buffer.from([0, 1, 0xff, 13, 10, 0x80]);
const WRONGTYPE_KEY = 'str';

const sorted = (...args: Arg[]): CmdLike => ({ args, normalize: sortArray });
const ints = (from: number, to: number, step = 1): string[] => {
  const out: string[] = [];
  for (let i = from; i <= to; i += step) out.push(String(i));
  return out;
};

function parse(b: Buffer): RespNode | null {
  try {
    return parseReply(b).node;
  } catch {
    return null;
  }
}

/** The reply's type and length only (random members, possibly repeated). */
const shape: Normalizer = (b) => {
  const n = parse(b);
  if (!n) return b;
  if (n.items) return `${n.type}${n.items.length}`;
  if (n.type === '$') return '$member';
  return b;
};

/** Every returned member must belong to `allowed`; compares type, count and membership. */
const within =
  (allowed: Arg[]): Normalizer =>
  (b) => {
    const set = new Set(allowed.map((x) => Buffer.from(String(x)).toString('latin1')));
    const n = parse(b);
    if (!n) return b;
    const mark = (x: RespNode): RespNode =>
      x.type === '$' && x.data && set.has(x.data.toString('latin1')) ? { type: '+', data: Buffer.from('member') } : x;
    if (!n.items) return serializeReply(mark(n));
    n.items = n.items.map(mark);
    n.items.sort((x, y) => Buffer.compare(serializeReply(x), serializeReply(y)));
    return serializeReply(n);
  };

/** SSCAN reply with its element list sorted. */
const scanSorted: Normalizer = (b) => {
  const n = parse(b);
  if (!n || !n.items || n.items.length !== 2 || !n.items[1]!.items) return b;
  n.items[1]!.items!.sort((x, y) => Buffer.compare(serializeReply(x), serializeReply(y)));
  return serializeReply(n);
};

/** Run SSCAN to completion on one server; returns the members seen (sorted, deduplicated) and the number of calls. */
async function scanAll(call: (...a: Arg[]) => Promise<Buffer>, key: string, extra: Arg[]): Promise<string[]> {
  let cursor = '0';
  const seen = new Set<string>();
  let calls = 0;
  do {
    const r = parse(await call('SSCAN', key, cursor, ...extra))!;
    expect(r.items?.length).toBe(2);
    cursor = r.items![0]!.data!.toString('latin1');
    for (const m of r.items![1]!.items!) seen.add(m.data!.toString('latin1'));
    if (++calls > 100000) throw new Error('SSCAN does not terminate');
  } while (cursor !== '0');
  return [...seen].sort();
}

describeDifferential('differential: sets', (env) => {
  it('test keys cover both shards', () => {
    const shardOf = (k: string): number => keyShard(Buffer.from(k), 0, k.length, 2);
    expect(new Set(['a', 'b', 'c', 'd'].map(shardOf)).size).toBe(2);
    expect(shardOf('a')).not.toBe(shardOf('b'));
    expect(shardOf('dst')).not.toBe(shardOf('b'));
  });

  diffCases(env, 'SADD / SREM / SCARD / SISMEMBER / SMISMEMBER / SMEMBERS', [
    ['SADD', 's1', '3', '1', '2'],
    ['SADD', 's1', '2', '3', '4'],
    ['SCARD', 's1'],
    ['SMEMBERS', 's1'],
    ['OBJECT', 'ENCODING', 's1'],
    ['SISMEMBER', 's1', '1'],
    ['SISMEMBER', 's1', '01'],
    ['SISMEMBER', 's1', 'x'],
    ['SISMEMBER', 'nokey', 'x'],
    ['SMISMEMBER', 's1', '1', '5', '4', 'a', '-0'],
    ['SMISMEMBER', 'nokey', '1', '2'],
    ['SREM', 's1', '1', '1', 'x', '9'],
    ['SMEMBERS', 's1'],
    ['SREM', 's1', '2', '3', '4', '5'],
    ['EXISTS', 's1'],
    ['SREM', 's1', '2'],
    ['SCARD', 's1'],
    ['SCARD', 'nokey'],
    ['SMEMBERS', 'nokey'],
    ['SADD', 'h1', 'a', 'b', 'c', 'a'],
    sorted('SMEMBERS', 'h1'),
    ['OBJECT', 'ENCODING', 'h1'],
    ['SADD', 'h1', '', BIN, 'x'.repeat(100), 'y'.repeat(5000)],
    ['SCARD', 'h1'],
    ['SISMEMBER', 'h1', ''],
    ['SISMEMBER', 'h1', BIN],
    ['SISMEMBER', 'h1', 'y'.repeat(5000)],
    ['SMISMEMBER', 'h1', 'a', 'z', '', BIN],
    sorted('SMEMBERS', 'h1'),
    ['SREM', 'h1', 'a', 'b', 'c', '', BIN, 'x'.repeat(100)],
    ['SMEMBERS', 'h1'],
    ['SREM', 'h1', 'y'.repeat(5000)],
    ['EXISTS', 'h1'],
    // intset ordering with every width, byte for byte
    ['SADD', 'i1', '5', '-3', I64_MAX, I64_MIN, '70000', '-70000', '0', '32767', '-32768', '2147483648', '-2147483649'],
    ['SMEMBERS', 'i1'],
    ['OBJECT', 'ENCODING', 'i1'],
    ['SISMEMBER', 'i1', I64_MIN],
    ['SISMEMBER', 'i1', '9223372036854775808'],
    ['SREM', 'i1', I64_MAX, '0', '70000'],
    ['SMEMBERS', 'i1'],
    // wrong types and arity
    ['SET', WRONGTYPE_KEY, 'v'],
    ['SADD', WRONGTYPE_KEY, 'a'],
    ['SREM', WRONGTYPE_KEY, 'a'],
    ['SCARD', WRONGTYPE_KEY],
    ['SISMEMBER', WRONGTYPE_KEY, 'a'],
    ['SMISMEMBER', WRONGTYPE_KEY, 'a'],
    ['SMEMBERS', WRONGTYPE_KEY],
    ['GET', WRONGTYPE_KEY],
    ['SADD', 's1'],
    ['SADD'],
    ['SREM', 's1'],
    ['SCARD'],
    ['SCARD', 'a', 'b'],
    ['SISMEMBER', 's1'],
    ['SISMEMBER', 's1', 'a', 'b'],
    ['SMISMEMBER', 's1'],
    ['SMEMBERS'],
    ['SMEMBERS', 'a', 'b'],
    ['sadd', 'lower', 'A'],
    ['sMeMbErS', 'lower'],
    ['TYPE', 'lower'],
  ]);

  diffCases(env, 'encodings: intset / hashtable conversion points', () => [
    ['SADD', 'a', '1'],
    ['OBJECT', 'ENCODING', 'a'],
    ['SADD', 'b', 'x', '1'],
    ['OBJECT', 'ENCODING', 'b'],
    // non-canonical integers are strings
    ...['-0', '01', ' 1', '1 ', '+1', '1.0', '0x1', '9223372036854775808', '-9223372036854775809', ''].flatMap((m, i): CmdLike[] => [
      ['SADD', `n${i}`, m],
      ['OBJECT', 'ENCODING', `n${i}`],
    ]),
    ['SADD', 'a', '-9223372036854775808', '9223372036854775807'],
    ['OBJECT', 'ENCODING', 'a'],
    ['SADD', 'a', 'z'],
    ['OBJECT', 'ENCODING', 'a'],
    ['SREM', 'a', 'z'],
    ['OBJECT', 'ENCODING', 'a'],
    sorted('SMEMBERS', 'a'),
    // 512 entries stay an intset, the 513th converts
    ['SADD', 'c', ...ints(1, 511)],
    ['OBJECT', 'ENCODING', 'c'],
    ['SADD', 'c', '512'],
    ['OBJECT', 'ENCODING', 'c'],
    ['SMEMBERS', 'c'],
    ['SADD', 'c', '1'],
    ['OBJECT', 'ENCODING', 'c'],
    ['SADD', 'c', '513'],
    ['OBJECT', 'ENCODING', 'c'],
    ['SREM', 'c', '513', '512', '1'],
    ['OBJECT', 'ENCODING', 'c'],
    ['SCARD', 'c'],
    // one SADD going over the limit at once
    ['SADD', 'd', ...ints(-300, 300)],
    ['OBJECT', 'ENCODING', 'd'],
    ['SCARD', 'd'],
    // CONFIG SET changes later conversions (not existing sets)
    ['CONFIG', 'SET', 'set-max-intset-entries', '3'],
    ['SADD', 'e', '1', '2', '3'],
    ['OBJECT', 'ENCODING', 'e'],
    ['SADD', 'e', '4'],
    ['OBJECT', 'ENCODING', 'e'],
    ['SADD', 'f', '1', '2', '3', '4'],
    ['OBJECT', 'ENCODING', 'f'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '0'],
    ['SADD', 'g', '7'],
    ['OBJECT', 'ENCODING', 'g'],
    ['SMEMBERS', 'g'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
    ['SADD', 'g', '8'],
    ['OBJECT', 'ENCODING', 'g'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '1000'],
    ['SADD', 'h', ...ints(1, 1000)],
    ['OBJECT', 'ENCODING', 'h'],
    ['SADD', 'h', '1001'],
    ['OBJECT', 'ENCODING', 'h'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
  ]);

  diffCases(env, 'SMOVE', [
    ['SADD', 'a', '1', '2', '3'],
    ['SADD', 'b', 'x', 'y'],
    ['SMOVE', 'a', 'b', '1'],
    ['SMOVE', 'a', 'b', '1'],
    ['SMOVE', 'a', 'b', 'nope'],
    sorted('SMEMBERS', 'b'),
    ['SMEMBERS', 'a'],
    ['SMOVE', 'a', 'c', '2'],
    ['OBJECT', 'ENCODING', 'c'],
    ['SMEMBERS', 'c'],
    ['SMOVE', 'b', 'd', 'x'],
    ['OBJECT', 'ENCODING', 'd'],
    ['SMOVE', 'c', 'd', '2'],
    ['EXISTS', 'c'],
    sorted('SMEMBERS', 'd'),
    ['SMOVE', 'a', 'a', '3'],
    ['SMOVE', 'a', 'a', '4'],
    ['SMEMBERS', 'a'],
    ['SMOVE', 'a', 'e', '3'],
    ['EXISTS', 'a'],
    ['SMEMBERS', 'e'],
    ['SMOVE', 'nokey', 'e', '3'],
    ['SMOVE', 'nokey', WRONGTYPE_KEY, '3'],
    ['SET', WRONGTYPE_KEY, 'v'],
    ['SMOVE', 'nokey', WRONGTYPE_KEY, '3'],
    ['SMOVE', WRONGTYPE_KEY, 'e', '3'],
    ['SMOVE', 'e', WRONGTYPE_KEY, '3'],
    ['SMOVE', 'e', WRONGTYPE_KEY, 'notthere'],
    ['SMOVE', WRONGTYPE_KEY, WRONGTYPE_KEY, '3'],
    ['SMEMBERS', 'e'],
    // destination converts when the member is not an integer / over the limit
    ['SADD', 'i', '1', '2'],
    ['SADD', 'j', 'str', '5'],
    ['SMOVE', 'j', 'i', 'str'],
    ['OBJECT', 'ENCODING', 'i'],
    ['OBJECT', 'ENCODING', 'j'],
    ['SMEMBERS', 'j'],
    ['SADD', 'k', ...ints(1, 512)],
    ['SADD', 'l', '1000'],
    ['SMOVE', 'l', 'k', '1000'],
    ['OBJECT', 'ENCODING', 'k'],
    ['SCARD', 'k'],
    // TTL of the destination is kept
    ['SADD', 'ttl', '1'],
    ['EXPIRE', 'ttl', '1000'],
    ['SADD', 'src', '9'],
    ['SMOVE', 'src', 'ttl', '9'],
    { args: ['TTL', 'ttl'], normalize: (b) => (/^:\d+\r\n$/.test(b.toString()) && b.toString() !== ':-1\r\n' ? 'ttl' : b) },
    ['SMOVE', 'a'],
    ['SMOVE', 'a', 'b', 'c', 'd'],
  ]);

  diffCases(env, 'SPOP / SRANDMEMBER: errors, empty, shapes', [
    ['SADD', 's', '1', '2', '3'],
    ['SPOP', 's', '-1'],
    ['SPOP', 's', 'x'],
    ['SPOP', 's', '1.5'],
    ['SPOP', 's', '9223372036854775808'],
    ['SPOP', 's', '1', '2'],
    ['SRANDMEMBER', 's', 'x'],
    ['SRANDMEMBER', 's', '9223372036854775808'],
    ['SRANDMEMBER', 's', I64_MIN],
    ['SRANDMEMBER', 's', '1', '2'],
    ['SPOP', 'nokey'],
    ['SPOP', 'nokey', '0'],
    ['SPOP', 'nokey', '3'],
    ['SPOP', 'nokey', '-1'],
    ['SRANDMEMBER', 'nokey'],
    ['SRANDMEMBER', 'nokey', '0'],
    ['SRANDMEMBER', 'nokey', '5'],
    ['SRANDMEMBER', 'nokey', '-5'],
    ['SRANDMEMBER', 'nokey', 'x'],
    ['SPOP', 's', '0'],
    ['SRANDMEMBER', 's', '0'],
    ['SET', WRONGTYPE_KEY, 'v'],
    ['SPOP', WRONGTYPE_KEY],
    ['SPOP', WRONGTYPE_KEY, '1'],
    ['SPOP', WRONGTYPE_KEY, '-1'],
    ['SRANDMEMBER', WRONGTYPE_KEY],
    ['SRANDMEMBER', WRONGTYPE_KEY, '1'],
    ['SRANDMEMBER', WRONGTYPE_KEY, 'x'],
    { args: ['SRANDMEMBER', 's'], normalize: within(['1', '2', '3']) },
    { args: ['SRANDMEMBER', 's', '1'], normalize: within(['1', '2', '3']) },
    { args: ['SRANDMEMBER', 's', '2'], normalize: within(['1', '2', '3']) },
    { args: ['SRANDMEMBER', 's', '-1'], normalize: within(['1', '2', '3']) },
    { args: ['SRANDMEMBER', 's', '-10'], normalize: within(['1', '2', '3']) },
    ['SRANDMEMBER', 's', '3'],
    ['SRANDMEMBER', 's', '100'],
    ['SRANDMEMBER', 's', I64_MAX],
    ['SADD', 'h', 'a', 'b', 'c', 'd'],
    sorted('SRANDMEMBER', 'h', '4'),
    sorted('SRANDMEMBER', 'h', '50'),
    { args: ['SRANDMEMBER', 'h', '3'], normalize: within(['a', 'b', 'c', 'd']) },
    { args: ['SRANDMEMBER', 'h', '-7'], normalize: within(['a', 'b', 'c', 'd']) },
    { args: ['SRANDMEMBER', 'h'], normalize: within(['a', 'b', 'c', 'd']) },
    { args: ['SPOP', 'h'], normalize: within(['a', 'b', 'c', 'd']) },
    ['SCARD', 'h'],
    { args: ['SPOP', 'h', '2'], normalize: within(['a', 'b', 'c', 'd']) },
    ['SCARD', 'h'],
    { args: ['SPOP', 'h', '5'], normalize: within(['a', 'b', 'c', 'd']) },
    ['EXISTS', 'h'],
    // popping everything: the whole set, as SUNION would reply it (intset: ascending)
    ['SPOP', 's', '3'],
    ['EXISTS', 's'],
    ['SADD', 's', '10', '-5', '7'],
    ['SPOP', 's', '1000'],
    ['SADD', 's', '42'],
    ['SPOP', 's'],
    ['EXISTS', 's'],
    ['SADD', 's', 'only'],
    ['SPOP', 's', '1'],
    ['EXISTS', 's'],
    ['SPOP'],
    ['SRANDMEMBER'],
  ]);

  diffCases(env, 'SPOP / SRANDMEMBER: every strategy, membership and resulting encoding', () => {
    const big = ints(1, 600);
    const small = ints(-20, 20);
    const words = Array.from({ length: 50 }, (_, i) => `w${i}`);
    const cmds: CmdLike[] = [];
    // SRANDMEMBER on an intset and a hashtable, counts hitting each of Redis's cases
    cmds.push(['SADD', 'i', ...small], ['SADD', 'w', ...words], ['SADD', 'big', ...big]);
    for (const [k, pool] of [
      ['i', small],
      ['w', words],
      ['big', big],
    ] as const) {
      for (const n of ['1', '2', '5', '13', '14', '20', '30', '40', '41', '-1', '-3', '-100', '200']) {
        cmds.push({ args: ['SRANDMEMBER', k, n], normalize: within(pool) });
      }
      cmds.push(sorted('SRANDMEMBER', k, String(pool.length)));
    }
    // SRANDMEMBER returns distinct members for positive counts
    cmds.push({
      args: ['SRANDMEMBER', 'w', '30'],
      normalize: (b) => {
        const n = parse(b)!;
        return `${n.type}${new Set(n.items!.map((x) => x.data!.toString())).size}`;
      },
    });
    // SPOP few of many (pops one by one: the encoding stays)
    cmds.push({ args: ['SPOP', 'big', '10'], normalize: within(big) }, ['SCARD', 'big'], ['OBJECT', 'ENCODING', 'big']);
    // SPOP most (the remaining members move to a new set: an intset again when they fit)
    cmds.push({ args: ['SPOP', 'big', '500'], normalize: within(big) }, ['SCARD', 'big'], ['OBJECT', 'ENCODING', 'big']);
    cmds.push({ args: ['SMEMBERS', 'big'], normalize: within(big) });
    cmds.push({ args: ['SPOP', 'i', '35'], normalize: within(small) }, ['SCARD', 'i'], ['OBJECT', 'ENCODING', 'i']);
    cmds.push({ args: ['SPOP', 'w', '45'], normalize: within(words) }, ['SCARD', 'w'], ['OBJECT', 'ENCODING', 'w']);
    cmds.push({ args: ['SPOP', 'w', '4'], normalize: within(words) }, ['SCARD', 'w']);
    cmds.push({ args: ['SPOP', 'w'], normalize: within(words) }, ['EXISTS', 'w']);
    // hashtable of integers over the limit, popped down to fewer: encoding follows the strategy
    cmds.push(['SADD', 'hi', ...ints(1, 1000)], { args: ['SPOP', 'hi', '400'], normalize: shape }, ['OBJECT', 'ENCODING', 'hi'], ['SCARD', 'hi']);
    cmds.push(['SADD', 'hj', ...ints(1, 1000)], { args: ['SPOP', 'hj', '900'], normalize: shape }, ['OBJECT', 'ENCODING', 'hj'], ['SCARD', 'hj']);
    cmds.push(['SADD', 'hk', ...ints(1, 3000)], { args: ['SPOP', 'hk', '2500'], normalize: shape }, ['OBJECT', 'ENCODING', 'hk'], ['SCARD', 'hk']);
    // a TTL survives SPOP
    cmds.push(['SADD', 't', ...ints(1, 100)], ['EXPIRE', 't', '5000'], { args: ['SPOP', 't', '90'], normalize: shape });
    cmds.push({ args: ['TTL', 't'], normalize: (b) => (b.toString().startsWith(':-') ? b : 'ttl') });
    // the whole of a hashtable made of integers: popped as an intset would be (ascending)
    cmds.push(['SADD', 'hx', ...ints(1, 520)], ['SREM', 'hx', ...ints(1, 515)], ['OBJECT', 'ENCODING', 'hx'], ['SPOP', 'hx', '5']);
    cmds.push(['SADD', 'hy', ...ints(1, 520)], ['SREM', 'hy', ...ints(1, 515)], ['SRANDMEMBER', 'hy', '0'], sorted('SRANDMEMBER', 'hy', '10'));
    return cmds;
  });

  diffCases(env, 'SINTER / SINTERCARD / SINTERSTORE (keys on different shards)', [
    ['SADD', 'a', '1', '2', '3', '4', '5', '6'],
    ['SADD', 'b', '2', '4', '6', '8'],
    ['SADD', 'c', '4', '6', 'x', 'y'],
    ['SADD', 'd', 'x', 'y', 'z'],
    ['SINTER', 'a', 'b'],
    ['SINTER', 'b', 'a'],
    sorted('SINTER', 'a', 'c'),
    sorted('SINTER', 'a', 'b', 'c'),
    sorted('SINTER', 'c', 'd'),
    ['SINTER', 'a', 'd'],
    ['SINTER', 'a'],
    ['SINTER', 'a', 'a'],
    sorted('SINTER', 'd', 'd'),
    ['SINTER', 'a', 'nokey'],
    ['SINTER', 'nokey', 'a'],
    ['SINTER', 'nokey'],
    ['SINTERCARD', '1', 'a'],
    ['SINTERCARD', '2', 'a', 'b'],
    ['SINTERCARD', '3', 'a', 'b', 'c'],
    ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '0'],
    ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'],
    ['SINTERCARD', '2', 'a', 'b', 'limit', '2'],
    ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '100'],
    ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '5', 'LIMIT', '1'],
    ['SINTERCARD', '2', 'a', 'nokey'],
    ['SINTERCARD', '2', 'c', 'd'],
    ['SINTERCARD', '0', 'a'],
    ['SINTERCARD', '-1', 'a'],
    ['SINTERCARD', 'x', 'a'],
    ['SINTERCARD', '9223372036854775808', 'a'],
    ['SINTERCARD', '3', 'a', 'b'],
    ['SINTERCARD', '1', 'a', 'b'],
    ['SINTERCARD', '1', 'a', 'LIMIT'],
    ['SINTERCARD', '1', 'a', 'LIMIT', '-1'],
    ['SINTERCARD', '1', 'a', 'LIMIT', 'x'],
    ['SINTERCARD', '1', 'a', 'FOO', '1'],
    ['SINTERCARD', '1'],
    ['SINTERSTORE', 'dst', 'a', 'b'],
    ['OBJECT', 'ENCODING', 'dst'],
    ['SMEMBERS', 'dst'],
    ['SINTERSTORE', 'dst', 'c', 'd'],
    ['OBJECT', 'ENCODING', 'dst'],
    sorted('SMEMBERS', 'dst'),
    ['SINTERSTORE', 'dst', 'a', 'c'],
    ['OBJECT', 'ENCODING', 'dst'],
    ['SINTERSTORE', 'dst', 'a', 'd'],
    ['EXISTS', 'dst'],
    ['SADD', 'dst', '1'],
    ['SINTERSTORE', 'dst', 'a', 'nokey'],
    ['EXISTS', 'dst'],
    ['SINTERSTORE', 'a', 'a', 'b'],
    ['SMEMBERS', 'a'],
    ['SINTERSTORE', 'b', 'b'],
    ['SMEMBERS', 'b'],
    // overwrites another type, drops the TTL
    ['SET', 'dst', 'string'],
    ['EXPIRE', 'dst', '1000'],
    ['SINTERSTORE', 'dst', 'a', 'b'],
    ['TYPE', 'dst'],
    ['TTL', 'dst'],
    // WRONGTYPE even after a missing key
    ['SET', WRONGTYPE_KEY, 'v'],
    ['SINTER', 'a', WRONGTYPE_KEY],
    ['SINTER', 'nokey', WRONGTYPE_KEY],
    ['SINTER', WRONGTYPE_KEY, 'nokey'],
    ['SINTERCARD', '2', 'nokey', WRONGTYPE_KEY],
    ['SINTERCARD', '1', WRONGTYPE_KEY, 'LIMIT', '-1'],
    ['SINTERSTORE', 'dst', 'nokey', WRONGTYPE_KEY],
    ['SINTERSTORE', WRONGTYPE_KEY, 'a', 'b'],
    ['TYPE', WRONGTYPE_KEY],
    ['SINTER'],
    ['SINTERSTORE', 'dst'],
  ]);

  diffCases(env, 'SUNION / SDIFF (+STORE), encodings of the results', [
    ['SADD', 'a', '1', '2', '3', '4', '5', '6'],
    ['SADD', 'b', '2', '4', '6', '8', '-1'],
    ['SADD', 'c', '4', '6', 'x', 'y'],
    ['SADD', 'd', 'x', 'y', 'z'],
    // integer results come out ascending (Redis builds them in an intset)
    ['SUNION', 'a', 'b'],
    ['SUNION', 'b', 'a', 'nokey'],
    ['SUNION', 'a'],
    sorted('SUNION', 'a', 'c'),
    sorted('SUNION', 'c', 'd', 'a', 'b'),
    ['SUNION', 'nokey'],
    ['SUNION', 'nokey', 'nokey2'],
    ['SDIFF', 'a', 'b'],
    ['SDIFF', 'b', 'a'],
    ['SDIFF', 'a', 'c'],
    sorted('SDIFF', 'c', 'a'),
    sorted('SDIFF', 'c', 'nokey'),
    ['SDIFF', 'c', 'd'],
    ['SDIFF', 'c', 'd', 'a'],
    sorted('SDIFF', 'd', 'c'),
    ['SDIFF', 'a', 'a'],
    ['SDIFF', 'a', 'b', 'a'],
    ['SDIFF', 'nokey', 'a'],
    ['SDIFF', 'a', 'nokey', 'b'],
    ['SDIFF', 'a'],
    ['SUNIONSTORE', 'dst', 'a', 'b'],
    ['OBJECT', 'ENCODING', 'dst'],
    ['SMEMBERS', 'dst'],
    ['SUNIONSTORE', 'dst', 'a', 'c'],
    ['OBJECT', 'ENCODING', 'dst'],
    ['SUNIONSTORE', 'dst', 'nokey'],
    ['EXISTS', 'dst'],
    ['SDIFFSTORE', 'dst', 'c', 'd'],
    ['OBJECT', 'ENCODING', 'dst'],
    ['SMEMBERS', 'dst'],
    ['SDIFFSTORE', 'dst', 'd', 'c'],
    ['OBJECT', 'ENCODING', 'dst'],
    ['SDIFFSTORE', 'dst', 'a', 'a'],
    ['EXISTS', 'dst'],
    ['SDIFFSTORE', 'a', 'a', 'b'],
    ['SMEMBERS', 'a'],
    ['SUNIONSTORE', 'b', 'b', 'd'],
    sorted('SMEMBERS', 'b'),
    ['SET', WRONGTYPE_KEY, 'v'],
    ['SUNION', 'a', WRONGTYPE_KEY],
    ['SUNION', 'nokey', WRONGTYPE_KEY],
    ['SDIFF', 'nokey', WRONGTYPE_KEY],
    ['SDIFF', WRONGTYPE_KEY, 'a'],
    ['SUNIONSTORE', 'dst', WRONGTYPE_KEY],
    ['SDIFFSTORE', 'dst', 'a', WRONGTYPE_KEY],
    ['SUNIONSTORE', WRONGTYPE_KEY, 'a'],
    ['TYPE', WRONGTYPE_KEY],
    ['SDIFFSTORE', WRONGTYPE_KEY, 'nokey'],
    ['EXISTS', WRONGTYPE_KEY],
    ['SUNION'],
    ['SDIFF'],
    ['SUNIONSTORE', 'x'],
    ['SDIFFSTORE', 'x'],
  ]);

  diffCases(env, 'SDIFF algorithms and result encodings at the intset limit', () => {
    const cmds: CmdLike[] = [
      ['SADD', 'big', ...ints(1, 600)], // hashtable of integers
      ['SADD', 'most', ...ints(1, 590)],
      ['SADD', 'few', '1', '2', '3'],
      ['SADD', 'mix', 'a', ...ints(1, 10)],
    ];
    for (const [cmd, srcs] of [
      ['SDIFF', ['big', 'most']], // algorithm 2: the temp set holds 600 first -> hashtable
      ['SDIFF', ['big', 'few']], // algorithm 1: 597 -> hashtable
      ['SDIFF', ['big', 'most', 'few']],
      ['SDIFF', ['most', 'big']],
      ['SDIFF', ['big', 'nokey', 'most']],
      ['SDIFF', ['few', 'big']],
      ['SDIFF', ['mix', 'few']],
      ['SDIFF', ['mix', 'a']],
      ['SDIFF', ['big', 'most', 'most', 'most']],
      ['SUNION', ['few', 'most']],
      ['SUNION', ['big', 'few']],
      ['SINTER', ['big', 'most']],
      ['SINTER', ['big', 'few']],
    ] as const) {
      cmds.push(sorted(cmd, ...srcs));
      cmds.push([`${cmd}STORE`, 'dst', ...srcs], ['OBJECT', 'ENCODING', 'dst'], sorted('SMEMBERS', 'dst'));
    }
    // results that are intsets are compared byte for byte
    cmds.push(['SDIFFSTORE', 'r', 'few', 'big'], ['EXISTS', 'r']);
    cmds.push(['SADD', 'p', ...ints(1, 500)], ['SADD', 'q', ...ints(490, 520)]);
    cmds.push(['SDIFF', 'p', 'q'], ['SUNION', 'q', 'few'], ['SINTER', 'p', 'q'], ['SINTER', 'q', 'p']);
    cmds.push(['CONFIG', 'SET', 'set-max-intset-entries', '5']);
    cmds.push(['SUNIONSTORE', 'u', 'few', 'q'], ['OBJECT', 'ENCODING', 'u']);
    cmds.push(['SINTERSTORE', 'u', 'p', 'q'], ['OBJECT', 'ENCODING', 'u']);
    cmds.push(['SINTERSTORE', 'u', 'p', 'few'], ['OBJECT', 'ENCODING', 'u'], ['SMEMBERS', 'u']);
    cmds.push(['CONFIG', 'SET', 'set-max-intset-entries', '512']);
    return cmds;
  });

  diffCases(env, 'SSCAN: intset (everything, cursor 0), options and errors', [
    ['SADD', 's', ...ints(-50, 50, 7), I64_MAX, I64_MIN],
    ['SSCAN', 's', '0'],
    ['SSCAN', 's', '123'],
    ['SSCAN', 's', '-1'],
    ['SSCAN', 's', '0', 'COUNT', '1'],
    ['SSCAN', 's', '0', 'MATCH', '*2*'],
    ['SSCAN', 's', '0', 'match', '-*', 'count', '2'],
    ['SSCAN', 's', '0', 'MATCH', '*'],
    ['SSCAN', 's', '0', 'MATCH', 'nomatch'],
    ['SSCAN', 's', '0', 'COUNT', '1', 'COUNT', '100'],
    ['SSCAN', 's', '0', 'COUNT', '0'],
    ['SSCAN', 's', '0', 'COUNT', '-1'],
    ['SSCAN', 's', '0', 'COUNT', 'x'],
    ['SSCAN', 's', '0', 'COUNT'],
    ['SSCAN', 's', '0', 'MATCH'],
    ['SSCAN', 's', '0', 'TYPE', 'set'],
    ['SSCAN', 's', '0', 'FOO'],
    ['SSCAN', 's', 'x'],
    ['SSCAN', 's', ' 1'],
    ['SSCAN', 's', '18446744073709551615'],
    ['SSCAN', 's', '18446744073709551616'],
    ['SSCAN', 'nokey', '0'],
    ['SSCAN', 'nokey', '0', 'COUNT', '0'],
    ['SSCAN', 'nokey', 'x'],
    ['SET', WRONGTYPE_KEY, 'v'],
    ['SSCAN', WRONGTYPE_KEY, '0'],
    ['SSCAN', WRONGTYPE_KEY, 'x'],
    ['SSCAN', 's'],
    // a small hashtable in one call when COUNT covers it
    ['SADD', 'h', 'a', 'b', 'c', 'ab', 'ba'],
    { args: ['SSCAN', 'h', '0', 'COUNT', '1000'], normalize: scanSorted },
    { args: ['SSCAN', 'h', '0', 'COUNT', '1000', 'MATCH', 'a*'], normalize: scanSorted },
    ['SSCAN', 'h', '0', 'COUNT', '0'],
  ]);

  for (const resp3 of [false, true]) {
    it(`SSCAN over hashtables returns every member [RESP${resp3 ? 3 : 2}]`, async () => {
      const d: DiffSession = await env.open(resp3);
      const members = Array.from({ length: 3000 }, (_, i) => `m:${i}`);
      await d.check(['SADD', 'h', ...members]);
      for (const extra of [[], ['COUNT', '7'], ['COUNT', '100', 'MATCH', 'm:1*']] as Arg[][]) {
        const [a, b] = await Promise.all([
          scanAll((...x) => d.sabre.call(...x), 'h', extra),
          scanAll((...x) => d.redis.call(...x), 'h', extra),
        ]);
        expect(a).toEqual(b);
      }
      // members present for the whole scan are returned even when the set shrinks and grows meanwhile
      let cursor = '0';
      const seen = new Set<string>();
      let step = 0;
      do {
        const r = parse(await d.sabre.call('SSCAN', 'h', cursor, 'COUNT', '50'))!;
        cursor = r.items![0]!.data!.toString();
        for (const m of r.items![1]!.items!) seen.add(m.data!.toString());
        step++;
        if (step === 5) await d.check(['SREM', 'h', ...members.slice(1000, 2900)]);
        if (step === 10) await d.check(['SADD', 'h', ...Array.from({ length: 5000 }, (_, i) => `n:${i}`)]);
      } while (cursor !== '0');
      for (const m of [...members.slice(0, 1000), ...members.slice(2900)]) expect(seen.has(m)).toBe(true);
    });
  }

  diffCases(env, 'large sets across shards', () => {
    const r = new Rng(99);
    const mk = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));
    const A = mk(3000, (i) => `e${i * 2}`);
    const B = mk(3000, (i) => `e${i * 3}`);
    const C = mk(2000, (i) => String(r.int(0, 5000)));
    return [
      ['SADD', 'a', ...A],
      ['SADD', 'b', ...B],
      ['SADD', 'c', ...C],
      ['SCARD', 'c'],
      ['OBJECT', 'ENCODING', 'c'],
      ['SINTERCARD', '2', 'a', 'b'],
      ['SINTERCARD', '3', 'a', 'b', 'c', 'LIMIT', '10'],
      sorted('SINTER', 'a', 'b'),
      sorted('SUNION', 'a', 'b', 'c'),
      sorted('SDIFF', 'a', 'b'),
      sorted('SDIFF', 'c', 'a'),
      ['SUNIONSTORE', 'u', 'a', 'b', 'c'],
      ['SDIFFSTORE', 'v', 'u', 'c'],
      ['SINTERSTORE', 'w', 'v', 'a'],
      ['SCARD', 'u'],
      ['SCARD', 'v'],
      ['SCARD', 'w'],
      sorted('SMEMBERS', 'w'),
      ['SREM', 'a', ...A.slice(0, 2999)],
      ['SMEMBERS', 'a'],
      ['SMOVE', 'a', 'b', A[2999]!],
      ['EXISTS', 'a'],
      ['SCARD', 'b'],
      ['DEL', 'b', 'c', 'u'],
      ['EXISTS', 'b', 'c', 'u'],
    ];
  });

  diffCases(env, 'set keys with generic commands (COPY, RENAME, MOVE, DEL, TYPE)', [
    ['SADD', 'a', '1', '2', '3'],
    ['SADD', 'b', 'x', 'y'],
    ['COPY', 'a', 'a2'],
    ['COPY', 'b', 'b2'],
    ['SMEMBERS', 'a2'],
    ['OBJECT', 'ENCODING', 'a2'],
    sorted('SMEMBERS', 'b2'),
    ['OBJECT', 'ENCODING', 'b2'],
    ['SADD', 'a2', '4'],
    ['SMEMBERS', 'a'],
    ['RENAME', 'b', 'c'],
    sorted('SMEMBERS', 'c'),
    ['EXISTS', 'b'],
    ['MOVE', 'c', '1'],
    ['SELECT', '1'],
    sorted('SMEMBERS', 'c'),
    ['SELECT', '0'],
    ['TYPE', 'a'],
    ['DEL', 'a', 'a2', 'b2'],
    ['EXISTS', 'a', 'a2', 'b2'],
    ['SADD', 'e', '1'],
    ['PEXPIREAT', 'e', '1'],
    ['SCARD', 'e'],
    ['SMEMBERS', 'e'],
    ['SADD', 'e', 'new'],
    ['SMEMBERS', 'e'],
  ]);

  it('expired set keys vanish for every set command', async () => {
    const d = await env.open();
    await d.run([
      ['SADD', 'e1', '1', '2'],
      ['SADD', 'e2', 'a', 'b'],
      ['SADD', 'live', '1', 'a'],
      ['PEXPIRE', 'e1', '30'],
      ['PEXPIRE', 'e2', '30'],
    ]);
    await new Promise((r) => setTimeout(r, 80));
    await d.run([
      ['SISMEMBER', 'e1', '1'],
      ['SINTER', 'live', 'e2'],
      ['SUNION', 'e1', 'e2'],
      ['SMOVE', 'e2', 'live', 'a'],
      ['SMOVE', 'live', 'e1', '1'],
      ['SMEMBERS', 'e1'],
      ['TTL', 'e1'],
      ['EXISTS', 'e2'],
      ['SADD', 'e2', 'z'],
      ['TTL', 'e2'],
    ]);
  });

  it('1M members live in the arena: the worker heap stays flat (sabre only)', { timeout: 180_000 }, async () => {
    if (env.shards < 1) return; // the field sums worker threads
    const c = await RawClient.connect(env.pair().sabre.port);
    c.timeoutMs = 120_000;
    const heap = async (): Promise<number> => {
      const text = parse(await c.call('INFO', 'memory'))!.data!.toString();
      return Number(/^sabre_worker_heap_used_bytes:(\d+)\r?$/m.exec(text)![1]);
    };
    try {
      await c.call('FLUSHALL');
      const before = await heap();
      const TOTAL = 1_000_000;
      for (let base = 0; base < TOTAL; base += 100_000) {
        const cmds = Array.from({ length: 100 }, (_, j) => ['SADD', 'big', ...Array.from({ length: 1000 }, (_, i) => `member:${base + j * 1000 + i}`)]);
        await c.pipeline(cmds, 120_000);
      }
      expect((await c.call('SCARD', 'big')).toString()).toBe(`:${TOTAL}\r\n`);
      // exercise the multi-key paths on the big set too (the second set is on the other shard)
      await c.call('SADD', 'a', 'member:1', 'member:999999', 'zzz');
      expect((await c.call('SINTERCARD', '2', 'big', 'a')).toString()).toBe(':2\r\n');
      expect((await c.call('SDIFFSTORE', 'd', 'a', 'big')).toString()).toBe(':1\r\n');
      expect((await c.call('SUNIONSTORE', 'u', 'big', 'a')).toString()).toBe(`:${TOTAL + 1}\r\n`);
      // heapUsed includes uncollected young-generation garbage of two workers
      // (several MB each); anything kept per member would be >= 16 bytes x 1M
      // per JS object plus its pointers, far above this bound.
      const LIMIT = 24 * 1024 * 1024;
      let after = Infinity;
      for (let i = 0; i < 8; i++) {
        after = Math.min(after, await heap());
        if (after - before < LIMIT) break;
        await c.pipeline(Array.from({ length: 2000 }, () => ['SISMEMBER', 'big', 'member:5']));
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(after - before).toBeLessThan(LIMIT);
    } finally {
      c.close();
    }
  });

  // ---- seeded random command streams ----
  const SEEDS = process.env.SABRE_TEST_SEEDS ? process.env.SABRE_TEST_SEEDS.split(',').map(Number) : [1, 2, 3];
  const COUNT = Number(process.env.SABRE_TEST_STREAM_LEN ?? 2500);
  for (const seed of SEEDS) {
    for (const resp3 of [false, true]) {
      it(`random set stream seed=${seed} RESP${resp3 ? 3 : 2}`, async () => {
        const d = await env.open(resp3, `sets random seed=${seed} RESP${resp3 ? 3 : 2} shards=${env.shards}`);
        await d.run(setStream(seed * 2 + (resp3 ? 1 : 0), COUNT), {
          batch: 100,
          stopOnFirst: true,
          context: () => `(seed=${seed}; reproduce: SABRE_TEST_SEEDS=${seed} npx vitest run test/differential/set.test.ts)`,
        });
        const keys = Array.from({ length: 8 }, (_, i) => `s${i}`);
        await d.run(
          keys.flatMap((k): CmdLike[] => [sorted('SMEMBERS', k), ['OBJECT', 'ENCODING', k], ['TYPE', k]]),
          { stopOnFirst: true },
        );
        await d.check(['CONFIG', 'SET', 'set-max-intset-entries', '512']);
      });
    }
  }
});

function setStream(seed: number, count: number): CmdLike[] {
  const r = new Rng(seed);
  const keys = Array.from({ length: 8 }, (_, i) => `s${i}`);
  const key = (): string => (r.chance(0.03) ? WRONGTYPE_KEY : r.chance(0.03) ? 'missing' : r.pick(keys));
  const member = (): Arg =>
    r.pick<() => Arg>([
      () => String(r.int(-10, 30)),
      () => String(r.int(-10, 30)),
      () => String(r.int(-100000, 100000)),
      () => r.pick([I64_MAX, I64_MIN, '2147483648', '-2147483649', '32768', '-32769']),
      () => r.pick(['-0', '01', '+1', ' 1', '1.5', '9223372036854775808']),
      () => r.pick(['a', 'b', 'c', 'hello', '', 'x'.repeat(70)]),
      () => BIN,
    ])();
  const members = (): Arg[] => Array.from({ length: r.int(1, 6) }, member);
  const someKeys = (): string[] => Array.from({ length: r.int(1, 4) }, key);
  const cmds: CmdLike[] = [['SET', WRONGTYPE_KEY, 'v']];
  const gens: Array<[number, () => CmdLike | CmdLike[]]> = [
    [10, () => ['SADD', key(), ...members()]],
    [2, () => ['SADD', key(), ...Array.from({ length: r.int(5, 40) }, () => String(r.int(0, 60)))]],
    [5, () => ['SREM', key(), ...members()]],
    [3, () => ['SISMEMBER', key(), member()]],
    [2, () => ['SMISMEMBER', key(), ...members()]],
    [3, () => ['SCARD', key()]],
    [3, () => [sorted('SMEMBERS', key()), ['OBJECT', 'ENCODING', r.pick(keys)]]],
    [2, () => ['SMOVE', key(), key(), member()]],
    [2, () => sorted('SINTER', ...someKeys())],
    [1, () => ['SINTERCARD', '2', key(), key(), ...(r.chance(0.5) ? ['LIMIT', String(r.int(0, 5))] : [])]],
    [2, () => sorted('SUNION', ...someKeys())],
    [2, () => sorted('SDIFF', ...someKeys())],
    [1, () => [[r.pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), key(), ...someKeys()], ['OBJECT', 'ENCODING', r.pick(keys)]]],
    [1, () => sorted('SPOP', key(), String(r.int(1000, 2000)))],
    [
      1,
      () => {
        const k = r.pick(keys);
        return [{ args: ['SPOP', k, String(r.int(1, 5))], normalize: shape }, ['DEL', k]];
      },
    ],
    [
      1,
      () => {
        const k = r.pick(keys);
        return [{ args: ['SPOP', k], normalize: shape }, ['DEL', k]];
      },
    ],
    [2, () => ({ args: ['SRANDMEMBER', key(), r.pick(['-5', '-1', '1', '2', '3'])], normalize: shape })],
    [1, () => ({ args: ['SRANDMEMBER', key()], normalize: shape })],
    [1, () => sorted('SRANDMEMBER', key(), '500')],
    [1, () => ({ args: ['SSCAN', key(), '0', 'COUNT', '1000', ...(r.chance(0.3) ? ['MATCH', '*1*'] : [])], normalize: scanSorted })],
    [0.3, () => ['CONFIG', 'SET', 'set-max-intset-entries', r.pick(['4', '16', '512'])]],
    [0.5, () => ['DEL', key()]],
    [0.3, () => ['EXPIRE', key(), '10000']],
    [0.5, () => ['TYPE', key()]],
  ];
  const total = gens.reduce((s, g) => s + g[0], 0);
  while (cmds.length < count) {
    let x = r.next() * total;
    for (const [w, g] of gens) {
      x -= w;
      if (x <= 0) {
        const c = g();
        if (Array.isArray(c) && c.length > 0 && typeof c[0] === 'object' && !Buffer.isBuffer(c[0])) cmds.push(...(c as CmdLike[]));
        else cmds.push(c as CmdLike);
        break;
      }
    }
  }
  return cmds;
}
