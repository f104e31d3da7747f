// Malformed / hostile protocol input. Every case is sent to Sabre and to
// redis-server on fresh connections; the exact reply bytes and whether the
// server closed the connection must match, and afterwards the server must
// still serve a new client.
import { describe, expect, it } from 'vitest';
import * as net from 'node:net';
import { describeDifferential, expectSameRawExchange, type DiffEnv, type ServerPair } from '../helpers/diff';
import { RawClient, encodeCommand, escapeBytes } from '../helpers/raw';

async function assertStillServing(pair: ServerPair): Promise<void> {
  for (const h of [pair.sabre, pair.redis]) {
    const c = await RawClient.connect(h.port, '127.0.0.1', h.name);
    try {
      const r = await c.call('PING');
      expect(r.toString('latin1'), `${h.name} must still answer PING`).toBe('+PONG\r\n');
    } finally {
      c.close();
    }
  }
}

async function assertStillServingAuth(pair: ServerPair, pass: string): Promise<void> {
  for (const h of [pair.sabre, pair.redis]) {
    const c = await RawClient.connect(h.port, '127.0.0.1', h.name);
    try {
      const [a, p] = await c.pipeline([['AUTH', pass], ['PING']]);
      expect(a!.toString('latin1') + p!.toString('latin1'), `${h.name} must still serve clients`).toBe('+OK\r\n+PONG\r\n');
    } finally {
      c.close();
    }
  }
}

const big = (n: number, ch = 'x') => ch.repeat(n);

const CASES: Array<[string, string | Buffer | Array<string | Buffer>]> = [
  ['garbage binary bytes', Buffer.from([0, 1, 2, 0xff, 13, 10])],
  ['garbage then PING', Buffer.concat([Buffer.from([0xde, 0xad, 0xbe, 0xef]), Buffer.from('\r\nPING\r\n')])],
  ['negative multibulk length *-10', '*-10\r\nPING\r\n'],
  ['*-1 then PING', '*-1\r\nPING\r\n'],
  ['*0 then PING', '*0\r\nPING\r\n'],
  ['non-numeric multibulk length *abc', '*abc\r\n'],
  ['multibulk length *1.5', '*1.5\r\n'],
  ['empty multibulk length *', '*\r\n'],
  ['multibulk length > INT_MAX', '*2147483648\r\n'],
  ['multibulk length 3000000000', '*3000000000\r\n'],
  ['huge but valid multibulk length waits for data', '*1048577\r\n'],
  ['negative bulk length $-5', '*1\r\n$-5\r\n'],
  ['bulk length $-1 in a request', '*1\r\n$-1\r\n'],
  ['null bulk as second arg', '*2\r\n$4\r\nECHO\r\n$-1\r\n'],
  ['non-numeric bulk length $abc', '*1\r\n$abc\r\n'],
  ['empty bulk length $', '*1\r\n$\r\n'],
  ['bulk length > proto-max-bulk-len', '*1\r\n$536870913\r\n'],
  ['bulk length == proto-max-bulk-len waits for data', '*1\r\n$536870912\r\n'],
  ["missing '$'", '*1\r\nPING\r\n'],
  ["wrong bulk terminator (abcX)", '*1\r\n$3\r\nabcX\r\nPING\r\n'],
  ['bulk terminator garbage (PINGXX)', '*1\r\n$4\r\nPINGXX'],
  ['zero-length command name', '*1\r\n$0\r\n\r\n'],
  ['valid command then invalid multibulk', '*1\r\n$4\r\nPING\r\n*x\r\n'],
  ['pipelined commands then protocol error', '*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n*1\r\n$-7\r\n*1\r\n$4\r\nPING\r\n'],
  ['bulk where a multibulk is expected', '$3\r\nfoo\r\n'],
  ['too big inline request (no newline)', big(70_000)],
  ['inline just under the limit', `ECHO ${big(60_000, 'z')}\r\n`],
  ['too big multibulk count string', `*${big(70_000, '1')}`],
  ['too big bulk count string', `*1\r\n$${big(70_000, '1')}`],
  ['unbalanced quotes inline', 'ECHO "abc\r\n'],
  ['split across writes', ['*2\r', '\n$4\r\nEC', 'HO\r\n$', '3\r\nab', 'c\r', '\n']],
  ['command with 1 MB argument', [encodeCommand(['SET', 'big', Buffer.alloc(1 << 20, 0x61)]), encodeCommand(['STRLEN', 'big'])]],
];

