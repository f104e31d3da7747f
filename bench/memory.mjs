#!/usr/bin/env node
// Memory benchmark: RSS growth and used_memory on redis-server and Sabre for the same data:
//   strings  N string keys `key:NNNNNNNNNNNN` -> `xxx` (one SET each)
//   list     one list `biglist` of N elements `element:NNNNNNNNNNNN` (RPUSH, --batch elements each)
//   list-compressed  the same list with list-compress-depth 1 on both servers (LZF-compressed inner nodes)
//   hash     one hash `bighash` of N fields `element:NNNNNNNNNNNN` -> `xxx` (HSET, --batch pairs each)
//   set      one set `bigset` of N members `element:NNNNNNNNNNNN` (SADD, --batch each)
//   zset     one zset `bigzset` of N members `element:NNNNNNNNNNNN`, score = index (ZADD, --batch each)
// (`element:` + 12 digits is the member shape redis-benchmark's SADD/HSET/ZADD tests write with -r;
// it is not an integer, so sets are hashtable-encoded in Redis, not intsets.)
//
//   npm run bench:memory                     # all data sets, 1M each, both layouts
//   node bench/memory.mjs --quick            # 100k keys / elements: a smoke run
//   node bench/memory.mjs --data list,zset --elements 200000 --layouts shards1
//   node bench/memory.mjs --sabre-redis      # a redis-server stands in for Sabre (harness check)
//
// Options:
//   --data a,b      data sets: strings,list,list-compressed,hash,set,zset (default all)
//   --keys N        string keys to load (default 1000000; --quick 100000)
//   --elements N    elements per collection (default 1000000; --quick 100000)
//   --batch N       elements per variadic command for the collections (default 1000)
//   --layouts a,b   Sabre layouts: default | shards0 | shards1 | shardsN (default shards1,default)
//   --settle MS     wait after loading before reading RSS (default 2000)
//   --sabre-redis   run a redis-server in place of Sabre
//   --out DIR       where results go (default bench/results)
//   --no-write      print only
//
// Every (data set, server) pair gets a fresh server, so each growth figure is that data set alone.
// RSS is VmRSS from /proc/<pid>/status (the whole process, all threads), the same for both servers.
// used_memory comes from INFO memory (Sabre's counts its SharedArrayBuffer arenas only, not the JS heap,
// so RSS growth is the like-for-like figure). The loaded size is checked (DBSIZE / LLEN / HLEN / SCARD /
// ZCARD) and OBJECT ENCODING reported. Nothing is asserted; ratios are reported.
// Files: <out>/<date>-memory.md (a --quick run: <date>-memory-quick.md) and the memory section of
// <out>/latest.md (not for --quick).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO, startServer, parseLayout, machineHeaderLines, localDate, shownPath, rssBytes, sleep, describeLayoutFromLog } from './lib/servers.mjs';
import { command, parseInfo } from './lib/resp.mjs';
import { loadCommands, stringKeys, listElements, hashFields, setMembers, zsetMembers, windowFor, DEFAULT_BATCH } from './lib/loader.mjs';

