// Where shard commands go: executed right here on the main thread (inline
// layout, --shards 0) or sent to shard worker threads over rings (--shards N).
// The server's dispatch code is the same for both.

import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Keyspace, PREFETCH_MAX, PREFETCH_STRIDE, LookAheadGate } from '../store/keyspace';
import { getHashSeed } from '../store/hashtable';
import { ReplyWriter } from '../protocol/reply';
import { ExecContext } from '../shard/exec_context';
import { execute, lockShard, unlockShard, shardCron, lazyFreeSlice, ShardStats, expiredTotal, viewsTotal } from '../shard/executor';
import { commands, type CommandSpec } from '../commands/table';
import { SettingsView } from '../shard/settings';
import { scanKeyArgs } from '../protocol/key_scan';
import { Ring, Reassembler, sendFragments, FRAGMENT_TAG, messageSize } from '../transport/ring';
import { requestSpan, requestSize, writeRequest, encodeFlags, REP_HEADER_BYTES, READY_TAG, BLOCK_MARKER } from '../transport/messages';
import { createStats, STAT_COMMANDS, STAT_EXPIRED, STAT_EXPIRE_MS, STAT_EXPIRE_TIME_CAP, STAT_EXPIRED_STALE, STAT_HEAP_USED, STAT_HITS, STAT_MISSES, STAT_WORDS } from '../shard/shard_stats';
import type { Connection } from './connection';
import type { WorkerInit } from '../shard/worker';
import { ReadyKeys } from '../shard/ready_keys';
import type { BlockHooks } from './blocking';

export interface Backend {
  readonly shardCount: number;
  /** the main thread's views of every shard's store (INFO, DEBUG) */
  readonly stores: Keyspace[];
  readonly layout: string;
  /** shards run on other threads: data may change between a command's execution and main reading its reply */
  readonly threaded: boolean;
  /**
   * retry: a blocked client's command run again (ExecContext.blockRetry), 0
   * otherwise; token: the retry's cancel token (src/shard/ready_keys.ts)
   */
  submit(conn: Connection, seq: number, spec: CommandSpec, buf: Uint8Array, offs: Int32Array, argc: number, shard: number, mask: number, retry?: number, token?: number): void;
  /** end of an event-loop turn: publish batched requests */
  flush(): void;
  /** commands of one socket read come between these: they may share a clock reading (ExecContext.tick) */
  beginBatch(): void;
  endBatch(): void;
  /** the next command reads the time afresh (after a slow main-thread command) */
  freshClock(): void;
  /** where the shard runs on this thread: warm the cache for the keys of a read before it is parsed */
  prefetchKeys?(db: number, buf: Uint8Array, start: number, end: number): void;
  shardCommands(): number;
  expiredKeys(): number;
  /** INFO keyspace_hits / keyspace_misses since start (read-only commands' lookups) */
  keyspaceHits(): number;
  keyspaceMisses(): number;
  /** INFO expire_cycle_cpu_milliseconds, expired_time_cap_reached_count and expired_stale_perc (0..1, the shards' mean) */
  expireCycle(): { ms: number; timeCap: number; stale: number };
  /** INFO commandstats failed_calls of a command id since start: its error replies from the shards */
  failedCalls(id: number): number;
  workerHeapUsed(): number;
  close(): Promise<void>;
}

const ARENA_MAX = 4 * 1024 * 1024 * 1024 - 64 * 1024;

export function createStores(shards: number, databases: number): SharedArrayBuffer[] {
  const out: SharedArrayBuffer[] = [];
  for (let i = 0; i < shards; i++) out.push(Keyspace.create(databases, ARENA_MAX));
  return out;
}

/**
 * A shard worker allocates little on the JS heap (its data is in the arena),
 * yet V8 grows its young generation from 1 to 16 MiB under load anyway, and
 * every page touched stays resident: ~5 MB of RSS for nothing (measured: 1M
 * SETs, RSS growth 69 -> 64 MB; throughput unchanged). Cap it.
 */
