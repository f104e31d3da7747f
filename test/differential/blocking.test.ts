// Blocking commands (BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN BZPOPMAX
// BZMPOP, CLIENT UNBLOCK): several clients per server, each client's raw reply
// bytes compared with redis-server. Clients are ordered by waiting until both
// servers report them blocked (INFO blocked_clients), never by sleeping.
import { expect, it } from 'vitest';
import { describeDifferential, diffCases, type CmdLike, type DiffEnv, type DiffSession } from '../helpers/diff';
import { escapeBytes, type Arg } from '../helpers/raw';
import { sleep } from '../helpers/servers';
import { keyShard } from '../../src/routing/slot';

/** Two keys (with a prefix) that land on different shards when there are 2 shards. */
function crossPair(prefix: string): [string, string] {
  const a = `${prefix}a`;
  const sa = keyShard(Buffer.from(a), 0, a.length, 2);
  for (let i = 0; ; i++) {
    const b = `${prefix}${i}`;
    if (keyShard(Buffer.from(b), 0, b.length, 2) !== sa) return [a, b];
  }
}
const [K1, K2] = crossPair('blk');
const [SRC, DST] = crossPair('mv');
const [ZK1, ZK2] = crossPair('z');

interface Pending {
  args: Arg[];
  sabre: Promise<Buffer>;
  redis: Promise<Buffer>;
}

/** Send a command to both servers without waiting for the replies. */
function send(d: DiffSession, ...args: Arg[]): Pending {
  return { args, sabre: d.sabre.call(...args), redis: d.redis.call(...args) };
}

/** Both replies of a pending command must be byte-identical; returns redis' reply. */
async function same(p: Pending, label = ''): Promise<string> {
  const [s, r] = await Promise.all([p.sabre, p.redis]);
  expect(escapeBytes(s), `${label} ${p.args.join(' ')}`).toBe(escapeBytes(r));
  return r.toString('latin1');
}

/** A pending command whose connection is closed before it is answered. */
function ignore(p: Pending): void {
  p.sabre.catch(() => undefined);
  p.redis.catch(() => undefined);
}

async function check(d: DiffSession, ...args: Arg[]): Promise<string> {
  return same(send(d, ...args));
}

function infoField(reply: Buffer, name: string): number {
  const m = new RegExp(`${name}:(\\d+)`).exec(reply.toString('latin1'));
  if (!m) throw new Error(`no ${name} in INFO`);
  return Number(m[1]);
}

/** Wait until both servers report n blocked clients (a blocked client's command was processed). */
async function waitBlocked(ctl: DiffSession, n: number): Promise<void> {
  const until = Date.now() + 10_000;
  for (;;) {
    const { sabre, redis } = await ctl.both(['INFO', 'clients']);
    const s = infoField(sabre, 'blocked_clients');
    const r = infoField(redis, 'blocked_clients');
    if (s === n && r === n) return;
    if (Date.now() > until) throw new Error(`blocked_clients: sabre ${s}, redis ${r}, expected ${n}`);
    await sleep(2);
  }
}

/** Start a blocking command on d and wait until both servers have it blocked (n clients blocked in all). */
async function block(ctl: DiffSession, d: DiffSession, n: number, ...args: Arg[]): Promise<Pending> {
  const p = send(d, ...args);
  await waitBlocked(ctl, n);
  return p;
}

async function sessions(env: DiffEnv, n: number, resp3 = false): Promise<DiffSession[]> {
  const out: DiffSession[] = [];
  for (let i = 0; i < n; i++) out.push(await env.open(resp3));
  return out;
}

async function clientIds(d: DiffSession): Promise<{ sabre: string; redis: string }> {
  const { sabre, redis } = await d.both(['CLIENT', 'ID']);
  const id = (b: Buffer): string => /^:(\d+)/.exec(b.toString('latin1'))![1];
  return { sabre: id(sabre), redis: id(redis) };
}

