#!/usr/bin/env node
// Memory benchmark: RSS growth for 1M string keys `key:NNNNNNNNNNNN` -> "xxx" on redis-server and Sabre.
//
//   npm run bench:memory
//   node bench/memory.mjs --keys 200000 --layouts shards1
//   node bench/memory.mjs --sabre-redis      # a redis-server stands in for Sabre (harness check)
//
// Options:
//   --keys N        keys to load (default 1000000)
//   --layouts a,b   Sabre layouts: default | shards0 | shards1 | shardsN (default shards1,default)
//   --settle MS     wait after loading before reading RSS (default 2000)
//   --sabre-redis   run a redis-server in place of Sabre
//   --no-write      print only
//
// RSS is VmRSS from /proc/<pid>/status (the whole process, all threads), the same for both servers.
// used_memory comes from INFO memory. Nothing is asserted; ratios are reported.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO, startServer, parseLayout, machineHeaderLines, localDate, rssBytes, sleep, describeLayoutFromLog } from './lib/servers.mjs';
import { command, parseInfo } from './lib/resp.mjs';
import { loadCommands, stringKeys } from './lib/loader.mjs';

const { values: opt } = parseArgs({
  options: {
    keys: { type: 'string' },
    layouts: { type: 'string' },
    settle: { type: 'string' },
    'sabre-redis': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
  strict: true,
});
const KEYS = Number(String(opt.keys ?? '1000000').replace(/_/g, ''));
const SETTLE = Number(opt.settle ?? 2000);
const layouts = (opt.layouts ? opt.layouts.split(',') : ['shards1', 'default']).map(parseLayout);
const MB = 1024 * 1024;

async function usedMemory(port) {
  try {
    const info = parseInfo(await command(port, ['INFO', 'memory']));
    const v = Number(info.used_memory);
    return Number.isFinite(v) ? v : NaN;
  } catch { return NaN; }
}

async function dbsize(port) {
  try { const v = await command(port, ['DBSIZE']); return typeof v === 'number' ? v : NaN; } catch { return NaN; }
}

async function measure(kind, layout) {
  const label = kind === 'redis' ? 'redis-server' : `sabre ${layout.name}`;
  const srv = await startServer({ kind, layoutArgs: layout?.args ?? [], label });
  try {
    await sleep(500);
    const rss0 = rssBytes(srv.pid);
    const used0 = await usedMemory(srv.port);
    process.stdout.write(`${label}: pid ${srv.pid}, RSS before ${(rss0 / MB).toFixed(1)} MB; loading ${KEYS} keys... `);
    const r = await loadCommands({ port: srv.port }, stringKeys(KEYS));
    console.log(`${(r.ms / 1000).toFixed(1)} s (${Math.round(KEYS / (r.ms / 1000)).toLocaleString('en-US')} SET/s)${r.errors ? `, ${r.errors} errors, first: ${r.firstError}` : ''}`);
    await sleep(SETTLE);
    const rss1 = rssBytes(srv.pid);
    const used1 = await usedMemory(srv.port);
    const n = await dbsize(srv.port);
    if (Number.isFinite(n) && n !== KEYS) console.error(`!! ${label}: DBSIZE is ${n}, expected ${KEYS}`);
    return {
      label, layout: kind === 'redis' ? '-' : layout.name, rss0, rss1, used0, used1, dbsize: n, loadMs: r.ms, errors: r.errors,
      note: kind === 'redis' ? '' : kind === 'sabre-as-redis' ? 'redis-server stand-in' : describeLayoutFromLog(srv.log),
    };
  } finally {
    await srv.stop();
  }
}

async function main() {
  const rows = [];
  rows.push(await measure('redis'));
  for (const layout of layouts) {
    try {
      rows.push(await measure(opt['sabre-redis'] ? 'sabre-as-redis' : 'sabre', layout));
    } catch (e) {
      console.error(`!! Sabre ${layout.name}: ${e.message.split('\n')[0]}`);
      rows.push({ label: `sabre ${layout.name}`, layout: layout.name, failed: e.message.split('\n')[0] });
    }
  }
  const redis = rows[0];
  const redisGrowth = redis.rss1 - redis.rss0;
  const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
  const f0 = (x) => (Number.isFinite(x) ? Math.round(x).toString() : '-');
  const lines = [
    `## Memory: ${KEYS.toLocaleString('en-US')} keys \`key:NNNNNNNNNNNN\` -> \`xxx\` (${new Date().toISOString().replace(/\.\d+Z$/, 'Z')})`,
    '',
    ...machineHeaderLines([
      `- method: VmRSS from /proc/<pid>/status before and ${SETTLE} ms after a pipelined SET load (bench/lib/loader.mjs); used_memory from INFO memory`,
      opt['sabre-redis'] ? '- NOTE: --sabre-redis: the Sabre rows are a second redis-server (harness validation only)' : null,
    ].filter(Boolean)),
    '',
    '| server | layout | RSS before MB | RSS after MB | RSS growth MB | RSS bytes/key | used_memory before/after MB | used_memory bytes/key | RSS growth ratio Sabre/Redis | load s | DBSIZE |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    if (r.failed) { lines.push(`| ${r.label} | ${r.layout} | did not run: ${r.failed.replace(/\|/g, '/')} | | | | | | | | |`); continue; }
    const growth = r.rss1 - r.rss0;
    const ratio = r === redis ? '1.00 (baseline)' : (growth / redisGrowth).toFixed(2);
    lines.push(`| ${r.label} | ${r.layout}${r.note ? ` (${r.note})` : ''} | ${f1(r.rss0 / MB)} | ${f1(r.rss1 / MB)} | ${f1(growth / MB)} | ${f0(growth / KEYS)} | ${f1(r.used0 / MB)}/${f1(r.used1 / MB)} | ${f0((r.used1 - r.used0) / KEYS)} | ${ratio} | ${(r.loadMs / 1000).toFixed(1)} | ${f0(r.dbsize)} |`);
  }
  lines.push('');
  const md = lines.join('\n');
  console.log('\n' + md);
  if (!opt['no-write']) {
    const dir = path.join(REPO, 'bench', 'results');
    fs.mkdirSync(dir, { recursive: true });
    const date = localDate();
    fs.writeFileSync(path.join(dir, `${date}-memory.md`), md);
    const latest = path.join(dir, 'latest.md');
    let prev = fs.existsSync(latest) ? fs.readFileSync(latest, 'utf8') : '# Sabre benchmark results\n';
    // Replace an earlier memory section (from a previous bench:memory run) instead of stacking them.
    prev = prev.split(/(?=^## )/m).filter((sec) => !sec.startsWith('## Memory:')).join('');
    fs.writeFileSync(latest, prev.replace(/\n*$/, '\n\n') + md);
    console.log(`wrote bench/results/${date}-memory.md and appended to bench/results/latest.md`);
  }
}

main().catch((e) => { console.error(e?.stack ?? e); process.exit(1); });
