// Expiry semantics: expired keys are never visible (lazy expiry on every read
// path) and untouched expired keys are reclaimed by the active expire cycle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, parseReply } from '../helpers/raw';
import { SHARD_CONFIGS, sleep, startRedis, startSabre, stopAll, type ServerHandle } from '../helpers/servers';

function bulks(raw: Buffer): Array<string | null> {
  const { node } = parseReply(raw);
  if (!node.items) throw new Error(`not an array: ${raw.toString('latin1')}`);
  return node.items.map((n) => (n.data === null || n.type === '_' ? null : n.data.toString('latin1')));
}

async function scanAll(c: RawClient, extra: string[] = []): Promise<string[]> {
  let cursor = '0';
  const out: string[] = [];
  for (let i = 0; i < 100_000; i++) {
    const { node } = parseReply(await c.call('SCAN', cursor, ...extra));
    cursor = node.items![0]!.data!.toString();
    for (const k of node.items![1]!.items ?? []) out.push(k.data!.toString());
    if (cursor === '0') return out;
  }
  throw new Error('SCAN did not terminate');
}

for (const shards of SHARD_CONFIGS) {
  describe(`expiry (sabre --shards ${shards})`, () => {
    let server: ServerHandle | null = null;
    let c: RawClient;
    beforeAll(async () => {
      server = await startSabre({ shards, args: ['--enable-debug-command', 'yes'] });
      c = await RawClient.connect(server.port);
    });
    afterAll(async () => {
      c?.close();
      await stopAll(server);
    });

    it('DEBUG SET-ACTIVE-EXPIRE 0 leaves expired keys to lazy expiry; 1 lets the cycle reclaim them again', async () => {
      await c.call('FLUSHALL');
      expect((await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toString()).toBe('+OK\r\n');
      try {
        await c.pipeline(Array.from({ length: 200 }, (_, i) => ['SET', `sae:{${i % 7}}:${i}`, 'v', 'PX', '20']));
        await sleep(500);
        // nothing reads them and the cycle is off: DBSIZE (which does not look at TTLs) still counts them all
        expect((await c.call('DBSIZE')).toString()).toBe(':200\r\n');
      } finally {
        expect((await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1')).toString()).toBe('+OK\r\n');
      }
      let size = '';
      for (let i = 0; i < 100 && size !== ':0\r\n'; i++) {
        await sleep(20);
        size = (await c.call('DBSIZE')).toString();
      }
      expect(size).toBe(':0\r\n');
    });

    it('keys set with PX 50 are invisible to every read path once expired', async () => {
      await c.call('FLUSHALL');
      const groups = ['get', 'exists', 'mget', 'keys', 'scan', 'misc', 'ttl'] as const;
      const N = 40;
      const cmds: string[][] = [];
      for (const g of groups) for (let i = 0; i < N; i++) cmds.push(['SET', `exp:${g}:${i}`, `v${i}`, 'PX', '50']);
      for (let i = 0; i < 10; i++) cmds.push(['SET', `keep:${i}`, 'x']);
      cmds.push(['SET', 'keep:ttl', 'x', 'EX', '1000']);
      const replies = await c.pipeline(cmds);
      const setDoneAt = Date.now();
      expect(replies.every((r) => r.toString() === '+OK\r\n')).toBe(true);
      // all keys were stored no later than setDoneAt and expire 50 ms later
      await sleep(50 + 100);
      while (Date.now() - setDoneAt < 150) await sleep(10);

      // KEYS / SCAN first: they must filter expired keys even before any lazy deletion
      const keys = bulks(await c.call('KEYS', '*')).sort();
      const expectedKeep = [...Array.from({ length: 10 }, (_, i) => `keep:${i}`), 'keep:ttl'].sort();
      expect(keys).toEqual(expectedKeep);
      expect(bulks(await c.call('KEYS', 'exp:*'))).toEqual([]);
      expect((await scanAll(c)).sort()).toEqual(expectedKeep);
      expect(await scanAll(c, ['MATCH', 'exp:*', 'COUNT', '1000'])).toEqual([]);

      for (let i = 0; i < N; i++) {
        expect((await c.call('GET', `exp:get:${i}`)).toString()).toBe('$-1\r\n');
        expect((await c.call('EXISTS', `exp:exists:${i}`)).toString()).toBe(':0\r\n');
      }
      const mget = bulks(await c.call('MGET', ...Array.from({ length: N }, (_, i) => `exp:mget:${i}`), 'keep:1'));
      expect(mget).toEqual([...Array.from({ length: N }, () => null), 'x']);

      const misc = await c.pipeline([
        ['TYPE', 'exp:misc:0'],
        ['STRLEN', 'exp:misc:1'],
        ['GETRANGE', 'exp:misc:2', '0', '-1'],
        ['APPEND', 'exp:misc:3', 'new'],
        ['GET', 'exp:misc:3'],
        ['INCR', 'exp:misc:4'],
        ['RENAME', 'exp:misc:5', 'exp:misc:renamed'],
        ['RENAMENX', 'exp:misc:6', 'keep:0'],
        ['COPY', 'exp:misc:7', 'exp:misc:copy'],
        ['MOVE', 'exp:misc:8', '1'],
        ['SETNX', 'exp:misc:9', 'fresh'],
        ['GET', 'exp:misc:9'],
        ['SET', 'exp:misc:10', 'y', 'NX'],
        ['SET', 'exp:misc:11', 'y', 'XX'],
        ['GETDEL', 'exp:misc:12'],
        ['GETEX', 'exp:misc:13', 'PERSIST'],
        ['GETSET', 'exp:misc:14', 'z'],
        ['MSETNX', 'exp:misc:15', 'a', 'exp:misc:16', 'b'],
        ['EXPIRE', 'exp:misc:17', '100'],
        ['PERSIST', 'exp:misc:18'],
        ['TOUCH', 'exp:misc:19', 'exp:misc:20'],
        ['DEL', 'exp:misc:21', 'exp:misc:22'],
        ['LCS', 'exp:misc:23', 'keep:0'],
        ['OBJECT', 'ENCODING', 'exp:misc:24'],
        ['RANDOMKEY'],
      ]);
      expect(misc.map((b) => b.toString('latin1'))).toEqual([
        '+none\r\n',
        ':0\r\n',
        '$0\r\n\r\n',
        ':3\r\n',
        '$3\r\nnew\r\n',
        ':1\r\n',
        '-ERR no such key\r\n',
        '-ERR no such key\r\n',
        ':0\r\n',
        ':0\r\n',
        ':1\r\n',
        '$5\r\nfresh\r\n',
        '+OK\r\n',
        '$-1\r\n',
        '$-1\r\n',
        '$-1\r\n',
        '$-1\r\n',
        ':1\r\n',
        ':0\r\n',
        ':0\r\n',
        ':0\r\n',
        ':0\r\n',
        '$0\r\n\r\n',
        '$-1\r\n',
        misc[24]!.toString('latin1'), // RANDOMKEY: checked below
      ]);
      const rk = parseReply(misc[24]!).node.data?.toString();
      const live = [...expectedKeep, ...[3, 4, 9, 10, 14, 15, 16].map((i) => `exp:misc:${i}`)];
      expect(live, 'RANDOMKEY must return a live key').toContain(rk);
      for (let i = 0; i < N; i++) {
        expect((await c.call('TTL', `exp:ttl:${i}`)).toString()).toBe(':-2\r\n');
      }
      const t = await c.call('TTL', 'keep:ttl');
      expect(Number(t.toString().slice(1))).toBeGreaterThan(900);
    });

    it('a key expiring during a pipeline is gone for the commands after the pause', async () => {
      // the commands of one read share a clock reading (ExecContext.tick); a
      // slow main-thread command must not leave later ones with a stale time
      await c.call('FLUSHALL');
      const replies = await c.pipeline([
        ['SET', 'pipe:exp', 'v', 'PX', '40'],
        ['GET', 'pipe:exp'],
        ['DEBUG', 'SLEEP', '0.1'],
        ['GET', 'pipe:exp'],
        ['EXISTS', 'pipe:exp'],
      ]);
      expect(replies.map((r) => r.toString())).toEqual(['+OK\r\n', '$1\r\nv\r\n', '+OK\r\n', '$-1\r\n', ':0\r\n']);
    });

    it('INFO expired_keys counts keys expired on access or replaced, CONFIG RESETSTAT clears it (as Redis)', async () => {
      const expired = async (cl: RawClient): Promise<number> => {
        const info = parseReply(await cl.call('INFO', 'stats')).node.data!.toString();
        return Number(/^expired_keys:(\d+)\r$/m.exec(info)![1]);
      };
      const scenario = async (cl: RawClient): Promise<number[]> => {
        await cl.call('FLUSHALL');
        await cl.call('CONFIG', 'RESETSTAT');
        const seen = [await expired(cl)];
        await cl.pipeline([
          ['SET', 'lazy:a', 'v', 'PX', '1'],
          ['SET', 'lazy:b', 'v', 'PX', '1'],
        ]);
        await sleep(30);
        await cl.pipeline([['GET', 'lazy:a'], ['SET', 'lazy:b', 'x']]);
        seen.push(await expired(cl));
        await cl.call('CONFIG', 'RESETSTAT');
        seen.push(await expired(cl));
        return seen;
      };
      expect(await scenario(c)).toEqual([0, 2, 0]);
      const redis = await startRedis();
      if (redis !== null) {
        const rc = await RawClient.connect(redis.port);
        try {
          expect(await scenario(rc), 'redis-server agrees').toEqual([0, 2, 0]);
        } finally {
          rc.close();
          await stopAll(redis);
        }
      }
    });

    it('untouched expired keys are reclaimed by the active expire cycle', async () => {
      await c.call('FLUSHALL');
      const cmds: string[][] = [];
      for (let i = 0; i < 1000; i++) cmds.push(['SET', `active:${i}`, `v${i}`, 'PX', '100']);
      for (let i = 0; i < 10; i++) cmds.push(['SET', `stay:${i}`, 'x']);
      await c.pipeline(cmds);
      // also in another database
      await c.pipeline([['SELECT', '2'], ...Array.from({ length: 200 }, (_, i) => ['SET', `db2:${i}`, 'v', 'PX', '100']), ['SELECT', '0']]);

      // poll (bounded) DBSIZE without touching the keys; hz 10 default
      let size = -1;
      for (let i = 0; i < 60; i++) {
        await sleep(100);
        size = Number((await c.call('DBSIZE')).toString().slice(1));
        if (size === 10) break;
      }
      expect(size, 'DBSIZE after waiting for the active expire cycle').toBe(10);

      let info = '';
      for (let i = 0; i < 30; i++) {
        info = parseReply(await c.call('INFO', 'keyspace')).node.data!.toString();
        if (/^db0:keys=10,expires=0,/m.test(info) && !/^db2:/m.test(info)) break;
        await sleep(100);
      }
      expect(info).toMatch(/^# Keyspace\r\n/);
      expect(info).toMatch(/^db0:keys=10,expires=0,avg_ttl=\d+\r$/m);
      expect(info, 'db2 only had expired keys and must disappear from INFO keyspace').not.toMatch(/^db2:/m);
      // redis resets avg_ttl to 0 on the next active-expire cycle once a db has no volatile keys
      for (let i = 0; i < 30 && !/^db0:keys=10,expires=0,avg_ttl=0\r$/m.test(info); i++) {
        await sleep(100);
        info = parseReply(await c.call('INFO', 'keyspace')).node.data!.toString();
      }
      expect(info, 'avg_ttl must go back to 0 once db0 has no keys with an expire').toMatch(/^db0:keys=10,expires=0,avg_ttl=0\r$/m);
    });
  });
}
