// Shard worker thread: drains its request ring in batches under its shard lock,
// executes commands, writes RESP replies into its reply ring, and runs the
// shard's cron (active expiry, rehashing) at `hz`.
//
// Idle policy: after a batch, spin briefly (new requests usually follow within
// microseconds under load), then sleep with Atomics.wait; the main thread only
// notifies a worker that has announced it is sleeping.

import { workerData } from 'node:worker_threads';
import { Ring, Reassembler, sendFragments, FRAGMENT_TAG, C_SIGNAL, C_SLEEPING, messageSize } from '../transport/ring';
import { ARGC_SPAN, REQ_HEADER_WORDS, REP_HEADER_BYTES, READY_TAG, decodeRetry, decodeRetryToken, spanArgs } from '../transport/messages';
import { Keyspace, PREFETCH_MAX, PREFETCH_STRIDE } from '../store/keyspace';
import { setHashSeed } from '../store/hashtable';
import { ReplyWriter } from '../protocol/reply';
import { ExecContext } from './exec_context';
import { execute, commands, lockShard, unlockShard, shardCron, lazyFreeSlice, ShardStats, expiredTotal, viewsTotal } from './executor';
import { SettingsView } from './settings';
import { STAT_COMMANDS, STAT_EXPIRED, STAT_EXPIRE_MS, STAT_EXPIRE_TIME_CAP, STAT_EXPIRED_STALE, STAT_HEAP_USED, STAT_HITS, STAT_MISSES, STAT_WORDS } from './shard_stats';
import { ReadyKeys } from './ready_keys';
import { copyBytes, copyToWords, copyWords } from '../util/bytes';

export interface WorkerInit {
  index: number;
  stores: SharedArrayBuffer[];
  requests: SharedArrayBuffer;
  replies: SharedArrayBuffer;
  mainSignal: SharedArrayBuffer;
  settings: SharedArrayBuffer;
  stats: SharedArrayBuffer;
  /** INFO commandstats failed_calls: a u32 per command id per shard (ExecContext.failedCalls) */
  failed: SharedArrayBuffer;
  /** every thread must hash keys alike: the coordinator of a cross-shard command looks keys up in other shards' tables */
  hashSeed: number;
  /** blocked clients: count and key filter, maintained by the main thread (src/shard/ready_keys.ts) */
  blockSignal: SharedArrayBuffer;
  /** how long an idle shard polls its ring before sleeping (WorkerBackend.spinMs) */
  spinMs: number;
}

const BATCH = 512;

