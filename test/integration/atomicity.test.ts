// Cross-shard atomicity under concurrency: Sabre with --shards 2, many clients.
// Multi-key commands must be atomic even when their keys live on different shards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, escapeBytes, parseReply } from '../helpers/raw';
import { startSabre, stopAll, type ServerHandle } from '../helpers/servers';

const DURATION_MS = Number(process.env.SABRE_ATOMICITY_MS ?? 4000);
const MAX_ROUNDS = 200_000; // hard bound on every loop
const BATCH = 8; // commands in flight per client

const KEYS = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'];

function bulkItems(raw: Buffer): Array<string | null> {
  const { node } = parseReply(raw);
  if (node.type !== '*' || !node.items) throw new Error(`expected an array reply, got ${escapeBytes(raw)}`);
  return node.items.map((i) => (i.data === null || i.type === '_' ? null : i.data.toString('latin1')));
}

describe('cross-shard atomicity (sabre --shards 2)', () => {
  let server: ServerHandle | null = null;
  const clients: RawClient[] = [];
  beforeAll(async () => {
    server = await startSabre({ shards: 2 });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await stopAll(server);
  });
  const connect = async () => {
    const c = await RawClient.connect(server!.port);
    c.timeoutMs = 30_000;
    clients.push(c);
    return c;
  };

  it('MSET k1..k8 is never observed half-applied by MGET', async () => {
    const setup = await connect();
    expect((await setup.call('MSET', ...KEYS.flatMap((k) => [k, 'init']))).toString()).toBe('+OK\r\n');
    const deadline = Date.now() + DURATION_MS;
    const violations: string[] = [];
    let reads = 0;
    let writes = 0;

    const writer = async (id: number) => {
      const c = await connect();
      for (let round = 0; round < MAX_ROUNDS && Date.now() < deadline && violations.length === 0; round++) {
        const cmds = Array.from({ length: BATCH }, (_, j) => {
          const v = `w${id}-${round}-${j}`;
          return ['MSET', ...KEYS.flatMap((k) => [k, v])];
        });
        const replies = await c.pipeline(cmds);
        for (const r of replies) if (r.toString() !== '+OK\r\n') violations.push(`MSET replied ${escapeBytes(r)}`);
        writes += BATCH;
      }
    };
    const reader = async () => {
      const c = await connect();
      for (let round = 0; round < MAX_ROUNDS && Date.now() < deadline && violations.length === 0; round++) {
        const replies = await c.pipeline(Array.from({ length: BATCH }, () => ['MGET', ...KEYS]));
        for (const r of replies) {
          const vals = bulkItems(r);
          if (vals.length !== KEYS.length || vals.some((v) => v !== vals[0])) {
            violations.push(`MGET ${KEYS.join(' ')} -> ${JSON.stringify(vals)}`);
          }
        }
        reads += BATCH;
      }
    };
    await Promise.all([...Array.from({ length: 8 }, (_, i) => writer(i)), ...Array.from({ length: 8 }, () => reader())]);
    expect(violations.slice(0, 10), `torn reads after ${writes} MSETs / ${reads} MGETs`).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    expect(writes).toBeGreaterThan(0);
  });

  it('RENAME ping-pong between shards: exactly one of the two keys exists at any time', async () => {
    // several pairs so that at least some of them span both shards whatever the hash function
    const PAIRS: Array<[string, string]> = [
      ['a', 'b'],
      ['x', 'y'],
      ['ren:1', 'ren:2'],
      ['foo', 'bar'],
    ];
    const setup = await connect();
    for (const [a, b] of PAIRS) {
      await setup.call('DEL', a, b);
      await setup.call('SET', a, 'payload');
    }
    const deadline = Date.now() + DURATION_MS;
    const violations: string[] = [];
    let renames = 0;
    let checks = 0;

    const renamer = async () => {
      const c = await connect();
      for (let round = 0; round < MAX_ROUNDS && Date.now() < deadline && violations.length === 0; round++) {
        const cmds: string[][] = [];
        for (const [a, b] of PAIRS) cmds.push(['RENAME', a, b], ['RENAME', b, a]);
        const replies = await c.pipeline(cmds);
        for (const r of replies) {
          const s = r.toString();
          // with two concurrent renamers "no such key" is legitimate; anything else is not
          if (s !== '+OK\r\n' && s !== '-ERR no such key\r\n') violations.push(`RENAME replied ${escapeBytes(r)}`);
          else if (s === '+OK\r\n') renames++;
        }
      }
    };
    const checker = async () => {
      const c = await connect();
      for (let round = 0; round < MAX_ROUNDS && Date.now() < deadline && violations.length === 0; round++) {
        const cmds: string[][] = [];
        for (const [a, b] of PAIRS) cmds.push(['EXISTS', a, b], ['MGET', a, b]);
        const replies = await c.pipeline(cmds);
        PAIRS.forEach(([a, b], i) => {
          const ex = replies[2 * i]!.toString();
          if (ex !== ':1\r\n') violations.push(`EXISTS ${a} ${b} -> ${escapeBytes(ex)}`);
          const vals = bulkItems(replies[2 * i + 1]!);
          const present = vals.filter((v) => v !== null);
          if (present.length !== 1 || present[0] !== 'payload') violations.push(`MGET ${a} ${b} -> ${JSON.stringify(vals)}`);
        });
        checks++;
      }
    };
    await Promise.all([renamer(), renamer(), ...Array.from({ length: 8 }, () => checker())]);
    expect(violations.slice(0, 10), `after ${renames} renames / ${checks} check rounds`).toEqual([]);
    expect(renames).toBeGreaterThan(0);
    // final state: still exactly one key per pair
    for (const [a, b] of PAIRS) expect((await setup.call('EXISTS', a, b)).toString()).toBe(':1\r\n');
  });

  it('MSETNX across shards is all-or-nothing under contention', async () => {
    const setup = await connect();
    const deadline = Date.now() + Math.min(DURATION_MS, 3000);
    const violations: string[] = [];
    let rounds = 0;
    const groupA = ['nx1', 'nx2', 'nx3', 'nx4'];
    const cs = await Promise.all(Array.from({ length: 6 }, () => connect()));
    for (let round = 0; round < 2000 && Date.now() < deadline && violations.length === 0; round++) {
      await setup.call('DEL', ...groupA);
      // 6 clients race to MSETNX the same keys with their own value: exactly one may win
      const replies = await Promise.all(cs.map((c, i) => c.call('MSETNX', ...groupA.flatMap((k) => [k, `c${i}`]))));
      const winners = replies.filter((r) => r.toString() === ':1\r\n').length;
      if (winners !== 1) violations.push(`round ${round}: ${winners} MSETNX winners`);
      const vals = bulkItems(await setup.call('MGET', ...groupA));
      if (vals.some((v) => v === null || v !== vals[0])) violations.push(`round ${round}: MGET -> ${JSON.stringify(vals)}`);
      rounds++;
    }
    expect(violations.slice(0, 10), `after ${rounds} rounds`).toEqual([]);
  });
});
