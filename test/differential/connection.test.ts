// Connection / server commands and the inline protocol.
import { describe, expect, it } from 'vitest';
import {
  startPair,
  describeDifferential,
  diffCases,
  expectSameRawExchange,
  normalizeHello,
  typeOnly,
  type CmdLike,
  type Normalizer,
} from '../helpers/diff';
import { RawClient, encodeCommand, parseReply } from '../helpers/raw';

const cmd = (...a: string[]): Buffer => encodeCommand(a);
import { hasRedisServer } from '../helpers/servers';

const hello = (...args: string[]): CmdLike => ({ args: ['HELLO', ...args], normalize: normalizeHello });

/** TIME: an array of two bulk strings of digits; compare only that shape. */
const timeShape: Normalizer = (b) => {
  try {
    const { node } = parseReply(b);
    const ok =
      node.type === '*' &&
      node.items?.length === 2 &&
      node.items.every((i) => i.type === '$' && /^\d+$/.test(i.data?.toString('latin1') ?? ''));
    return ok ? 'TIME-shape-ok' : b;
  } catch {
    return b;
  }
};

/** DEBUG OBJECT: mask what differs by design (addresses, clock, RDB length, Sabre's own listpack layout). */
const maskDebugObject: Normalizer = (b) =>
  b
    .toString('latin1')
    .replace(/Value at:0x[0-9a-f]+/, 'Value at:ADDR')
    .replace(/serializedlength:\d+/, 'serializedlength:N')
    .replace(/lru:\d+ lru_seconds_idle:\d+/, 'lru:N lru_seconds_idle:N')
    .replace(/ql_uncompressed_size:\d+/, 'ql_uncompressed_size:N');

