// Configuration file handling, SHUTDOWN and SIGTERM.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw';
import {
  ensureTmpDir,
  freePort,
  runServerToExit,
  SABRE_BIN,
  sabreTargetIsRedis,
  startSabre,
  stopAll,
  type ServerHandle,
} from '../helpers/servers';

const started: ServerHandle[] = [];
const confFiles: string[] = [];
afterAll(async () => {
  await stopAll(...started);
  for (const f of confFiles) fs.rmSync(f, { force: true });
});

let confSeq = 0;
function writeConf(name: string, lines: string[]): string {
  const file = path.join(ensureTmpDir(), `${name}-${process.pid}-${++confSeq}.conf`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  confFiles.push(file);
  return file;
}

async function exitWithin(h: ServerHandle, ms: number): Promise<number | string | null | 'still-running'> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<'still-running'>((resolve) => {
    t = setTimeout(() => resolve('still-running'), ms);
  });
  const r = await Promise.race([h.exited, timeout]);
  clearTimeout(t);
  return r;
}

describe('config file', () => {
  it.skipIf(sabreTargetIsRedis())(
    'known directives are applied, unknown ones produce one warning each',
    async () => {
      const port = await freePort();
      const conf = writeConf('good', [
        '# Sabre test configuration',
        '',
        `port ${port}`,
        'bind 127.0.0.1',
        'databases 4',
        'hz 10',
        'maxclients 500',
        'timeout 0',
        'tcp-keepalive 300',
        'loglevel notice',
        'logfile ""',
        'shards 1',
        '   # indented comment',
        'appendfsync everysec',
        'lazyfree-lazy-eviction yes',
      ]);
      const h = await startSabre({ configFile: conf, port, noPortArg: true });
      started.push(h);
      const out = h.output();
      const lines = out.split('\n');
      for (const d of ['appendfsync', 'lazyfree-lazy-eviction']) {
        expect(lines.filter((l) => l.includes(d)).length, `one warning line mentioning "${d}" in:\n${out}`).toBeGreaterThanOrEqual(1);
      }
      for (const known of ['maxclients', 'tcp-keepalive', 'databases']) {
        expect(
          lines.some((l) => /warn/i.test(l) && l.includes(known)),
          `known directive "${known}" must not be warned about:\n${out}`,
        ).toBe(false);
      }
      const c = await RawClient.connect(port);
      try {
        expect((await c.call('PING')).toString()).toBe('+PONG\r\n');
        expect((await c.call('CONFIG', 'GET', 'databases')).toString()).toBe('*2\r\n$9\r\ndatabases\r\n$1\r\n4\r\n');
        expect((await c.call('CONFIG', 'GET', 'maxclients')).toString()).toBe('*2\r\n$10\r\nmaxclients\r\n$3\r\n500\r\n');
        expect((await c.call('SELECT', '3')).toString()).toBe('+OK\r\n');
        expect((await c.call('SELECT', '4')).toString()).toBe('-ERR DB index is out of range\r\n');
      } finally {
        c.close();
      }
    },
  );

  it.skipIf(sabreTargetIsRedis())('command line options override the config file', async () => {
    const port = await freePort();
    const conf = writeConf('override', ['databases 4', 'hz 10']);
    const h = await startSabre({ configFile: conf, port, args: ['--databases', '8'] });
    started.push(h);
    const c = await RawClient.connect(port);
    try {
      expect((await c.call('CONFIG', 'GET', 'databases')).toString()).toBe('*2\r\n$9\r\ndatabases\r\n$1\r\n8\r\n');
      expect((await c.call('SELECT', '7')).toString()).toBe('+OK\r\n');
    } finally {
      c.close();
    }
  });

  const malformed: Array<[string, string[], number]> = [
    ['directive without value (port)', ['# comment', 'databases 4', 'port'], 3],
    ['unterminated quote', ['databases 4', 'hz 10', '', 'logfile "unterminated'], 4],
    ['non-numeric databases', ['databases lots'], 1],
  ];
  for (const [title, lines, lineNo] of malformed) {
    it(`malformed config (${title}) exits non-zero and names line ${lineNo}`, async () => {
      const conf = writeConf('bad', lines);
      const port = await freePort();
      const r = await runServerToExit([conf, '--port', String(port)], 15_000);
      expect(r.timedOut, `server did not exit on a malformed config; output:\n${r.output}`).toBe(false);
      expect(r.code, `exit code; output:\n${r.output}`).not.toBe(0);
      expect(r.code === null && r.signal === null, 'process must exit by itself').toBe(false);
      expect(r.output, 'error message must name the offending line').toMatch(new RegExp(`line:?\\s*${lineNo}\\b|:${lineNo}\\b`, 'i'));
    });
  }

  it('a missing config file makes the server exit non-zero with Redis\'s message', async () => {
    const missing = path.join(ensureTmpDir(), 'does-not-exist.conf');
    const r = await runServerToExit([missing, '--port', String(await freePort())]);
    expect(r.timedOut).toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain(`Fatal error, can't open config file '${missing}': No such file or directory`);
  });

  it('-v / --version print the version line and exit 0; -h / --help print the usage and exit 1', async () => {
    for (const flag of ['-v', '--version']) {
      const r = await runServerToExit([flag]);
      expect(r.timedOut, flag).toBe(false);
      expect(r.code, flag).toBe(0);
      expect(r.output, flag).toMatch(/ server v=7\.\d+\.\d+ .*bits=64/);
    }
    for (const flag of ['-h', '--help']) {
      const r = await runServerToExit([flag]);
      expect(r.timedOut, flag).toBe(false);
      expect(r.code, flag).toBe(1);
      expect(r.output, flag).toMatch(/^Usage: \S*(redis|sabre)-server \[\/path\/to\/redis\.conf\] \[options\] \[-\]/);
    }
  });

  it("'-' reads config from stdin, after the file and before the --options", async () => {
    const port = await freePort();
    const conf = writeConf('stdin-base', ['hz 11', 'databases 8']);
    const proc = spawn(sabreTargetIsRedis() ? 'redis-server' : process.execPath, [...(sabreTargetIsRedis() ? [] : [SABRE_BIN]), conf, '--hz', '20', '-'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    try {
      proc.stdin!.end(`port ${port}\nhz 17\ndatabases 4\n`);
      let c: RawClient | null = null;
      for (let i = 0; i < 100 && c === null; i++) {
        try {
          c = await RawClient.connect(port);
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      expect(c, 'server did not listen on the port given on stdin').not.toBe(null);
      expect((await c!.call('CONFIG', 'GET', 'hz')).toString()).toBe('*2\r\n$2\r\nhz\r\n$2\r\n20\r\n');
      expect((await c!.call('CONFIG', 'GET', 'databases')).toString()).toBe('*2\r\n$9\r\ndatabases\r\n$1\r\n4\r\n');
      c!.close();
    } finally {
      proc.kill('SIGKILL');
    }
  });
});

describe('process lifecycle', () => {
  it('SHUTDOWN stops the process with exit code 0', async () => {
    const h = await startSabre({ shards: 1 });
    started.push(h);
    const c = await RawClient.connect(h.port);
    h.expectExit();
    c.writeRaw('*1\r\n$8\r\nSHUTDOWN\r\n');
    const closed = await c.waitClosed(15_000);
    c.close();
    expect(closed, 'connection must be closed by SHUTDOWN').toBe(true);
    const code = await exitWithin(h, 15_000);
    expect(code, `output:\n${h.output()}`).toBe(0);
  });

  for (const shards of [0, 2]) {
    it(`SIGTERM stops the process cleanly (--shards ${shards})`, async () => {
      const h = await startSabre({ shards });
      started.push(h);
      const c = await RawClient.connect(h.port);
      expect((await c.call('SET', 'x', '1')).toString()).toBe('+OK\r\n');
      c.close();
      h.expectExit();
      process.kill(h.pid, 'SIGTERM');
      const code = await exitWithin(h, 15_000);
      expect(code, `output:\n${h.output()}`).not.toBe('still-running');
      expect(code, `expected a clean exit (code 0) like redis-server; output:\n${h.output()}`).toBe(0);
      // the port is released
      const again = await RawClient.connect(h.port).then(
        (cl) => {
          cl.close();
          return 'connected';
        },
        () => 'refused',
      );
      expect(again).toBe('refused');
    });
  }
});