const WORKER_YOUNG_GEN_MB = 2;

/** The single shard runs on the main thread, called synchronously. */
export class InlineBackend implements Backend {
  readonly shardCount = 1;
  readonly stores: Keyspace[];
  readonly layout = 'inline (main thread runs the shard)';
  readonly threaded = false;
  private readonly ctx: ExecContext;
  private readonly ready: ReadyKeys;
  private readonly w = new ReplyWriter(256 * 1024);
  private readonly stats = new ShardStats();
  private cronTimer: NodeJS.Timeout;
  private lazyFreeTimer: NodeJS.Immediate | null = null;

  constructor(
    sabs: SharedArrayBuffer[],
    private readonly settings: SettingsView,
    private readonly lookupConn: (id: number) => Connection | undefined,
    private readonly hooks: BlockHooks,
    /** an error reply of a shard command (INFO errorstats) */
    private readonly onErrorReply: (src: Uint8Array, start: number, end: number) => void,
  ) {
    this.stores = sabs.map((s) => new Keyspace(s));
    this.ctx = new ExecContext(this.stores, this.w, settings);
    this.ctx.self = 0;
    this.ctx.failedCalls = new Uint32Array(commands.length);
    this.ready = new ReadyKeys(hooks.signal, this.stores);
    void this.lookupConn;
    const tick = (): void => {
      lockShard(this.stores[0]);
      shardCron(this.stores[0], this.stats, 2, this.settings.activeExpire);
      unlockShard(this.stores[0]);
      this.scheduleLazyFree();
      this.cronTimer = setTimeout(tick, 1000 / Math.max(1, this.settings.hz));
    };
    this.cronTimer = setTimeout(tick, 1000 / Math.max(1, settings.hz));
  }

  submit(conn: Connection, seq: number, spec: CommandSpec, buf: Uint8Array, offs: Int32Array, argc: number, _shard = 0, _mask = 0, retry = 0): void {
    const ctx = this.ctx;
    ctx.buf = buf;
    ctx.offs = offs;
    ctx.argc = argc;
    ctx.db = conn.db;
    ctx.blockRetry = retry;
    const w = this.w;
    w.resp = conn.resp;
    w.reset();
    // the reply goes straight into the connection's output when it is next in line
    const direct = conn.openDirect(seq, w);
    const start = w.pos;
    // no other thread exists in this layout: the shard lock is never contended
    execute(ctx, spec, 0);
    this.stats.commands++;
    const hooks = this.hooks;
    if (w.pos > start && w.buf[start] === BLOCK_MARKER) {
      const marker = w.buf.subarray(start, w.pos);
      if (direct) conn.dropDirect(w);
      hooks.onMarker(conn, seq, marker);
    } else {
      if (w.pos > start && w.buf[start] === 45) this.onErrorReply(w.buf, start, w.pos);
      if (direct) conn.commitDirect(w);
      else conn.deliver(seq, w.buf, 0, w.pos, w.buf32);
      if (conn.blocked !== null) hooks.onServed(conn, seq);
    }
    this.w.trim(4 * 1024 * 1024, 256 * 1024);
    this.scheduleLazyFree();
    const ready = this.ready;
    if (ready.count > 0) {
      for (let i = 0; i < ready.count; i++) hooks.onReady(ready.dbs[i], ready.types[i], ready.keys[i]);
      ready.clear();
    }
    // serve clients blocked on keys this command filled, before the next command (as Redis);
    // the retries re-enter submit(), whose own pump() call then returns at once
    hooks.pump();
  }

  /** Values of deleted big collections are freed in bounded slices, with I/O served in between. */
  private scheduleLazyFree(): void {
    if (this.lazyFreeTimer === null && this.stores[0].hasLazyFree) this.lazyFreeTimer = setImmediate(this.lazyFreeTick);
  }

