#!/usr/bin/env node
// Micro-benchmarks (tinybench) of Sabre's own pieces, imported from dist/:
//   - dist/protocol/parser.js   RequestParser  (RESP request parsing, no sockets)
//   - dist/store/allocator.js   Allocator      (SharedArrayBuffer block allocator)
//   - dist/store/hashtable.js   HashTable      (the keyspace hash table, and its prefetch)
//   - dist/util/bytes.js        copyBytes      (copies between shared and unshared memory)
//
//   npm run bench:micro                 # build, then run all
//   node bench/micro.mjs --only parser  # one group; --time MS per task (default 500)
//   node bench/micro.mjs --dist /tmp/out # modules from another build directory
//
// A missing module (or one whose API this file does not recognise) is reported as skipped.
// Numbers are printed, never asserted.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: { only: { type: 'string' }, time: { type: 'string' }, dist: { type: 'string' } },
  strict: true,
});
const TIME = Number(opt.time ?? 500);
const only = opt.only ? new Set(opt.only.split(',')) : null;
const DIST = path.resolve(opt.dist ?? path.join(REPO, 'dist'));

async function load(rel, name) {
  const file = path.join(DIST, rel);
  if (!fs.existsSync(file)) return { skip: `dist/${rel} not found (run npm run build)` };
  try {
    const mod = await import(pathToFileURL(file).href);
    const cls = mod[name] ?? mod.default?.[name];
    if (typeof cls !== 'function') return { skip: `dist/${rel} has no export ${name}` };
    return { mod: mod.default ?? mod, cls };
  } catch (e) {
    return { skip: `dist/${rel} failed to load: ${e.message.split('\n')[0]}` };
  }
}

const results = [];
const skipped = [];

/** Run a group of tasks; each task is [name, fn, unitsPerCall, unitName]. */
async function runGroup(group, tasks) {
  const bench = new Bench({ name: group, time: TIME, warmupTime: Math.min(200, TIME / 2) });
  const meta = new Map();
  for (const [name, fn, units, unit] of tasks) {
    bench.add(name, fn);
    meta.set(name, { units, unit });
  }
  await bench.run();
  for (const t of bench.tasks) {
    const r = t.result;
    const m = meta.get(t.name);
    if (r.state !== 'completed') {
      results.push({ group, name: t.name, error: r.error?.message ?? r.state });
      continue;
    }
    const callsPerSec = r.throughput.mean;
    results.push({
      group,
      name: t.name,
      nsPerCall: r.latency.p50 * 1e6,
      callsPerSec,
      unitsPerSec: callsPerSec * m.units,
      unit: m.unit,
      rme: r.latency.rme,
      samples: r.latency.samples?.length ?? r.latency.df + 1,
    });
  }
}

