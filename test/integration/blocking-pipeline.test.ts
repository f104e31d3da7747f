// Pipelined blocking commands with short timeouts, mixed with pushes on the
// same key, from several clients at once: every command gets its reply, in
// order, and every pushed element is popped or still listed. A client's
// commands after a blocking one wait for its outcome; this once broke when a
// client was resumed twice in one turn (after its last reply arrived, then
// again by the unblock microtask), which let two BLPOPs of one client run at
// once and lost the second one's reply for good (worker layout only).
import * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { RawClient, encodeCommand, parseReply } from '../helpers/raw';
import { sabreFor } from '../helpers/sabre_fixture';
import { mulberry32 } from '../helpers/gen';
import { keyShard } from '../../src/routing/slot';

const CLIENTS = 4;

/** A key (prefix + number) that lives on `shard` of `shards` (any key when shards is 0). */
function keyOn(shards: number, shard: number, prefix: string): string {
  for (let i = 0; ; i++) {
    const k = `${prefix}${i}`;
    if (shards === 0 || keyShard(Buffer.from(k), 0, k.length, shards) === shard) return k;
  }
}
const RUN_MS = 3000;

for (const shards of [3, 0]) {
  describe(`pipelined BLPOP with timeouts and RPUSH on one key (--shards ${shards})`, () => {
    const srv = sabreFor(shards);

    it('answers every command and loses no element', { timeout: 60_000 }, async () => {
      let pushed = 0;
      let popped = 0;
      const t0 = Date.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, id) => {
          const rnd = mulberry32(id + 1);
          const c = await RawClient.connect(srv.port);
          try {
            while (Date.now() - t0 < RUN_MS) {
              const n = 1 + Math.floor(rnd() * 20);
              const batch = Array.from({ length: n }, () => (rnd() < 0.5 ? ['BLPOP', 'bp:k', '0.01'] : ['RPUSH', 'bp:k', 'z']));
              // a lost reply shows as a timeout here (the server itself keeps running)
              const replies = await c.pipeline(batch, 5000);
              replies.forEach((r, i) => {
                const node = parseReply(r).node;
                if (batch[i]![0] === 'RPUSH') {
                  expect(node.type).toBe(':');
                  pushed++;
                } else {
                  expect(node.type).toBe('*');
                  if (node.items !== null && node.items !== undefined) {
                    expect(node.items.map((x) => x.data!.toString())).toEqual(['bp:k', 'z']);
                    popped++;
                  }
                }
              });
            }
          } finally {
            c.close();
          }
        }),
      );
      const left = Number(parseReply(await srv.admin.call('LLEN', 'bp:k')).node.data!.toString());
      expect(popped + left).toBe(pushed);
      expect(pushed).toBeGreaterThan(100);
      // nothing stays blocked, and the clients that left are gone (the server sees their close soon)
      let info = '';
      for (let i = 0; i < 50; i++) {
        info = (await srv.admin.call('INFO', 'clients')).toString();
        if (/connected_clients:1\r\n/.test(info)) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(info).toMatch(/blocked_clients:0\r\n/);
      expect(info).toMatch(/connected_clients:1\r\n/);
    });
  });
}

// A client unblocked while a command it sent before the blocking one is
// still in flight on a busy shard: its input must be read again once that
// command answers (it was left unread for good once, by the first fix above).
describe('unblocked while an earlier command is still in flight on another shard (--shards 2)', () => {
  const srv = sabreFor(2);

  it('answers what the client sent after the blocking command', { timeout: 60_000 }, async () => {
    const onShard = (shard: number, prefix: string): string => keyOn(2, shard, prefix);
    const big = onShard(0, 'big'); // makes shard 0 busy
    const x = onShard(0, 'x');
    const y = onShard(1, 'y');
    const loader = await RawClient.connect(srv.port);
    const busy = await RawClient.connect(srv.port);
    const c = await RawClient.connect(srv.port);
    try {
      for (let i = 0; i < 300; i++) {
        await loader.call('RPUSH', big, ...Array.from({ length: 1000 }, (_, j) => String((i * 7919 + j * 104729) % 1000003)));
      }
      for (let round = 0; round < 3; round++) {
        // shard 0 sorts 300k numbers (~200 ms) while c's GET waits behind it; c's BLPOP
        // blocks on shard 1, c sends PING while blocked, then the BLPOP times out
        const sorting = busy.call('SORT', big, 'LIMIT', '0', '1');
        const first = c.pipeline([['GET', x], ['BLPOP', y, '0.05']], 20_000);
        await new Promise((r) => setTimeout(r, 15));
        const ping = c.pipeline([['PING']], 20_000);
        const replies = [...(await first), ...(await ping)];
        expect(replies.map((r) => r.toString())).toEqual(['$-1\r\n', '*-1\r\n', '+PONG\r\n']);
        await sorting;
      }
    } finally {
      loader.close();
      busy.close();
      c.close();
    }
  });
});