  private readonly lazyFreeTick = (): void => {
    const ks = this.stores[0];
    lockShard(ks);
    const more = lazyFreeSlice(ks);
    unlockShard(ks);
    this.lazyFreeTimer = more ? setImmediate(this.lazyFreeTick) : null;
  };

  private readonly keyOffs = new Int32Array(PREFETCH_MAX * PREFETCH_STRIDE);
  private prefetchDb = 0;
  private readonly lookAhead: LookAheadGate = (buf, offs) => this.stores[0].lookAhead(this.prefetchDb, buf, offs);

  /** Before parsing a read: prefetch the table slots of the keys (or hot key's members) it carries (see Keyspace.prefetch). */
  prefetchKeys(db: number, buf: Uint8Array, start: number, end: number): void {
    this.prefetchDb = db;
    const n = scanKeyArgs(buf, start, end, this.keyOffs, PREFETCH_MAX, this.lookAhead);
    if (n > 1) this.stores[0].prefetch(db, buf, this.keyOffs, n);
  }

  flush(): void {}

  beginBatch(): void {
    this.ctx.beginBatch();
  }

  endBatch(): void {
    this.ctx.endBatch();
  }

  freshClock(): void {
    this.ctx.freshClock();
  }

  shardCommands(): number {
    return this.stats.commands;
  }
  expiredKeys(): number {
    return expiredTotal(this.stats, this.stores);
  }
  keyspaceHits(): number {
    return viewsTotal(this.stores, 'keyspaceHits');
  }
  keyspaceMisses(): number {
    return viewsTotal(this.stores, 'keyspaceMisses');
  }
  failedCalls(id: number): number {
    return this.ctx.failedCalls[id];
  }
  expireCycle(): { ms: number; timeCap: number; stale: number } {
    const s = this.stats;
    return { ms: s.expireCycleMs, timeCap: s.expireTimeCapReached, stale: s.expiredStale };
  }
  workerHeapUsed(): number {
    return 0;
  }

  async close(): Promise<void> {
    clearTimeout(this.cronTimer);
    if (this.lazyFreeTimer !== null) clearImmediate(this.lazyFreeTimer);
  }
}

interface Backlog {
  msg: Uint8Array;
  sent: number;
}

/**
 * How long the main thread blocks (Atomics.wait) for the replies to the batch
 * it has just handed over, before it goes back to the event loop and lets an
 * Atomics.waitAsync wake it (hosts without a spare core only; see the
 * constructor). A waitAsync wake travels through the event loop
 * (an extra epoll round, 25-65 us); a blocked futex wakes in a few. Sockets
 * lose nothing meanwhile: the kernel buffers them. On 2 cores, --shards 1,
 * against no blocking wait: P1 SET/LPUSH/GET/LRANGE_100 +6-20 % (100 us was
 * too short to help at P1), sys CPU -10-20 %.
 */
const REPLY_WAIT_MS = 1;
/**
 * After a blocking wait timed out (a slow command on a shard), none is tried
 * for this long, so a slow shard does not hold up the other shards' clients
 * turn after turn: at most one REPLY_WAIT_MS stall per backoff (1 %).
 */
const REPLY_WAIT_BACKOFF_MS = 100;
/**
 * Main blocks only while few requests are out: a big batch keeps the shard busy
 * long enough that main does better serving sockets meanwhile (MSET -P 16,
 * 800 out: 0.8-0.9x of no blocking without this bound, 1.0x with it).
 */
const REPLY_WAIT_MAX_OUTSTANDING = 128;

/** Shards on worker threads; requests and replies cross SharedArrayBuffer rings. */
export class WorkerBackend implements Backend {
  readonly stores: Keyspace[];
  readonly layout: string;
  readonly threaded = true;
  private readonly workers: Worker[] = [];
  private readonly req: Ring[] = [];
  private readonly rep: Ring[] = [];
  private readonly reasm: Reassembler[] = [];
  private readonly backlog: Backlog[][] = [];
  private readonly dirty: boolean[] = [];
  private readonly mainSignal: Int32Array;
  private readonly stats: Float64Array;
  /** per shard, a u32 per command id: failed_calls (ExecContext.failedCalls) */
  private readonly failed: Uint32Array;
  private outstanding = 0;
  private waiting = false;
  private flushScheduled = false;
  private closed = false;