// ---------------------------------------------------------------- parser
async function parserGroup() {
  const { cls: RequestParser, skip } = await load('protocol/parser.js', 'RequestParser');
  if (skip) return skipped.push(['parser', skip]);
  const limits = { protoMaxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1024 * 1024 * 1024, authRequired: () => false };
  let count = 0, argBytes = 0;
  const sink = {
    onCommand(buf, offs, argc) { count++; argBytes += offs[1]; return true; },
    onProtocolError(msg) { throw new Error('protocol error in micro benchmark: ' + msg); },
  };
  const enc = (args) => '*' + args.length + '\r\n' + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
  const pad = (i) => String(i).padStart(12, '0');
  const N = 1000;
  const setBuf = Buffer.from(Array.from({ length: N }, (_, i) => enc(['SET', 'key:' + pad(i), 'xxx'])).join(''));
  const getBuf = Buffer.from(Array.from({ length: N }, (_, i) => enc(['GET', 'key:' + pad(i)])).join(''));
  const msetBuf = Buffer.from(Array.from({ length: 100 }, (_, i) => enc(['MSET', ...Array.from({ length: 10 }, (_, j) => ['key:' + pad(i * 10 + j), 'xxx']).flat()])).join(''));
  const bigBuf = Buffer.from(enc(['SET', 'big', 'x'.repeat(64 * 1024)]));
  const inlineBuf = Buffer.from('PING\r\n'.repeat(N));
  const single = Buffer.from(enc(['GET', 'key:000000000001']));

  const p = new RequestParser(limits);
  const feedAll = (buf, expect) => () => {
    count = 0;
    p.feed(buf, 0, buf.length, sink);
    if (count !== expect) throw new Error(`parsed ${count} commands, expected ${expect}`);
  };
  // The same SET stream cut into 1460-byte segments (TCP MSS-like): exercises the partial-command path.
  const seg = 1460;
  const segFeed = () => {
    count = 0;
    for (let o = 0; o < setBuf.length; o += seg) p.feed(setBuf, o, Math.min(setBuf.length, o + seg), sink);
    if (count !== N) throw new Error(`segmented parse: ${count} commands, expected ${N}`);
  };
  await runGroup('parser', [
    [`SET x${N} pipelined (${setBuf.length} B)`, feedAll(setBuf, N), N, 'cmd'],
    [`GET x${N} pipelined`, feedAll(getBuf, N), N, 'cmd'],
    ['MSET 10 keys x100 pipelined', feedAll(msetBuf, 100), 100, 'cmd'],
    [`SET x${N} in ${seg}-byte segments`, segFeed, N, 'cmd'],
    ['inline PING x1000', feedAll(inlineBuf, N), N, 'cmd'],
    ['single GET (P=1 path)', feedAll(single, 1), 1, 'cmd'],
    ['SET 64 KiB value (args are views: no copy)', feedAll(bigBuf, 1), 1, 'cmd'],
  ]);
}

// ---------------------------------------------------------------- allocator
// src/store/allocator.ts: Allocator.create(initialBytes, maxBytes); alloc(size) -> ptr; free(ptr, size).
function missing(obj, names) {
  return names.filter((n) => typeof obj?.[n] !== 'function');
}

async function allocatorGroup() {
  const { cls: Allocator, skip } = await load('store/allocator.js', 'Allocator');
  if (skip) return skipped.push(['allocator', skip]);
  if (typeof Allocator.create !== 'function') return skipped.push(['allocator', 'Allocator.create(initialBytes, maxBytes) not found']);
  const a = Allocator.create(64 * 1024 * 1024, 1024 * 1024 * 1024);
  const miss = missing(a, ['alloc', 'free']);
  if (miss.length) return skipped.push(['allocator', `Allocator lacks ${miss.join(', ')}`]);
  const K = 1000;
  const ptrs = new Array(K);
  const cycle = (size) => () => {
    for (let i = 0; i < K; i++) ptrs[i] = a.alloc(size);
    for (let i = 0; i < K; i++) a.free(ptrs[i], size);
  };
  const sizes = [16, 24, 40, 64, 100, 256, 1000];
  const mixed = () => {
    for (let i = 0; i < K; i++) ptrs[i] = a.alloc(sizes[i % sizes.length]);
    for (let i = K - 1; i >= 0; i--) a.free(ptrs[i], sizes[i % sizes.length]);
  };
  // Bump allocation of fresh memory (no free list): a new arena per sample batch.
  let fresh = Allocator.create(64 * 1024 * 1024, 1024 * 1024 * 1024);
  let freshUsed = 0;
  const bump = () => {
    if (freshUsed > 500_000) { fresh = Allocator.create(64 * 1024 * 1024, 1024 * 1024 * 1024); freshUsed = 0; }
    for (let i = 0; i < K; i++) fresh.alloc(32);
    freshUsed += K;
  };
  await runGroup('allocator', [
    ['alloc+free 16 B x1000 (free list)', cycle(16), K, 'alloc+free'],
    ['alloc+free 64 B x1000 (free list)', cycle(64), K, 'alloc+free'],
    ['alloc+free 1 KiB x1000 (free list)', cycle(1024), K, 'alloc+free'],
    ['alloc+free mixed 16..1000 B x1000', mixed, K, 'alloc+free'],
    ['alloc 32 B x1000 (bump, fresh arena)', bump, K, 'alloc'],
  ]);
}