/** Write `cmds` and EOF at once (or `endAfterMs` later); collect everything until the server closes. */
function sendThenEof(port: number, cmds: string[][], endAfterMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const s = net.createConnection({ port, host: '127.0.0.1' }, () => {
      s.write(Buffer.concat(cmds.map((c) => encodeCommand(c))));
      if (endAfterMs === 0) s.end();
      else setTimeout(() => s.end(), endAfterMs);
    });
    s.on('data', (d) => (data += d.toString('latin1')));
    s.on('close', () => resolve(data));
    s.on('error', reject);
  });
}

// EOF right after a pipeline: everything read before it runs and is answered
// (commands parked behind a cross-shard or blocking command's barrier too),
// and a blocking command that blocks answers nothing but lets the replies
// before it out first (they may come from a slower shard). Redis does both;
// the worker layout once dropped the parked commands and closed before the
// earlier replies arrived (an LPOP's element was then lost).
for (const shards of [2, 0]) {
  describe(`EOF after a pipeline (--shards ${shards})`, () => {
    const srv = sabreFor(shards);
    const key = (shard: number, prefix: string): string => keyOn(shards, shard, prefix);

    it('runs commands parked behind a barrier', { timeout: 60_000 }, async () => {
      const [a, c, b, out] = [key(0, 'a'), key(1, 'c'), key(0, 'b'), key(1, 'out')];
      for (let i = 0; i < 30; i++) {
        await srv.admin.call('FLUSHALL');
        await srv.admin.call('RPUSH', 'q', 'x');
        const got = await sendThenEof(srv.port, [
          ['RPUSH', b, 'x'],
          ['MSET', a, '1', c, '2'],
          ['SET', out, 'y'],
          ['BLPOP', 'q', '0'],
          ['INCR', out + 'n'],
        ]);
        expect(got).toBe(':1\r\n+OK\r\n+OK\r\n*2\r\n$1\r\nq\r\n$1\r\nx\r\n:1\r\n');
        expect((await srv.admin.call('GET', out)).toString()).toBe('$1\r\ny\r\n');
      }
    });

    it('answers what came before a blocking command that blocks, then closes', { timeout: 60_000 }, async () => {
      const big = key(0, 'big');
      const b = key(0, 'b');
      const blockOn = key(1, 'a');
      await srv.admin.call('FLUSHALL');
      for (let i = 0; i < 100; i++) {
        await srv.admin.call('ZADD', big, ...Array.from({ length: 1000 }, (_, j) => [String(j), `m${i * 1000 + j}`]).flat());
      }
      const busy = await RawClient.connect(srv.port);
      try {
        for (let round = 0; round < 5; round++) {
          await srv.admin.call('RPUSH', b, `e${round}`);
          // the LPOP waits behind a slow ZUNIONSTORE on its shard while the BLPOP blocks on the other
          const slow = busy.call('ZUNIONSTORE', big + 'u', '1', big);
          const got = await sendThenEof(srv.port, [['LPOP', b], ['BLPOP', blockOn, '0']], round % 2 === 0 ? 0 : 5);
          expect(got).toBe(`$2\r\ne${round}\r\n`);
          await slow;
        }
      } finally {
        busy.close();
      }
      const info = (await srv.admin.call('INFO', 'clients')).toString();
      expect(info).toMatch(/blocked_clients:0\r\n/);
    });
  });
}
