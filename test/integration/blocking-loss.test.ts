// Nothing pushed is lost to a blocked client that goes away: consumers block
// with BLPOP and close their side (EOF) at random moments while producers push
// unique elements. Every element must end up either in a reply that the
// consumer received (it keeps reading after its EOF) or still in a list.
// Worker layout, keys on two shards, plus the inline layout.
import * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { RawClient, encodeCommand, frameReply, parseReply } from '../helpers/raw';
import { sabreFor } from '../helpers/sabre_fixture';
import { mulberry32 } from '../helpers/gen';

const KEYS = ['bq:a', 'bq:b', 'bq:c', 'bq:d', 'bq:e', 'bq:f'];
const ELEMENTS = 3000;
const CONSUMERS = 12;

/** One consumer round: BLPOP on two keys, EOF after `delayMs`, read until the server closes. */
function consumeOnce(port: number, keys: string[], delayMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const got: string[] = [];
    let buf = Buffer.alloc(0);
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(encodeCommand(['BLPOP', ...keys, '0']));
      setTimeout(() => s.end(), delayMs);
    });
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = frameReply(buf);
        if (end <= 0) break;
        const { node } = parseReply(buf.subarray(0, end));
        if (node.type === '*' && node.items && node.items.length === 2) got.push(node.items[1].data!.toString('latin1'));
        else if (!(node.type === '*' && node.items === null)) reject(new Error(`unexpected reply ${buf.subarray(0, end).toString('latin1')}`));
        buf = buf.subarray(end);
      }
    });
    s.on('error', reject);
    s.on('close', () => resolve(got));
  });
}

for (const shards of [2, 0]) {
  describe(`blocked clients that disconnect lose nothing (--shards ${shards})`, () => {
    const srv = sabreFor(shards);

    it(`${ELEMENTS} pushed elements are all received or still listed`, { timeout: 120_000 }, async () => {
      const rnd = mulberry32(shards + 7);
      const received: string[] = [];
      let producing = true;
      const consumers = Array.from({ length: CONSUMERS }, async () => {
        while (producing) {
          const a = KEYS[Math.floor(rnd() * KEYS.length)];
          const b = KEYS[Math.floor(rnd() * KEYS.length)];
          received.push(...(await consumeOnce(srv.port, a === b ? [a] : [a, b], Math.floor(rnd() * 4))));
        }
      });
      const producer = await RawClient.connect(srv.port);
      for (let i = 0; i < ELEMENTS; i += 10) {
        const cmds = [];
        for (let j = i; j < i + 10; j++) cmds.push(['RPUSH', KEYS[j % KEYS.length], `el:${j}`]);
        await producer.pipeline(cmds);
        await new Promise((r) => setTimeout(r, rnd() < 0.3 ? 1 : 0));
      }
      producing = false;
      await Promise.all(consumers);
      producer.close();

      const left: string[] = [];
      for (const k of KEYS) {
        const { node } = parseReply(await srv.admin.call('LRANGE', k, '0', '-1'));
        for (const it of node.items ?? []) left.push(it.data!.toString('latin1'));
      }
      const all = [...received, ...left];
      const seen = new Set(all);
      expect(all.length - seen.size).toBe(0); // nothing twice
      const missing: string[] = [];
      for (let j = 0; j < ELEMENTS; j++) if (!seen.has(`el:${j}`)) missing.push(`el:${j}`);
      expect(missing).toEqual([]);
      expect(received.length).toBeGreaterThan(0);
      // no client is left blocked
      const info = (await srv.admin.call('INFO', 'clients')).toString('latin1');
      expect(info).toMatch(/blocked_clients:0\r\n/);
    });
  });
}