// ---------------------------------------------------------------- hash table
// src/store/hashtable.ts: new HashTable(allocator, keyOff).at(header); init(header);
// find(buf, off, len, hash) -> entry | 0; insert(entry); unlinkFound(entry); hashBytes(buf, off, len).
// Entries are arena blocks: +0 next, +4 hash, +8 key length (u32), key bytes at keyOff.
async function hashtableGroup() {
  const ht0 = await load('store/hashtable.js', 'HashTable');
  if (ht0.skip) return skipped.push(['hashtable', ht0.skip]);
  const al = await load('store/allocator.js', 'Allocator');
  if (al.skip) return skipped.push(['hashtable', `needs the allocator: ${al.skip}`]);
  const { cls: HashTable, mod } = ht0;
  const hashBytes = mod.hashBytes;
  const HDR = mod.HT_HEADER_BYTES ?? 32;
  const E_HASH = mod.E_HASH ?? 4, E_KEYLEN = mod.E_KEYLEN ?? 8;
  if (typeof hashBytes !== 'function') return skipped.push(['hashtable', 'hashBytes export not found']);
  const a = al.cls.create(64 * 1024 * 1024, 2 * 1024 * 1024 * 1024);
  const KEY_OFF = 12;
  const ht = new HashTable(a, KEY_OFF);
  const miss = missing(ht, ['at', 'init', 'find', 'insert', 'unlinkFound']);
  if (miss.length) return skipped.push(['hashtable', `HashTable lacks ${miss.join(', ')}`]);
  const header = a.alloc(HDR);
  ht.init(header);
  ht.at(header);

  const NKEYS = 1_000_000, KLEN = 16; // "key:NNNNNNNNNNNN", as in bench/memory.mjs
  const keys = Buffer.alloc(NKEYS * KLEN);
  for (let i = 0; i < NKEYS; i++) keys.write('key:' + String(i).padStart(12, '0'), i * KLEN, 'latin1');
  const hashes = new Uint32Array(NKEYS);
  for (let i = 0; i < NKEYS; i++) hashes[i] = hashBytes(keys, i * KLEN, KLEN);
  const newEntry = (buf, off, len, hash) => {
    const e = a.alloc(KEY_OFF + len);
    a.u32[(e + E_HASH) >>> 2] = hash;
    a.u32[(e + E_KEYLEN) >>> 2] = len;
    a.u8.set(buf.subarray(off, off + len), e + KEY_OFF);
    return e;
  };
  const t0 = performance.now();
  for (let i = 0; i < NKEYS; i++) {
    const e = newEntry(keys, i * KLEN, KLEN, hashes[i]);
    ht.insert(e);
  }
  const insMs = performance.now() - t0;
  // finish any incremental rehash so lookups measure the steady state
  if (typeof ht.rehashStep === 'function') while (ht.rehashStep(1000)) {}
  if (ht.count !== undefined && ht.count !== NKEYS) throw new Error(`hashtable count ${ht.count}, expected ${NKEYS}`);

  const K = 1000;
  let j = 0;
  const missKeys = Buffer.alloc(K * KLEN);
  for (let i = 0; i < K; i++) missKeys.write('nokey:' + String(i).padStart(10, '0'), i * KLEN, 'latin1');
  const missHashes = Uint32Array.from({ length: K }, (_, i) => hashBytes(missKeys, i * KLEN, KLEN));
  const tmpKeys = Buffer.alloc(K * KLEN);
  for (let i = 0; i < K; i++) tmpKeys.write('tmp:' + String(i).padStart(12, '0'), i * KLEN, 'latin1');
  const tmpHashes = Uint32Array.from({ length: K }, (_, i) => hashBytes(tmpKeys, i * KLEN, KLEN));

  const batchHashes = new Uint32Array(32);
  const batchHeads = new Int32Array(32);

  await runGroup(`hashtable (${NKEYS.toLocaleString('en-US')} keys, inserted in ${insMs.toFixed(0)} ms)`, [
    ['hashBytes 16 B x1000', () => { for (let i = 0; i < K; i++) hashBytes(keys, ((j++ * 7919) % NKEYS) * KLEN, KLEN); }, K, 'hash'],
    ['hash+find hit x1000 (random)', () => {
      for (let i = 0; i < K; i++) {
        const k = (j++ * 7919) % NKEYS;
        if (ht.find(keys, k * KLEN, KLEN, hashBytes(keys, k * KLEN, KLEN)) === 0) throw new Error('hit expected');
      }
    }, K, 'lookup'],
    ...(typeof ht.touch === 'function' ? [['touch 32 then hash+find 32, x1000 (random; the prefetch of Keyspace.prefetch)', () => {
      for (let b = 0; b < K; b += 32) {
        const base = j;
        for (let i = 0; i < 32; i++) {
          const k = ((base + i) * 7919) % NKEYS;
          batchHashes[i] = hashBytes(keys, k * KLEN, KLEN);
        }
        ht.touch(batchHashes, 32, batchHeads);
        for (let i = 0; i < 32; i++) {
          const k = (j++ * 7919) % NKEYS;
          if (ht.find(keys, k * KLEN, KLEN, hashBytes(keys, k * KLEN, KLEN)) === 0) throw new Error('hit expected');
        }
      }
    }, K, 'lookup']] : []),
    ['find miss x1000', () => { for (let i = 0; i < K; i++) if (ht.find(missKeys, i * KLEN, KLEN, missHashes[i]) !== 0) throw new Error('miss expected'); }, K, 'lookup'],
    ['insert+find+unlink+free x1000', () => {
      for (let i = 0; i < K; i++) ht.insert(newEntry(tmpKeys, i * KLEN, KLEN, tmpHashes[i]));
      for (let i = 0; i < K; i++) {
        const e = ht.find(tmpKeys, i * KLEN, KLEN, tmpHashes[i]);
        ht.unlinkFound(e);
        a.free(e, KEY_OFF + KLEN);
      }
    }, K, 'insert+delete'],
  ]);
}

