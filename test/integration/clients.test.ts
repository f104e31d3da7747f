// Real client libraries and redis-cli against a running Sabre.
import { spawn } from 'node:child_process';
import Redis from 'ioredis';
import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCommand } from '../helpers/raw';
import { SHARD_CONFIGS, redisCliBin, startSabre, stopAll, type ServerHandle } from '../helpers/servers';

function cli(port: number, args: string[], input?: Buffer): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(redisCliBin()!, ['-h', '127.0.0.1', '-p', String(port), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`redis-cli ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 50_000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
    if (input) p.stdin.end(input);
    else p.stdin.end();
  });
}


if (redisCliBin() === null) console.warn('\n[sabre-tests] WARNING: redis-cli is missing; SKIPPING the redis-cli tests.\n');

for (const shards of SHARD_CONFIGS) {
  describe(`client libraries against sabre --shards ${shards}`, () => {
    let server: ServerHandle | null = null;
    beforeAll(async () => {
      server = await startSabre({ shards });
    });
    afterAll(async () => {
      await stopAll(server);
    });

    describe('ioredis', () => {
      let r: Redis;
      beforeAll(async () => {
        r = new Redis({
          host: '127.0.0.1',
          port: server!.port,
          lazyConnect: true,
          maxRetriesPerRequest: 1,
          retryStrategy: () => null,
        });
        r.on('error', () => undefined);
        await r.connect();
        await r.flushall();
      });
      afterAll(async () => {
        r?.disconnect();
      });

      it('set/get/del/exists', async () => {
        expect(await r.set('io:a', 'hello')).toBe('OK');
        expect(await r.get('io:a')).toBe('hello');
        expect(await r.get('io:missing')).toBeNull();
        expect(await r.exists('io:a', 'io:missing', 'io:a')).toBe(2);
        expect(await r.del('io:a')).toBe(1);
        expect(await r.get('io:a')).toBeNull();
      });

      it('mset/mget across shards', async () => {
        const kv: Record<string, string> = {};
        for (let i = 0; i < 50; i++) kv[`io:m${i}`] = `v${i}`;
        expect(await r.mset(kv)).toBe('OK');
        const got = await r.mget(...Object.keys(kv), 'io:nope');
        expect(got).toEqual([...Object.values(kv), null]);
        expect(await r.del(...Object.keys(kv))).toBe(50);
      });

      it('pipeline', async () => {
        const p = r.pipeline();
        for (let i = 0; i < 200; i++) p.set(`io:p${i}`, String(i));
        for (let i = 0; i < 200; i++) p.incr(`io:p${i}`);
        p.get('io:p199');
        const res = await p.exec();
        expect(res).not.toBeNull();
        expect(res!.length).toBe(401);
        for (const [err] of res!) expect(err).toBeNull();
        expect(res![200]).toEqual([null, 1]);
        expect(res![400]).toEqual([null, '200']);
      });

      it('incr/incrby/incrbyfloat/decr', async () => {
        expect(await r.incr('io:c')).toBe(1);
        expect(await r.incrby('io:c', 10)).toBe(11);
        expect(await r.decr('io:c')).toBe(10);
        expect(await r.incrbyfloat('io:c', '1.5')).toBe('11.5');
        await r.set('io:s', 'abc');
        await expect(r.incr('io:s')).rejects.toThrow('ERR value is not an integer or out of range');
      });

      it('expire/ttl/persist', async () => {
        await r.set('io:e', 'v');
        expect(await r.expire('io:e', 1000)).toBe(1);
        const t = await r.ttl('io:e');
        expect(t).toBeGreaterThan(990);
        expect(t).toBeLessThanOrEqual(1000);
        expect(await r.persist('io:e')).toBe(1);
        expect(await r.ttl('io:e')).toBe(-1);
        expect(await r.set('io:e2', 'v', 'PX', 60_000)).toBe('OK');
        expect(await r.pttl('io:e2')).toBeGreaterThan(0);
      });

      it('scanStream collects every key exactly once', async () => {
        const keys: string[] = [];
        for (let i = 0; i < 1000; i++) keys.push(`io:scan:${i}`);
        await r.mset(...keys.flatMap((k) => [k, 'x']));
        const seen: string[] = [];
        await new Promise<void>((resolve, reject) => {
          const s = r.scanStream({ match: 'io:scan:*', count: 37 });
          s.on('data', (batch: string[]) => seen.push(...batch));
          s.on('end', () => resolve());
          s.on('error', reject);
        });
        expect(seen.length).toBe(1000);
        expect([...seen].sort()).toEqual([...keys].sort());
      });

      it('binary Buffer keys and values', async () => {
        const key = Buffer.from([0, 1, 0xff, 0x80, 13, 10]);
        const val = Buffer.alloc(70_000);
        for (let i = 0; i < val.length; i++) val[i] = (i * 131) & 255;
        expect(await r.set(key, val)).toBe('OK');
        const got = await r.getBuffer(key);
        expect(got).not.toBeNull();
        expect(Buffer.compare(got!, val)).toBe(0);
        expect(await r.strlen(key)).toBe(70_000);
        const [g] = await r.mgetBuffer(key);
        expect(Buffer.compare(g!, val)).toBe(0);
      });

      it('select / dbsize / flushdb', async () => {
        const r2 = new Redis({ host: '127.0.0.1', port: server!.port, db: 3, lazyConnect: true, retryStrategy: () => null });
        r2.on('error', () => undefined);
        try {
          await r2.connect();
          await r2.flushdb();
          await r2.set('only-in-3', '1');
          expect(await r2.dbsize()).toBe(1);
          expect(await r.get('only-in-3')).toBeNull();
        } finally {
          r2.disconnect();
        }
      });
    });

    for (const RESP of [2, 3] as const) {
      describe(`node-redis RESP${RESP}`, () => {
        let c: ReturnType<typeof createClient<{}, {}, {}, 2 | 3>>;
        beforeAll(async () => {
          c = createClient({
            url: `redis://127.0.0.1:${server!.port}`,
            RESP,
            socket: { reconnectStrategy: false },
          });
          c.on('error', () => undefined);
          await c.connect();
          await c.flushAll();
        });
        afterAll(async () => {
          if (c?.isOpen) await c.close().catch(() => c.destroy());
        });

        it('set/get/del', async () => {
          expect(await c.set('nr:a', 'hello')).toBe('OK');
          expect(await c.get('nr:a')).toBe('hello');
          expect(await c.get('nr:missing')).toBeNull();
          expect(await c.set('nr:a', 'x', { NX: true })).toBeNull();
          expect(await c.set('nr:a', 'world', { GET: true })).toBe('hello');
          expect(await c.del(['nr:a', 'nr:missing'])).toBe(1);
        });

        it('mSet/mGet across shards', async () => {
          const entries: Array<[string, string]> = [];
          for (let i = 0; i < 40; i++) entries.push([`nr:m${i}`, `v${i}`]);
          expect(await c.mSet(entries)).toBe('OK');
          expect(await c.mGet([...entries.map(([k]) => k), 'nr:none'])).toEqual([...entries.map(([, v]) => v), null]);
        });

        it('pipelining (auto and execAsPipeline)', async () => {
          const ps: Array<Promise<unknown>> = [];
          for (let i = 0; i < 300; i++) ps.push(c.incr(`nr:ctr${i % 3}`));
          const res = (await Promise.all(ps)) as number[];
          expect(res.slice(0, 6)).toEqual([1, 1, 1, 2, 2, 2]);
          expect(res[299]).toBe(100);
          const out = await c.multi().set('nr:x', '1').incr('nr:x').get('nr:x').execAsPipeline();
          expect(out).toEqual(['OK', 2, '2']);
        });

        it('expire / ttl / pExpireTime', async () => {
          await c.set('nr:e', 'v');
          expect(await c.expire('nr:e', 500)).toBe(1);
          const t = await c.ttl('nr:e');
          expect(t).toBeGreaterThan(490);
          const at = Math.floor(Date.now() / 1000) + 10_000;
          expect(await c.expireAt('nr:e', at)).toBe(1);
          expect(await c.expireTime('nr:e')).toBe(at);
        });

        it('scanIterator visits every key exactly once', async () => {
          const keys = Array.from({ length: 700 }, (_, i) => `nr:scan:${i}`);
          await c.mSet(keys.map((k) => [k, '1'] as [string, string]));
          const seen: string[] = [];
          for await (const batch of c.scanIterator({ MATCH: 'nr:scan:*', COUNT: 50 })) seen.push(...batch);
          expect(seen.length).toBe(700);
          expect([...seen].sort()).toEqual([...keys].sort());
        });

        it('binary Buffer values', async () => {
          const val = Buffer.from([0, 255, 128, 13, 10, 0, 1, 2]);
          await c.set(Buffer.from('nr:bin'), val);
          const bc = c.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
          const got = (await bc.get('nr:bin')) as unknown as Buffer;
          expect(Buffer.isBuffer(got)).toBe(true);
          expect(got.equals(val)).toBe(true);
        });

        it('errors are surfaced', async () => {
          await c.set('nr:str', 'abc');
          await expect(c.incr('nr:str')).rejects.toThrow('ERR value is not an integer or out of range');
          await expect(c.sendCommand(['NOSUCHCOMMAND', 'x'])).rejects.toThrow("ERR unknown command 'NOSUCHCOMMAND'");
        });
      });
    }

    describe.skipIf(redisCliBin() === null)('redis-cli', () => {
      it('basic commands', async () => {
        const port = server!.port;
        expect((await cli(port, ['PING'])).stdout).toBe('PONG\n');
        expect((await cli(port, ['SET', 'cli:a', 'hello world'])).stdout).toBe('OK\n');
        expect((await cli(port, ['GET', 'cli:a'])).stdout).toBe('hello world\n');
        expect((await cli(port, ['INCR', 'cli:n'])).stdout).toBe('1\n');
        expect((await cli(port, ['GET', 'cli:none'])).stdout).toBe('\n');
        expect((await cli(port, ['MGET', 'cli:a', 'cli:none', 'cli:n'])).stdout).toBe('hello world\n\n1\n');
        expect((await cli(port, ['--no-raw', 'MGET', 'cli:a', 'cli:none'])).stdout).toBe('1) "hello world"\n2) (nil)\n');
        const e = await cli(port, ['INCR', 'cli:a']);
        expect(e.stdout + e.stderr).toContain('ERR value is not an integer or out of range');
      });

      it('--pipe mass insert of 10k SETs then DBSIZE', async () => {
        const port = server!.port;
        expect((await cli(port, ['FLUSHALL'])).stdout).toBe('OK\n');
        const payload = Buffer.concat(
          Array.from({ length: 10_000 }, (_, i) => encodeCommand(['SET', `mass:${i}`, `value-${i}`])),
        );
        const res = await cli(port, ['--pipe'], payload);
        expect(res.code, res.stderr + res.stdout).toBe(0);
        expect(res.stdout + res.stderr).toMatch(/errors: 0, replies: 10000/);
        expect((await cli(port, ['DBSIZE'])).stdout).toBe('10000\n');
        expect((await cli(port, ['GET', 'mass:9999'])).stdout).toBe('value-9999\n');
      });
    });
  });
}