function run(init: WorkerInit): void {
  setHashSeed(init.hashSeed);
  const self = init.index;
  const stores = init.stores.map((s) => new Keyspace(s));
  const own = stores[self];
  const req = new Ring(init.requests);
  const rep = new Ring(init.replies);
  const mainSignal = new Int32Array(init.mainSignal);
  const settings = new SettingsView(init.settings);
  const statsArr = new Float64Array(init.stats, self * STAT_WORDS * 8, STAT_WORDS);
  const stats = new ShardStats();
  const w = new ReplyWriter(256 * 1024);
  const ctx = new ExecContext(stores, w, settings);
  ctx.self = self;
  ctx.failedCalls = new Uint32Array(init.failed, self * commands.length * 4, commands.length);
  const ready = new ReadyKeys(init.blockSignal, stores);
  const reasm = new Reassembler();
  let offsArr = new Int32Array(2 * 1024);
  let nextCron = performance.now();
  let pendingReplies = false;

  const notifyMain = (): void => {
    if (!pendingReplies) return;
    pendingReplies = false;
    // the counters first: INFO must not see a reply before the stats of its command
    statsArr[STAT_EXPIRED] = expiredTotal(stats, stores);
    statsArr[STAT_HITS] = viewsTotal(stores, 'keyspaceHits');
    statsArr[STAT_MISSES] = viewsTotal(stores, 'keyspaceMisses');
    rep.commit();
    Atomics.add(mainSignal, 0, 1);
    if (Atomics.load(mainSignal, 1) !== 0) Atomics.notify(mainSignal, 0);
  };

  const waitSpace = (): boolean => {
    // publish what was written so far (fragments of a big reply included) and
    // wake main, or it may never drain the ring we are waiting on
    pendingReplies = true;
    notifyMain();
    rep.waitForSpace(5);
    return true;
  };

  const pushReply = (connId: number, seq: number): void => {
    pushMessage(connId, seq, w.buf, w.pos, w.buf32);
  };

  /** A reply, or a ready key (connId READY_TAG): header [len, connId, word2, byteLen] then bytes. src32 views src from its start, when it has a word view. */
  const pushMessage = (connId: number, seq: number, src: Uint8Array, len: number, src32: Int32Array | null = null): void => {
    const total = REP_HEADER_BYTES + len;
    if (total > rep.maxMessage) {
      const msg = new Uint8Array(total);
      const h = new Int32Array(msg.buffer, 0, 4);
      h[0] = messageSize(total);
      h[1] = connId;
      h[2] = seq;
      h[3] = len;
      copyBytes(msg, REP_HEADER_BYTES, src, 0, len);
      sendFragments(rep, msg, 0, waitSpace);
      pendingReplies = true;
      return;
    }
    let at: number;
    while ((at = rep.reserve(total)) < 0) waitSpace();
    const i32 = rep.i32;
    const x = at >> 2;
    i32[x + 1] = connId;
    i32[x + 2] = seq;
    i32[x + 3] = len;
    if (src32 !== null) copyWords(rep.i32, rep.u8, at + REP_HEADER_BYTES, src32, src, 0, len);
    else copyToWords(rep.i32, rep.u8, at + REP_HEADER_BYTES, src, 0, len);
    pendingReplies = true;
  };

  /** Execute the request whose words start at w0 in (i32,u8). */
  const handle = (i32: Int32Array, u8: Uint8Array, at: number): void => {
    const x = at >> 2;
    const connId = i32[x + 1];
    const seq = i32[x + 2];
    const spec = commands[i32[x + 3]];
    const argcWord = i32[x + 7];
    const argc = argcWord & ~ARGC_SPAN;
    if (offsArr.length < argc * 2) offsArr = new Int32Array(argc * 2 + 64);
    if (argcWord === argc) {
      let p = at + (REQ_HEADER_WORDS + argc) * 4;
      for (let i = 0; i < argc; i++) {
        const n = i32[x + REQ_HEADER_WORDS + i];
        offsArr[i * 2] = p;
        offsArr[i * 2 + 1] = n;
        p += n;
      }
    } else spanArgs(i32, at, argc, offsArr, argc);
    ctx.buf = u8;
    ctx.offs = offsArr;
    ctx.argc = argc;
    ctx.db = i32[x + 4];
    const flags = i32[x + 5];
    w.resp = (flags & 3) === 3 ? 3 : 2;
    ctx.blockRetry = decodeRetry(flags);
    ctx.retryToken = decodeRetryToken(flags);
    w.reset();
    execute(ctx, spec, i32[x + 6]);
    stats.commands++;
    pushReply(connId, seq);
    if (ready.count > 0) {
      // after the reply of the command that made them ready: main serves blocked clients then
      for (let i = 0; i < ready.count; i++) pushMessage(READY_TAG, ready.dbs[i] * 256 + ready.types[i], ready.keys[i], ready.keys[i].length);
      ready.clear();
    }
  };

  /** Prefetch for the next PREFETCH_MAX requests: their arguments 1..3 (key, members) go to Keyspace.prefetch. */
  const keyOffs = new Int32Array(PREFETCH_MAX * PREFETCH_STRIDE);
  const firstArgs = new Int32Array(8);
  const prefetchFrom = (at: number): void => {
    const i32 = req.i32;
    let n = 0;
    let db = -1;
    for (let p = at; p >= 0 && n < PREFETCH_MAX; p = req.peekAfter(p)) {
      const x = p >> 2;
      const argcWord = i32[x + 7];
      const argc = argcWord & ~ARGC_SPAN;
      if (i32[x + 1] === FRAGMENT_TAG || argc < 2) continue;
      if (db < 0) db = i32[x + 4];
      else if (i32[x + 4] !== db) continue;
      // arguments 1..3: (start, length), start -1 when absent
      const o = n * PREFETCH_STRIDE;
      if (argcWord === argc) {
        let q = p + (REQ_HEADER_WORDS + argc) * 4 + i32[x + REQ_HEADER_WORDS];
        for (let i = 1; i <= 3; i++) {
          if (i < argc) {
            const len = i32[x + REQ_HEADER_WORDS + i];
            keyOffs[o + i * 2 - 2] = q;
            keyOffs[o + i * 2 - 1] = len;
            q += len;
          } else keyOffs[o + i * 2 - 2] = -1;
        }
      } else {
        spanArgs(i32, p, argc, firstArgs, 4);
        for (let i = 1; i <= 3; i++) {
          keyOffs[o + i * 2 - 2] = i < argc ? firstArgs[i * 2] : -1;
          keyOffs[o + i * 2 - 1] = firstArgs[i * 2 + 1];
        }
      }
      if (++n === 2 && !own.lookAhead(db, req.u8, keyOffs)) return;
    }
    if (n > 1) own.prefetch(db, req.u8, keyOffs, n);
  };

  for (;;) {
    if (settings.shutdown) break;
    let at = req.next();
    if (at >= 0) {
      lockShard(own);
      ctx.beginBatch();
      let n = 0;
      while (at >= 0 && n < BATCH) {
        if (n % PREFETCH_MAX === 0) prefetchFrom(at);
        if (req.i32[(at >> 2) + 1] === FRAGMENT_TAG) {
          const whole = reasm.add(req, at);
          if (whole !== null) {
            const copy = new Uint8Array(whole.length + 4);
            copy.set(whole);
            handle(new Int32Array(copy.buffer, 0, copy.length >> 2), copy, 0);
          }
        } else {
          handle(req.i32, req.u8, at);
        }
        req.advance(at);
        n++;
        at = req.next();
      }
      ctx.endBatch();
      unlockShard(own);
      req.release();
      notifyMain();
      w.trim(4 * 1024 * 1024, 256 * 1024);
    }
    const now = performance.now();
    if (now >= nextCron) {
      lockShard(own);
      shardCron(own, stats, 2, settings.activeExpire);
      unlockShard(own);
      statsArr[STAT_COMMANDS] = stats.commands;
      statsArr[STAT_EXPIRED] = expiredTotal(stats, stores);
      statsArr[STAT_HEAP_USED] = process.memoryUsage().heapUsed;
      statsArr[STAT_EXPIRE_MS] = stats.expireCycleMs;
      statsArr[STAT_EXPIRE_TIME_CAP] = stats.expireTimeCapReached;
      statsArr[STAT_EXPIRED_STALE] = stats.expiredStale;
      nextCron = now + 1000 / Math.max(1, settings.hz);
    }
    if (own.hasLazyFree) {
      // values of deleted big collections: a bounded slice between batches, and no sleeping until done
      lockShard(own);
      const more = lazyFreeSlice(own);
      unlockShard(own);
      if (more) continue;
    }
    if (at >= 0) continue;
    // idle: spin briefly, then sleep until the main thread signals
    const spinUntil = performance.now() + init.spinMs;
    while (req.next() < 0 && performance.now() < spinUntil) {
      /* spin */
    }
    if (req.next() >= 0) continue;
    const sig = Atomics.load(req.ctrl, C_SIGNAL);
    Atomics.store(req.ctrl, C_SLEEPING, 1);
    if (req.next() < 0) {
      const timeout = Math.max(1, nextCron - performance.now());
      Atomics.wait(req.ctrl, C_SIGNAL, sig, timeout);
    }
    Atomics.store(req.ctrl, C_SLEEPING, 0);
  }
}

run(workerData as WorkerInit);
