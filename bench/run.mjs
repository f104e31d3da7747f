#!/usr/bin/env node
// Throughput benchmark: redis-benchmark against redis-server and Sabre, alternating R,S,R,S per case.
//
//   npm run bench                        # build, then the default run (all tests, both layouts)
//   node bench/run.mjs --quick           # small n, one round: a smoke run of the harness
//   node bench/run.mjs --layouts shards1,default,shards0 --tests set,get --rounds 3
//   node bench/run.mjs --tests lists,lrange --layouts default
//   node bench/run.mjs --quick --sabre-redis   # a second redis-server plays "Sabre" (harness check)
//
// Options:
//   --n N            requests per redis-benchmark run for every pipeline depth (not lrange_*)
//   --n-p1 N         requests at -P 1   (default 100000; --quick 10000)
//   --n-pipe N       requests at -P >1  (default 500000; --quick 50000)
//   --n-lrange N     requests of the lrange_* tests at every -P (default 100000; --quick 10000)
//   --rounds K       R,S pairs per case; the median is reported (default 2; --quick 1)
//   --tests a,b      redis-benchmark -t names and/or groups: foundation (set,get,incr,mset),
//                    lists (lpush,rpush,lpop,rpop), collections (sadd,hset,spop,zadd,zpopmin),
//                    lrange (lrange_100,lrange_300,lrange_500,lrange_600), all (default)
//   --layouts a,b    Sabre layouts: default | shards0 | shards1 | shardsN (default shards1,default)
//   --pipelines 1,16 pipeline depths (-P)
//   --keyspaces 0,1000000  -r values; 0 means no -r (fixed key). Only tests whose commands carry
//                    __rand_int__ (set get incr mset sadd hset zadd) run once per value; the others
//                    run once, without -r (it would not change a single byte they send).
//   --clients 50     -c
//   --data-size N    -d: value bytes of SET/GET/MSET/LPUSH/... (default 3, redis-benchmark's own);
//                    the lpop/rpop pre-fill uses elements of this size too. Not 3: files get a -dN tag
//   --timeout S      per redis-benchmark run, seconds (default 300); a timed-out run counts as failed
//   --sabre-redis    run a redis-server in place of Sabre (to validate this script)
//   --out DIR        where results go (default bench/results)
//   --no-write       print only; do not write result files
//
// State: before every single redis-benchmark run of a collection test the harness resets that
// test's key on the server about to be measured (same commands on both servers, untimed), so each
// run starts from the same state whatever the test order or round:
//   lpush rpush lrange_*  DEL mylist (lrange_*: redis-benchmark's own "LPUSH (needed to benchmark
//                         LRANGE)" phase then pushes n 3-byte elements; only the LRANGE row is reported)
//   lpop rpop             DEL mylist, RPUSH n elements `xxx` (so every pop returns an element)
//   sadd / hset / zadd    DEL myset / myhash / myzset
//   spop / zpopmin        DEL, then SADD / ZADD n members `element:NNNNNNNNNNNN` (zset score = index)
// The foundation tests (set get incr mset) keep their original behaviour: no reset.
//
// Files: <out>/<date>-<layout>.md per layout and the throughput section of <out>/latest.md (its
// memory section is kept). A --quick run or one with a non-default test list writes
// <date>-<layout>-<tag>.md instead and leaves latest.md alone.
//
// The benchmark never asserts a time: it reports rps, latency and the Sabre/Redis ratio.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO, startServer, parseLayout, machineHeaderLines, localDate, shownPath, describeLayoutFromLog, sleep } from './lib/servers.mjs';
import { command } from './lib/resp.mjs';
import { loadCommands, listElements, setMembers, zsetMembers, windowFor, DEFAULT_BATCH } from './lib/loader.mjs';

// redis-benchmark -t names, by group (a group name is accepted by --tests).
export const GROUPS = {
  foundation: ['set', 'get', 'incr', 'mset'],
  lists: ['lpush', 'rpush', 'lpop', 'rpop'],
  collections: ['sadd', 'hset', 'spop', 'zadd', 'zpopmin'],
  lrange: ['lrange_100', 'lrange_300', 'lrange_500', 'lrange_600'],
};
export const TESTS = Object.values(GROUPS).flat();

/**
 * What each test needs from the harness. rand: its commands carry __rand_int__, so -r matters.
 * key/fill: the key reset (and pre-filled with n items) before every run; see the header.
 * A test not listed here (any other redis-benchmark -t name) runs as is, with every -r value.
 */