function defineAbuseCases(env: DiffEnv): void {
  describe.concurrent('malformed input (fresh connection per case)', () => {
    for (const [title, input] of CASES) {
      it(`abuse: ${title}`, async () => {
        await expectSameRawExchange(env.pair(), input, { label: title, idleMs: 400 });
        await assertStillServing(env.pair());
      });
    }
  });

  it('half a command then disconnect: nothing executed, server keeps serving', async () => {
    const pair = env.pair();
    for (const h of [pair.sabre, pair.redis]) {
      const c = await RawClient.connect(h.port);
      await c.writeRawAsync('*3\r\n$3\r\nSET\r\n$9\r\nhalf-done\r\n$5\r\nval');
      c.close();
      const c2 = await RawClient.connect(h.port);
      await c2.writeRawAsync('*2\r\n$3\r\nSET\r\n$9\r\nhalf');
      c2.socket.end();
    }
    await new Promise((r) => setTimeout(r, 200));
    for (const h of [pair.sabre, pair.redis]) {
      const c = await RawClient.connect(h.port);
      try {
        const r = await c.pipeline([['PING'], ['EXISTS', 'half-done'], ['EXISTS', 'half']]);
        expect(Buffer.concat(r).toString('latin1'), h.name).toBe('+PONG\r\n:0\r\n:0\r\n');
      } finally {
        c.close();
      }
    }
  });

  it('many abrupt connects/disconnects mid-command', async () => {
    const pair = env.pair();
    for (const h of [pair.sabre, pair.redis]) {
      const cmd = encodeCommand(['SET', 'abrupt', 'x'.repeat(100)]);
      for (let i = 0; i < 50; i++) {
        const c = await RawClient.connect(h.port);
        c.writeRaw(cmd.subarray(0, 1 + (i * 7) % (cmd.length - 1)));
        c.socket.destroy();
      }
    }
    await assertStillServing(pair);
  });

  it('1 MB pipeline written in tiny writes gives identical replies', async () => {
    const pair = env.pair();
    const cmds: Array<Array<string | Buffer>> = [];
    let size = 0;
    for (let i = 0; size < 1 << 20; i++) {
      const c =
        i % 4 === 0
          ? ['SET', `pipe:${i % 500}`, `v${i}-${'p'.repeat(i % 97)}`]
          : i % 4 === 1
            ? ['GET', `pipe:${(i * 7) % 500}`]
            : i % 4 === 2
              ? ['INCR', `ctr:${i % 13}`]
              : ['ECHO', Buffer.from([i & 255, 13, 10, (i >> 8) & 255])];
      cmds.push(c);
      size += encodeCommand(c).length;
    }
    const payload = Buffer.concat(cmds.map((c) => encodeCommand(c)));
    const results: Buffer[] = [];
    for (const h of [pair.redis, pair.sabre]) {
      const c = await RawClient.connect(h.port, '127.0.0.1', h.name);
      try {
        await c.call('DEL', ...Array.from({ length: 13 }, (_, i) => `ctr:${i}`));
        const replies = cmds.map(() => c.readReply(120_000));
        // first 32 KB: one byte per write (each awaited); rest: 1..64 byte writes
        let off = 0;
        const oneByteUntil = 32 * 1024;
        while (off < payload.length) {
          const n = off < oneByteUntil ? 1 : 1 + ((off * 31) % 64);
          await c.writeRawAsync(payload.subarray(off, off + n));
          off += n;
        }
        results.push(Buffer.concat(await Promise.all(replies)));
      } finally {
        c.close();
      }
    }
    const [r, s] = results as [Buffer, Buffer];
    if (!r.equals(s)) {
      let i = 0;
      while (i < r.length && r[i] === s[i]) i++;
      throw new Error(
        `pipeline replies differ at byte ${i} of ${r.length}:\n  redis: ${escapeBytes(r.subarray(Math.max(0, i - 40), i + 80))}\n  sabre: ${escapeBytes(s.subarray(Math.max(0, i - 40), i + 80))}`,
      );
    }
    await assertStillServing(pair);
  });
}