describeDifferential('differential: connection/server', (env) => {
  // Redis 7 refuses DEBUG unless enable-debug-command allows it (immutable at run time)
  diffCases(env, 'DEBUG refused by default', [
    ['DEBUG', 'SLEEP', '0'],
    ['debug', 'object', 'nokey'],
    ['DEBUG', 'nosuchsub'],
    ['DEBUG'],
    ['CONFIG', 'GET', 'enable-debug-command'],
    ['CONFIG', 'SET', 'enable-debug-command', 'yes'],
    ['CONFIG', 'SET', 'enable-debug-command', 'local'],
    ['DEBUG', 'SLEEP', '0'],
  ]);

  diffCases(env, 'PING ECHO', [
    ['PING'],
    ['PING', 'hello'],
    ['PING', ''],
    ['PING', Buffer.from([0, 255, 13, 10])],
    ['PING', 'a', 'b'],
    ['ping'],
    ['ECHO', 'hi'],
    ['ECHO', ''],
    ['ECHO', Buffer.from([0, 1, 2, 13, 10])],
    ['ECHO'],
    ['ECHO', 'a', 'b'],
  ]);

  diffCases(env, 'unknown commands and arity errors', [
    ['FOO'],
    ['foo', 'a', 'b'],
    ['FOO', 'a', 'b', 'c', 'd'],
    ['FOOBAR', 'x'.repeat(200)],
    ['FOOBAR', 'a'.repeat(50), 'b'.repeat(50), 'c'.repeat(50), 'd'],
    ['Y'.repeat(300), 'arg'],
    ['FOO', 'a\r\nb'],
    ['FOO', 'with space', "it's"],
    ['FOO\r\nBAR', 'x'],
    [''],
    ['', ''],
    ['GET'],
    ['GET', 'a', 'b'],
    ['SET', 'a'],
    ['SET'],
    ['MGET'],
    ['DEL'],
    ['EXISTS'],
    ['INCR'],
    ['INCRBY', 'a'],
    ['GETRANGE', 'a', '0'],
    ['SETRANGE', 'a', '0'],
    ['EXPIRE', 'a'],
    ['TTL'],
    ['RENAME', 'a'],
    ['DBSIZE', 'a'],
    ['FLUSHALL', 'a', 'b', 'c'],
    ['SELECT', '1', '2'],
    ['CLIENT'],
    ['CONFIG'],
    ['OBJECT'],
    ['HELLO', '3', 'FOO'],
  ]);

  diffCases(env, 'RESP3/RESP2 shapes for nulls and integers', [
    ['GET', 'missing'],
    ['MGET', 'missing', 'missing2'],
    ['SET', 'a', '1'],
    ['MGET', 'a', 'missing'],
    ['INCR', 'a'],
    ['SET', 'a', '1', 'NX'],
    ['SET', 'b', '1', 'XX', 'GET'],
    ['GETDEL', 'missing'],
    ['GETEX', 'missing'],
    ['OBJECT', 'ENCODING', 'missing'],
    ['RANDOMKEY'],
    ['LCS', 'a', 'missing', 'IDX', 'WITHMATCHLEN'],
    ['KEYS', 'nomatch'],
    ['TTL', 'missing'],
    ['CLIENT', 'GETNAME'],
    ['EXISTS', 'a'],
  ]);

  diffCases(env, 'HELLO', [
    hello(),
    hello('2'),
    hello('3'),
    ['GET', 'missing'],
    hello('2'),
    ['GET', 'missing'],
    hello('4'),
    hello('1'),
    hello('0'),
    hello('-1'),
    hello('abc'),
    hello('3.0'),
    hello('3', 'SETNAME', 'conn1'),
    ['CLIENT', 'GETNAME'],
    hello('3', 'SETNAME', 'bad name'),
    hello('3', 'SETNAME'),
    hello('3', 'FOO'),
    hello('3', 'AUTH', 'default'),
    hello('2', 'setname', 'conn2'),
    ['CLIENT', 'GETNAME'],
    ['GET', 'missing'],
  ]);

  diffCases(env, 'SELECT', [
    ['SELECT', '0'],
    ['SELECT', '15'],
    ['SELECT', '16'],
    ['SELECT', '100'],
    ['SELECT', '-1'],
    ['SELECT', 'abc'],
    ['SELECT', ''],
    ['SELECT', '9223372036854775808'],
    ['SELECT', '2147483648'],
    ['SELECT', '1 '],
    ['SELECT', '01'],
  ]);

  diffCases(env, 'CLIENT SETNAME GETNAME ID, TIME', [
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', 'myname'],
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', 'bad name'],
    ['CLIENT', 'SETNAME', 'bad\nname'],
    ['CLIENT', 'SETNAME', 'ok-name_1:2'],
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', ''],
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME'],
    ['CLIENT', 'SETNAME', 'a', 'b'],
    ['CLIENT', 'GETNAME', 'x'],
    ['client', 'setname', 'Lower'],
    ['client', 'getname'],
    { args: ['CLIENT', 'ID'], normalize: typeOnly },
    ['CLIENT', 'ID', 'x'],
    ['CLIENT', 'FOO'],
    ['CLIENT', 'FOO', 'bar'],
    ['CLIENT', 'FOO\r\nBAR'],
    ['CLIENT', 'UNBLOCK', '1', 'TIMEOUT', 'a\nb'],
    { args: ['TIME'], normalize: timeShape },
    ['TIME', 'x'],
  ]);

  diffCases(env, 'CONFIG GET/SET', [
    ['CONFIG', 'GET', 'databases'],
    ['CONFIG', 'GET', 'maxclients'],
    ['CONFIG', 'GET', 'DATABASES'],
    ['CONFIG', 'GET', 'nosuchparam'],
    ['CONFIG', 'GET', 'nosuch*'],
    ['CONFIG', 'GET'],
    ['CONFIG', 'SET', 'nosuchparam', '1'],
    ['CONFIG', 'SET', 'databases', '4'],
    ['CONFIG', 'SET', 'nosuchparam'],
    ['CONFIG', 'SET'],
    ['CONFIG', 'FOO'],
    ['CONFIG', 'foo', 'bar'],
    ['CONFIG', 'GET', 'databases'],
    // names are checked first, in order, and quoted as sent; values are all checked before any is set
    ['CONFIG', 'SET', 'DATABASES', '4'],
    ['CONFIG', 'SET', 'hz', '10', 'HZ', '11'],
    ['CONFIG', 'SET', 'hz', '10', 'hz', '11', 'nosuchparam', '1'],
    ['CONFIG', 'SET', 'nosuchparam', '1', 'hz', '10', 'hz', '11'],
    ['CONFIG', 'SET', 'hz', '12', 'databases', '4'],
    ['CONFIG', 'SET', 'hz', '13', 'maxclients', 'abc'],
    ['CONFIG', 'GET', 'hz'],
    ['CONFIG', 'SET', 'no\0such', '1'],
    // hz accepts 0..INT_MAX and keeps it within 1..500
    ['CONFIG', 'SET', 'hz', '0'],
    ['CONFIG', 'GET', 'hz'],
    ['CONFIG', 'SET', 'hz', '100000'],
    ['CONFIG', 'GET', 'hz'],
    ['CONFIG', 'SET', 'hz', '-1'],
    ['CONFIG', 'SET', 'hz', '10'],
    // Redis's config types: string2ll integers, memtoull memory values, size_t ranges
    ['CONFIG', 'SET', 'timeout', '99999999999999999999'],
    ['CONFIG', 'SET', 'timeout', '01'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '2147483648'],
    ['CONFIG', 'GET', 'hash-max-listpack-entries'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '128'],
    ['CONFIG', 'SET', 'hash-max-listpack-value', '1kb'],
    ['CONFIG', 'GET', 'hash-max-ziplist-value'],
    ['CONFIG', 'SET', 'hash-max-listpack-value', '-1'],
    ['CONFIG', 'SET', 'hash-max-listpack-value', '64'],
    ['CONFIG', 'SET', 'maxmemory', '99999999999999999999'],
    ['CONFIG', 'GET', 'maxmemory'],
    ['CONFIG', 'SET', 'maxmemory', ''],
    ['CONFIG', 'GET', 'maxmemory'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '1kb'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '99999999999999999999'],
    ['CONFIG', 'SET', 'loglevel', 'nothing'],
    // client-output-buffer-limit: groups of four, all checked before any class changes
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1 2 3 replica 1mb 2kb 5'],
    ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2 3 master 1 2 3'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2 -1'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 1 4294967296'],
    ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60'],
    // other errors that quote an argument stop at its NUL byte too
    ['HELLO', '3', 'FO\0O'],
    ['CLIENT', 'LIST', 'TYPE', 'no\0rm'],
    ['CLIENT', 'KILL', 'TYPE', 'x\0y'],
    ['EXPIRE', 'k', '10', 'n\0x'],
    ['CLIENT', 'PAUSE', '-1'],
    ['CLIENT', 'PAUSE', 'abc'],
    ['COMMAND', 'INFO', 'nosuchcommand', 'get'],
  ]);

  diffCases(env, 'INFO argument handling (content not compared)', [
    ['INFO', 'nosuchsection'],
    ['INFO', 'NOSUCHSECTION'],
  ]);

  // ---- inline protocol: raw bytes, fresh connection per case, compare bytes and close-state
  const inlineCases: Array<[string, string | Buffer | Array<string | Buffer>]> = [
    ['PING', 'PING\r\n'],
    ['ping lowercase', 'ping\r\n'],
    ['PING with arg', 'PING hello\r\n'],
    ['LF only', 'PING\n'],
    ['leading/trailing spaces', '   PING    \r\n'],
    ['tabs', 'ECHO\tfoo\r\n'],
    ['empty lines', '\r\n\r\n\n'],
    ['empty line then PING', '\r\nPING\r\n'],
    ['SET/GET', 'SET a b\r\nGET a\r\n'],
    ['quoted args', 'SET k "a b"\r\nGET k\r\n'],
    ['single quoted', "SET k 'a b c'\r\nGET k\r\n"],
    ['escapes in double quotes', 'SET k "x\\ty\\n\\x41\\x4a\\\\\\"z"\r\nGET k\r\nSTRLEN k\r\n'],
    ['escaped quote in single quotes', "SET k 'it\\'s'\r\nGET k\r\n"],
    ['empty quoted arg', 'SET k ""\r\nGET k\r\nSTRLEN k\r\n'],
    ['unbalanced double quotes', 'SET k "unterminated\r\nPING\r\n'],
    ['unbalanced single quotes', "SET k 'unterminated\r\nPING\r\n"],
    ['quote followed by non-space', 'SET k "a"b\r\nPING\r\n'],
    ['unknown inline', 'FOO a b\r\n'],
    ['arity inline', 'GET\r\n'],
    ['mixed inline and multibulk', 'PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nPING x\r\n'],
    ['inline split in pieces', ['PI', 'NG\r', '\nECHO', ' abc\r\n']],
    ['inline QUIT', 'PING\r\nQUIT\r\nPING\r\n'],
    ['multibulk QUIT', '*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n'],
    ['QUIT with args', '*2\r\n$4\r\nQUIT\r\n$1\r\nx\r\n'],
    ['inline binary', Buffer.concat([Buffer.from('ECHO '), Buffer.from([0xc3, 0xa9, 0xff]), Buffer.from('\r\n')])],
    ['inline only spaces', '     \r\nPING\r\n'],
    ['bare CR inside', 'ECHO a\rb\r\n'],
  ];
  describe.concurrent('inline protocol (fresh connection per case)', () => {
    for (const [title, input] of inlineCases) {
      it(`inline: ${title}`, async () => {
        await expectSameRawExchange(env.pair(), input, { label: `inline: ${title}` });
      });
    }
  });

  // CLIENT REPLY ON answers +OK even after OFF or SKIP; RESET after OFF answers +RESET, after SKIP nothing
  it('CLIENT REPLY ON / RESET after OFF and SKIP: which of their own replies are sent', async () => {
    const input = [
      cmd('CLIENT', 'REPLY', 'OFF'), cmd('RESET'), cmd('PING', 'a'),
      cmd('CLIENT', 'REPLY', 'SKIP'), cmd('RESET'), cmd('PING', 'b'),
      cmd('CLIENT', 'REPLY', 'SKIP'), cmd('CLIENT', 'REPLY', 'ON'), cmd('PING', 'c'),
      cmd('CLIENT', 'REPLY', 'OFF'), cmd('SET', 'k', 'v'), cmd('GET', 'k'), cmd('CLIENT', 'REPLY', 'ON'), cmd('GET', 'k'),
      cmd('CLIENT', 'REPLY', 'SKIP'), cmd('GET', 'k'), cmd('DEL', 'k'),
    ];
    const r = await expectSameRawExchange(env.pair(), input, { label: 'CLIENT REPLY ON/RESET' });
    expect(r.data.toString('latin1')).toBe('+RESET\r\n$1\r\na\r\n$1\r\nb\r\n+OK\r\n$1\r\nc\r\n+OK\r\n$1\r\nv\r\n:1\r\n');
  });

  // Redis quotes names and arguments in these errors as C strings: each ends at its first NUL byte
  it('unknown command / subcommand errors quote arguments up to a NUL byte', async () => {
    const input = [
      cmd('FOO', 'a\0b', 'c'), cmd('FO\0O', 'x'), cmd('CLIENT', 'NO\0SUCH'), cmd('\0FOO', '\0'),
      cmd('FOO', 'x'.repeat(100), 'y'.repeat(20) + '\0' + 'z'.repeat(50), 'w'.repeat(30)), cmd('config', '\0get'),
    ];
    const r = await expectSameRawExchange(env.pair(), input, { label: 'NUL in unknown command errors' });
    expect(r.data.toString('latin1')).toContain("-ERR unknown command 'FO', with args beginning with: 'x' \r\n");
  });

  it('QUIT replies +OK and closes the connection', async () => {
    const r = await expectSameRawExchange(env.pair(), '*1\r\n$4\r\nQUIT\r\n', { label: 'QUIT' });
    expect(r.closed).toBe(true);
    expect(r.data.toString('latin1')).toBe('+OK\r\n');
  });

  it('TIME and CLIENT ID are well formed on Sabre', async () => {
    const d = await env.open(false);
    const t = parseReply(await d.sabre.call('TIME')).node;
    expect(t.type).toBe('*');
    expect(t.items?.length).toBe(2);
    const secs = Number(t.items![0]!.data!.toString());
    const usec = Number(t.items![1]!.data!.toString());
    expect(Math.abs(secs - Date.now() / 1000)).toBeLessThan(600);
    expect(usec).toBeGreaterThanOrEqual(0);
    expect(usec).toBeLessThan(1_000_000);
    const id1 = (await d.sabre.call('CLIENT', 'ID')).toString();
    expect(id1).toMatch(/^:\d+\r\n$/);
  });

  it('COMMAND INFO lists every implemented command\'s ACL categories in Redis\'s order', async () => {
    const p = env.pair();
    const sabre = await RawClient.connect(p.sabre.port);
    const redis = await RawClient.connect(p.redis.port);
    try {
      const list = parseReply(await sabre.call('COMMAND', 'LIST')).node.items ?? [];
      // top-level commands (Sabre also offers 7.2's CLIENT SETINFO/NO-TOUCH)
      const cmds = list.map((it) => it.data!.toString('latin1')).filter((n) => !n.includes('|'));
      expect(cmds.length).toBeGreaterThan(100);
      const cats = async (c: RawClient, name: string): Promise<string> => {
        const info = parseReply(await c.call('COMMAND', 'INFO', name)).node.items![0];
        return (info.items?.[6]?.items ?? []).map((it) => it.data!.toString('latin1')).join(' ');
      };
      const diffs: string[] = [];
      for (const name of cmds) {
        const [a, b] = [await cats(redis, name), await cats(sabre, name)];
        if (a !== b) diffs.push(`${name}: redis [${a}] sabre [${b}]`);
      }
      expect(diffs).toEqual([]);
    } finally {
      sabre.close();
      redis.close();
    }
  });
});