const { values: opt } = parseArgs({
  options: {
    data: { type: 'string' },
    keys: { type: 'string' },
    elements: { type: 'string' },
    batch: { type: 'string' },
    layouts: { type: 'string' },
    settle: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'sabre-redis': { type: 'boolean', default: false },
    out: { type: 'string' },
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
const count = (s, d) => {
  if (s === undefined) return d;
  const v = Number(String(s).replace(/_/g, ''));
  if (!Number.isInteger(v) || v < 1) throw new Error(`bad count: ${s}`);
  return v;
};
const quick = opt.quick;
const KEYS = count(opt.keys, quick ? 100000 : 1000000);
const ELEMENTS = count(opt.elements, quick ? 100000 : 1000000);
const BATCH = count(opt.batch, DEFAULT_BATCH);
const SETTLE = Number(opt.settle ?? 2000);
const layouts = (opt.layouts ? opt.layouts.split(',') : ['shards1', 'default']).map(parseLayout);
const MB = 1024 * 1024;

/** The data sets: how to load one and how to read back its size. */
const DATASETS = {
  strings: {
    n: KEYS, unit: 'key', shape: '`key:NNNNNNNNNNNN` -> `xxx`', loadCmd: 'SET',
    load: () => stringKeys(KEYS), commands: KEYS, window: 20000, sizeCmd: ['DBSIZE'], key: null,
  },
  list: {
    n: ELEMENTS, unit: 'element', shape: 'list `biglist`, elements `element:NNNNNNNNNNNN`', loadCmd: 'RPUSH',
    load: () => listElements('biglist', ELEMENTS, { batch: BATCH }), commands: Math.ceil(ELEMENTS / BATCH), sizeCmd: ['LLEN', 'biglist'], key: 'biglist',
  },
  'list-compressed': {
    n: ELEMENTS, unit: 'element', shape: 'list `biglist`, elements `element:NNNNNNNNNNNN`, both servers with `list-compress-depth 1`', loadCmd: 'RPUSH',
    serverArgs: ['--list-compress-depth', '1'],
    load: () => listElements('biglist', ELEMENTS, { batch: BATCH }), commands: Math.ceil(ELEMENTS / BATCH), sizeCmd: ['LLEN', 'biglist'], key: 'biglist',
  },
  hash: {
    n: ELEMENTS, unit: 'field', shape: 'hash `bighash`, fields `element:NNNNNNNNNNNN` -> `xxx`', loadCmd: 'HSET',
    load: () => hashFields('bighash', ELEMENTS, { batch: BATCH }), commands: Math.ceil(ELEMENTS / BATCH), sizeCmd: ['HLEN', 'bighash'], key: 'bighash',
  },
  set: {
    n: ELEMENTS, unit: 'member', shape: 'set `bigset`, members `element:NNNNNNNNNNNN`', loadCmd: 'SADD',
    load: () => setMembers('bigset', ELEMENTS, { batch: BATCH }), commands: Math.ceil(ELEMENTS / BATCH), sizeCmd: ['SCARD', 'bigset'], key: 'bigset',
  },
  zset: {
    n: ELEMENTS, unit: 'member', shape: 'zset `bigzset`, members `element:NNNNNNNNNNNN`, score = index', loadCmd: 'ZADD',
    load: () => zsetMembers('bigzset', ELEMENTS, { batch: BATCH }), commands: Math.ceil(ELEMENTS / BATCH), sizeCmd: ['ZCARD', 'bigzset'], key: 'bigzset',
  },
};
const dataNames = opt.data ? opt.data.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean) : Object.keys(DATASETS);
for (const d of dataNames) if (!DATASETS[d]) throw new Error(`unknown data set "${d}" (use ${Object.keys(DATASETS).join(',')})`);

async function usedMemory(port) {
  try {
    const info = parseInfo(await command(port, ['INFO', 'memory']));
    const v = Number(info.used_memory);
    return Number.isFinite(v) ? v : NaN;
  } catch { return NaN; }
}

/** The next k items of an iterator (the iterator stays usable for the rest). */
function* take(it, k) {
  for (let i = 0; i < k; i++) {
    const x = it.next();
    if (x.done) return;
    yield x.value;
  }
}

function* rest(it) {
  for (let x = it.next(); !x.done; x = it.next()) yield x.value;
}

async function tryCommand(port, args) {
  try { return await command(port, args, { timeoutMs: 30000 }); } catch { return undefined; }
}

async function measure(ds, kind, layout) {
  const label = kind === 'redis' ? 'redis-server' : `sabre ${layout.name}`;
  const srv = await startServer({ kind, layoutArgs: layout?.args ?? [], label, extraArgs: ds.serverArgs ?? [] });
  try {
    await sleep(500);
    const rss0 = rssBytes(srv.pid);
    const used0 = await usedMemory(srv.port);
    process.stdout.write(`${ds.name} ${label}: pid ${srv.pid}, RSS before ${(rss0 / MB).toFixed(1)} MB; loading ${ds.n} ${ds.unit}s... `);
    // Two phases over one command stream: the first tenth, a settle and an RSS reading, then the rest.
    // Growth over the rest is the data's marginal cost, without one-time costs of the first commands
    // (in Sabre: JIT-compiled code and V8/glibc pools, a few MB whatever the data size).
    const cmds = ds.load()[Symbol.iterator]();
    const window = ds.window ?? windowFor(BATCH);
    const r1 = await loadCommands({ port: srv.port }, take(cmds, Math.ceil(ds.commands / 10)), { window });
    await sleep(SETTLE);
    const rssMid = rssBytes(srv.pid);
    const nMid = await tryCommand(srv.port, ds.sizeCmd);
    const r2 = await loadCommands({ port: srv.port }, rest(cmds), { window });
    const r = { ms: r1.ms + r2.ms, sent: r1.sent + r2.sent, errors: r1.errors + r2.errors, firstError: r1.firstError ?? r2.firstError };
    const perSec = Math.round(ds.n / (r.ms / 1000)).toLocaleString('en-US');
    console.log(`${(r.ms / 1000).toFixed(1)} s (${perSec} ${ds.unit}s/s, ${r.sent} ${ds.loadCmd})${r.errors ? `, ${r.errors} errors, first: ${r.firstError}` : ''}`);
    await sleep(SETTLE);
    const rss1 = rssBytes(srv.pid);
    const used1 = await usedMemory(srv.port);
    const size = await tryCommand(srv.port, ds.sizeCmd);
    if (size !== ds.n) console.error(`!! ${ds.name} ${label}: ${ds.sizeCmd[0]} is ${size}, expected ${ds.n}`);
    const encoding = ds.key ? await tryCommand(srv.port, ['OBJECT', 'ENCODING', ds.key]) : undefined;
    return {
      label, layout: kind === 'redis' ? '-' : layout.name, rss0, rssMid, nMid, rss1, used0, used1, size, encoding, loadMs: r.ms, errors: r.errors,
      note: kind === 'redis' ? '' : kind === 'sabre-as-redis' ? 'redis-server stand-in' : describeLayoutFromLog(srv.log),
    };
  } finally {
    await srv.stop();
  }
}

const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const f0 = (x) => (Number.isFinite(x) ? Math.round(x).toString() : '-');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');

function tableFor(ds, rows) {
  const lines = [
    `### ${ds.name}: ${ds.n.toLocaleString('en-US')} × ${ds.shape} (${ds.loadCmd}${ds.key ? ` × ${BATCH}` : ''})`,
    '',
    `| server | layout | RSS before MB | RSS after MB | RSS growth MB | RSS bytes/${ds.unit} | used_memory before/after MB | used_memory bytes/${ds.unit} | RSS growth ratio Sabre/Redis | marginal RSS bytes/${ds.unit} (last 90%) | marginal ratio | load s | ${ds.sizeCmd[0]}${ds.key ? ' / encoding' : ''} |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const redis = rows.find((r) => r.layout === '-' && !r.failed);
  const redisGrowth = redis ? redis.rss1 - redis.rss0 : NaN;
  const marginal = (r) => (typeof r.nMid === 'number' && r.size > r.nMid ? (r.rss1 - r.rssMid) / (r.size - r.nMid) : NaN);
  const redisMarginal = redis ? marginal(redis) : NaN;
  for (const r of rows) {
    if (r.failed) { lines.push(`| ${r.label} | ${r.layout} | did not run: ${r.failed.replace(/\|/g, '/')} | | | | | | | | | | |`); continue; }
    const growth = r.rss1 - r.rss0;
    const ratio = r === redis ? '1.00 (baseline)' : f2(growth / redisGrowth);
    const sizeCell = `${r.size === undefined ? '?' : String(r.size)}${ds.key ? ` / ${typeof r.encoding === 'string' ? r.encoding : '?'}` : ''}`;
    lines.push(`| ${r.label} | ${r.layout}${r.note ? ` (${r.note})` : ''} | ${f1(r.rss0 / MB)} | ${f1(r.rss1 / MB)} | ${f1(growth / MB)} | ${f0(growth / ds.n)} | ${f1(r.used0 / MB)}/${f1(r.used1 / MB)} | ${f0((r.used1 - r.used0) / ds.n)} | ${ratio} | ${f1(marginal(r))} | ${r === redis ? '1.00 (baseline)' : f2(marginal(r) / redisMarginal)} | ${(r.loadMs / 1000).toFixed(1)} | ${sizeCell}${r.errors ? ` (${r.errors} load errors)` : ''} |`);
  }
  lines.push('');
  return lines.join('\n');
}

async function main() {
  const started = Date.now();
  const tables = [];
  for (const name of dataNames) {
    const ds = { name, ...DATASETS[name] };
    const rows = [];
    try {
      rows.push(await measure(ds, 'redis'));
    } catch (e) {
      console.error(`!! redis-server ${name}: ${e.message.split('\n')[0]}`);
      rows.push({ label: 'redis-server', layout: '-', failed: e.message.split('\n')[0] });
    }
    for (const layout of layouts) {
      try {
        rows.push(await measure(ds, opt['sabre-redis'] ? 'sabre-as-redis' : 'sabre', layout));
      } catch (e) {
        console.error(`!! Sabre ${layout.name} ${name}: ${e.message.split('\n')[0]}`);
        rows.push({ label: `sabre ${layout.name}`, layout: layout.name, failed: e.message.split('\n')[0] });
      }
    }
    tables.push(tableFor(ds, rows));
  }
  const sizes = [
    dataNames.includes('strings') ? `${KEYS.toLocaleString('en-US')} string keys` : null,
    dataNames.some((d) => d !== 'strings') ? `${ELEMENTS.toLocaleString('en-US')}-element ${dataNames.filter((d) => d !== 'strings').join(' / ')}` : null,
  ].filter(Boolean).join('; ');
  const lines = [
    `## Memory: ${sizes} (${new Date().toISOString().replace(/\.\d+Z$/, 'Z')})${quick ? ' — QUICK run' : ''}`,
    '',
    ...machineHeaderLines([
      `- method: a fresh server per data set; VmRSS from /proc/<pid>/status before and ${SETTLE} ms after a pipelined load over one socket (bench/lib/loader.mjs; collections: variadic commands of ${BATCH} elements); used_memory from INFO memory (Redis: bytes its allocator handed out; Sabre: bytes allocated in its shard arenas, JS heap excluded); bytes per element = growth / elements; marginal = RSS growth over the last 90% of the load (RSS read after the first tenth and a settle) / its elements, which leaves out one-time costs of the first commands`,
      `- servers: \`redis-server --save "" --appendonly no\` (default encodings thresholds); Sabre \`node bin/sabre-server.js --port P [--shards N]\``,
      opt['sabre-redis'] ? '- NOTE: --sabre-redis: the Sabre rows are a second redis-server (harness validation only)' : null,
      `- wall time: ${((Date.now() - started) / 60000).toFixed(1)} min`,
    ].filter(Boolean)),
    '',
    ...tables,
  ];
  const md = lines.join('\n');
  console.log('\n' + md);
  if (!opt['no-write']) {
    const dir = opt.out ? path.resolve(opt.out) : path.join(REPO, 'bench', 'results');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${localDate()}-memory${quick ? '-quick' : ''}.md`);
    fs.writeFileSync(file, md);
    const written = [shownPath(file)];
    if (!quick) {
      const latest = path.join(dir, 'latest.md');
      let prev = fs.existsSync(latest) ? fs.readFileSync(latest, 'utf8') : '# Sabre benchmark results\n';
      // Replace an earlier memory section (from a previous bench:memory run) instead of stacking them.
      prev = prev.split(/(?=^## )/m).filter((sec) => !sec.startsWith('## Memory:')).join('');
      fs.writeFileSync(latest, prev.replace(/\n*$/, '\n\n') + md);
      written.push(shownPath(latest));
    }
    console.log(`wrote ${written.join(' and ')}`);
  }
}

main().catch((e) => { console.error(e?.stack ?? e); process.exit(1); });