describeDifferential('protocol abuse', (env) => defineAbuseCases(env));

const PASS = 'sabre-test-pw';
const AUTH_CASES: Array<[string, string | Buffer | Array<string | Buffer>]> = [
  ['unauthenticated multibulk length > 10', '*11\r\n'],
  ['unauthenticated multibulk length 10', '*10\r\n'],
  ['unauthenticated huge multibulk length', '*1048577\r\n'],
  ['unauthenticated bulk length > 16384', '*1\r\n$16385\r\n'],
  ['unauthenticated bulk length 16384', '*1\r\n$16384\r\n'],
  ['NOAUTH for multibulk PING', '*1\r\n$4\r\nPING\r\n'],
  ['NOAUTH for inline command', 'GET a\r\n'],
  ['AUTH wrong password', '*2\r\n$4\r\nAUTH\r\n$3\r\nbad\r\n'],
  ['AUTH ok then big multibulk allowed', `*2\r\n$4\r\nAUTH\r\n$${PASS.length}\r\n${PASS}\r\n*11\r\n`],
  ['inline AUTH then PING', `AUTH ${PASS}\r\nPING\r\n`],
  ['HELLO 3 unauthenticated', 'HELLO 3\r\n'],
  ['HELLO 3 AUTH', `HELLO 3 AUTH default ${PASS}\r\nGET x\r\n`],
  ['QUIT unauthenticated', 'QUIT\r\n'],
];

describeDifferential(
  'protocol abuse with requirepass',
  (env) => {
    describe.concurrent('requirepass cases', () => {
    for (const [title, input] of AUTH_CASES) {
      it(`auth: ${title}`, async () => {
        if (title === 'HELLO 3 AUTH') {
          // HELLO replies carry a client id: compare everything after the HELLO map
          const pair = env.pair();
          const [s, r] = await Promise.all(
            [pair.sabre, pair.redis].map(async (h) => {
              const c = await RawClient.connect(h.port);
              try {
                const [, get] = await c.pipeline([['HELLO', '3', 'AUTH', 'default', PASS], ['GET', 'x']]);
                return get!.toString('latin1');
              } finally {
                c.close();
              }
            }),
          );
          expect(s).toBe(r);
          return;
        }
        await expectSameRawExchange(env.pair(), input, { label: title, idleMs: 400 });
        await assertStillServingAuth(env.pair(), PASS);
      });
    }
    });
  },
  { args: ['--requirepass', PASS] },
);

/** Send `data` then EOF (half-close); everything the server writes until it closes. */
function sendThenEof(port: number, data: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.createConnection({ port, host: '127.0.0.1', allowHalfOpen: true }, () => s.end(data));
    s.on('data', (b: Buffer) => chunks.push(b));
    s.on('close', () => resolve(Buffer.concat(chunks)));
    s.on('error', reject);
  });
}

describeDifferential('pipelines ending in EOF', (env) => {
  // replies to everything read before the EOF go out, then the server closes
  // (a read that fills the read buffer and the EOF can reach the server in one poll)
  for (const n of [1, 4682, 20000]) {
    it(`${n} PINGs and an ECHO, then EOF: every reply arrives`, async () => {
      const data = '*1\r\n$4\r\nPING\r\n'.repeat(n) + '*2\r\n$4\r\nECHO\r\n$4\r\nlast\r\n';
      const [s, r] = await Promise.all([sendThenEof(env.pair().sabre.port, data), sendThenEof(env.pair().redis.port, data)]);
      expect(r.length).toBe(n * 7 + 10);
      expect(s.equals(r), `sabre sent ${s.length} bytes, redis ${r.length}`).toBe(true);
    });
  }
});
