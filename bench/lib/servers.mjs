// Process management shared by bench/run.mjs and bench/memory.mjs.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { command } from './resp.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A path for log lines: relative to the repository when inside it, else absolute. */
export const shownPath = (p) => (path.resolve(p).startsWith(REPO + path.sep) ? path.relative(REPO, p) : path.resolve(p));

const children = new Set();
function killAll() { for (const c of children) { try { c.kill('SIGKILL'); } catch {} } }
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { killAll(); process.exit(130); });
}

/** A currently free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/**
 * Layout names: 'default' (no --shards flag), 'shardsN' / 'shards=N' / 'N' (--shards N).
 * Returns { name, args }.
 */
export function parseLayout(name) {
  const n = String(name).trim();
  if (n === 'default') return { name: 'default', args: [] };
  const m = /^(?:shards[=-]?)?(\d+)$/.exec(n);
  if (!m) throw new Error(`unknown layout "${name}" (use default, shards0, shards1, shards2, ...)`);
  return { name: `shards${m[1]}`, args: ['--shards', m[1]] };
}

export function redisVersion() {
  try { return execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim(); } catch { return 'redis-server not found'; }
}

export function machineInfo() {
  const cpus = os.cpus();
  let commit = 'unknown';
  try { commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch {}
  return {
    nproc: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    redis: redisVersion(),
    kernel: `${os.type()} ${os.release()}`,
    commit,
  };
}

export function machineHeaderLines(extra = []) {
  const m = machineInfo();
  return [
    `- machine: nproc=${m.nproc}, cpu=${m.cpu}, mem=${m.memGiB} GiB, ${m.kernel}`,
    `- node: ${m.node}`,
    `- redis: ${m.redis}`,
    `- sabre commit: ${m.commit}`,
    ...extra,
  ];
}

/** VmRSS of a process in bytes (Linux /proc). */
export function rssBytes(pid) {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(s);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

export function localDate(d = new Date()) {
  const p = (x) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * Start a server and wait until it answers PING.
 * kind: 'redis' -> redis-server; 'sabre' -> node bin/sabre-server.js <layout args>;
 *       'sabre-as-redis' -> a redis-server standing in for Sabre (to validate the harness).
 */
export async function startServer({ kind, layoutArgs = [], port, label, readyTimeoutMs = 30000, extraArgs = [] }) {
  port ??= await freePort();
  let cmd, args;
  if (kind === 'redis' || kind === 'sabre-as-redis') {
    cmd = 'redis-server';
    args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...extraArgs];
  } else if (kind === 'sabre') {
    const entry = path.join(REPO, 'bin', 'sabre-server.js');
    if (!fs.existsSync(path.join(REPO, 'dist', 'main.js'))) throw new Error('dist/main.js is missing: run `npm run build` first');
    cmd = process.execPath;
    args = [entry, '--port', String(port), ...layoutArgs, ...extraArgs];
  } else throw new Error(`unknown server kind ${kind}`);

  const proc = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  let log = '';
  const keep = (d) => { log += d.toString(); if (log.length > 200_000) log = log.slice(-100_000); };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  let exited = null;
  const exitP = new Promise((resolve) => proc.on('exit', (code, sig) => { exited = { code, sig }; children.delete(proc); resolve(exited); }));
  proc.on('error', (e) => { exited = { error: e }; });

  const server = {
    kind, label: label ?? kind, port, pid: proc.pid, proc, cmdline: [cmd === process.execPath ? 'node' : cmd, ...args].join(' '),
    get log() { return log; },
    async stop(timeoutMs = 10000) {
      if (exited) return exited;
      proc.kill('SIGTERM');
      const t = sleep(timeoutMs).then(() => 'timeout');
      if ((await Promise.race([exitP, t])) === 'timeout') { proc.kill('SIGKILL'); await exitP; }
      return exited;
    },
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`${server.label} exited during startup (${JSON.stringify(exited)}):\n${log.slice(-3000)}`);
    try {
      const r = await command(port, ['PING'], { timeoutMs: 1000 });
      if (r === 'PONG') break;
    } catch {}
    if (Date.now() > deadline) { await server.stop(); throw new Error(`${server.label} not answering PING after ${readyTimeoutMs} ms:\n${log.slice(-3000)}`); }
    await sleep(100);
  }
  // Give the "Ready" line a moment (it is informative only; PING is the real readiness check).
  for (let i = 0; i < 20 && !/Ready to accept connections/.test(log); i++) await sleep(50);
  server.sawReadyLine = /Ready to accept connections/.test(log);
  return server;
}

/** Best-effort description of the shard layout a Sabre server reports in its log. */
export function describeLayoutFromLog(log) {
  const m = /Layout:\s*([^\r\n]*)/.exec(String(log));
  if (m) return m[1].trim();
  const lines = String(log).split(/\r?\n/).filter((l) => /shard|worker|thread/i.test(l));
  return lines.slice(0, 3).map((l) => l.replace(/^\s*\d+:\w\s+[\d\w .:]*\*\s*/, '').trim()).join(' / ');
}