const TEST_SPECS = {
  set: { rand: true }, get: { rand: true }, incr: { rand: true }, mset: { rand: true },
  lpush: { key: 'mylist' }, rpush: { key: 'mylist' },
  lpop: { key: 'mylist', fill: 'list' }, rpop: { key: 'mylist', fill: 'list' },
  sadd: { rand: true, key: 'myset' }, hset: { rand: true, key: 'myhash' }, zadd: { rand: true, key: 'myzset' },
  spop: { key: 'myset', fill: 'set' }, zpopmin: { key: 'myzset', fill: 'zset' },
  lrange_100: { key: 'mylist', lrange: true }, lrange_300: { key: 'mylist', lrange: true },
  lrange_500: { key: 'mylist', lrange: true }, lrange_600: { key: 'mylist', lrange: true },
};
const specOf = (test) => TEST_SPECS[test] ?? { rand: true };
const FILLERS = {
  list: (key, n) => listElements(key, n, { member: () => 'x'.repeat(cfg.dataSize) }), // like redis-benchmark's -d data
  set: (key, n) => setMembers(key, n),
  zset: (key, n) => zsetMembers(key, n),
};
export const PIPELINES = [1, 16];
export const KEYSPACES = [0, 1000000]; // 0 = no -r
export const DEFAULT_LAYOUTS = ['shards1', 'default'];

