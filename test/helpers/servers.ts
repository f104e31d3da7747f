// Spawning real server processes (Sabre and the reference redis-server).
//
// Environment knobs (useful while src/ is under construction):
//   SABRE_TEST_TARGET=redis   -> startSabre() starts a second redis-server instead,
//                                which validates the harness itself (all
//                                differential tests must pass in that mode).
//   REDIS_SERVER_BIN=/path    -> reference redis-server binary (default: redis-server on PATH).
//   SABRE_TEST_VERBOSE=1      -> echo server output to the test process stderr.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SABRE_BIN = path.join(ROOT, 'bin', 'sabre-server.js');
export const TMP_DIR = path.join(ROOT, 'test', '.tmp');

export interface ServerHandle {
  /** human readable name used in failure messages */
  name: string;
  port: number;
  pid: number;
  proc: ChildProcess;
  /** everything the process wrote so far (stdout + stderr, interleaved) */
  output(): string;
  /** resolves with the exit code (or signal name) once the process is gone */
  exited: Promise<number | string | null>;
  /** SIGTERM, then SIGKILL after a grace period; idempotent */
  stop(): Promise<void>;
  /** call before deliberately ending the process (SHUTDOWN, signals) to silence the crash report */
  expectExit(): void;
}

export interface StartOptions {
  shards?: number;
  args?: string[];
  /** pass a config file path as first argument */
  configFile?: string;
  /** milliseconds to wait for "Ready to accept connections" */
  readyTimeoutMs?: number;
  /** start on this port instead of a fresh free one */
  port?: number;
  /** do not pass --port (e.g. the port is set in the config file; `port` is still used as the handle's port) */
  noPortArg?: boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('no port'));
        return;
      }
      const port = addr.port;
      srv.close(() => resolve(port));
    });
  });
}

let redisBinCache: string | null | undefined;
/** Path to redis-server, or null if it is not installed. */
export function redisServerBin(): string | null {
  if (redisBinCache !== undefined) return redisBinCache;
  const candidate = process.env.REDIS_SERVER_BIN || 'redis-server';
  const r = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
  redisBinCache = r.status === 0 ? candidate : null;
  return redisBinCache;
}

export function hasRedisServer(): boolean {
  return redisServerBin() !== null;
}

let redisCliCache: string | null | undefined;
export function redisCliBin(): string | null {
  if (redisCliCache !== undefined) return redisCliCache;
  const r = spawnSync('redis-cli', ['--version'], { encoding: 'utf8' });
  redisCliCache = r.status === 0 ? 'redis-cli' : null;
  return redisCliCache;
}

/** Call at module top-level of suites that need redis-server: prints a visible warning. */
export function warnIfNoRedis(suite: string): boolean {
  const ok = hasRedisServer();
  if (!ok) {
    console.warn(
      `\n[sabre-tests] WARNING: redis-server is missing (not on PATH, REDIS_SERVER_BIN unset); ` +
        `SKIPPING differential suite "${suite}". Install redis-server 7 to run it.\n`,
    );
  }
  return ok;
}

export function sabreTargetIsRedis(): boolean {
  return process.env.SABRE_TEST_TARGET === 'redis';
}

/** Is a built Sabre available? (dist/main.js exists) */
export function sabreBuilt(): boolean {
  return fs.existsSync(path.join(ROOT, 'dist', 'main.js'));
}

const READY_RE = /Ready to accept connections/;

