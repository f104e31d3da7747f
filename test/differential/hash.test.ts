// Hash commands: same commands to Sabre and redis-server, raw reply bytes must be equal.
// Listpack-encoded hashes keep insertion order in both servers, so their HGETALL/HKEYS/
// HVALS/HSCAN replies compare byte for byte; hashtable-encoded ones are compared after
// sorting (dict order depends on the hash function). Random commands (HRANDFIELD) are
// compared by shape and membership.
import { expect, it } from 'vitest';
import { describeDifferential, diffCases, type CmdLike, type Normalizer } from '../helpers/diff';
import { Rng } from '../helpers/gen';
import { escapeBytes, parseReply, serializeReply, type RawClient, type RespNode } from '../helpers/raw';

const I64_MAX = '9223372036854775807';
const I64_MIN = '-9223372036854775808';
const BIN = Buffer.from([0, 1, 2, 0xff, 0xfe, 13, 10, 0x80, 0x7f, 0]);
// 128 rather than the built-in 512: the cases below are sized around it, to
// cover both encodings (both servers get the same setting)
const DEFAULTS: CmdLike[] = [
  ['CONFIG', 'SET', 'hash-max-listpack-entries', '128'],
  ['CONFIG', 'SET', 'hash-max-listpack-value', '64'],
];

function parse(b: Buffer): RespNode | null {
  try {
    return parseReply(b).node;
  } catch {
    return null;
  }
}

const ser = (n: RespNode): string => serializeReply(n).toString('latin1');