const { values: opt } = parseArgs({
  options: {
    n: { type: 'string' },
    'n-p1': { type: 'string' },
    'n-pipe': { type: 'string' },
    'n-lrange': { type: 'string' },
    rounds: { type: 'string' },
    tests: { type: 'string' },
    layouts: { type: 'string' },
    pipelines: { type: 'string' },
    keyspaces: { type: 'string' },
    clients: { type: 'string' },
    'data-size': { type: 'string' },
    timeout: { type: 'string' },
    out: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'sabre-redis': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (opt.help) {
  const src = fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n');
  console.log(src.slice(1, src.findIndex((l) => l.startsWith('import'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}

const list = (s, d) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : d);
const int = (s, d) => {
  if (s === undefined) return d;
  const v = Number(String(s).replace(/_/g, ''));
  if (!Number.isInteger(v) || v < 0) throw new Error(`bad integer: ${s}`);
  return v;
};

const quick = opt.quick;
const expandTests = (names) => [...new Set(names.map((t) => t.toLowerCase()).flatMap((t) => (t === 'all' ? TESTS : GROUPS[t] ?? [t])))];
const cfg = {
  tests: expandTests(list(opt.tests, TESTS)),
  layouts: list(opt.layouts, DEFAULT_LAYOUTS).map(parseLayout),
  pipelines: list(opt.pipelines, PIPELINES.map(String)).map((x) => int(x)),
  keyspaces: list(opt.keyspaces, KEYSPACES.map(String)).map((x) => int(x)),
  nP1: int(opt['n-p1'] ?? opt.n, quick ? 10000 : 100000),
  nPipe: int(opt['n-pipe'] ?? opt.n, quick ? 50000 : 500000),
  nLrange: int(opt['n-lrange'], quick ? 10000 : 100000),
  rounds: Math.max(1, int(opt.rounds, quick ? 1 : 2)),
  clients: int(opt.clients, 50),
  dataSize: Math.max(1, int(opt['data-size'], 3)),
  timeoutS: int(opt.timeout, 300),
  sabreRedis: opt['sabre-redis'],
};

/** Requests per run: lrange_* replies are 100-600 elements each, so they get their own, smaller n. */
const requestsFor = (test, P) => (specOf(test).lrange ? cfg.nLrange : P > 1 ? cfg.nPipe : cfg.nP1);

/** -r values to run a test with: every one if its commands carry __rand_int__, else just "no -r". */
const keyspacesFor = (test) => (specOf(test).rand ? cfg.keyspaces : [0]);

/** Untimed reset (and pre-fill) of the test's key before one run; see the header. Throws on errors. */
async function prepare(port, test, n) {
  const spec = specOf(test);
  if (!spec.key) return;
  await command(port, ['DEL', spec.key], { timeoutMs: 60000 });
  if (!spec.fill) return;
  const r = await loadCommands({ port }, FILLERS[spec.fill](spec.key, n), { window: windowFor(DEFAULT_BATCH) });
  if (r.errors) throw new Error(`pre-fill of ${spec.key} for ${test}: ${r.errors} error(s), first: ${r.firstError}`);
}

function benchArgs(port, test, P, r) {
  const n = requestsFor(test, P);
  const a = ['-h', '127.0.0.1', '-p', String(port), '-c', String(cfg.clients), '-n', String(n), '-P', String(P), '--csv', '-t', test];
  if (r > 0) a.push('-r', String(r));
  if (cfg.dataSize !== 3) a.push('-d', String(cfg.dataSize));
  return a;
}

function parseCsvLine(line) {
  const out = [];
  const re = /"((?:[^"]|"")*)"|([^,]+)|(?<=,)(?=,|$)/g;
  let m;
  while ((m = re.exec(line))) {
    out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : (m[2] ?? ''));
    if (re.lastIndex === m.index) re.lastIndex++;
  }
  return out;
}

/** Parse redis-benchmark --csv output into rows {name, key, rps, p50, p99, ...}. */
export function parseBenchmarkCsv(text) {
  const rows = [];
  let header = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line.startsWith('"')) continue;
    const f = parseCsvLine(line);
    if (f[0] === 'test') { header = f; continue; }
    const h = header ?? ['test', 'rps', 'avg_latency_ms', 'min_latency_ms', 'p50_latency_ms', 'p95_latency_ms', 'p99_latency_ms', 'max_latency_ms'];
    const rec = Object.fromEntries(h.map((k, i) => [k, f[i]]));
    const name = rec.test;
    rows.push({
      name,
      key: name.split(/[\s(]/)[0].toLowerCase(), // "MSET (10 keys)" -> "mset", "LRANGE_100 (first ...)" -> "lrange_100"
      setup: /needed to benchmark/i.test(name), // e.g. "LPUSH (needed to benchmark LRANGE)"
      rps: Number(rec.rps),
      avg: Number(rec.avg_latency_ms),
      p50: Number(rec.p50_latency_ms),
      p95: Number(rec.p95_latency_ms),
      p99: Number(rec.p99_latency_ms),
      max: Number(rec.max_latency_ms),
    });
  }
  return rows;
}

async function runBenchmark(port, test, P, r) {
  try { await prepare(port, test, requestsFor(test, P)); } catch (e) { return { ok: false, why: `setup failed: ${e.message}` }; }
  const args = benchArgs(port, test, P, r);
  return new Promise((resolve) => {
    const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '', timedOut = false;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, cfg.timeoutS * 1000);
    const t0 = Date.now();
    child.on('error', (e) => { clearTimeout(timer); resolve({ ok: false, why: e.message }); });
    child.on('close', (code) => {
      clearTimeout(timer);
      const secs = (Date.now() - t0) / 1000;
      const rows = parseBenchmarkCsv(out).filter((x) => !x.setup && x.key === test);
      if (timedOut) return resolve({ ok: false, secs, why: `timed out after ${cfg.timeoutS}s` });
      if (code !== 0 || rows.length === 0 || !(rows[0].rps > 0)) {
        const tail = (err + '\n' + out).trim().split('\n').slice(-5).join(' | ');
        return resolve({ ok: false, secs, why: `exit ${code}${rows.length ? '' : ', no CSV row'}: ${tail}` });
      }
      resolve({ ok: true, secs, ...rows[0], warn: /error|WARN/i.test(err) ? err.trim().split('\n')[0] : '' });
    });
  });
}

const median = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const fmtRps = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'FAIL');
const fmtMs = (x) => (Number.isFinite(x) ? x.toFixed(3) : '-');
const geomean = (xs) => Math.exp(xs.reduce((a, b) => a + Math.log(b), 0) / xs.length);
const fmtR = (r) => (r > 0 ? (r >= 1e6 && r % 1e6 === 0 ? `${r / 1e6}M` : String(r)) : '-');

function summarize(runs) {
  const ok = runs.filter((x) => x.ok);
  return {
    rps: median(ok.map((x) => x.rps)),
    p50: median(ok.map((x) => x.p50)),
    p99: median(ok.map((x) => x.p99)),
    fails: runs.length - ok.length,
    why: runs.find((x) => !x.ok)?.why,
  };
}

