// Renders the README's benchmark section from result files, so that the
// README quotes measured numbers only:
//
//   node bench/readme.mjs bench/results/<date>-default.md bench/results/<date>-shards1.md bench/results/<date>-memory.md
//
// Replaces what lies between <!-- bench:start --> and <!-- bench:end --> in
// README.md (--print: write to stdout instead).
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const print = args.includes('--print');
const files = args.filter((a) => !a.startsWith('--'));
if (files.length !== 3) {
  console.error('usage: node bench/readme.mjs <default.md> <shards1.md> <memory.md> [--print]');
  process.exit(2);
}
const [defaultFile, shardsFile, memoryFile] = files;

/** Rows of the throughput table: key "test|-r" -> { P: ratio }, in file order. */
function throughput(file) {
  const text = fs.readFileSync(file, 'utf8');
  const rows = new Map();
  for (const line of text.split('\n')) {
    const m = /^\| ([a-z_0-9]+) \| (\d+) \| (-|1M) \| [\d,]+ \| [\d,]+ \| ([\d.]+) \|/.exec(line);
    if (!m) continue;
    const key = `${m[1]}|${m[3]}`;
    if (!rows.has(key)) rows.set(key, {});
    rows.get(key)[m[2]] = m[4];
  }
  const when = /\((\d{4}-\d\d-\d\d)T/.exec(text)?.[1] ?? '?';
  const commit = /sabre commit: (\w+)/.exec(text)?.[1] ?? '?';
  const geo = /Geometric mean of ratio Sabre\/Redis over \d+ case\(s\): \*\*([\d.]+)\*\*/.exec(text)?.[1] ?? '?';
  const groups = /By group \(geometric mean, cases\): (.*)/.exec(text)?.[1] ?? '';
  return { rows, when, commit, geo, groups };
}

function memory(file) {
  const text = fs.readFileSync(file, 'utf8');
  const out = [];
  let data = null;
  let redis = null;
  const seen = {};
  for (const line of text.split('\n')) {
    const h = /^### ([\w-]+):/.exec(line);
    if (h) {
      if (data) out.push({ data, redis, ...seen });
      data = h[1];
      redis = null;
      for (const k of Object.keys(seen)) delete seen[k];
      continue;
    }
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 11 || !data) continue;
    // marginal columns (growth over the last 90% of the load) exist in runs since 2026-12-03
    const [, server, layout, , , growth, perElem, , , ratio, marginal, marginalRatio] = cells;
    const m = cells.length >= 14 && marginal !== '-' ? marginal : null;
    if (server === 'redis-server') redis = `${growth} MB (${perElem} B/elem)${m ? `; marginal ${m} B/elem` : ''}`;
    else if (server.startsWith('sabre')) seen[layout.split(' ')[0]] = `${ratio}× (${perElem} B/elem)${m ? `; marginal ${marginalRatio}×` : ''}`;
  }
  if (data) out.push({ data, redis, ...seen });
  const idle = {};
  for (const m of text.matchAll(/^\| (sabre \w+|redis-server) \| [^|]+ \| ([\d.]+) \|/gm)) idle[m[1]] ??= m[2];
  return { rows: out, idle };
}

const d = throughput(defaultFile);
const s = throughput(shardsFile);
const mem = memory(memoryFile);
const LABEL = { strings: '1M string keys', list: '1M-element list', 'list-compressed': '1M-element list, `list-compress-depth 1` (both)', hash: '1M-field hash', set: '1M-member set', zset: '1M-member zset' };

const lines = [];
lines.push('Throughput cases: `set get incr mset` (with and without `-r 1000000`), `lpush rpush');
lines.push('lpop rpop sadd hset spop zadd zpopmin` (`sadd hset zadd` also with `-r 1000000`) and');
lines.push('`lrange_100 lrange_300 lrange_500 lrange_600`, each at `-P 1` and `-P 16`, for the');
lines.push('`--shards 1` and default layouts. Memory: 1M string keys, and a 1M-element list (also');
lines.push('with `list-compress-depth 1`), hash, set and zset. Latest results: see `bench/results/latest.md`.');
lines.push('');
lines.push(
  `Ratios Sabre/Redis (requests per second, higher is better) from one run on the 2-core dev machine, redis-benchmark \`-c 50\`, alternating servers, median of 2 rounds (${d.when}, commit ${d.commit}; full tables with rps and p50/p99 in \`bench/results/\`):`,
);
lines.push('');
lines.push('| test | -r | default P1 | default P16 | `--shards 1` P1 | `--shards 1` P16 |');
lines.push('| --- | --- | ---: | ---: | ---: | ---: |');
for (const [key, r] of d.rows) {
  const [test, rr] = key.split('|');
  const o = s.rows.get(key) ?? {};
  lines.push(`| ${test} | ${rr} | ${r['1'] ?? '-'} | ${r['16'] ?? '-'} | ${o['1'] ?? '-'} | ${o['16'] ?? '-'} |`);
}
lines.push(`| **geometric mean** | | **${d.geo}** (all cases) | | **${s.geo}** (all cases) | |`);
lines.push('');
lines.push(`By group: default ${d.groups}; \`--shards 1\` ${s.groups}.`);
lines.push('');
lines.push('Memory: RSS growth after loading, ratio Sabre/Redis (lower is better; `used_memory` counts only the shard arenas). *Marginal*: the growth over the last 90% of the load, per element, which leaves out one-time costs of the first commands (in Sabre a few MB of JIT code and V8/malloc pools, whatever the data size):');
lines.push('');
lines.push('| data | Redis RSS growth | default | `--shards 1` |');
lines.push('| --- | ---: | ---: | ---: |');
for (const r of mem.rows) lines.push(`| ${LABEL[r.data] ?? r.data} | ${r.redis} | ${r.default ?? '-'} | ${r.shards1 ?? '-'} |`);
lines.push('');
lines.push(
  `An idle Sabre starts at ${mem.idle['sabre default'] ?? '?'} MB RSS (default layout) or ${mem.idle['sabre shards1'] ?? '?'} MB (\`--shards 1\`: one more V8 isolate) against Redis's ${mem.idle['redis-server'] ?? '?'} MB; the ratios above are growth only.`,
);
lines.push('Below 1.0 means Sabre is slower (throughput) or smaller (memory).');
const block = lines.join('\n');

if (print) {
  console.log(block);
} else {
  const readme = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const a = text.indexOf('<!-- bench:start -->');
  const b = text.indexOf('<!-- bench:end -->');
  if (a < 0 || b < a) throw new Error('README.md has no bench:start/bench:end markers');
  fs.writeFileSync(readme, text.slice(0, a) + '<!-- bench:start -->\n' + block + '\n' + text.slice(b));
  console.log('README.md benchmark section rewritten');
}