/** Sort (field, value) pairs of a flat array / RESP3 map, or plain elements when single. */
function sortNode(n: RespNode, pairs: boolean): void {
  if (!n.items) return;
  if (!pairs) {
    n.items.sort((x, y) => (ser(x) < ser(y) ? -1 : ser(x) > ser(y) ? 1 : 0));
    return;
  }
  const ps: RespNode[][] = [];
  for (let i = 0; i + 1 < n.items.length; i += 2) ps.push([n.items[i]!, n.items[i + 1]!]);
  ps.sort((x, y) => {
    const a = ser(x[0]!) + ser(x[1]!);
    const b = ser(y[0]!) + ser(y[1]!);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  n.items = ps.flat();
}

/** HGETALL-like reply with pairs sorted. */
const sortPairs: Normalizer = (b) => {
  const n = parse(b);
  if (!n || !n.items) return b;
  sortNode(n, true);
  return serializeReply(n);
};

/** HKEYS/HVALS-like reply sorted. */
const sortElems: Normalizer = (b) => {
  const n = parse(b);
  if (!n || !n.items) return b;
  sortNode(n, false);
  return serializeReply(n);
};

/** HSCAN reply: keep the cursor, sort the pairs. */
const sortScan: Normalizer = (b) => {
  const n = parse(b);
  if (!n || !n.items || n.items.length !== 2) return b;
  sortNode(n.items[1]!, true);
  return serializeReply(n);
};

/**
 * HRANDFIELD with a count: reduce the reply to its shape and check every
 * element against the hash content. distinct: no repeated field allowed.
 */
function randCheck(hash: Map<string, string>, distinct: boolean): Normalizer {
  return (b, args) => {
    const n = parse(b);
    if (!n) return b;
    if (!n.items) return b; // errors, null
    const withValues = args.length > 3;
    const seen = new Set<string>();
    const fields: string[] = [];
    const bad: string[] = [];
    const check = (f: RespNode, v: RespNode | null): void => {
      const fs = f.data?.toString('latin1') ?? '<null>';
      fields.push(fs);
      if (!hash.has(fs)) bad.push(`unknown field ${fs}`);
      if (v && hash.get(fs) !== v.data?.toString('latin1')) bad.push(`bad value for ${fs}`);
      if (distinct && seen.has(fs)) bad.push(`repeated ${fs}`);
      seen.add(fs);
    };
    let shape = `${n.type}${n.items.length}`;
    if (withValues && n.items.length > 0 && n.items[0]!.type === '*') {
      shape += ':pairs';
      for (const p of n.items) {
        if (p.type !== '*' || p.items?.length !== 2) bad.push('bad pair');
        else check(p.items[0]!, p.items[1]!);
      }
    } else if (withValues) {
      for (let i = 0; i + 1 < n.items.length; i += 2) check(n.items[i]!, n.items[i + 1]!);
    } else for (const f of n.items) check(f, null);
    return `${shape} ${bad.join(',')}`;
  };
}

/** HRANDFIELD without a count: the field must belong to the hash. */
function randOne(hash: Map<string, string>): Normalizer {
  return (b) => {
    const n = parse(b);
    if (!n || n.type !== '$' || n.data === null) return b;
    return hash.has(n.data.toString('latin1')) ? '$member' : `$unknown ${n.data.toString('latin1')}`;
  };
}

/** Full HSCAN iteration on one connection: sorted "field=value" list and whether a field repeated. */
async function hscanAll(c: RawClient, key: string, extra: string[]): Promise<string[]> {
  const out = new Map<string, string>();
  let cursor = '0';
  let calls = 0;
  do {
    const raw = await c.call('HSCAN', key, cursor, ...extra);
    const { node } = parseReply(raw);
    if (node.type !== '*' || !node.items || node.items.length !== 2) {
      throw new Error(`HSCAN ${cursor}: unexpected reply ${escapeBytes(raw)}`);
    }
    cursor = node.items[0]!.data!.toString();
    const els = node.items[1]!.items!;
    for (let i = 0; i < els.length; i += 2) out.set(els[i]!.data!.toString('latin1'), els[i + 1]!.data!.toString('latin1'));
    if (++calls > 100000) throw new Error('HSCAN does not terminate');
  } while (cursor !== '0');
  return [...out.entries()].map(([f, v]) => `${f}=${v}`).sort();
}

const fields = (n: number, prefix = 'f', val = (i: number): string => `v${i}`): string[] =>
  Array.from({ length: n }, (_, i) => [`${prefix}${i}`, val(i)]).flat();

describeDifferential('differential: hashes', (env) => {
  diffCases(env, 'HSET / HGET / HMGET / HGETALL (listpack order)', [
    ...DEFAULTS,
    ['HSET', 'h', 'a', '1'],
    ['HSET', 'h', 'b', '2', 'c', '3', 'a', '10'],
    ['HGET', 'h', 'a'],
    ['HGET', 'h', 'zz'],
    ['HGET', 'nokey', 'a'],
    ['HMGET', 'h', 'a', 'zz', 'c', 'a'],
    ['HMGET', 'nokey', 'a', 'b'],
    ['HGETALL', 'h'],
    ['HKEYS', 'h'],
    ['HVALS', 'h'],
    ['HGETALL', 'nokey'],
    ['HKEYS', 'nokey'],
    ['HVALS', 'nokey'],
    ['HLEN', 'h'],
    ['HLEN', 'nokey'],
    ['HMSET', 'h', 'd', '4', 'e', '5'],
    ['HMSET', 'h2', 'x', 'y'],
    ['HGETALL', 'h'],
    ['HGETALL', 'h2'],
    ['HSET', 'n', '0', '0', '-0', '-0', '01', '01', '-1', '-1', '127', '128', '-4096', '4095', '32767', '-32768'],
    ['HSET', 'n', '2147483647', '2147483648', I64_MAX, I64_MIN, '9007199254740993', '1.5', '', '', ' 1', '1 '],
    ['HGETALL', 'n'],
    ['HGET', 'n', '0'],
    ['HGET', 'n', '-0'],
    ['HGET', 'n', '01'],
    ['HGET', 'n', I64_MAX],
    ['HGET', 'n', ''],
    ['HSTRLEN', 'n', '-4096'],
    ['HSTRLEN', 'n', I64_MAX],
    ['HSTRLEN', 'n', 'missing'],
    ['HSTRLEN', 'nokey', 'x'],
    ['HSET', 'bin', BIN, BIN, 'k', BIN],
    ['HGET', 'bin', BIN],
    ['HGETALL', 'bin'],
    ['HEXISTS', 'h', 'a'],
    ['HEXISTS', 'h', 'nope'],
    ['HEXISTS', 'nokey', 'a'],
    ['HSET', 'h', 'a', 'updated-in-place'],
    ['HGETALL', 'h'],
    ['OBJECT', 'ENCODING', 'h'],
    ['TYPE', 'h'],
  ]);

  diffCases(env, 'HSETNX / HDEL / empty hash removal', [
    ['HSETNX', 'h', 'a', '1'],
    ['HSETNX', 'h', 'a', '2'],
    ['HSETNX', 'h', 'b', '2'],
    ['HGETALL', 'h'],
    ['HDEL', 'h', 'zz'],
    ['HDEL', 'h', 'a', 'a', 'zz'],
    ['HGETALL', 'h'],
    ['HDEL', 'nokey', 'a'],
    ['HDEL', 'h', 'b', 'c'],
    ['EXISTS', 'h'],
    ['HLEN', 'h'],
    ['HSET', 'g', 'x', '1', 'y', '2', 'z', '3'],
    ['HDEL', 'g', 'x', 'y', 'z', 'w'],
    ['EXISTS', 'g'],
    ['HSET', 'm', 'p', '1', 'q', '2', 'r', '3', 's', '4'],
    ['HDEL', 'm', 'q'],
    ['HSET', 'm', 'q', '5'],
    ['HGETALL', 'm'],
    ['HDEL', 'm', 'p', 's'],
    ['HGETALL', 'm'],
  ]);

  diffCases(env, 'errors, arity and WRONGTYPE', [
    ['SET', 's', 'x'],
    ['LPUSH', 'l', 'x'],
    ['HSET', 'h'],
    ['HSET', 'h', 'a'],
    ['HSET', 'h', 'a', '1', 'b'],
    ['HSET', 's', 'a', '1', 'b'],
    ['HMSET', 'h', 'a', '1', 'b'],
    ['HMSET', 'h', 'a'],
    ['EXISTS', 'h'],
    ['HSET', 's', 'a', '1'],
    ['HSET', 'l', 'a', '1'],
    ['HMSET', 's', 'a', '1'],
    ['HSETNX', 's', 'a', '1'],
    ['HSETNX', 'h', 'a'],
    ['HGET', 's', 'a'],
    ['HGET', 'h'],
    ['HMGET', 's', 'a'],
    ['HMGET', 'h'],
    ['HDEL', 's', 'a'],
    ['HDEL', 'h'],
    ['HLEN', 's'],
    ['HLEN'],
    ['HSTRLEN', 's', 'a'],
    ['HEXISTS', 's', 'a'],
    ['HKEYS', 's'],
    ['HVALS', 's'],
    ['HGETALL', 's'],
    ['HGETALL', 'h', 'x'],
    ['HINCRBY', 's', 'a', '1'],
    ['HINCRBY', 's', 'a', 'x'],
    ['HINCRBYFLOAT', 's', 'a', '1'],
    ['HINCRBYFLOAT', 's', 'a', 'x'],
    ['HINCRBYFLOAT', 's', 'a', 'inf'],
    ['HRANDFIELD', 's'],
    ['HRANDFIELD', 's', '1'],
    ['HRANDFIELD', 's', '0'],
    ['HRANDFIELD', 's', 'x'],
    ['HRANDFIELD', 's', '1', 'bad'],
    ['HSCAN', 's', '0'],
    ['HSCAN', 's', 'x'],
    ['HSCAN', 's', '0', 'COUNT', '0'],
    ['HSCAN', 'h'],
    ['GET', 's'],
  ]);

  diffCases(env, 'HINCRBY', [
    ['HINCRBY', 'h', 'a', '5'],
    ['HINCRBY', 'h', 'a', '-12'],
    ['HGET', 'h', 'a'],
    ['HINCRBY', 'h', 'a', 'x'],
    ['HINCRBY', 'h', 'a', '1.5'],
    ['HINCRBY', 'h', 'a', ''],
    ['HINCRBY', 'h', 'a', I64_MAX],
    ['HSET', 'h', 'a', '0'],
    ['HINCRBY', 'h', 'a', I64_MAX],
    ['HINCRBY', 'h', 'a', '1'],
    ['HINCRBY', 'h', 'a', I64_MIN],
    ['HINCRBY', 'h', 'a', '-1'],
    ['HINCRBY', 'h', 'a', '9223372036854775808'],
    ['HSET', 'h', 'b', I64_MIN],
    ['HINCRBY', 'h', 'b', '-1'],
    ['HINCRBY', 'h', 'b', '1'],
    ['HSET', 'h', 's', 'abc', 'sp', ' 1', 'plus', '+1', 'z', '007', 'f', '1.0', 'e', ''],
    ['HINCRBY', 'h', 's', '1'],
    ['HINCRBY', 'h', 'sp', '1'],
    ['HINCRBY', 'h', 'plus', '1'],
    ['HINCRBY', 'h', 'z', '1'],
    ['HINCRBY', 'h', 'f', '1'],
    ['HINCRBY', 'h', 'e', '1'],
    ['HINCRBY', 'nokey', 'x', 'notanumber'],
    ['EXISTS', 'nokey'],
    ['HINCRBY', 'new', 'x', '-7'],
    ['HGETALL', 'h'],
    ['HGETALL', 'new'],
  ]);

  diffCases(env, 'HINCRBYFLOAT', [
    ['HINCRBYFLOAT', 'h', 'a', '1.5'],
    ['HINCRBYFLOAT', 'h', 'a', '0.1'],
    ['HINCRBYFLOAT', 'h', 'a', '-1.6'],
    ['HINCRBYFLOAT', 'h', 'a', '1e10'],
    ['HINCRBYFLOAT', 'h', 'a', '5.0e3'],
    ['HINCRBYFLOAT', 'h', 'a', '3'],
    ['HINCRBYFLOAT', 'h', 'b', '10.5'],
    ['HINCRBYFLOAT', 'h', 'b', '-0.5'],
    ['HGET', 'h', 'b'],
    ['HINCRBYFLOAT', 'h', 'a', 'x'],
    ['HINCRBYFLOAT', 'h', 'a', ''],
    ['HINCRBYFLOAT', 'h', 'a', 'inf'],
    ['HINCRBYFLOAT', 'h', 'a', '-inf'],
    ['HINCRBYFLOAT', 'h', 'a', 'nan'],
    ['HINCRBYFLOAT', 'h', 'a', '1e400'],
    ['HSET', 'h', 's', 'abc', 'i', '17', 'big', '1e308', 'sp', ' 1'],
    ['HINCRBYFLOAT', 'h', 's', '1'],
    ['HINCRBYFLOAT', 'h', 'sp', '1'],
    ['HINCRBYFLOAT', 'h', 'i', '0.25'],
    ['HINCRBYFLOAT', 'h', 'big', '1e308'],
    ['HINCRBYFLOAT', 'h', 'big', '-1e308'],
    ['HINCRBYFLOAT', 'nokey', 'f', 'bad'],
    ['HINCRBYFLOAT', 'nokey', 'f', 'inf'],
    ['EXISTS', 'nokey'],
    ['HINCRBYFLOAT', 'h', 'x', '0.1'],
    ['HINCRBYFLOAT', 'h', 'x', '0.2'],
    ['HINCRBYFLOAT', 'h', 'y', '1.23456789012345678901234567890'],
    ['OBJECT', 'ENCODING', 'h'],
    { args: ['HGETALL', 'h'], normalize: sortPairs },
    ['HINCRBYFLOAT', 'lp', 'a', '1.5'],
    ['HINCRBYFLOAT', 'lp', 'b', '2'],
    ['HINCRBYFLOAT', 'lp', 'a', '-1.5'],
    ['HGETALL', 'lp'],
  ]);

  diffCases(env, 'encoding conversion at the exact thresholds', () => [
    ...DEFAULTS,
    ['HSET', 'e128', ...fields(128)],
    ['OBJECT', 'ENCODING', 'e128'],
    ['HGETALL', 'e128'],
    ['HSET', 'e128', 'f0', 'changed'],
    ['OBJECT', 'ENCODING', 'e128'],
    ['HSET', 'e128', 'one-more', 'x'],
    ['OBJECT', 'ENCODING', 'e128'],
    ['HLEN', 'e128'],
    { args: ['HGETALL', 'e128'], normalize: sortPairs },
    ['HDEL', 'e128', ...fields(125).filter((_, i) => i % 2 === 0)],
    ['OBJECT', 'ENCODING', 'e128'],
    { args: ['HGETALL', 'e128'], normalize: sortPairs },
    ['HSET', 'e129', ...fields(129)],
    ['OBJECT', 'ENCODING', 'e129'],
    // one by one up to the limit
    ...Array.from({ length: 129 }, (_, i): CmdLike => ['HSETNX', 'inc', `k${i}`, String(i)]),
    ['OBJECT', 'ENCODING', 'inc'],
    // value length 64 vs 65, field length 64 vs 65
    ['HSET', 'v64', 'f', 'x'.repeat(64)],
    ['OBJECT', 'ENCODING', 'v64'],
    ['HSET', 'v65', 'f', 'x'.repeat(65)],
    ['OBJECT', 'ENCODING', 'v65'],
    ['HSET', 'k64', 'y'.repeat(64), 'v'],
    ['OBJECT', 'ENCODING', 'k64'],
    ['HSET', 'k65', 'y'.repeat(65), 'v'],
    ['OBJECT', 'ENCODING', 'k65'],
    ['HGETALL', 'k65'],
    // a long argument anywhere in HSET converts before anything is set
    ['HSET', 'mix', 'a', '1'],
    ['HSET', 'mix', 'b', '2', 'c', 'z'.repeat(100)],
    ['OBJECT', 'ENCODING', 'mix'],
    { args: ['HGETALL', 'mix'], normalize: sortPairs },
    // an existing field with a long value: converts even though nothing is added
    ['HSET', 'upd', 'a', '1'],
    ['HSET', 'upd', 'a', 'w'.repeat(65)],
    ['OBJECT', 'ENCODING', 'upd'],
    ['HSETNX', 'nx', 'a', '1'],
    ['HSETNX', 'nx', 'a', 'w'.repeat(65)],
    ['OBJECT', 'ENCODING', 'nx'],
    ['HSETNX', 'nx', 'b', 'w'.repeat(65)],
    ['OBJECT', 'ENCODING', 'nx'],
    // HINCRBYFLOAT producing a long value / long field
    ['CONFIG', 'SET', 'hash-max-listpack-value', '5'],
    ['HSET', 'fl', 'a', '1'],
    ['HINCRBYFLOAT', 'fl', 'a', '1'],
    ['OBJECT', 'ENCODING', 'fl'],
    ['HINCRBYFLOAT', 'fl', 'a', '0.000001'],
    ['OBJECT', 'ENCODING', 'fl'],
    ['HSET', 'ib', 'a', '1'],
    ['HINCRBY', 'ib', 'a', '99999'],
    ['OBJECT', 'ENCODING', 'ib'],
    ['HINCRBY', 'ib', 'a', '1'],
    ['OBJECT', 'ENCODING', 'ib'],
    ['HSET', 'if', 'a', '1'],
    ['HINCRBY', 'if', 'longfield', '1'],
    ['OBJECT', 'ENCODING', 'if'],
    ['HSET', 'ok5', 'abcde', 'vwxyz'],
    ['OBJECT', 'ENCODING', 'ok5'],
    // CONFIG SET changes later decisions only; never converts back
    ['CONFIG', 'SET', 'hash-max-listpack-value', '64'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '3'],
    ['HSET', 'c3', 'a', '1', 'b', '2', 'c', '3'],
    ['OBJECT', 'ENCODING', 'c3'],
    ['HSET', 'c3', 'd', '4'],
    ['OBJECT', 'ENCODING', 'c3'],
    ['HDEL', 'c3', 'a', 'b', 'c'],
    ['OBJECT', 'ENCODING', 'c3'],
    ['HGETALL', 'c3'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '0'],
    ['HSET', 'c0', 'a', '1'],
    ['OBJECT', 'ENCODING', 'c0'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '128'],
    ['CONFIG', 'SET', 'hash-max-listpack-value', '0'],
    ['HSET', 'v0', '', ''],
    ['OBJECT', 'ENCODING', 'v0'],
    ['HSET', 'v0', 'a', ''],
    ['OBJECT', 'ENCODING', 'v0'],
    ...DEFAULTS,
  ]);

  diffCases(env, 'hashtable encoding: reads and writes', () => {
    const big = fields(300, 'field:', (i) => (i % 3 === 0 ? String(i * 7) : `value-${i}`));
    return [
      ...DEFAULTS,
      ['HSET', 'big', ...big],
      ['OBJECT', 'ENCODING', 'big'],
      ['HLEN', 'big'],
      ['HGET', 'big', 'field:3'],
      ['HGET', 'big', 'field:4'],
      ['HGET', 'big', 'nope'],
      ['HMGET', 'big', 'field:0', 'nope', 'field:299'],
      ['HSTRLEN', 'big', 'field:10'],
      ['HEXISTS', 'big', 'field:10'],
      ['HINCRBY', 'big', 'field:3', '5'],
      ['HINCRBY', 'big', 'field:4', '5'],
      ['HINCRBYFLOAT', 'big', 'field:6', '0.5'],
      ['HINCRBYFLOAT', 'big', 'newf', '2.5'],
      ['HSET', 'big', 'field:1', 'x'.repeat(500)],
      ['HGET', 'big', 'field:1'],
      ['HSET', 'big', 'field:1', 'short'],
      ['HGET', 'big', 'field:1'],
      ['HSETNX', 'big', 'field:1', 'no'],
      ['HSETNX', 'big', 'brand-new', 'yes'],
      { args: ['HGETALL', 'big'], normalize: sortPairs },
      { args: ['HKEYS', 'big'], normalize: sortElems },
      { args: ['HVALS', 'big'], normalize: sortElems },
      ['HDEL', 'big', ...big.filter((_, i) => i % 4 === 0)],
      ['HLEN', 'big'],
      { args: ['HGETALL', 'big'], normalize: sortPairs },
      ['HDEL', 'big', ...big.filter((_, i) => i % 2 === 0)],
      ['HLEN', 'big'],
      ['HDEL', 'big', 'newf', 'brand-new'],
      ['EXISTS', 'big'],
    ];
  });

  diffCases(env, 'HRANDFIELD', () => {
    const small = new Map<string, string>([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', '4'],
      ['e', '5'],
    ]);
    const bigArgs = fields(200);
    const big = new Map<string, string>();
    for (let i = 0; i < bigArgs.length; i += 2) big.set(bigArgs[i]!, bigArgs[i + 1]!);
    const cmds: CmdLike[] = [
      ...DEFAULTS,
      ['HRANDFIELD', 'nokey'],
      ['HRANDFIELD', 'nokey', '5'],
      ['HRANDFIELD', 'nokey', '-5', 'WITHVALUES'],
      ['HRANDFIELD', 'nokey', 'x'],
      ['HRANDFIELD', 'nokey', '1', 'foo'],
      ['HSET', 'h', ...[...small].flat()],
      ['HSET', 'one', 'only', 'v'],
      ['HSET', 'big', ...bigArgs],
      ['HRANDFIELD', 'h', '0'],
      ['HRANDFIELD', 'h', '0', 'WITHVALUES'],
      ['HRANDFIELD', 'h', 'x'],
      ['HRANDFIELD', 'h', 'x', 'withvalue'],
      ['HRANDFIELD', 'h', '1', 'withvalue'],
      ['HRANDFIELD', 'h', '1', 'withvalues', 'x'],
      ['HRANDFIELD', 'h', I64_MIN],
      ['HRANDFIELD', 'h', '-9223372036854775809'],
      ['HRANDFIELD', 'h', I64_MAX, 'WITHVALUES'],
      ['HRANDFIELD', 'h', '-4611686018427387904', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '4611686018427387904', 'withvalues'],
      ['HRANDFIELD', 'h', I64_MAX],
      ['HRANDFIELD', 'h', '4611686018427387903', 'withvalues'],
      ['HRANDFIELD', 'one'],
      ['HRANDFIELD', 'one', '-3'],
      ['HRANDFIELD', 'one', '-3', 'WITHVALUES'],
    ];
    for (const [key, m] of [
      ['h', small],
      ['big', big],
    ] as const) {
      cmds.push({ args: ['OBJECT', 'ENCODING', key] });
      for (let k = 0; k < 8; k++) cmds.push({ args: ['HRANDFIELD', key], normalize: randOne(m) });
      for (const n of [1, 2, 3, 4, 5, 6, 50, 66, 67, 150, 199, 200, 201, 1000]) {
        cmds.push({ args: ['HRANDFIELD', key, String(n)], normalize: randCheck(m, true) });
        cmds.push({ args: ['HRANDFIELD', key, String(n), 'WITHVALUES'], normalize: randCheck(m, true) });
        cmds.push({ args: ['HRANDFIELD', key, String(-n)], normalize: randCheck(m, false) });
        cmds.push({ args: ['HRANDFIELD', key, String(-n), 'withvalues'], normalize: randCheck(m, false) });
      }
    }
    return cmds;
  });

  diffCases(env, 'HSCAN (listpack: everything in one call)', [
    ['HSET', 'h', 'a1', '1', 'b1', '2', 'a2', '3', 'c', '4', '10', '11'],
    ['HSCAN', 'h', '0'],
    ['HSCAN', 'h', '0', 'MATCH', 'a*'],
    ['HSCAN', 'h', '0', 'match', '*'],
    ['HSCAN', 'h', '0', 'MATCH', '1?'],
    ['HSCAN', 'h', '0', 'MATCH', 'zz*'],
    ['HSCAN', 'h', '0', 'COUNT', '1'],
    ['HSCAN', 'h', '0', 'COUNT', '1', 'MATCH', '[ab]1'],
    ['HSCAN', 'h', '123'],
    ['HSCAN', 'h', '-1'],
    ['HSCAN', 'h', '18446744073709551615'],
    ['HSCAN', 'h', '18446744073709551616'],
    ['HSCAN', 'h', 'x'],
    ['HSCAN', 'h', ' 0'],
    ['HSCAN', 'h', '0', 'COUNT', '0'],
    ['HSCAN', 'h', '0', 'COUNT', '-1'],
    ['HSCAN', 'h', '0', 'COUNT', 'x'],
    ['HSCAN', 'h', '0', 'COUNT'],
    ['HSCAN', 'h', '0', 'MATCH'],
    ['HSCAN', 'h', '0', 'NOVALUES'],
    ['HSCAN', 'h', '0', 'foo', 'bar'],
    ['HSCAN', 'nokey', '0'],
    ['HSCAN', 'nokey', '0', 'COUNT', '0'],
    ['HSCAN', 'nokey', 'x'],
    ['HSCAN', 'h'],
  ]);

  for (const resp3 of [false, true]) {
    it(`HSCAN full iteration over a hashtable (with MATCH/COUNT) [RESP${resp3 ? 3 : 2}]`, async () => {
      const d = await env.open(resp3);
      const args = fields(1000, 'k', (i) => `v${i}`);
      await d.run([...DEFAULTS, ['HSET', 'h', ...args], ['OBJECT', 'ENCODING', 'h']]);
      for (const extra of [[], ['COUNT', '1'], ['COUNT', '7'], ['COUNT', '1000'], ['MATCH', 'k1*'], ['MATCH', 'k?', 'COUNT', '3']]) {
        const [s, r] = await Promise.all([hscanAll(d.sabre, 'h', extra), hscanAll(d.redis, 'h', extra)]);
        expect(s).toEqual(r);
      }
      // small hashtable: COUNT >= size returns everything with cursor 0 on both
      await d.run([
        ['HSET', 'small', 'a', 'x'.repeat(70), 'b', '2'],
        { args: ['HSCAN', 'small', '0', 'COUNT', '100'], normalize: sortScan },
      ]);
    });
  }

  diffCases(env, 'keyspace commands on hashes (copies across shards)', [
    ...DEFAULTS,
    ['HSET', 'src', 'a', '1', 'b', '2'],
    ['HSET', 'srcbig', ...fields(200)],
    ['COPY', 'src', 'dst'],
    ['COPY', 'srcbig', 'dstbig'],
    ['HGETALL', 'dst'],
    ['OBJECT', 'ENCODING', 'dst'],
    ['OBJECT', 'ENCODING', 'dstbig'],
    { args: ['HGETALL', 'dstbig'], normalize: sortPairs },
    ['HSET', 'dst', 'c', '3'],
    ['HSET', 'dstbig', 'f0', 'changed'],
    ['HGETALL', 'src'],
    ['HGET', 'srcbig', 'f0'],
    ['HGET', 'dstbig', 'f0'],
    ['RENAME', 'src', 'renamed'],
    ['RENAME', 'srcbig', 'renamedbig'],
    ['HGETALL', 'renamed'],
    ['HLEN', 'renamedbig'],
    ['EXISTS', 'src', 'srcbig'],
    ['MOVE', 'renamedbig', '1'],
    ['SELECT', '1'],
    ['HLEN', 'renamedbig'],
    ['OBJECT', 'ENCODING', 'renamedbig'],
    ['SELECT', '0'],
    ['COPY', 'renamed', 'renamed2', 'DB', '1'],
    ['SELECT', '1'],
    ['HGETALL', 'renamed2'],
    ['FLUSHDB'],
    ['SELECT', '0'],
    ['TYPE', 'renamed'],
    ['EXPIRE', 'renamed', '1000'],
    ['HSET', 'renamed', 'z', '26'],
    ['TTL', 'renamed'],
    ['DEL', 'renamed', 'dst', 'dstbig'],
    ['EXISTS', 'renamed', 'dst', 'dstbig'],
    ['DBSIZE'],
    { args: ['MEMORY', 'USAGE', 'nokey'] },
  ]);

  it('MEMORY USAGE of hashes is a positive integer in both encodings', async () => {
    const d = await env.open(false);
    await d.run([...DEFAULTS, ['HSET', 'a', 'x', '1'], ['HSET', 'b', ...fields(300)]]);
    for (const k of ['a', 'b']) {
      const r = (await d.sabre.call('MEMORY', 'USAGE', k)).toString();
      expect(r).toMatch(/^:[1-9]\d*\r\n$/);
    }
    const small = Number((await d.sabre.call('MEMORY', 'USAGE', 'a')).toString().slice(1));
    const big = Number((await d.sabre.call('MEMORY', 'USAGE', 'b')).toString().slice(1));
    expect(big).toBeGreaterThan(small);
  });

  // A seeded random command stream over a few keys with small thresholds, so that
  // keys convert while the stream runs. Whole-hash replies are sorted (a key may be
  // hashtable-encoded); everything else compares byte for byte.
  for (const seed of [1, 2, 3]) {
    diffCases(env, `random command stream (seed ${seed})`, () => {
      const r = new Rng(seed * 7919);
      const keys = ['h1', 'h2', 'h3', 'str'];
      const fieldPool = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', '1', '2', '-3', '', 'long-field-name'];
      const val = (): string => {
        const k = r.int(0, 9);
        if (k < 3) return String(r.int(-1000, 1000));
        if (k < 4) return `${r.int(-100, 100)}.${r.int(0, 99)}`;
        if (k < 5) return 'x'.repeat(r.int(0, 20));
        if (k < 6) return String(r.int(-2e9, 2e9) * 4096);
        return r.pick(['v', 'abc', '', '0', '-0', '01', '1e3', 'inf']);
      };
      const f = (): string => r.pick(fieldPool);
      const cmds: CmdLike[] = [
        ['CONFIG', 'SET', 'hash-max-listpack-entries', '6'],
        ['CONFIG', 'SET', 'hash-max-listpack-value', '12'],
        ['SET', 'str', 'x'],
      ];
      for (let i = 0; i < 600; i++) {
        const k = r.pick(keys);
        const op = r.int(0, 21);
        switch (op) {
          case 0:
          case 1: {
            const n = r.int(1, 3);
            const a: string[] = [];
            for (let j = 0; j < n; j++) a.push(f(), val());
            cmds.push(['HSET', k, ...a]);
            break;
          }
          case 2:
            cmds.push(['HSETNX', k, f(), val()]);
            break;
          case 3:
            cmds.push(['HMSET', k, f(), val(), f(), val()]);
            break;
          case 4:
            cmds.push(['HGET', k, f()]);
            break;
          case 5:
            cmds.push(['HMGET', k, f(), f(), f()]);
            break;
          case 6:
          case 7:
            cmds.push(['HDEL', k, f(), ...(r.chance(0.3) ? [f(), f()] : [])]);
            break;
          case 8:
            cmds.push(['HLEN', k]);
            break;
          case 9:
            cmds.push(['HSTRLEN', k, f()]);
            break;
          case 10:
            cmds.push(['HEXISTS', k, f()]);
            break;
          case 11:
            cmds.push({ args: ['HKEYS', k], normalize: sortElems });
            break;
          case 12:
            cmds.push({ args: ['HVALS', k], normalize: sortElems });
            break;
          case 13:
            cmds.push({ args: ['HGETALL', k], normalize: sortPairs });
            break;
          case 14:
            cmds.push(['HINCRBY', k, f(), r.pick(['1', '-5', '100', 'x', I64_MAX, '0'])]);
            break;
          case 15:
            cmds.push(['HINCRBYFLOAT', k, f(), r.pick(['1.5', '-0.25', '1e2', 'x', 'inf', '0', '3'])]);
            break;
          case 16:
            cmds.push(['OBJECT', 'ENCODING', k]);
            break;
          case 17:
            cmds.push({ args: ['HSCAN', k, '0', 'COUNT', '100'], normalize: sortScan });
            break;
          case 18:
            cmds.push({ args: ['HSCAN', k, '0', 'COUNT', '100', 'MATCH', r.pick(['a*', '?', '*-*', '[a-c]'])], normalize: sortScan });
            break;
          case 19:
            cmds.push(['EXISTS', k]);
            break;
          case 20:
            cmds.push(r.chance(0.5) ? ['DEL', k] : ['COPY', k, r.pick(keys), 'REPLACE']);
            break;
          default:
            cmds.push(['TYPE', k]);
        }
      }
      cmds.push(...DEFAULTS);
      return cmds;
    });
  }
});