function tableFor(layoutTitle, results) {
  const lines = [];
  lines.push(`### ${layoutTitle}`, '');
  lines.push('| test | P | -r | Redis rps | Sabre rps | ratio Sabre/Redis | Redis p50/p99 ms | Sabre p50/p99 ms |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const ratios = [];
  for (const x of results) {
    const ratio = x.sabre.rps / x.redis.rps;
    if (Number.isFinite(ratio) && ratio > 0) ratios.push(ratio);
    lines.push(`| ${x.test} | ${x.P} | ${fmtR(x.r)} | ${fmtRps(x.redis.rps)} | ${fmtRps(x.sabre.rps)} | ${Number.isFinite(ratio) ? ratio.toFixed(2) : '-'} | ${fmtMs(x.redis.p50)}/${fmtMs(x.redis.p99)} | ${fmtMs(x.sabre.p50)}/${fmtMs(x.sabre.p99)} |`);
  }
  lines.push('');
  if (ratios.length) lines.push(`Geometric mean of ratio Sabre/Redis over ${ratios.length} case(s): **${geomean(ratios).toFixed(2)}**`);
  const groupMeans = Object.entries(GROUPS).map(([group, tests]) => {
    const rs = results.filter((x) => tests.includes(x.test)).map((x) => x.sabre.rps / x.redis.rps).filter((v) => Number.isFinite(v) && v > 0);
    return rs.length ? `${group} ${geomean(rs).toFixed(2)} (${rs.length})` : null;
  }).filter(Boolean);
  if (groupMeans.length > 1) lines.push('', `By group (geometric mean, cases): ${groupMeans.join(', ')}`);
  if (results.some((x) => specOf(x.test).key)) {
    lines.push('', 'Collection tests start every run from a reset key (untimed, same on both servers): lpush/rpush/sadd/hset/zadd on an empty key; lpop/rpop on a list of n ' + (cfg.dataSize === 3 ? '`xxx`' : `${cfg.dataSize}-byte`) + ' elements; spop/zpopmin on a set/zset of n `element:NNNNNNNNNNNN` members; lrange_N after DEL mylist and redis-benchmark\'s own LPUSH phase of n elements (that phase is not reported). n = requests of the run.');
  }
  const failed = results.flatMap((x) => [['Redis', x.redis], ['Sabre', x.sabre]].filter(([, s]) => s.fails).map(([who, s]) => `- ${who} ${x.test} -P ${x.P} -r ${fmtR(x.r)}: ${s.fails} failed run(s): ${s.why}`));
  if (failed.length) lines.push('', 'Failed runs:', ...failed);
  lines.push('');
  return lines.join('\n');
}

/** File-name tag for a test selection: group names where a whole group is selected, else test names. */
function testsTag(tests) {
  const parts = [];
  const rest = new Set(tests);
  for (const [group, members] of Object.entries(GROUPS)) {
    if (members.every((t) => rest.has(t))) { parts.push(group); members.forEach((t) => rest.delete(t)); }
  }
  return [...parts, ...rest].join('+').replace(/[^\w+.-]/g, '_');
}

async function main() {
  const started = Date.now();
  const lrangeN = cfg.tests.some((t) => specOf(t).lrange) ? `, ${cfg.nLrange} for lrange_*` : '';
  const flags = `redis-benchmark -c ${cfg.clients}${cfg.dataSize !== 3 ? ` -d ${cfg.dataSize}` : ''} --csv -t <test> -P {${cfg.pipelines.join(',')}} [-r ${cfg.keyspaces.filter(Boolean).join(',') || '-'} for tests with __rand_int__], -n ${cfg.nP1} at -P 1 / ${cfg.nPipe} when pipelined${lrangeN}; ${cfg.rounds} round(s) of R,S alternation, median reported`;
  console.log(`# Sabre vs Redis throughput${quick ? ' (quick)' : ''}`);
  console.log(flags);
  if (cfg.sabreRedis) console.log('NOTE: --sabre-redis: the "Sabre" column is a second redis-server (harness validation only)');

  const redis = await startServer({ kind: 'redis', label: 'redis' });
  console.log(`redis-server on port ${redis.port} (pid ${redis.pid})`);
  const sections = [];
  try {
    for (const layout of cfg.layouts) {
      try { await command(redis.port, ['FLUSHALL']); } catch {}
      let sabre;
      try {
        sabre = await startServer({
          kind: cfg.sabreRedis ? 'sabre-as-redis' : 'sabre',
          layoutArgs: layout.args,
          label: `sabre ${layout.name}`,
        });
      } catch (e) {
        console.error(`!! could not start Sabre layout ${layout.name}: ${e.message}`);
        sections.push({ layout, title: `Layout ${layout.name}: Sabre did not start`, md: `### Layout ${layout.name}\n\nSabre did not start: \`${e.message.split('\n')[0]}\`\n` });
        continue;
      }
      const resolved = cfg.sabreRedis ? 'redis-server stand-in' : describeLayoutFromLog(sabre.log);
      const title = `Layout ${layout.name} (\`${layout.args.length ? layout.args.join(' ') : 'no --shards flag'}\`)${resolved ? ` — server log: ${resolved}` : ''}`;
      console.log(`\n== ${title}; port ${sabre.port}, pid ${sabre.pid}`);
      const results = [];
      try {
        for (const test of cfg.tests) {
          for (const P of cfg.pipelines) {
            for (const r of keyspacesFor(test)) {
              const runs = { redis: [], sabre: [] };
              for (let k = 0; k < cfg.rounds; k++) {
                for (const [side, srv] of [['redis', redis], ['sabre', sabre]]) {
                  if (side === 'sabre' && sabre.proc.exitCode !== null) { runs.sabre.push({ ok: false, why: 'Sabre process has exited' }); continue; }
                  const res = await runBenchmark(srv.port, test, P, r);
                  runs[side].push(res);
                  if (!res.ok) console.error(`   ${side} ${test} -P ${P} -r ${fmtR(r)} round ${k + 1}: FAILED ${res.why}`);
                }
              }
              const row = { test, P, r, redis: summarize(runs.redis), sabre: summarize(runs.sabre) };
              results.push(row);
              const ratio = row.sabre.rps / row.redis.rps;
              console.log(`  ${test.padEnd(10)} -P ${String(P).padEnd(2)} -r ${fmtR(r).padEnd(3)}  redis ${fmtRps(row.redis.rps).padStart(10)}  sabre ${fmtRps(row.sabre.rps).padStart(10)}  ratio ${Number.isFinite(ratio) ? ratio.toFixed(2) : '-'}`);
            }
          }
        }
      } finally {
        const ex = await sabre.stop();
        if (ex && ex.code && ex.sig !== 'SIGTERM') console.error(`   sabre ${layout.name} exited with code ${ex.code}`);
      }
      sections.push({ layout, title, md: tableFor(title, results) });
    }
  } finally {
    await redis.stop();
  }

  const mins = ((Date.now() - started) / 60000).toFixed(1);
  const header = [
    `## Throughput: Sabre vs Redis (${new Date().toISOString().replace(/\.\d+Z$/, 'Z')})${quick ? ' — QUICK run' : ''}`,
    '',
    ...machineHeaderLines([
      `- flags: ${flags}`,
      `- servers: \`redis-server --save "" --appendonly no\`; Sabre \`node bin/sabre-server.js --port P [--shards N]\`${cfg.sabreRedis ? ' — REPLACED by a second redis-server (--sabre-redis)' : ''}`,
      `- wall time: ${mins} min`,
    ]),
    '',
  ].join('\n');

  const body = sections.map((s) => s.md).join('\n');
  console.log('\n' + header + '\n' + body);

  if (!opt['no-write']) {
    const dir = opt.out ? path.resolve(opt.out) : path.join(REPO, 'bench', 'results');
    fs.mkdirSync(dir, { recursive: true });
    const date = localDate();
    // Partial or quick runs get their own file names so they never replace a full run's results.
    const fullSelection = cfg.tests.join(',') === TESTS.join(',');
    const tag = [quick ? 'quick' : null, cfg.dataSize !== 3 ? `d${cfg.dataSize}` : null, fullSelection ? null : testsTag(cfg.tests)].filter(Boolean).join('-');
    const names = sections.map((s) => `${date}-${s.layout.name}${tag ? `-${tag}` : ''}.md`);
    sections.forEach((s, i) => fs.writeFileSync(path.join(dir, names[i]), header + '\n' + s.md));
    const written = names.map((f) => shownPath(path.join(dir, f)));
    if (!tag) {
      const latest = path.join(dir, 'latest.md');
      // Keep the other sections (e.g. the memory one from bench/memory.mjs); replace the throughput one.
      const kept = fs.existsSync(latest)
        ? fs.readFileSync(latest, 'utf8').split(/(?=^## )/m).filter((sec) => sec.startsWith('## ') && !sec.startsWith('## Throughput')).join('')
        : '';
      fs.writeFileSync(latest, `# Sabre benchmark results\n\n${header}\n${body}${kept ? '\n' + kept : ''}`);
      written.unshift(shownPath(latest));
    }
    console.log(`wrote ${written.join(', ')}`);
  }
}

main().catch((e) => { console.error(e?.stack ?? e); process.exit(1); });
