// Connection / server commands and the inline protocol.
import net from 'node:net';
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
import { encodeCommand, escapeBytes, parseReply, serializeReply, RawClient, type RespNode } from '../helpers/raw';

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
  // First, on fresh servers: every parameter Sabre has starts at Redis 7.0's
  // built-in default (config.c's; hash-max-listpack-entries is 512).
  it('fresh server: CONFIG GET of every parameter matches redis-server', async () => {
    const d = await env.open(false);
    const all = parseReply(await d.sabre.call('CONFIG', 'GET', '*')).node.items ?? [];
    // set per server by the harness or by design: addresses, paths, process settings
    const own = new Set(['port', 'bind', 'dir', 'logfile', 'pidfile', 'daemonize', 'save', 'appendonly', 'enable-debug-command', 'maxclients', 'shards']);
    const names = all.filter((_, i) => i % 2 === 0).map((n) => n.data!.toString('latin1')).filter((n) => !own.has(n));
    expect(names.length).toBeGreaterThan(20);
    await d.run(names.map((n) => ['CONFIG', 'GET', n]));
  });

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
    ['CONFIG', 'SET', 'hz', '10', 'maxmemory'],
    ['CONFIG', 'SET', 'hz', '10', 'timeout', '0', 'x'],
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
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '512'],
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

  // INFO: every section and field name of Redis 7.0, in its order (values are the servers' own).
  // Not compared: Sabre's own sabre_* fields, the per-command and per-error lines and the
  // keyspace lines (they depend on what ran), and Latencystats, which Sabre does not keep
  // (per-command latency percentiles: not implemented; the test checks it is still absent).
  it('INFO everything: the same sections and field names as redis-server, in the same order', async () => {
    const d = await env.open(false);
    const { sabre, redis } = await d.both(['INFO', 'everything']);
    const names = (b: Buffer): string[] =>
      parseReply(b)
        .node.data!.toString('latin1')
        .split('\r\n')
        .filter((l) => l !== '' && !/^(sabre_|cmdstat_|errorstat_|latency_percentiles_usec_|db\d+:)/.test(l))
        .map((l) => (l.startsWith('#') ? l : l.slice(0, l.indexOf(':'))));
    const r = names(redis);
    const s = names(sabre);
    expect(s).not.toContain('# Latencystats');
    expect(s).toEqual(r.filter((l) => l !== '# Latencystats'));
  });

  // INFO keyspace_hits / keyspace_misses: Redis counts the lookups of its read paths, which
  // read-only commands make, some write commands make too (GETDEL, SET ... GET, the *STORE
  // sources) and a few commands skip (SCAN, RANDOMKEY, MEMORY USAGE, DEBUG OBJECT, deletes).
  it('INFO keyspace_hits and keyspace_misses count as in redis-server, command by command', async () => {
    const d = await env.open(false);
    const setup = [
      ['FLUSHALL'], ['SET', 'a', '1'], ['SET', 'b', 'hello'], ['HSET', 'h', 'f', 'v', 'g', 'w'], ['RPUSH', 'l', 'x', 'y', 'z'],
      ['SADD', 's', 'm1', 'm2'], ['SADD', 's2', 'm2'], ['ZADD', 'z', '1', 'm', '2', 'n'], ['CONFIG', 'RESETSTAT'],
    ];
    const cases = (
      'GET a|GET nosuch|MGET a b nosuch|EXISTS a nosuch|TYPE nosuch|TTL a|STRLEN a|GETRANGE b 0 1|LCS a b|' +
      'HGET h f|HGETALL h|HMGET h f x|HLEN nosuch|HRANDFIELD h|HSCAN h 0|LRANGE l 0 -1|LINDEX l 0|LPOS l y|' +
      'SMEMBERS s|SMISMEMBER s m1 x|SINTER s s2|SINTERCARD 2 s s2|SUNION s nosuch|SDIFF s s2|SRANDMEMBER s|' +
      'ZSCORE z m|ZRANGE z 0 -1|ZRANK z m|ZRANGEBYLEX z - +|ZUNION 2 z nosuch|ZINTERCARD 1 z|ZSCAN z 0|' +
      'SORT_RO l ALPHA|SORT l ALPHA|SORT l BY nosort GET h->f ALPHA|SORT l ALPHA STORE d|OBJECT ENCODING a|' +
      'OBJECT REFCOUNT nosuch|MEMORY USAGE a|DEBUG OBJECT a|SCAN 0|KEYS *|DBSIZE|RANDOMKEY|TOUCH a nosuch|' +
      'SET a 2|SET a 3 GET|SET nosuch2 1 GET|SET a 2 NX|SET nosuch3 1 XX|SETNX a 1|GETSET a 5|GETDEL b|GETEX a|INCR a|APPEND a x|DEL nosuch|' +
      'COPY a a2|COPY nosuch a3|RENAME a a4|MOVE a 1|LPUSH l w|LPOP l|LMOVE l l2 LEFT RIGHT|RPOPLPUSH l l3|' +
      'HSET h f 1|HINCRBY h f 1|SADD s m3|SPOP s2|SMOVE s s3 m1|SINTERSTORE d s nosuch|SUNIONSTORE d s s2|' +
      'SDIFFSTORE d s s2|ZADD z 3 o|ZINCRBY z 1 o|ZPOPMIN z|ZRANGESTORE d z 0 -1|ZUNIONSTORE d 2 z nosuch|' +
      'ZINTERSTORE d 1 z|ZDIFFSTORE d 1 z|FLUSHDB'
    ).split('|');
    const counts = async (c: { call(...a: string[]): Promise<Buffer> }): Promise<string> => {
      const t = (await c.call('INFO', 'stats')).toString('latin1');
      return `hits=${/keyspace_hits:(\d+)/.exec(t)![1]} misses=${/keyspace_misses:(\d+)/.exec(t)![1]}`;
    };
    const diffs: string[] = [];
    for (const line of cases) {
      for (const c of setup) await d.both(c);
      await d.both(line.split(' '));
      const [r, s] = [await counts(d.redis), await counts(d.sabre)];
      if (r !== s) diffs.push(`${line}: redis ${r}, sabre ${s}`);
    }
    expect(diffs).toEqual([]);
  });

  // INFO commandstats (calls, rejected_calls, failed_calls; Sabre does not time commands, so usec is
  // left out), errorstats and total_error_replies after commands that succeed, are refused before
  // running (arity, unknown command or subcommand) and fail while running (WRONGTYPE, not an integer...)
  it('INFO commandstats and errorstats count calls, rejected and failed calls and errors as redis-server', async () => {
    const d = await env.open(false);
    const cases = (
      'FLUSHALL|CONFIG RESETSTAT|RPUSH l a|SET s 1|GET l|GET|INCR l|INCR s|INCRBY s x|HGET l f|LPOP s|ZADD z x m|' +
      'ZADD z 1 m|SINTERSTORE d l s|MSET a|MGET a b|OBJECT ENCODING nosuch|OBJECT NOSUCH|CLIENT NOSUCH|' +
      'CONFIG SET nosuch 1|FOO bar|SELECT 99|EXPIRE s x|SORT l|SET x y NX XX|DEL nosuch|LRANGE l 0 -1|' +
      'BLPOP l 0.01|RENAME nosuch b|COPY l l|PING|ECHO|HELLO 9'
    ).split('|');
    for (const c of cases) await d.both(c.split(' '));
    const stats = (b: Buffer): string[] =>
      b
        .toString('latin1')
        .split('\r\n')
        .filter((l) => /^(cmdstat_|errorstat_|total_error_replies)/.test(l))
        .map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+,/, ''))
        .sort();
    const { sabre, redis } = await d.both(['INFO', 'everything']);
    expect(stats(sabre)).toEqual(stats(redis));
    expect(stats(redis).length).toBeGreaterThan(20);
  });

  // Counted once: a cross-shard command that first waits for the client's earlier replies (it is
  // parsed, held, then dispatched again), and both sides of CLIENT UNBLOCK ... ERROR (Redis counts
  // a failed call for the blocked command and for CLIENT UNBLOCK, during which the error was sent)
  it('commandstats: a pipelined cross-shard command counts once; CLIENT UNBLOCK ERROR fails both commands', async () => {
    const p = env.pair();
    const stats = async (port: number): Promise<string[]> => {
      const c = await RawClient.connect(port);
      try {
        const t = (await c.call('INFO', 'everything')).toString('latin1');
        return t
          .split('\r\n')
          .filter((l) => /^(cmdstat_(mset|set|blpop|client\|unblock)|total_commands_processed|total_error_replies)/.test(l))
          .map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+,/, '').replace(/total_commands_processed:\d+/, 'total_commands_processed'))
          .sort();
      } finally {
        c.close();
      }
    };
    const run = async (port: number): Promise<string[]> => {
      const a = await RawClient.connect(port);
      const b = await RawClient.connect(port);
      try {
        await a.call('CONFIG', 'RESETSTAT');
        // one write: SET then a 5-key MSET (keys on several shards), pipelined
        await a.pipeline([['SET', 'x', '1'], ['MSET', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5']]);
        const id = (await b.call('CLIENT', 'ID')).toString('latin1').slice(1, -2);
        const blocked = b.call('BLPOP', 'unblock:list', '0');
        // wait until the client is blocked (flags=b), not merely sent on its way
        for (let i = 0; i < 100 && !/ flags=b /.test((await a.call('CLIENT', 'LIST')).toString('latin1')); i++) await new Promise((r) => setTimeout(r, 20));
        await a.call('CLIENT', 'UNBLOCK', id, 'ERROR');
        await blocked;
        await a.call('DEL', 'x', 'a', 'b', 'c', 'd', 'e');
      } finally {
        a.close();
        b.close();
      }
      return stats(port);
    };
    expect(await run(p.sabre.port)).toEqual(await run(p.redis.port));
  });

  // lazyfreed_objects: FLUSHALL ASYNC counts each key once, big values too, and counts a small db as well
  it('INFO lazyfreed_objects after FLUSHALL ASYNC, as redis-server', async () => {
    const d = await env.open(false);
    const lazyfreed = async (c: { call(...a: string[]): Promise<Buffer> }): Promise<string> =>
      /lazyfreed_objects:(\d+)/.exec((await c.call('INFO', 'memory')).toString('latin1'))![1]!;
    const waitDone = async (c: { call(...a: string[]): Promise<Buffer> }): Promise<void> => {
      for (let i = 0; i < 100 && !/lazyfree_pending_objects:0\r/.test((await c.call('INFO', 'memory')).toString('latin1')); i++) await new Promise((r) => setTimeout(r, 20));
    };
    const results: string[][] = [];
    for (const keys of [3, 1000]) {
      await d.both(['FLUSHALL']);
      await d.both(['CONFIG', 'RESETSTAT']);
      for (let i = 0; i < keys; i++) await d.both(['SET', `lf:${i}`, 'v']);
      // big values: freed lazily on their own when deleted, but part of the db in a flush
      for (let i = 0; i < 4; i++) await d.both(['SADD', `lfset:${i}`, ...Array.from({ length: 200 }, (_, j) => `m${j}`)]);
      await d.both(['FLUSHALL', 'ASYNC']);
      await waitDone(d.sabre);
      await waitDone(d.redis);
      results.push([String(keys), await lazyfreed(d.sabre), await lazyfreed(d.redis)]);
    }
    for (const [keys, sabre, redis] of results) expect(`${keys} keys: ${sabre}`).toBe(`${keys} keys: ${redis}`);
  });

  // MEMORY HELP, PURGE, MALLOC-STATS (Sabre's allocator is not jemalloc: Redis's reply for other
  // allocators) and the empty-instance DOCTOR report byte for byte; MEMORY STATS by its field names.
  // ROLE of a lone master (no replication yet): role, offset 0, no replicas
  diffCases(env, 'ROLE', [['ROLE'], ['ROLE', 'x']]);

  diffCases(env, 'MEMORY subcommands', [
    ['FLUSHALL'],
    ['MEMORY', 'HELP'],
    ['MEMORY', 'PURGE'],
    ['MEMORY', 'DOCTOR'],
    ['MEMORY', 'STATS', 'x'],
    ['MEMORY', 'DOCTOR', 'x'],
  ]);

  it('MEMORY STATS has the fields of redis-server, in the same order, with a db.N map per non-empty db', async () => {
    const d = await env.open(true);
    await d.both(['FLUSHALL']);
    await d.both(['SET', 'a', '1']);
    await d.both(['SELECT', '3']);
    await d.both(['SET', 'b', '2', 'EX', '100']);
    const { sabre, redis } = await d.both(['MEMORY', 'STATS']);
    const shape = (b: Buffer): string[] => {
      const { node } = parseReply(b);
      const out: string[] = [`${node.type}${node.items!.length}`];
      for (let i = 0; i < node.items!.length; i += 2) {
        const v = node.items![i + 1]!;
        out.push(`${node.items![i]!.data!.toString('latin1')}:${v.type}`);
        if (v.type === '%') for (let j = 0; j < v.items!.length; j += 2) out.push(`  ${v.items![j]!.data!.toString('latin1')}:${v.items![j + 1]!.type}`);
      }
      return out;
    };
    expect(shape(sabre)).toEqual(shape(redis));
    await d.both(['FLUSHALL']);
  });

  // client-output-buffer-limit (normal class): a client that does not read is closed once its
  // pending output passes the hard limit, by both servers
  it('a client over the hard client-output-buffer-limit is disconnected, as by redis-server', { timeout: 30_000 }, async () => {
    const p = env.pair();
    const closedAfterFlood = async (port: number): Promise<boolean> => {
      const sock = net.connect(port, '127.0.0.1');
      await new Promise((r) => sock.once('connect', r));
      sock.on('error', () => undefined);
      sock.pause(); // do not read for a while: replies pile up on the server
      const big = 'x'.repeat(100_000);
      const flood: Buffer[] = [cmd('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 0 0'), cmd('SET', 'obl:big', big)];
      for (let i = 0; i < 300; i++) flood.push(cmd('GET', 'obl:big'));
      sock.write(Buffer.concat(flood));
      await new Promise((r) => setTimeout(r, 1500));
      // then read: a closed connection ends before all 302 replies (30 MB) came
      let got = 0;
      const closed = new Promise<boolean>((r) => {
        sock.on('data', (d: Buffer) => (got += d.length));
        sock.once('close', () => r(got < 30_000_000));
        setTimeout(() => r(false), 10_000);
      });
      sock.resume();
      const result = await closed;
      sock.destroy();
      // restore the default on a fresh connection
      const c = net.connect(port, '127.0.0.1');
      await new Promise((r) => c.once('connect', r));
      c.write(Buffer.concat([cmd('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0'), cmd('DEL', 'obl:big')]));
      await new Promise((r) => c.once('data', r));
      c.destroy();
      return result;
    };
    expect(await closedAfterFlood(p.redis.port)).toBe(true);
    expect(await closedAfterFlood(p.sabre.port)).toBe(true);
  });

  // the soft limit counts time over it in one episode: output that drained ends the episode, so a
  // later burst over the soft limit starts a new one (Sabre once kept the first episode's start
  // and closed the client at the second burst)
  it('a drained client starts a new soft client-output-buffer-limit episode, as on redis-server', { timeout: 30_000 }, async () => {
    const p = env.pair();
    const big = 'x'.repeat(100_000);
    const burst = (): Buffer => Buffer.concat(Array.from({ length: 50 }, () => cmd('GET', 'obl:soft')));
    const survivesTwoBursts = async (port: number): Promise<boolean> => {
      const sock = net.connect(port, '127.0.0.1');
      await new Promise((r) => sock.once('connect', r));
      sock.on('error', () => undefined);
      let got = 0;
      let closed = false;
      sock.on('data', (d: Buffer) => (got += d.length));
      sock.once('close', () => (closed = true));
      sock.write(Buffer.concat([cmd('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 1mb 1'), cmd('SET', 'obl:soft', big)]));
      const until = async (n: number): Promise<void> => {
        for (let i = 0; i < 500 && got < n && !closed; i++) await new Promise((r) => setTimeout(r, 10));
      };
      await until(10); // +OK +OK
      const reply = 100_000 + 11; // $100000\r\n ... \r\n
      for (let round = 1; round <= 2; round++) {
        sock.pause(); // 5 MB of replies wait on the server, over the soft limit, for 300 ms (< 1 s)
        sock.write(burst());
        await new Promise((r) => setTimeout(r, 300));
        sock.resume();
        await until(10 + round * 50 * reply);
        if (round === 1) await new Promise((r) => setTimeout(r, 1500)); // drained, then longer than the soft seconds
      }
      const ok = !closed && got === 10 + 2 * 50 * reply;
      sock.destroy();
      const c = net.connect(port, '127.0.0.1');
      await new Promise((r) => c.once('connect', r));
      c.write(Buffer.concat([cmd('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0'), cmd('DEL', 'obl:soft')]));
      await new Promise((r) => c.once('data', r));
      c.destroy();
      return ok;
    };
    expect(await survivesTwoBursts(p.redis.port)).toBe(true);
    expect(await survivesTwoBursts(p.sabre.port)).toBe(true);
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

  // ---- COMMAND INFO: every command Sabre lists, byte for byte, in both protocols (flags, ACL
  // categories, tips, key specs, subcommands). The only exceptions, each checked to still hold:
  //  * 7.2 subcommands Sabre also offers: Redis 7.0 does not have them (COMMAND INFO answers a null).
  //  * containers: Redis lists their subcommands in the order of a dict hashed with a random
  //    per-process seed, so the subcommand array is compared sorted by name;
  //  * CLIENT: Redis 7.0 has subcommands Sabre does not implement (and CLIENT lacks the
  //    7.2 ones), so for these the container's own fields and the subcommands both have are compared.
  //    Every subcommand is also compared on its own, by its full name.
  const ONLY_IN_7_2 = ['client|no-touch', 'client|setinfo'];
  const NOT_IMPLEMENTED: Record<string, string[]> = {
    client: ['client|caching', 'client|getredir', 'client|tracking', 'client|trackinginfo'],
  };

  /**
   * A container's subcommands (serialized reply per subcommand name), Redis's
   * and Sabre's: each side may lack exactly the documented ones; the rest must
   * be identical (differences go to diffs).
   */
  function compareSubcommands(name: string, rs: Map<string, string>, ss: Map<string, string>, diffs: string[]): void {
    const onlyRedis = [...rs.keys()].filter((k) => !ss.has(k)).sort();
    const onlySabre = [...ss.keys()].filter((k) => !rs.has(k)).sort();
    expect(onlyRedis, `${name}: Redis-only subcommands`).toEqual(NOT_IMPLEMENTED[name] ?? []);
    expect(onlySabre, `${name}: Sabre-only subcommands`).toEqual(ONLY_IN_7_2.filter((n) => n.startsWith(name + '|')));
    for (const [k, v] of ss) if (rs.has(k) && rs.get(k) !== v) diffs.push(`${name} > ${k}\n      redis: ${rs.get(k)}\n      sabre: ${v}`);
  }

  for (const resp3 of [false, true]) {
    it(`COMMAND INFO of every command in COMMAND LIST is byte-identical [RESP${resp3 ? 3 : 2}]`, async () => {
      const d = await env.open(resp3);
      const list = parseReply(await d.sabre.call('COMMAND', 'LIST')).node.items ?? [];
      const names = list.map((it) => it.data!.toString('latin1'));
      expect(names.length).toBeGreaterThan(180);
      const subName = (n: RespNode): string => n.items![0]!.data!.toString('latin1');
      const diffs: string[] = [];
      for (const name of names) {
        const { sabre, redis } = await d.both(['COMMAND', 'INFO', name]);
        const r = parseReply(redis).node.items![0]!;
        if (ONLY_IN_7_2.includes(name)) {
          // still absent from redis-server 7.0
          expect(r.type === '_' || (r.type === '$' && r.data === null), `${name} is not in Redis 7.0`).toBe(true);
          continue;
        }
        const s = parseReply(sabre).node.items![0]!;
        const rSubs = r.items?.[9]?.items ?? [];
        if (rSubs.length === 0) {
          if (!sabre.equals(redis)) diffs.push(`${name}\n      redis: ${escapeBytes(redis, 1500)}\n      sabre: ${escapeBytes(sabre, 1500)}`);
          continue;
        }
        // a container: its own fields byte for byte, then its subcommands by name
        const head = (e: RespNode): string => e.items!.slice(0, 9).map((x) => serializeReply(x).toString('latin1')).join('');
        if (head(s) !== head(r)) diffs.push(`${name} (container fields)\n      redis: ${head(r)}\n      sabre: ${head(s)}`);
        const bySub = (e: RespNode): Map<string, string> =>
          new Map((e.items![9]!.items ?? []).map((x) => [subName(x), serializeReply(x).toString('latin1')]));
        compareSubcommands(name, bySub(r), bySub(s), diffs);
      }
      expect(diffs, `COMMAND INFO differs for ${diffs.length} commands`).toEqual([]);
    });
  }

  // ---- COMMAND DOCS: every command Sabre lists, byte for byte, in both protocols (summary, since,
  // group, complexity, doc flags, deprecation, history, the argument tree, subcommands). The
  // exceptions are COMMAND INFO's, each checked to still hold:
  //  * ONLY_IN_7_2: Redis 7.0 does not know them (COMMAND DOCS answers an empty map); Sabre replies
  //    their Redis 7.2 docs.
  //  * containers: the subcommands map is in Redis's random per-process order, so it is compared
  //    by name; for CLIENT only the subcommands both have (NOT_IMPLEMENTED are Redis-only,
  //    ONLY_IN_7_2 Sabre-only). Every subcommand is also compared on its own, by its full name.
  for (const resp3 of [false, true]) {
    it(`COMMAND DOCS of every command in COMMAND LIST is byte-identical [RESP${resp3 ? 3 : 2}]`, async () => {
      const d = await env.open(resp3);
      const list = parseReply(await d.sabre.call('COMMAND', 'LIST')).node.items ?? [];
      const names = list.map((it) => it.data!.toString('latin1'));
      expect(names.length).toBeGreaterThan(180);
      const ser = (n: RespNode): string => serializeReply(n).toString('latin1');
      /** a docs map's fields as [name, value] pairs (a RESP2 flat array or a RESP3 map alike) */
      const fields = (docs: RespNode): [string, RespNode][] => {
        const it = docs.items ?? [];
        const out: [string, RespNode][] = [];
        for (let i = 0; i < it.length; i += 2) out.push([it[i]!.data!.toString('latin1'), it[i + 1]!]);
        return out;
      };
      const diffs: string[] = [];
      for (const name of names) {
        const { sabre, redis } = await d.both(['COMMAND', 'DOCS', name]);
        const r = parseReply(redis).node;
        if (ONLY_IN_7_2.includes(name)) {
          // still unknown to redis-server 7.0: no entry
          expect(r.items?.length ?? -1, `${name} is not in Redis 7.0`).toBe(0);
          continue;
        }
        const rFields = fields(r.items![1]!);
        const rSubs = rFields.find(([k]) => k === 'subcommands')?.[1];
        if (!rSubs) {
          if (!sabre.equals(redis)) diffs.push(`${name}\n      redis: ${escapeBytes(redis, 3000)}\n      sabre: ${escapeBytes(sabre, 3000)}`);
          continue;
        }
        // a container: its name and own fields byte for byte, then its subcommands by name
        const s = parseReply(sabre).node;
        const head = (top: RespNode): string =>
          `${top.type}${ser(top.items![0]!)}` + fields(top.items![1]!).map(([k, v]) => `${k}=${k === 'subcommands' ? v.type : ser(v)}`).join(' ');
        if (head(s) !== head(r)) diffs.push(`${name} (container fields)\n      redis: ${head(r)}\n      sabre: ${head(s)}`);
        const bySub = (top: RespNode): Map<string, string> => {
          const subs = fields(top.items![1]!).find(([k]) => k === 'subcommands')?.[1];
          return new Map(fields(subs ?? { type: '*', data: null, items: [] }).map(([k, v]) => [k, ser(v)]));
        };
        compareSubcommands(name, bySub(r), bySub(s), diffs);
      }
      expect(diffs, `COMMAND DOCS differs for ${diffs.length} commands`).toEqual([]);
    });
  }

  // COMMAND GETKEYS / GETKEYSANDFLAGS: each key with the flags of the key spec that found it
  // (or, where the specs cannot tell, as Redis's own key extraction reports them)
  const getkeysCases: string[][] = [
    ['GET', 'k'], ['SET', 'k', 'v'], ['SET', 'k', 'v', 'GET'], ['SET', 'k', 'v', 'get', 'EX', '10'], ['SET', 'k', 'v', 'EX', '10', 'Get'],
    ['SET', 'k', 'get'], ['SET', 'k', 'v', 'GETX'], ['SET', 'k', 'v', 'NX'], ['SET', 'k', 'v', 'ge\0t'], ['SET', 'k', 'v', 'get\0x'],
    ['SETNX', 'k', 'v'], ['SETEX', 'k', '1', 'v'], ['GETSET', 'k', 'v'], ['GETDEL', 'k'], ['GETEX', 'k', 'PERSIST'],
    ['MGET', 'a', 'b', 'c'], ['MSET', 'a', '1', 'b', '2'], ['MSET', 'a', '1', 'b'], ['MSETNX', 'a', '1', 'b', '2'],
    ['APPEND', 'k', 'v'], ['STRLEN', 'k'], ['INCRBYFLOAT', 'k', '1'], ['SETRANGE', 'k', '0', 'v'], ['LCS', 'a', 'b', 'LEN'],
    ['DEL', 'a', 'b', 'c'], ['UNLINK', 'a'], ['EXISTS', 'a', 'b'], ['TOUCH', 'a'], ['TYPE', 'k'], ['TTL', 'k'], ['EXPIRE', 'k', '1', 'NX'],
    ['PERSIST', 'k'], ['RENAME', 'a', 'b'], ['RENAMENX', 'a', 'b'], ['COPY', 'a', 'b', 'DB', '1', 'REPLACE'], ['MOVE', 'k', '1'],
    ['OBJECT', 'ENCODING', 'k'], ['object', 'freq', 'k'], ['OBJECT', 'HELP'], ['OBJECT', 'NOSUCH', 'k'], ['OBJECT', 'ENCODING'],
    ['MEMORY', 'USAGE', 'k', 'SAMPLES', '5'], ['MEMORY', 'USAGE'], ['MEMORY', 'NOSUCH', 'k'],
    // keyless commands, unknown names and arity: "no key arguments" is checked before the arity
    ['PING', 'a', 'b'], ['ECHO', 'a', 'b'], ['TIME', 'a'], ['CLIENT', 'ID', 'x'], ['CLIENT', 'LIST'], ['CLIENT', 'NOSUCH'],
    ['CONFIG', 'GET', 'x'], ['KEYS', '*'], ['DBSIZE', 'x'], ['NOSUCH', 'a'], ['GET', 'k', 'x'],
    ['SADD', 's', 'a'], ['SREM', 's', 'a'], ['SISMEMBER', 's', 'a'], ['SPOP', 's'], ['SMOVE', 'a', 'b', 'm'], ['SINTER', 'a', 'b'],
    ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'], ['SINTERCARD', '3', 'a', 'b'], ['SINTERCARD', '0', 'a'], ['SINTERCARD', '-1', 'a'],
    ['SINTERCARD', '1x', 'a'], ['SINTERCARD', '01', 'a'], ['SINTERCARD', '+1', 'a'], ['SINTERSTORE', 'd', 'a', 'b'],
    ['SUNIONSTORE', 'd', 'a', 'b'], ['SDIFFSTORE', 'd', 'a'],
    ['LPUSH', 'l', 'a'], ['LPOP', 'l'], ['LLEN', 'l'], ['LSET', 'l', '0', 'v'], ['LINSERT', 'l', 'BEFORE', 'a', 'b'], ['LTRIM', 'l', '0', '1'],
    ['LMOVE', 's', 'd', 'LEFT', 'RIGHT'], ['RPOPLPUSH', 's', 'd'], ['LMPOP', '2', 'a', 'b', 'LEFT', 'COUNT', '2'], ['LMPOP', '0', 'a', 'LEFT'],
    ['LMPOP', '3', 'a', 'b', 'LEFT'], ['LMPOP', '1x', 'a', 'LEFT'], ['LMPOP', ' 1', 'a', 'LEFT'], ['LMPOP', '4294967297', 'a', 'LEFT'],
    ['LMPOP', '99999999999', 'a', 'LEFT'],
    ['ZADD', 'z', '1', 'a'], ['ZINCRBY', 'z', '1', 'a'], ['ZCARD', 'z'], ['ZRANGESTORE', 'd', 's', '0', '-1'], ['ZPOPMAX', 'z', '2'],
    ['ZMPOP', '2', 'a', 'b', 'MAX', 'COUNT', '3'], ['ZMPOP', '-1', 'a', 'MIN'], ['ZMPOP', '1x', 'a', 'MIN'],
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1', '2'], ['ZINTER', '1', 'a'], ['ZDIFF', '2', 'a', 'b'], ['ZUNION', '3', 'a', 'b'],
    ['ZUNION', '2x', 'a', 'b'], ['ZUNIONSTORE', 'd', '2', 'a', 'b'], ['ZUNIONSTORE', 'd', '2', 'a'], ['ZUNIONSTORE', 'd', 'x', 'a', 'b'],
    ['ZUNIONSTORE', 'd', '2abc', 'a', 'b'], ['ZINTERSTORE', 'd', '02', 'a', 'b'], ['ZDIFFSTORE', 'd', '+2', 'a', 'b'],
    ['ZINTERCARD', '2', 'a', 'b'], ['ZINTERCARD', '1', 'a', 'b'],
    ['HSET', 'h', 'f', 'v'], ['HSETNX', 'h', 'f', 'v'], ['HLEN', 'h'], ['HINCRBY', 'h', 'f', '1'], ['HDEL', 'h', 'f'], ['HGETALL', 'h'],
    ['SORT', 'a'], ['SORT', 'a', 'STORE', 'b'], ['SORT', 'a', 'BY', 'x', 'GET', 'y', 'STORE', 'b'], ['SORT', 'a', 'STORE', 'b', 'STORE', 'c'],
    ['SORT', 'a', 'STORE'], ['SORT_RO', 'a', 'BY', 'x'], ['SORT_RO', 'a', 'STORE', 'b'],
    ['BLPOP', 'a', 'b', '0'], ['BRPOP', 'a', '0'], ['BLMOVE', 's', 'd', 'LEFT', 'LEFT', '0'], ['BRPOPLPUSH', 's', 'd', '0'],
    ['BLMPOP', '0', '2', 'a', 'b', 'LEFT'], ['BLMPOP', '0', '0', 'a', 'LEFT'], ['BLMPOP', '0', '1x', 'a', 'LEFT'],
    ['BZPOPMIN', 'a', 'b', '0'], ['BZMPOP', '0', '1', 'a', 'MIN', 'COUNT', '2'], ['BZMPOP', '0', '5', 'a', 'MIN'],
  ];
  diffCases(env, 'COMMAND GETKEYS and GETKEYSANDFLAGS', () =>
    getkeysCases.flatMap((c) => [['COMMAND', 'GETKEYS', ...c], ['COMMAND', 'GETKEYSANDFLAGS', ...c]]),
  );
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