  constructor(
    sabs: SharedArrayBuffer[],
    private readonly settings: SettingsView,
    private readonly lookupConn: (id: number) => Connection | undefined,
    private readonly afterDrain: () => void,
    private readonly hooks: BlockHooks,
    /** an error reply of a shard command (INFO errorstats) */
    private readonly onErrorReply: (src: Uint8Array, start: number, end: number) => void,
    // every page of a ring ends up touched (RSS): big enough to batch a busy turn, no bigger
    ringBytes = 2 * 1024 * 1024,
  ) {
    const n = sabs.length;
    this.shardCount = n;
    // Polling for work (or replies) before sleeping saves a wake-up (25-65 us)
    // only when a core is free to poll on. With no spare core (2 cores: main,
    // one shard and the clients' own load) it steals the CPU the other
    // side needs: on 2 cores (bench/run.mjs, set/get/lpush at -P 1 and 16,
    // --shards 1) the ratio to Redis was 0.73 with 50 us of polling, 0.91 without.
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    this.spinMs = cores >= n + 2 ? 0.05 : 0;
    // Blocking for replies idles main while the shards work: right when there is
    // no core to overlap them on anyway, wrong when there is one.
    this.replyWaitMs = cores >= n + 2 ? 0 : REPLY_WAIT_MS;
    this.layout = `${n} shard worker thread${n > 1 ? 's' : ''}`;
    this.stores = sabs.map((s) => new Keyspace(s));
    const mainSignal = new SharedArrayBuffer(16);
    this.mainSignal = new Int32Array(mainSignal);
    const stats = createStats(n);
    this.stats = new Float64Array(stats);
    const failed = new SharedArrayBuffer(n * commands.length * 4);
    this.failed = new Uint32Array(failed);
    for (let i = 0; i < n; i++) {
      const reqSab = Ring.create(ringBytes);
      const repSab = Ring.create(ringBytes);
      this.req.push(new Ring(reqSab));
      this.rep.push(new Ring(repSab));
      this.reasm.push(new Reassembler());
      this.backlog.push([]);
      this.dirty.push(false);
      const init: WorkerInit = { index: i, stores: sabs, requests: reqSab, replies: repSab, mainSignal, settings: settings.sab, stats, failed, hashSeed: getHashSeed(), blockSignal: hooks.signal, spinMs: this.spinMs };
      const worker = new Worker(path.join(__dirname, '..', 'shard', 'worker.js'), {
        workerData: init,
        name: `shard-${i}`,
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GEN_MB },
      });
      worker.on('error', (err) => {
        console.error(`shard ${i} worker failed:`, err);
        process.exit(1);
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  readonly shardCount: number;

  submit(conn: Connection, seq: number, spec: CommandSpec, buf: Uint8Array, offs: Int32Array, argc: number, shard: number, mask: number, retry = 0, token = 0): void {
    const span = requestSpan(argc, offs);
    const total = requestSize(argc, offs, span);
    const flags = encodeFlags(conn.resp, retry, token);
    const ring = this.req[shard];
    this.outstanding++;
    conn.inflight++;
    if (this.backlog[shard].length === 0 && total <= ring.maxMessage) {
      const at = ring.reserve(total);
      if (at >= 0) {
        writeRequest(ring.i32, ring.u8, at, total, conn.id, seq, spec.id, conn.db, flags, mask, buf, offs, argc, span);
        this.markDirty(shard);
        return;
      }
    }
    // ring full or message too large: keep an encoded copy, sent in order later
    const msg = new Uint8Array(messageSize(total));
    writeRequest(new Int32Array(msg.buffer), msg, 0, total, conn.id, seq, spec.id, conn.db, flags, mask, buf, offs, argc, span);
    this.backlog[shard].push({ msg, sent: 0 });
    this.markDirty(shard);
  }

  private markDirty(shard: number): void {
    this.dirty[shard] = true;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushCb);
    }
  }

  /** polling time before sleeping, for the workers and for main awaiting replies */
  private readonly spinMs: number;
  /** how long main blocks for the replies to a batch: REPLY_WAIT_MS without a spare core, else 0 */
  private readonly replyWaitMs: number;

  private readonly flushCb = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  // shards take their own clock per ring drain
  beginBatch(): void {}
  endBatch(): void {}
  freshClock(): void {}

  flush(): void {
    for (let s = 0; s < this.shardCount; s++) {
      if (!this.dirty[s]) continue;
      this.dirty[s] = false;
      this.pushBacklog(s);
      this.req[s].commit();
    }
    if (this.outstanding > 0) this.pollReplies();
  }

  private pushBacklog(s: number): void {
    const q = this.backlog[s];
    const ring = this.req[s];
    while (q.length > 0) {
      const b = q[0];
      if (b.msg.length <= ring.maxMessage && b.sent === 0) {
        const at = ring.reserve(b.msg.length);
        if (at < 0) break;
        ring.u8.set(b.msg, at);
        q.shift();
        continue;
      }
      b.sent = sendFragments(ring, b.msg, b.sent, () => false);
      if (b.sent < b.msg.length) break;
      q.shift();
    }
    // the rest goes when the shard has made room: try again next turn (the shard may
    // be waiting for the remaining fragments of a request, with no reply to wake us)
    if (q.length > 0) this.markDirty(s);
  }

  /**
   * Replies usually come within microseconds: spin a little (a spare core
   * only), then block briefly, before arming an event-loop wake-up.
   */
  private pollReplies(): void {
    if (this.spinMs > 0) {
      const until = performance.now() + this.spinMs;
      while (!this.anyReplies() && performance.now() < until) {
        /* spin */
      }
    }
    if (this.replyWaitMs > 0 && this.outstanding <= REPLY_WAIT_MAX_OUTSTANDING && !this.waiting && !this.anyReplies() && performance.now() >= this.noBlockingUntil) {
      this.blockForReplies();
    }
    this.drain();
  }

  private noBlockingUntil = 0;

  private blockForReplies(): void {
    const sig = this.mainSignal;
    const seen = Atomics.load(sig, 0);
    // as arm(): a shard notifies only while word 1 is set; replies committed before that are seen by anyReplies()
    Atomics.store(sig, 1, 1);
    if (!this.anyReplies() && Atomics.wait(sig, 0, seen, this.replyWaitMs) === 'timed-out') {
      this.noBlockingUntil = performance.now() + REPLY_WAIT_BACKOFF_MS;
    }
    Atomics.store(sig, 1, 0);
  }

  private arm(): void {
    if (this.waiting || this.closed || this.outstanding === 0) return;
    const sig = this.mainSignal;
    const seen = Atomics.load(sig, 0);
    Atomics.store(sig, 1, 1);
    // a reply may have landed between the last drain and now
    if (this.anyReplies()) {
      Atomics.store(sig, 1, 0);
      queueMicrotask(() => this.drain());
      return;
    }
    const r = Atomics.waitAsync(sig, 0, seen);
    if (!r.async) {
      Atomics.store(sig, 1, 0);
      queueMicrotask(() => this.drain());
      return;
    }
    this.waiting = true;
    r.value.then(() => {
      this.waiting = false;
      Atomics.store(sig, 1, 0);
      this.drain();
    });
  }

  private anyReplies(): boolean {
    for (const r of this.rep) if (!r.isEmpty()) return true;
    return false;
  }

  /** Move every available reply to its connection; returns how many. */
  drain(): number {
    let count = 0;
    for (let s = 0; s < this.shardCount; s++) {
      const ring = this.rep[s];
      let at = ring.next();
      if (at < 0) continue;
      while (at >= 0) {
        const i32 = ring.i32;
        const x = at >> 2;
        if (i32[x + 1] === FRAGMENT_TAG) {
          const whole = this.reasm[s].add(ring, at);
          if (whole !== null) {
            const h = new Int32Array(whole.buffer, whole.byteOffset, 4);
            this.deliver(h[1], h[2], whole, REP_HEADER_BYTES, REP_HEADER_BYTES + h[3], null);
            count++;
          }
        } else {
          this.deliver(i32[x + 1], i32[x + 2], ring.u8, at + REP_HEADER_BYTES, at + REP_HEADER_BYTES + i32[x + 3], i32);
          count++;
        }
        ring.advance(at);
        at = ring.next();
      }
      ring.release();
      if (this.backlog[s].length > 0) {
        this.pushBacklog(s);
        this.req[s].commit();
      }
    }
    this.hooks.pump();
    if (count > 0) this.afterDrain();
    if (this.outstanding > 0) this.arm();
    return count;
  }

  /** connection of the last reply delivered (a closed one is recognised by its flag) */
  private lastConn: Connection | undefined = undefined;

  /**
   * The reply (or ready-key message) src[start, end) of shard command seq.
   * src32: the ring's word view (same memory and start as src), for word
   * copies; null for a reassembled message.
   */
  private deliver(connId: number, seq: number, src: Uint8Array, start: number, end: number, src32: Int32Array | null): void {
    if (connId === READY_TAG) {
      this.hooks.onReady(seq >> 8, seq & 255, src.subarray(start, end));
      return;
    }
    this.outstanding--;
    // counted even for a client gone meanwhile: the shard counted the failed call
    if (end > start && src[start] === 45) this.onErrorReply(src, start, end);
    // replies come in runs for one connection (its pipeline): skip the map lookup
    let conn = this.lastConn;
    if (conn === undefined || conn.id !== connId) {
      conn = this.lookupConn(connId);
      this.lastConn = conn;
    }
    if (conn === undefined || conn.closed) {
      if (conn !== undefined) conn.inflight--;
      // a disconnected client's blocking retry may be answering: its token can be reused
      this.hooks.onOrphanReply(connId, seq);
      return;
    }
    conn.inflight--;
    if (end > start && src[start] === BLOCK_MARKER) {
      this.hooks.onMarker(conn, seq, src.subarray(start, end));
      return;
    }
    conn.deliver(seq, src, start, end, src32);
    if (conn.blocked !== null) this.hooks.onServed(conn, seq);
  }

  private statSum(idx: number): number {
    let n = 0;
    for (let s = 0; s < this.shardCount; s++) n += this.stats[s * STAT_WORDS + idx];
    return n;
  }
  shardCommands(): number {
    return this.statSum(STAT_COMMANDS);
  }
  expiredKeys(): number {
    return this.statSum(STAT_EXPIRED);
  }
  keyspaceHits(): number {
    return this.statSum(STAT_HITS);
  }
  expireCycle(): { ms: number; timeCap: number; stale: number } {
    return { ms: this.statSum(STAT_EXPIRE_MS), timeCap: this.statSum(STAT_EXPIRE_TIME_CAP), stale: this.statSum(STAT_EXPIRED_STALE) / this.shardCount };
  }
  failedCalls(id: number): number {
    let n = 0;
    for (let s = 0; s < this.shardCount; s++) n += this.failed[s * commands.length + id];
    return n;
  }
  keyspaceMisses(): number {
    return this.statSum(STAT_MISSES);
  }
  workerHeapUsed(): number {
    return this.statSum(STAT_HEAP_USED);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.settings.shutdown = true;
    for (const r of this.req) {
      Atomics.add(r.ctrl, 2, 1);
      Atomics.notify(r.ctrl, 2);
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
