// Keys live in shared (off-heap) memory: loading 1M keys must not grow the
// worker threads' JS heap. Sabre exposes `sabre_worker_heap_used_bytes` in
// INFO memory (sum over worker threads, measured after a GC where possible).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, parseReply } from '../helpers/raw';
import { sleep, startSabre, stopAll, type ServerHandle } from '../helpers/servers';

const FIELD = process.env.SABRE_HEAP_FIELD ?? 'sabre_worker_heap_used_bytes';
const TOTAL_KEYS = Number(process.env.SABRE_HEAP_KEYS ?? 1_000_000);
const CHUNK = 10_000;
const MAX_GROWTH = 10 * 1024 * 1024;

async function infoField(c: RawClient, field: string): Promise<number | null> {
  const raw = await c.call('INFO', 'memory');
  const { node } = parseReply(raw);
  const text = node.data?.toString('utf8') ?? '';
  const m = new RegExp(`^${field}:(\\d+)\\r?$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
}

describe('worker heap does not grow with the keyspace (sabre --shards 1)', () => {
  let server: ServerHandle | null = null;
  beforeAll(async () => {
    server = await startSabre({ shards: 1 });
  });
  afterAll(async () => {
    await stopAll(server);
  });

  it(`loading ${TOTAL_KEYS} keys grows ${FIELD} by less than 10 MB`, { timeout: 120_000 }, async () => {
    const c = await RawClient.connect(server!.port);
    c.timeoutMs = 60_000;
    try {
      // a worker publishes its heap size from its cron: 0 until the first tick
      let before = await infoField(c, FIELD);
      expect(before, `INFO memory must expose ${FIELD}`).not.toBeNull();
      for (let i = 0; i < 100 && before === 0; i++) {
        await sleep(50);
        before = await infoField(c, FIELD);
      }
      expect(before, `${FIELD} must be published before loading`).toBeGreaterThan(0);

      for (let base = 0; base < TOTAL_KEYS; base += CHUNK) {
        const n = Math.min(CHUNK, TOTAL_KEYS - base);
        const cmds = Array.from({ length: n }, (_, i) => ['SET', `heap:key:${base + i}`, `value:${base + i}`]);
        const replies = await c.pipeline(cmds, 60_000);
        const bad = replies.find((r) => r.length !== 5 || r.toString('latin1') !== '+OK\r\n');
        if (bad) throw new Error(`SET failed while loading: ${bad.toString('latin1')}`);
      }
      expect((await c.call('DBSIZE')).toString()).toBe(`:${TOTAL_KEYS}\r\n`);
      expect((await c.call('GET', `heap:key:${TOTAL_KEYS - 1}`)).toString()).toBe(
        `$${`value:${TOTAL_KEYS - 1}`.length}\r\nvalue:${TOTAL_KEYS - 1}\r\n`,
      );

      // give the workers a few chances to collect garbage; keep the smallest reading
      let after = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 5; i++) {
        const v = await infoField(c, FIELD);
        expect(v).not.toBeNull();
        after = Math.min(after, v!);
        if (after - before! < MAX_GROWTH) break;
        await sleep(500);
      }
      const growth = after - before!;
      expect(
        growth,
        `${FIELD} before=${before} after=${after} growth=${(growth / 1048576).toFixed(1)} MB for ${TOTAL_KEYS} keys`,
      ).toBeLessThan(MAX_GROWTH);
    } finally {
      c.close();
    }
  });
});