describeDifferential(
  'differential: enable-debug-command local',
  (env) => {
    // the test clients connect over 127.0.0.1: a local connection
    diffCases(env, 'DEBUG from a local connection', [
      ['CONFIG', 'GET', 'enable-debug-command'],
      ['DEBUG', 'SLEEP', '0'],
      ['DEBUG', 'SLEEP', '0.01'],
      ['DEBUG'],
      ['DEBUG', 'SLEEP'],
      ['DEBUG', 'sleep', '0', '1'],
      ['DEBUG', 'HELP', 'x'],
      ['DEBUG', 'NoSuchSub', 'x'],
      ['DEBUG', 'x'.repeat(200)],
      // client bytes quoted in an error: CR and LF become spaces
      ['DEBUG', 'a\r\nb'],
      ['DEBUG', 'OBJECT\n', 'k'],
    ]);
    const long = Array.from({ length: 100 }, (_, i) => `element-of-a-list-long-enough-to-compress-${i}`);
    diffCases(env, 'DEBUG OBJECT (address, lru, serialized and listpack sizes masked)', [
      ['DEBUG', 'OBJECT', 'nokey'],
      ['SET', 's', '12'],
      { args: ['DEBUG', 'OBJECT', 's'], normalize: maskDebugObject },
      ['SET', 's', 'a longer string value than embstr allows, more than forty-four bytes'],
      { args: ['DEBUG', 'OBJECT', 's'], normalize: maskDebugObject },
      ['HSET', 'h', 'f', 'v'],
      { args: ['DEBUG', 'OBJECT', 'h'], normalize: maskDebugObject },
      ['RPUSH', 'l', 'a', 'b', 'c'],
      { args: ['DEBUG', 'OBJECT', 'l'], normalize: maskDebugObject },
      // fill and compression are fixed when a list is created
      ['CONFIG', 'SET', 'list-max-listpack-size', '2'],
      ['RPUSH', 'q', 'a', 'b', 'c', 'd', 'e'],
      { args: ['DEBUG', 'OBJECT', 'q'], normalize: maskDebugObject },
      ['CONFIG', 'SET', 'list-compress-depth', '1'],
      ['RPUSH', 'z', ...long],
      { args: ['DEBUG', 'OBJECT', 'z'], normalize: maskDebugObject },
      { args: ['DEBUG', 'OBJECT', 'l'], normalize: maskDebugObject },
      ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
      ['CONFIG', 'SET', 'list-compress-depth', '0'],
      ['DEBUG', 'OBJECT', 'a', 'b'],
    ]);
  },
  { args: ['--enable-debug-command', 'local'] },
);

describe('DEBUG and authentication', () => {
  it.skipIf(!hasRedisServer())('a refused DEBUG answers before NOAUTH, as Redis (skipped without redis-server)', async () => {
    const pair = await startPair(0, ['--requirepass', 'pw']);
    try {
      for (const input of ['*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$1\r\n0\r\n', '*1\r\n$5\r\nDEBUG\r\n', '*2\r\n$3\r\nGET\r\n$1\r\nx\r\n']) {
        await expectSameRawExchange(pair, input, { label: JSON.stringify(input) });
      }
    } finally {
      await Promise.all([pair.sabre.stop(), pair.redis.stop()]);
    }
  });
});