const TIMEOUT_ERRORS = ['abc', '', ' 1', '1 ', 'nan', '-nan', '-1', '-0.5', '-0.0010001', '-0x1p-9', 'inf', '-inf', '+inf', 'infinity', '1e17', '9223372036854776', '9223372036854775.808', '1e400', '1e5000', '1x', '0x', '--1'];

describeDifferential('differential: blocking commands', (env) => {
  it('test keys are spread over shards', () => {
    expect(keyShard(Buffer.from(K1), 0, K1.length, 2)).not.toBe(keyShard(Buffer.from(K2), 0, K2.length, 2));
    expect(keyShard(Buffer.from(SRC), 0, SRC.length, 2)).not.toBe(keyShard(Buffer.from(DST), 0, DST.length, 2));
    expect(keyShard(Buffer.from(ZK1), 0, ZK1.length, 2)).not.toBe(keyShard(Buffer.from(ZK2), 0, ZK2.length, 2));
  });

  const immediate: CmdLike[] = [
    ['RPUSH', K2, 'a', 'b', 'c', 'd', 'e', 'f'],
    ['BLPOP', K1, K2, '0'],
    ['BRPOP', K1, K2, '1.5'],
    ['BLPOP', K2, '0x10'],
    ['BRPOP', K2, K2, '0'],
    ['RPUSH', K1, 'x'],
    ['BLPOP', K1, K2, '0'],
    ['EXISTS', K1],
    ['BLMPOP', '0', '2', K1, K2, 'LEFT'],
    ['RPUSH', K2, '1', '2', '3'],
    ['BLMPOP', '0', '2', K1, K2, 'RIGHT', 'COUNT', '2'],
    ['BLMPOP', '0', '2', K1, K2, 'left', 'count', '10'],
    ['EXISTS', K2],
    ['RPUSH', SRC, 'p', 'q', 'r'],
    ['BLMOVE', SRC, DST, 'LEFT', 'RIGHT', '0'],
    ['BLMOVE', SRC, DST, 'right', 'left', '0'],
    ['BRPOPLPUSH', SRC, DST, '0'],
    ['LRANGE', DST, '0', '-1'],
    ['EXISTS', SRC],
    ['BLMOVE', DST, DST, 'LEFT', 'RIGHT', '0'],
    ['LRANGE', DST, '0', '-1'],
    ['ZADD', ZK2, '1', 'a', '2.5', 'b', '3', 'c', '-inf', 'm', '+inf', 'n'],
    ['BZPOPMIN', ZK1, ZK2, '0'],
    ['BZPOPMAX', ZK1, ZK2, '0'],
    ['BZPOPMIN', ZK2, '0.5'],
    ['BZMPOP', '0', '2', ZK1, ZK2, 'MIN'],
    ['ZADD', ZK1, '5', 'x', '6', 'y'],
    ['BZMPOP', '0', '2', ZK1, ZK2, 'max', 'COUNT', '5'],
    ['BZMPOP', '0', '2', ZK1, ZK2, 'MIN', 'count', '1'],
    ['EXISTS', ZK1, ZK2],
    // wrong types: the first existing key decides
    ['SET', 'str', 'v'],
    ['BLPOP', 'str', '0'],
    ['BLPOP', 'nokey', 'str', K2, '0'],
    ['BRPOP', 'str', '0'],
    ['BLMPOP', '0', '1', 'str', 'LEFT'],
    ['BLMOVE', 'str', DST, 'LEFT', 'LEFT', '0'],
    ['BRPOPLPUSH', 'str', DST, '0'],
    ['RPUSH', 'l2', 'v'],
    ['BLMOVE', 'l2', 'str', 'LEFT', 'LEFT', '0'],
    ['BRPOPLPUSH', 'l2', 'str', '0'],
    ['LLEN', 'l2'],
    ['BZPOPMIN', 'str', '0'],
    ['BZPOPMAX', 'l2', '0'],
    ['BZMPOP', '0', '2', 'nokey', 'l2', 'MIN'],
    // arity
    ['BLPOP'],
    ['BLPOP', 'k'],
    ['BRPOP', 'k'],
    ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT'],
    ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', '0', 'x'],
    ['BRPOPLPUSH', 'a', 'b'],
    ['BLMPOP', '0', '1', 'k'],
    ['BZPOPMIN', 'k'],
    ['BZMPOP', '0', '1', 'k'],
    // BLMPOP / BZMPOP argument errors, identical to LMPOP / ZMPOP, checked before the timeout
    ['BLMPOP', '0', '0', 'k', 'LEFT'],
    ['BLMPOP', '0', '-1', 'k', 'LEFT'],
    ['BLMPOP', '0', 'x', 'k', 'LEFT'],
    ['BLMPOP', 'bad', 'x', 'k', 'LEFT'],
    ['BLMPOP', '0', '3', 'k', 'LEFT'],
    ['BLMPOP', '0', '2', 'k', 'LEFT'],
    ['BLMPOP', '0', '1', 'k', 'MIDDLE'],
    ['BLMPOP', 'bad', '1', 'k', 'MIDDLE'],
    ['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT'],
    ['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT', '0'],
    ['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT', '-1'],
    ['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT', 'x'],
    ['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT', '1', 'COUNT', '2'],
    ['BLMPOP', '0', '1', 'k', 'LEFT', 'extra'],
    ['BLMPOP', 'bad', '1', 'k', 'LEFT', 'COUNT', '0'],
    ['BLMPOP', 'bad', '1', 'k', 'LEFT'],
    ['BLMPOP', '-1', '1', 'k', 'LEFT'],
    ['BLMPOP', '0', '99999999999999999999', 'k', 'LEFT'],
    ['BZMPOP', '0', '0', 'k', 'MIN'],
    ['BZMPOP', '0', 'x', 'k', 'MIN'],
    ['BZMPOP', '0', '3', 'k', 'MIN'],
    ['BZMPOP', '0', '1', 'k', 'LEFT'],
    ['BZMPOP', 'bad', '1', 'k', 'LEFT'],
    ['BZMPOP', '0', '1', 'k', 'MAX', 'COUNT', '0'],
    ['BZMPOP', '0', '1', 'k', 'MAX', 'COUNT', 'x'],
    ['BZMPOP', '0', '1', 'k', 'MAX', 'COUNT', '1', 'COUNT', '1'],
    ['BZMPOP', '0', '1', 'k', 'MAX', 'junk'],
    ['BZMPOP', 'bad', '1', 'k', 'MAX'],
    ['BZMPOP', '-2', '1', 'k', 'MAX'],
    ['LMPOP', '0', 'k', 'LEFT'],
    ['ZMPOP', '1', 'k', 'MAX', 'COUNT', '0'],
    // BLMOVE: positions are checked before the timeout, the timeout before the keys
    ['BLMOVE', 'a', 'b', 'UP', 'LEFT', 'bad'],
    ['BLMOVE', 'a', 'b', 'LEFT', 'DOWN', 'bad'],
    ['BLMOVE', 'str', 'b', 'LEFT', 'LEFT', 'bad'],
    ['BRPOPLPUSH', 'str', 'b', '-1'],
    // the timeout is checked before the keys
    ['BLPOP', 'str', 'bad'],
    ['BZPOPMIN', 'str', '-1'],
    ...TIMEOUT_ERRORS.map((t): CmdLike => ['BLPOP', 'nokey', t]),
    ...TIMEOUT_ERRORS.map((t): CmdLike => ['BZPOPMAX', 'nokey', t]),
    ...TIMEOUT_ERRORS.map((t): CmdLike => ['BLMPOP', t, '1', 'nokey', 'LEFT']),
    ['COMMAND', 'GETKEYS', 'BLPOP', 'a', 'b', '0'],
    ['COMMAND', 'GETKEYS', 'BLMOVE', 'a', 'b', 'LEFT', 'LEFT', '0'],
    ['COMMAND', 'GETKEYS', 'BLMPOP', '0', '2', 'a', 'b', 'LEFT'],
    ['COMMAND', 'GETKEYS', 'BZMPOP', '0', '1', 'a', 'MIN', 'COUNT', '2'],
    ['COMMAND', 'GETKEYS', 'BZMPOP', '0', '5', 'a', 'MIN'],
  ];
  diffCases(env, 'served at once, WRONGTYPE, argument and timeout errors', immediate);

  diffCases(env, 'timeouts reply a null array (every command)', [
    ['BLPOP', 'nokey', '0.01'],
    ['BRPOP', K1, K2, '0.02'],
    ['BLMOVE', SRC, DST, 'LEFT', 'RIGHT', '0.01'],
    ['BRPOPLPUSH', SRC, DST, '0.01'],
    ['BLMPOP', '0.01', '2', K1, K2, 'LEFT', 'COUNT', '3'],
    ['BZPOPMIN', ZK1, '0.01'],
    ['BZPOPMAX', ZK1, ZK2, '0.01'],
    ['BZMPOP', '0.01', '1', ZK1, 'MAX'],
    ['BLPOP', 'nokey', '1e-2'],
    ['BLPOP', 'nokey', '.01'],
    // a fraction of a millisecond rounds up
    ['BLPOP', 'nokey', '0.0001'],
    ['BZPOPMIN', 'nokey', '4.9e-324'],
    ['BLMOVE', SRC, DST, 'LEFT', 'RIGHT', '0x1p-10'],
    ['EXISTS', K1, K2, SRC, DST, ZK1, ZK2],
    ['PING'],
  ]);

  for (const resp3 of [false, true]) {
    const P = `[RESP${resp3 ? 3 : 2}]`;

    it(`blocked clients are served by a later push from another client ${P}`, async () => {
      const [ctl, a, b] = await sessions(env, 3, resp3);
      let p = await block(ctl, a, 1, 'BLPOP', K1, K2, '0');
      await check(b, 'RPUSH', K2, 'v1', 'v2');
      await same(p);
      await check(b, 'LRANGE', K2, '0', '-1');
      await check(b, 'DEL', K2);
      p = await block(ctl, a, 1, 'BRPOP', K1, K2, '10');
      await check(b, 'LPUSH', K1, 'w1', 'w2');
      await same(p);
      await check(b, 'DEL', K1, K2);
      p = await block(ctl, a, 1, 'BLMOVE', SRC, DST, 'RIGHT', 'LEFT', '0');
      await check(b, 'RPUSH', SRC, 's1', 's2');
      await same(p);
      await check(b, 'LRANGE', DST, '0', '-1');
      await check(b, 'LRANGE', SRC, '0', '-1');
      await check(b, 'DEL', SRC, DST);
      p = await block(ctl, a, 1, 'BRPOPLPUSH', SRC, DST, '0');
      await check(b, 'LPUSH', SRC, 't1');
      await same(p);
      await check(b, 'LRANGE', DST, '0', '-1');
      p = await block(ctl, a, 1, 'BLMPOP', '0', '2', K1, K2, 'RIGHT', 'COUNT', '2');
      await check(b, 'RPUSH', K2, 'x', 'y', 'z');
      await same(p);
      await check(b, 'LRANGE', K2, '0', '-1');
      p = await block(ctl, a, 1, 'BZPOPMIN', ZK1, ZK2, '0');
      await check(b, 'ZADD', ZK2, '2', 'b', '1.5', 'a');
      await same(p);
      p = await block(ctl, a, 1, 'BZPOPMAX', 'nozset', ZK1, '0');
      await check(b, 'ZADD', ZK1, '7', 'q', '8', 'r');
      await same(p);
      await check(b, 'DEL', ZK1, ZK2);
      p = await block(ctl, a, 1, 'BZMPOP', '0', '2', ZK1, ZK2, 'MAX', 'COUNT', '2');
      await check(b, 'ZADD', ZK1, '1', 'a', '2', 'b', '3', 'c');
      await same(p);
      await check(b, 'ZRANGE', ZK1, '0', '-1', 'WITHSCORES');
      await waitBlocked(ctl, 0);
    });

    it(`FIFO: the oldest blocked client is served first ${P}`, async () => {
      const [ctl, a, b, c, d] = await sessions(env, 5, resp3);
      const pa = await block(ctl, a, 1, 'BLPOP', K1, '0');
      const pb = await block(ctl, b, 2, 'BLPOP', K2, K1, '0');
      const pc = await block(ctl, c, 3, 'BRPOP', K1, '0');
      await check(d, 'RPUSH', K1, '1', '2', '3', '4');
      await same(pa, 'a');
      await same(pb, 'b');
      await same(pc, 'c');
      await check(d, 'LRANGE', K1, '0', '-1');
      // one element for three waiters: the first gets it, the others keep their places
      const qa = await block(ctl, a, 1, 'BZPOPMIN', ZK1, '0');
      const qb = await block(ctl, b, 2, 'BZMPOP', '0', '1', ZK1, 'MIN', 'COUNT', '10');
      const qc = await block(ctl, c, 3, 'BZPOPMAX', ZK2, ZK1, '0');
      await check(d, 'ZADD', ZK1, '1', 'one');
      await same(qa, 'a');
      await waitBlocked(ctl, 2);
      await check(d, 'ZADD', ZK1, '2', 'two', '3', 'three');
      await same(qb, 'b');
      await waitBlocked(ctl, 1);
      await check(d, 'ZADD', ZK2, '5', 'five');
      await same(qc, 'c');
      await check(d, 'EXISTS', ZK1, ZK2);
    });

    it(`a push of several elements serves several clients, BLMPOP takes COUNT ${P}`, async () => {
      const [ctl, a, b, c, d] = await sessions(env, 5, resp3);
      const pa = await block(ctl, a, 1, 'BLMPOP', '0', '2', K1, K2, 'LEFT', 'COUNT', '2');
      const pb = await block(ctl, b, 2, 'BLMPOP', '0', '1', K2, 'RIGHT', 'COUNT', '5');
      const pc = await block(ctl, c, 3, 'BLPOP', K2, '0');
      await check(d, 'RPUSH', K2, '1', '2', '3');
      await same(pa, 'a');
      await same(pb, 'b');
      await waitBlocked(ctl, 1);
      await check(d, 'EXISTS', K2);
      await check(d, 'LPUSH', K2, 'last');
      await same(pc, 'c');
    });

    it(`BLMOVE chains: a served BLMOVE fills the key another client waits on ${P}`, async () => {
      const [ctl, a, b, c, d] = await sessions(env, 5, resp3);
      const pa = await block(ctl, a, 1, 'BLMOVE', SRC, DST, 'LEFT', 'RIGHT', '0');
      const pb = await block(ctl, b, 2, 'BRPOPLPUSH', DST, K1, '0');
      const pc = await block(ctl, c, 3, 'BLPOP', K1, '0');
      await check(d, 'RPUSH', SRC, 'm1', 'm2');
      await same(pa, 'a');
      await same(pb, 'b');
      await same(pc, 'c');
      await check(d, 'LRANGE', SRC, '0', '-1');
      await check(d, 'EXISTS', DST, K1);
      // BLMOVE onto its own source, then a BLPOP on the same key
      const qa = await block(ctl, a, 1, 'BLMOVE', K2, K2, 'RIGHT', 'LEFT', '0');
      const qb = await block(ctl, b, 2, 'BLPOP', K2, '0');
      await check(d, 'RPUSH', K2, 'x');
      await same(qa, 'a');
      await same(qb, 'b');
      await check(d, 'EXISTS', K2);
    });

    it(`keys created by other commands serve blocked clients ${P}`, async () => {
      const [ctl, a, d] = await sessions(env, 3, resp3);
      const steps: Array<{ wait: Arg[]; fill: Arg[][] }> = [
        { wait: ['BLPOP', K1, '0'], fill: [['RPUSH', 'tmp', 'v'], ['LMOVE', 'tmp', K1, 'LEFT', 'LEFT']] },
        { wait: ['BRPOP', K2, '0'], fill: [['RPUSH', 'tmp', 'v'], ['RPOPLPUSH', 'tmp', K2]] },
        { wait: ['BLPOP', K1, '0'], fill: [['RPUSH', 'tmp', 'r'], ['RENAME', 'tmp', K1]] },
        { wait: ['BLPOP', K2, '0'], fill: [['RPUSH', 'tmp', 'c'], ['COPY', 'tmp', K2]] },
        { wait: ['BLPOP', K1, '0'], fill: [['SELECT', '1'], ['RPUSH', K1, 'm'], ['MOVE', K1, '0'], ['SELECT', '0']] },
        { wait: ['BLPOP', K2, '0'], fill: [['RPUSH', 'tmp', '3', '1', '2'], ['SORT', 'tmp', 'STORE', K2]] },
        { wait: ['BZPOPMIN', ZK1, '0'], fill: [['ZADD', 'tz1', '1', 'a'], ['ZUNIONSTORE', ZK1, '1', 'tz1']] },
        { wait: ['BZPOPMAX', ZK2, '0'], fill: [['ZADD', 'tz2', '1', 'a', '2', 'b'], ['ZINTERSTORE', ZK2, '2', 'tz1', 'tz2']] },
        { wait: ['BZPOPMIN', ZK1, '0'], fill: [['ZDIFFSTORE', ZK1, '1', 'tz2']] },
        { wait: ['BZMPOP', '0', '1', ZK2, 'MIN', 'COUNT', '9'], fill: [['ZRANGESTORE', ZK2, 'tz2', '0', '-1']] },
        { wait: ['BZPOPMIN', ZK1, '0'], fill: [['ZADD', 'tmpz', '4', 'r'], ['RENAME', 'tmpz', ZK1]] },
      ];
      for (const s of steps) {
        const p = await block(ctl, a, 1, ...s.wait);
        for (const cmd of s.fill) await check(d, ...cmd);
        await same(p, s.fill.map((f) => f.join(' ')).join('; '));
        await check(d, 'DEL', 'tmp', 'tmpz', K1, K2, ZK1, ZK2);
      }
      // SWAPDB: a list waiting in the other db comes into view
      await check(d, 'SELECT', '1');
      await check(d, 'RPUSH', K1, 'from-db1');
      const p = await block(ctl, a, 1, 'BLPOP', K1, '0');
      await check(d, 'SWAPDB', '0', '1');
      await same(p, 'SWAPDB');
      await check(d, 'SELECT', '0');
      await check(d, 'DBSIZE');
    });

    it(`type changes: wrong-type keys do not serve, the client keeps waiting ${P}`, async () => {
      const [ctl, a, b, d] = await sessions(env, 4, resp3);
      // a string is set and deleted while BLPOP waits
      const p = await block(ctl, a, 1, 'BLPOP', K1, '0');
      await check(d, 'SET', K1, 'str');
      await check(d, 'BLPOP', K1, '0');
      await check(d, 'GET', K1);
      await waitBlocked(ctl, 1);
      await check(d, 'DEL', K1);
      await check(d, 'RPUSH', K1, 'list-now');
      await same(p);
      // the key becomes a zset while BLPOP waits; a BZPOPMIN behind it is served first
      const pa = await block(ctl, a, 1, 'BLPOP', K2, '0');
      const pb = await block(ctl, b, 2, 'BZPOPMIN', K2, '0');
      await check(d, 'ZADD', K2, '1', 'm');
      await same(pb, 'BZPOPMIN');
      await check(d, 'ZADD', K2, '2', 'n');
      await check(d, 'ZCARD', K2);
      await waitBlocked(ctl, 1);
      await check(d, 'RPUSH', K2, 'x');
      await check(d, 'DEL', K2);
      await check(d, 'RPUSH', K2, 'x');
      await same(pa, 'BLPOP');
      await check(d, 'EXISTS', K2);
      // BLMOVE whose destination has the wrong type when it is served: WRONGTYPE, nothing moved
      await check(d, 'SET', DST, 'str');
      const pm = await block(ctl, a, 1, 'BLMOVE', SRC, DST, 'LEFT', 'LEFT', '0');
      await check(d, 'RPUSH', SRC, 'e');
      await same(pm, 'BLMOVE');
      await check(d, 'LRANGE', SRC, '0', '-1');
    });

    it(`CLIENT UNBLOCK, INFO blocked_clients, CLIENT LIST flag b ${P}`, async () => {
      const [ctl, a, b] = await sessions(env, 3, resp3);
      const ida = await clientIds(a);
      const idb = await clientIds(b);
      const both = (sub: string[], id: { sabre: string; redis: string }): Pending => ({
        args: ['CLIENT', ...sub],
        sabre: ctl.sabre.call('CLIENT', 'UNBLOCK', id.sabre, ...sub),
        redis: ctl.redis.call('CLIENT', 'UNBLOCK', id.redis, ...sub),
      });
      await same(both([], ida), 'not blocked');
      const pa = await block(ctl, a, 1, 'BLPOP', K1, '0');
      const pb = await block(ctl, b, 2, 'BZMPOP', '100', '1', ZK1, 'MIN');
      const info = await ctl.both(['INFO', 'clients']);
      expect(infoField(info.sabre, 'blocked_clients')).toBe(infoField(info.redis, 'blocked_clients'));
      expect(infoField(info.sabre, 'clients_in_timeout_table')).toBe(infoField(info.redis, 'clients_in_timeout_table'));
      const list = await ctl.both(['CLIENT', 'LIST']);
      const flags = (b: Buffer): string[] =>
        b
          .toString('latin1')
          .split('\n')
          .filter((l) => l.includes(' flags=b '))
          .map((l) => `${/ flags=(\S+)/.exec(l)![1]} ${/ cmd=(\S+)/.exec(l)![1]}`)
          .sort();
      expect(flags(list.sabre)).toEqual(flags(list.redis));
      await same(both(['TIMEOUT'], ida), 'unblock timeout');
      await same(pa, 'a unblocked (timeout)');
      await same(both(['ERROR'], idb), 'unblock error');
      await same(pb, 'b unblocked (error)');
      await same(both(['ERROR'], idb), 'no longer blocked');
      await waitBlocked(ctl, 0);
      // the unblocked clients work normally
      await check(a, 'RPUSH', K1, 'v');
      await check(b, 'BLPOP', K1, '0');
      // a negative timeout that rounds up to 0 ms blocks forever
      for (const t of ['-0.0001', '-0.001', '-0x1p-10', '-0', '0.0', '0e5']) {
        const p = await block(ctl, a, 1, 'BLPOP', K1, t);
        await same(both([], ida), t);
        await same(p, t);
      }
      await check(ctl, 'CLIENT', 'UNBLOCK', '1', 'maybe');
      await check(ctl, 'CLIENT', 'UNBLOCK', 'x', 'maybe');
      await check(ctl, 'CLIENT', 'UNBLOCK', 'x');
      await check(ctl, 'CLIENT', 'UNBLOCK', '1', 'TIMEOUT', 'x');
      const stats = await ctl.both(['INFO', 'errorstats']);
      expect(/errorstat_UNBLOCKED:count=(\d+)/.exec(stats.sabre.toString('latin1'))?.[1]).toBe(
        /errorstat_UNBLOCKED:count=(\d+)/.exec(stats.redis.toString('latin1'))?.[1],
      );
    });

    it(`a blocked client does not hold up other clients ${P}`, async () => {
      const [ctl, a, b] = await sessions(env, 3, resp3);
      const pa = await block(ctl, a, 1, 'BLPOP', K1, K2, '0');
      const cmds: Arg[][] = [
        ['SET', 'x', '1'],
        ['INCR', 'x'],
        ['RPUSH', 'other', 'a', 'b'],
        ['LPOP', 'other'],
        ['ZADD', 'zz', '1', 'a'],
        ['MSET', K1 + 'x', '1', K2 + 'x', '2'],
        ['BLPOP', 'other', '0'],
        ['GET', 'x'],
        ['DBSIZE'],
      ];
      for (const c of cmds) await check(b, ...c);
      await waitBlocked(ctl, 1);
      await check(b, 'LPUSH', K2, 'done');
      await same(pa);
    });

    it(`disconnecting while blocked: the next client is served ${P}`, async () => {
      const [ctl, a, b, d] = await sessions(env, 4, resp3);
      ignore(send(a, 'BLPOP', K1, '0'));
      await waitBlocked(ctl, 1);
      const pb = await block(ctl, b, 2, 'BLPOP', K1, '0');
      a.sabre.close();
      a.redis.close();
      await waitBlocked(ctl, 1);
      await check(d, 'RPUSH', K1, 'v1', 'v2');
      await same(pb);
      await check(d, 'LRANGE', K1, '0', '-1');
      // killed by CLIENT KILL
      const idb = await clientIds(b);
      ignore(send(b, 'BLPOP', K2, '0'));
      await waitBlocked(ctl, 1);
      await same({ args: ['CLIENT', 'KILL', 'ID'], sabre: ctl.sabre.call('CLIENT', 'KILL', 'ID', idb.sabre), redis: ctl.redis.call('CLIENT', 'KILL', 'ID', idb.redis) });
      await waitBlocked(ctl, 0);
      await check(d, 'RPUSH', K2, 'kept');
      await check(d, 'LRANGE', K2, '0', '-1');
    });

    it(`clients wait on keys of their own db ${P}`, async () => {
      const [ctl, a, d] = await sessions(env, 3, resp3);
      await check(a, 'SELECT', '3');
      const p = await block(ctl, a, 1, 'BLPOP', K1, K2, '0');
      await check(d, 'RPUSH', K1, 'db0');
      await check(d, 'SELECT', '3');
      await check(d, 'LLEN', K1);
      await waitBlocked(ctl, 1);
      await check(d, 'RPUSH', K2, 'db3');
      await same(p);
      await check(a, 'SELECT', '0');
      await check(a, 'BLPOP', K1, '0');
    });

    it(`commands pipelined after a blocking command wait for it ${P}`, async () => {
      const [ctl, a, d] = await sessions(env, 3, resp3);
      const cmds: Arg[][] = [['BLPOP', K1, '0'], ['PING'], ['LLEN', K1], ['RPUSH', K2, 'after'], ['BLPOP', K2, '0'], ['BRPOP', K1, '0.01'], ['GET', K1]];
      const sabre = a.sabre.pipeline(cmds);
      const redis = a.redis.pipeline(cmds);
      await waitBlocked(ctl, 1);
      // nothing after the BLPOP ran: K2 was not pushed yet
      await check(d, 'EXISTS', K2);
      await check(d, 'RPUSH', K1, 'x', 'y');
      const [s, r] = await Promise.all([sabre, redis]);
      expect(s.map((x) => escapeBytes(x))).toEqual(r.map((x) => escapeBytes(x)));
      await check(d, 'LRANGE', K1, '0', '-1');
      await waitBlocked(ctl, 0);
    });
  }

  it('the idle timeout does not close blocked clients', async () => {
    const [ctl, a, idle] = await sessions(env, 3);
    await check(ctl, 'CONFIG', 'SET', 'timeout', '1');
    try {
      const p = await block(ctl, a, 1, 'BLPOP', K1, '0');
      // the idle client is closed by both servers (ctl stays active meanwhile); the blocked one stays
      const until = Date.now() + 15_000;
      while (!(idle.sabre.closed && idle.redis.closed) && Date.now() < until) {
        await ctl.both(['PING']);
        await sleep(50);
      }
      expect([idle.sabre.closed, idle.redis.closed]).toEqual([true, true]);
      await waitBlocked(ctl, 1);
      await check(ctl, 'RPUSH', K1, 'still-here');
      await same(p);
    } finally {
      await check(ctl, 'CONFIG', 'SET', 'timeout', '0');
    }
  });
});