// Safety net: if the test worker exits without running afterAll (e.g. a crash),
// do not leave server processes behind. Only kills processes we spawned.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) {
    try {
      if (p.pid !== undefined && p.exitCode === null && p.signalCode === null) process.kill(p.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

function spawnServer(
  name: string,
  cmd: string,
  argv: string[],
  port: number,
  readyTimeoutMs: number,
): Promise<ServerHandle> {
  const proc = spawn(cmd, argv, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
  });
  let out = '';
  const verbose = !!process.env.SABRE_TEST_VERBOSE;
  live.add(proc);
  const exited = new Promise<number | string | null>((resolve) => {
    proc.on('exit', (code, signal) => {
      live.delete(proc);
      resolve(code ?? signal ?? null);
    });
    proc.on('error', (err) => {
      out += `\n[spawn error] ${err.message}\n`;
      resolve(`spawn-error: ${err.message}`);
    });
  });
  let stopped = false;
  let ready = false;
  let exitExpected = false;
  void exited.then((code) => {
    if (ready && !stopped && !exitExpected) {
      // a crash in the middle of a suite: show why, since the tests only see closed connections
      console.error(
        `\n[sabre-tests] ${name} (pid ${proc.pid}) EXITED UNEXPECTEDLY (${String(code)}). Last output:\n` +
          out.slice(-4000) +
          '\n',
      );
    }
  });
  const handle: ServerHandle = {
    name,
    port,
    pid: proc.pid ?? -1,
    proc,
    output: () => out,
    exited,
    expectExit() {
      exitExpected = true;
    },
    async stop() {
      if (stopped) return exited.then(() => undefined);
      stopped = true;
      if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
      try {
        process.kill(proc.pid, 'SIGTERM');
      } catch {
        return;
      }
      const t = setTimeout(() => {
        try {
          if (proc.pid !== undefined && proc.exitCode === null) process.kill(proc.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5000);
      await exited;
      clearTimeout(t);
    },
  };
  return new Promise<ServerHandle>((resolve, reject) => {
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        void handle.stop();
        reject(err);
      } else {
        ready = true;
        resolve(handle);
      }
    };
    const onData = (chunk: Buffer) => {
      const s = chunk.toString('utf8');
      out += s;
      if (verbose) process.stderr.write(`[${name}] ${s}`);
      if (READY_RE.test(out)) finish();
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then((code) =>
      finish(new Error(`${name} exited (${String(code)}) before it was ready.\n--- output ---\n${out}`)),
    );
    const timer = setTimeout(
      () => finish(new Error(`${name} not ready after ${readyTimeoutMs} ms.\n--- output ---\n${out}`)),
      readyTimeoutMs,
    );
  });
}

/** Start a real redis-server on a free port; null when redis-server is not installed. */
export async function startRedis(opts: StartOptions = {}): Promise<ServerHandle | null> {
  const bin = redisServerBin();
  if (bin === null) return null;
  const port = opts.port ?? (await freePort());
  const argv: string[] = [];
  if (opts.configFile) argv.push(opts.configFile);
  argv.push('--save', '', '--appendonly', 'no');
  if (!opts.noPortArg) argv.push('--port', String(port), '--bind', '127.0.0.1');
  argv.push('--dir', ensureTmpDir());
  argv.push(...(opts.args ?? []));
  return spawnServer(`redis-server:${port}`, bin, argv, port, opts.readyTimeoutMs ?? 15_000);
}

/**
 * Start Sabre (`node bin/sabre-server.js --port P --shards N ...`).
 * With SABRE_TEST_TARGET=redis a redis-server is started instead (harness validation);
 * in that case `shards` is ignored.
 */
export async function startSabre(opts: StartOptions = {}): Promise<ServerHandle> {
  if (sabreTargetIsRedis()) {
    const r = await startRedis({ ...opts, args: stripSabreOnlyArgs(opts.args ?? []) });
    if (r === null) throw new Error('SABRE_TEST_TARGET=redis but redis-server is missing');
    r.name = `fake-sabre(redis):${r.port}`;
    return r;
  }
  const port = opts.port ?? (await freePort());
  const argv: string[] = [SABRE_BIN];
  if (opts.configFile) argv.push(opts.configFile);
  if (!opts.noPortArg) argv.push('--port', String(port));
  if (opts.shards !== undefined) argv.push('--shards', String(opts.shards));
  argv.push(...(opts.args ?? []));
  const name = `sabre(shards=${opts.shards ?? 'default'}):${port}`;
  return spawnServer(name, process.execPath, argv, port, opts.readyTimeoutMs ?? 20_000);
}

function stripSabreOnlyArgs(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--shards') {
      i++;
      continue;
    }
    out.push(args[i]!);
  }
  return out;
}

export function ensureTmpDir(): string {
  fs.mkdirSync(TMP_DIR, { recursive: true });
  return TMP_DIR;
}

/** Stop all given handles (ignores nulls); never throws. */
export async function stopAll(...handles: Array<ServerHandle | null | undefined>): Promise<void> {
  await Promise.all(handles.map((h) => (h ? h.stop().catch(() => undefined) : undefined)));
}

/** Shard configurations every differential suite runs against. */
export const SHARD_CONFIGS: number[] = process.env.SABRE_TEST_SHARDS
  ? process.env.SABRE_TEST_SHARDS.split(',').map((s) => Number(s.trim()))
  : [0, 2];

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Run the server binary with exactly `argv` (no --port added) until it exits or
 * `timeoutMs` passes (then it is killed). Used for "must refuse to start" tests.
 * With SABRE_TEST_TARGET=redis the redis-server binary is run instead.
 */
export async function runServerToExit(
  argv: string[],
  timeoutMs = 15_000,
): Promise<{ code: number | null; signal: string | null; output: string; timedOut: boolean }> {
  const useRedis = sabreTargetIsRedis();
  const cmd = useRedis ? redisServerBin() ?? 'redis-server' : process.execPath;
  const fullArgv = useRedis ? argv : [SABRE_BIN, ...argv];
  const proc = spawn(cmd, fullArgv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString('utf8')));
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString('utf8')));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (proc.pid !== undefined) {
      try {
        process.kill(proc.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }, timeoutMs);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => {
    proc.on('exit', (c, s) => resolve([c, s]));
    proc.on('error', (e) => {
      output += `[spawn error] ${e.message}`;
      resolve([null, null]);
    });
  });
  clearTimeout(timer);
  return { code, signal, output, timedOut };
}