// ---------------------------------------------------------------- copies
// src/util/bytes.ts: copyBytes(dst, at, src, start, end). V8 copies shared memory word by word
// only when both ends agree mod 8; copyBytes stages a misaligned shared<->unshared copy.
async function copyGroup() {
  const b = await load('util/bytes.js', 'copyBytes');
  if (b.skip) return skipped.push(['copy', b.skip]);
  const copyBytes = b.cls;
  const sab = new Uint8Array(new SharedArrayBuffer(1 << 20));
  const un = new Uint8Array(1 << 20);
  const N = 2700; // an LRANGE_300 reply
  await runGroup('copy (2.7 KB, shared -> unshared)', [
    ['TypedArray.set, aligned', () => un.set(sab.subarray(64, 64 + N), 128), N / 1e6, 'MB'],
    ['TypedArray.set, misaligned', () => un.set(sab.subarray(64, 64 + N), 131), N / 1e6, 'MB'],
    ['copyBytes, misaligned (staged)', () => copyBytes(un, 131, sab, 64, 64 + N), N / 1e6, 'MB'],
  ]);
}

const groups = { parser: parserGroup, allocator: allocatorGroup, hashtable: hashtableGroup, copy: copyGroup };
for (const [name, fn] of Object.entries(groups)) {
  if (only && !only.has(name)) continue;
  try { await fn(); } catch (e) { skipped.push([name, `error: ${e.message}`]); }
}

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d }) : '-');
console.log(`\n## Micro-benchmarks (node ${process.version}, tinybench, ${TIME} ms per task)\n`);
console.log('| group | task | median ns/call | calls/s | throughput | ±rme % |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const r of results) {
  if (r.error) { console.log(`| ${r.group} | ${r.name} | error: ${r.error} | | | |`); continue; }
  const unitsPerSec = r.unit === 'MB' ? `${fmt(r.unitsPerSec, 1)} MB/s` : `${fmt(r.unitsPerSec)} ${r.unit}/s`;
  console.log(`| ${r.group} | ${r.name} | ${fmt(r.nsPerCall)} | ${fmt(r.callsPerSec)} | ${unitsPerSec} | ${fmt(r.rme, 1)} |`);
}
for (const [g, why] of skipped) console.log(`\nskipped ${g}: ${why}`);
