// The main I/O thread: accepts connections, parses requests, checks them
// against the command table, and routes each one by key to its shard (or runs
// it here when it is a connection/server command).

import * as net from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Connection } from './connection';
import { MainContext } from './main_context';
import { ReplyWriter } from '../protocol/reply';
import { Exec, commands, lookupCommand, lookupFromBytes, type CommandSpec } from '../commands/table';
import '../commands/all';
import { E } from '../commands/errors';
import { keyShard } from '../routing/slot';
import type { Config } from '../config/config';
import { SettingsView } from '../shard/settings';
import { InlineBackend, WorkerBackend, createStores, type Backend } from './backends';
import { lockShard, unlockShard } from '../shard/executor';
import { debugObjectLine, REDIS_VERSION } from '../commands/server_family';
import { TYPE_NAMES } from '../store/keyspace';
import type { Logger } from './log';
import { startReading, pauseReading, resumeReading } from './socket_read';
import { BlockingManager, type BlockedClient } from './blocking';
import { cString } from '../util/strings';
import { InstantMetric, mainThreadCpu, SAMPLE_EVERY_MS } from './info_metrics';

export const SABRE_VERSION = '0.1.0';

/** Server memory as MEMORY STATS and INFO memory report it (Server.memoryFigures). */
export interface MemoryFigures {
  /** arena bytes in live blocks: used_memory */
  used: number;
  peak: number;
  startup: number;
  rss: number;
  /** arena bytes handed out, free-listed blocks included */
  active: number;
  /** client query and output buffers */
  clients: number;
  /** per non-empty db: key table bucket arrays and entry headers, expiry fields */
  dbs: { db: number; main: number; expires: number }[];
  keys: number;
  overhead: number;
  dataset: number;
  bytesPerKey: number;
  datasetPerc: number;
  peakPerc: number;
}

/** Shard counters INFO reports relative to the last CONFIG RESETSTAT. */
interface ShardCounters {
  expired: number;
  hits: number;
  misses: number;
  lazyFreed: number;
  expireMs: number;
  timeCap: number;
}

/** oll in CLIENT LIST: the queued output counted in Redis's 16 KB reply blocks */
const REPLY_BLOCK_BYTES = 16 * 1024;
/** INFO client_recent_max_*_buffer: the biggest buffers of the last this many seconds (Redis's CLIENTS_PEAK_MEM_USAGE_SLOTS) */
const PEAK_SLOTS = 8;

/** Stop reading from a client whose unread replies exceed this. */
const OUTPUT_THROTTLE_BYTES = 32 * 1024 * 1024;

export class Server {
  readonly clients = new Map<number, Connection>();
  readonly settings: SettingsView;
  readonly backend: Backend;
  readonly blocking: BlockingManager;
  private readonly tcp: net.Server;
  private nextClientId = 1;
  private readonly mainWriter = new ReplyWriter(64 * 1024);
  private readonly mainCtx: MainContext;
  private readonly dirty: Connection[] = [];
  private readonly waitingConns = new Set<Connection>();
  private pausedUntil = 0;
  private pauseAll = true;
  private readonly startedAt = Date.now();
  private cronTimer: NodeJS.Timeout | null = null;
  // stats
  private totalConnections = 0;
  private totalCommands = 0;
  private rejectedConnections = 0;
  private netInput = 0;
  private netOutput = 0;
  private readsProcessed = 0;
  private writesProcessed = 0;
  private readonly opsRate = new InstantMetric();
  private readonly inputRate = new InstantMetric();
  private readonly outputRate = new InstantMetric();
  private lastSample = 0;
  /** per second slot: the biggest query buffer and pending output seen in it */
  private readonly peakIn = new Float64Array(PEAK_SLOTS);
  private readonly peakOut = new Float64Array(PEAK_SLOTS);
  /** arena bytes in use: at startup, and the most seen (INFO used_memory_startup / used_memory_peak) */
  private usedStartup = -1;
  private usedPeak = 0;
  /** per command id; counted on the hot path without a map lookup */
  private readonly calls = new Float64Array(commands.length);
  /** per command id: rejected before running (arity, NOAUTH, ...) and failed on the main thread */
  private readonly rejected = new Float64Array(commands.length);
  private readonly failed = new Float64Array(commands.length);
  /** the shards' failed_calls per command id at the last CONFIG RESETSTAT */
  private failedBase: number[] = [];
  private readonly errorStats = new Map<string, number>();
  private shuttingDown = false;
  /** coarse clock for idle tracking, updated by the cron */
  now = Date.now();

  constructor(
    readonly config: Config,
    readonly log: Logger,
    shards: number,
  ) {
    const settingsSab = SettingsView.create();
    this.settings = new SettingsView(settingsSab);
    this.applySettings();
    config.onChange = () => this.applySettings();
    const dbs = config.num('databases');
    const sabs = createStores(Math.max(1, shards), dbs);
    this.blocking = new BlockingManager({
      threaded: () => this.backend.threaded,
      submitRetry: (b, retry) => this.submitRetry(b, retry),
      resume: (conn) => this.resumeAfterBlock(conn),
      flush: () => this.flushDirty(),
      countError: (code) => this.countError(code),
      commandFailed: (spec) => this.commandFailed(spec),
    });
    this.backend =
      shards === 0
        ? new InlineBackend(sabs, this.settings, (id) => this.clients.get(id), this.blocking, (src, start, end) => this.countErrorBytes(src, start, end))
        : new WorkerBackend(sabs, this.settings, (id) => this.clients.get(id), () => this.afterDrain(), this.blocking, (src, start, end) => this.countErrorBytes(src, start, end));
    this.mainCtx = new MainContext(this, this.mainWriter);
    // allowHalfOpen: a client's EOF must not cut the replies still coming
    // from shards for what it sent before (Redis answers what it read first)
    this.tcp = net.createServer({ noDelay: true, pauseOnConnect: true, allowHalfOpen: true }, (socket) => this.accept(socket));
    this.tcp.on('error', (err) => {
      this.log.warning(`Server error: ${err.message}`);
    });
  }

  private applySettings(): void {
    const c = this.config;
    this.settings.protoMaxBulkLen = c.num('proto-max-bulk-len');
    this.settings.databases = c.num('databases');
    this.settings.hz = c.num('hz');
    this.settings.lfu = c.str('maxmemory-policy').includes('lfu');
    this.settings.setEncodingLimits((n) => c.num(n));
    this.requirePass = c.str('requirepass') !== '';
    const t = c.str('client-output-buffer-limit').split(' ');
    const i = t.indexOf('normal');
    this.outputLimit = { hard: Number(t[i + 1]), soft: Number(t[i + 2]), seconds: Number(t[i + 3]) };
  }

  /** requirepass is set (cached: the parser asks on big bulks) */
  private requirePass = false;

  private readonly debugId = lookupCommand('debug')!.id;

  /** enable-debug-command: yes, or local and the client is on a loopback address (Redis's islocalClient) */
  private debugAllowed(conn: Connection): boolean {
    const mode = this.config.str('enable-debug-command');
    if (mode === 'yes') return true;
    if (mode !== 'local') return false;
    const ip = conn.socket.remoteAddress;
    return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
  }

  listen(): Promise<void> {
    const port = this.config.num('port');
    const host = this.config.str('bind').split(' ')[0];
    return new Promise((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen({ port, host: host === '*' ? undefined : host, backlog: this.config.num('tcp-backlog') }, () => {
        this.tcp.off('error', reject);
        this.usedMemory(); // used_memory_startup
        this.cronTimer = setInterval(() => this.cron(), 1000 / Math.max(1, this.config.num('hz')));
        this.cronTimer.unref();
        resolve();
      });
    });
  }

  get port(): number {
    return (this.tcp.address() as net.AddressInfo).port;
  }

  // ---- connections ----

  private accept(socket: net.Socket): void {
    if (this.clients.size >= this.config.num('maxclients')) {
      this.rejectedConnections++;
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    const id = this.nextClientId++;
    this.totalConnections++;
    const server = this;
    const sink = {
      onCommand(buf: Uint8Array, offs: Int32Array, argc: number): boolean {
        return server.dispatch(conn, buf, offs, argc);
      },
      onProtocolError(msg: string): void {
        server.protocolError(conn, msg);
      },
      onResume(): void {},
      onDirty(c: Connection): void {
        server.dirty.push(c);
      },
    };
    const conn: Connection = new Connection(id, socket, sink, {
      protoMaxBulkLen: this.config.num('proto-max-bulk-len'),
      queryBufferLimit: this.config.num('client-query-buffer-limit'),
      authRequired: () => !conn.authenticated && this.requirePass,
    });
    conn.authenticated = !this.requirePass;
    this.clients.set(id, conn);
    const keepalive = this.config.num('tcp-keepalive');
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
    socket.on('drain', () => {
      // everything written went out: a soft client-output-buffer-limit episode is over
      conn.softLimitSince = 0;
      if (conn.throttled) {
        conn.throttled = false;
        resumeReading(socket);
      }
    });
    // the read buffer is shared by all sockets: parse (or copy) before returning
    startReading(socket, (chunk, nread) => {
      this.netInput += nread;
      this.readsProcessed++;
      conn.lastInteraction = this.now;
      if (conn.waiting || conn.closed) {
        if (!conn.closed) conn.parser.hold(chunk.subarray(0, nread));
        return;
      }
      const backend = this.backend;
      if (backend.prefetchKeys !== undefined && conn.parser.bufferedBytes === 0) backend.prefetchKeys(conn.db, chunk, 0, nread);
      backend.beginBatch();
      try {
        conn.parser.feed(chunk, 0, nread, sink);
      } finally {
        backend.endBatch();
      }
      this.scheduleFlush();
    });
    socket.on('error', () => undefined);
    socket.on('end', () => {
      // EOF: what was read still runs, including commands parked behind a
      // barrier, and is answered; then the connection closes (Connection.flush).
      // A blocked client stops waiting at once (as Redis frees it on EOF),
      // dropping what it sent after: see BlockingManager.endOfInput.
      conn.eof = true;
      if (conn.blocked !== null) this.blocking.endOfInput(conn);
      conn.flush();
    });
    socket.on('close', () => {
      conn.closed = true;
      this.clients.delete(id);
      this.waitingConns.delete(conn);
      this.blocking.disconnect(conn);
    });
  }

  killClient(conn: Connection, self: boolean): void {
    if (self) conn.closeAfterReply = true;
    else {
      conn.closed = true;
      conn.socket.destroy();
      this.blocking.disconnect(conn);
    }
  }

  private protocolError(conn: Connection, msg: string): void {
    this.log.verbose(`Protocol error (${msg}) from client: id=${conn.id} addr=${conn.addr}`);
    this.replyNow(conn, msg, true);
    conn.closeAfterReply = true;
    this.flushDirty();
  }

  /** Reply with an error (or status) from the main thread, in order. */
  private replyNow(conn: Connection, msg: string, isError: boolean): void {
    const w = this.mainWriter;
    w.reset();
    w.resp = conn.resp;
    if (isError) {
      w.error(msg);
      this.countError(msg);
    } else w.simple(msg);
    conn.deliver(conn.takeSeq(), w.buf, 0, w.pos, w.buf32);
  }

  countError(msg: string): void {
    const sp = msg.indexOf(' ');
    const code = sp > 0 ? msg.slice(0, sp) : msg;
    this.errorStats.set(code, (this.errorStats.get(code) ?? 0) + 1);
    this.errorReplies++;
  }

  /** INFO total_error_replies: every error reply counted in errorStats */
  private errorReplies = 0;

  private commandFailed(spec: CommandSpec): void {
    this.failed[spec.id]++;
  }

  private flushScheduled = false;
  private readonly flushTick = (): void => {
    this.flushScheduled = false;
    this.flushDirty();
  };

  /**
   * Replies to reads leave once per event-loop turn, after every readable
   * socket of this poll was parsed (setImmediate runs after the poll phase),
   * as Redis writes in beforeSleep: a write wakes the peer, and waking it
   * once per batch of reads instead of once per read cut kernel wake-up cost.
   */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.dirty.length === 0) return;
    this.flushScheduled = true;
    setImmediate(this.flushTick);
  }

  /** client-output-buffer-limit of the normal class (every Sabre client so far), parsed when the setting changes */
  private outputLimit = { hard: 0, soft: 0, seconds: 0 };

  /**
   * Has c's unsent output passed the normal class's client-output-buffer-limit,
   * as Redis checks it: the hard limit at once, the soft one when it has lasted
   * more than its seconds? (Redis then closes the client.)
   */
  private overOutputLimit(c: Connection): boolean {
    const lim = this.outputLimit;
    if (lim.hard === 0 && lim.soft === 0) return false;
    const used = c.pendingOutput;
    if (lim.hard > 0 && used >= lim.hard) return true;
    if (lim.soft > 0 && used >= lim.soft) {
      const now = Math.floor(Date.now() / 1000);
      if (c.softLimitSince === 0) {
        c.softLimitSince = now;
        return false;
      }
      return now - c.softLimitSince > lim.seconds;
    }
    c.softLimitSince = 0;
    return false;
  }

  private flushDirty(): void {
    const d = this.dirty;
    for (let i = 0; i < d.length; i++) {
      const c = d[i];
      const wrote = c.flush();
      if (wrote > 0) {
        this.netOutput += wrote;
        this.writesProcessed++;
      }
      // drained: under any limit, so a soft-limit episode is over
      if (c.socket.writableLength === 0) c.softLimitSince = 0;
      else if (!c.closed && this.overOutputLimit(c)) {
        this.log.warning(`Client ${this.clientInfoLine(c)} scheduled to be closed ASAP for overcoming of output buffer limits.`);
        this.killClient(c, false);
        continue;
      }
      if (!c.throttled && c.socket.writableLength > OUTPUT_THROTTLE_BYTES) {
        c.throttled = true;
        pauseReading(c.socket);
      }
    }
    d.length = 0;
  }

  private afterDrain(): void {
    if (this.waitingConns.size > 0) {
      for (const conn of [...this.waitingConns]) {
        if (conn.inflight === 0 && conn.blocked === null) {
          conn.barrier = false;
          conn.waiting = false;
          this.waitingConns.delete(conn);
          if (!conn.closed) conn.parser.resume(this.sinkOf(conn));
        }
      }
    }
    this.flushDirty();
  }

  private sinkOf(conn: Connection): Parameters<Connection['parser']['feed']>[3] {
    return conn.sink;
  }

  /** A client's blocking command was answered: run what it sent meanwhile. */
  private resumeAfterBlock(conn: Connection): void {
    // Commands of its own may still be in flight: ones sent before the
    // blocking command (on other shards), or, when afterDrain resumed it
    // first in this turn, ones sent since (a blocking or cross-shard one,
    // whose barrier must stand). Then afterDrain resumes it once they have
    // answered: it must be in waitingConns for that.
    if (conn.inflight > 0) {
      if (conn.waiting) this.waitingConns.add(conn);
      return;
    }
    conn.barrier = false;
    conn.waiting = false;
    this.waitingConns.delete(conn);
    if (!conn.closed) conn.parser.resume(conn.sink);
  }

  /** Run a blocked client's command again (see src/server/blocking.ts). */
  private submitRetry(b: BlockedClient, retry: number): void {
    const shard = this.route(b.spec, b.buf, b.offs, b.argc);
    this.backend.submit(b.conn, b.seq, b.spec, b.buf, b.offs, b.argc, shard, this.routeMask, retry, b.token);
  }

  private wait(conn: Connection): boolean {
    conn.waiting = true;
    this.waitingConns.add(conn);
    return false;
  }

  // ---- dispatch ----

  /** Route one parsed command. Returns false when it must wait (parser keeps it). */
  dispatch(conn: Connection, buf: Uint8Array, offs: Int32Array, argc: number): boolean {
    if (conn.closed || conn.closeAfterReply) return true;
    // a blocked client runs nothing else until it is served (its input stays buffered)
    if (conn.blocked !== null) return false;
    if (conn.barrier && conn.inflight > 0) return this.wait(conn);
    let spec = lookupFromBytes(buf, offs[0], offs[1]);
    if (spec === undefined) {
      this.replyNow(conn, unknownCommand(buf, offs, argc), true);
      return true;
    }
    if (spec.subs !== undefined && argc >= 2) {
      const sub = spec.subs.get(latin1Lower(buf, offs[2], offs[3]));
      if (sub === undefined) {
        this.replyNow(conn, `ERR unknown subcommand '${cString(buf, offs[2], offs[3], 128)}'. Try ${spec.name.toUpperCase()} HELP.`, true);
        return true;
      }
      spec = sub;
    }
    if ((spec.arity > 0 && argc !== spec.arity) || argc < -spec.arity) {
      this.reject(conn, spec, E.arity(spec.fullName));
      return true;
    }
    // protected commands are refused before authentication is looked at (as Redis)
    if (spec.id === this.debugId && !this.debugAllowed(conn)) {
      this.reject(conn, spec, E.debugNotAllowed);
      return true;
    }
    if (!conn.authenticated && !spec.flags.includes('no_auth')) {
      this.reject(conn, spec, E.noAuth);
      return true;
    }
    if (this.pausedUntil > 0 && this.isPaused(spec)) {
      // CLIENT PAUSE: hold the command until the pause ends
      const delay = this.pausedUntil - Date.now();
      if (delay > 0) {
        conn.waiting = true;
        setTimeout(() => {
          conn.waiting = false;
          if (!conn.closed) conn.parser.resume(conn.sink);
          this.flushDirty();
        }, delay + 1);
        return false;
      }
      this.pausedUntil = 0;
    }
    // a command is counted once it is sure to run (not when it waits and is dispatched again)
    switch (spec.exec) {
      case Exec.Main: {
        // server commands see the effects of everything sent before them
        if (conn.inflight > 0 && spec.name !== 'ping' && spec.name !== 'echo') return this.wait(conn);
        conn.lastCommand = spec.fullName;
        const c = this.mainCtx;
        c.buf = buf;
        c.offs = offs;
        c.argc = argc;
        c.spec = spec;
        c.conn = conn;
        const w = this.mainWriter;
        w.reset();
        w.resp = conn.resp;
        const seq = conn.takeSeq();
        const errorsBefore = this.errorReplies;
        spec.runMain!(c);
        // counted after it ran, as Redis counts: INFO does not see itself, RESETSTAT survives itself
        this.totalCommands++;
        this.countCall(spec);
        // it may have taken a while (DEBUG SLEEP): later commands read the time afresh
        this.backend.freshClock();
        if (w.pos > 0 && w.buf[0] === 45) this.countErrorBytes(w.buf, 0, w.pos);
        // as Redis: failed when any error reply was counted while it ran (CLIENT UNBLOCK ... ERROR too)
        if (this.errorReplies > errorsBefore) this.commandFailed(spec);
        conn.deliver(seq, w.buf, 0, w.pos, w.buf32);
        return true;
      }
      case Exec.Shard: {
        const shard = this.route(spec, buf, offs, argc);
        const mask = this.routeMask;
        if (mask !== 0) {
          if (conn.inflight > 0) return this.wait(conn);
          conn.barrier = true;
        }
        this.started(conn, spec);
        this.backend.submit(conn, conn.takeSeq(), spec, buf, offs, argc, shard, mask);
        // later commands wait for the outcome: they must not run while this one is blocked
        if (this.blocking.isBlocking[spec.id] === 1 && this.backend.threaded) conn.barrier = true;
        return true;
      }
      case Exec.AllShards: {
        const n = this.backend.shardCount;
        if (n > 1) {
          if (conn.inflight > 0) return this.wait(conn);
          conn.barrier = true;
        }
        this.started(conn, spec);
        this.backend.submit(conn, conn.takeSeq(), spec, buf, offs, argc, 0, n > 1 ? (1 << n) - 1 : 0);
        return true;
      }
      case Exec.OneShard: {
        const n = this.backend.shardCount;
        const shard = spec.pickShard ? spec.pickShard(buf, offs, argc, n) : 0;
        this.started(conn, spec);
        this.backend.submit(conn, conn.takeSeq(), spec, buf, offs, argc, shard, 0);
        return true;
      }
    }
    return true;
  }

  /** routeMask of the last route() call */
  private routeMask = 0;

  /**
   * Shard of a keyed command: the one owning its keys, or the lowest of
   * several (the coordinator); routeMask then names them all (every shard
   * for allShardsWhen). Same rules for a first run and a blocked client's retry.
   */
  private route(spec: CommandSpec, buf: Uint8Array, offs: Int32Array, argc: number): number {
    const n = this.backend.shardCount;
    this.routeMask = 0;
    if (n <= 1) return 0;
    if (spec.allShardsWhen !== undefined && spec.allShardsWhen(buf, offs, argc)) {
      this.routeMask = (1 << n) - 1;
      return 0;
    }
    let first = -1;
    let mask = 0;
    if (spec.keys !== undefined) {
      const idx = spec.keys(buf, offs, argc);
      if (idx !== null) {
        for (const i of idx) {
          const s = keyShard(buf, offs[i * 2], offs[i * 2 + 1], n);
          if (first < 0) first = s;
          else if (s !== first || mask !== 0) mask |= (1 << s) | (1 << first);
        }
      }
    } else if (spec.firstKey > 0) {
      const last = spec.lastKey < 0 ? argc + spec.lastKey : Math.min(spec.lastKey, argc - 1);
      for (let i = spec.firstKey; i <= last; i += spec.step) {
        const s = keyShard(buf, offs[i * 2], offs[i * 2 + 1], n);
        if (first < 0) first = s;
        else if (s !== first || mask !== 0) mask |= (1 << s) | (1 << first);
      }
    }
    if (mask !== 0) {
      this.routeMask = mask;
      return 31 - Math.clz32(mask & -mask); // lowest shard coordinates
    }
    return first >= 0 ? first : 0;
  }

  /** Count the error reply buf[start, end) (starting '-') in errorstats by its code. */
  private countErrorBytes(buf: Uint8Array, start: number, end: number): void {
    let sp = start + 1;
    while (sp < end && buf[sp] !== 32 && buf[sp] !== 13) sp++;
    const code = latin1(buf, start + 1, sp - start - 1);
    this.errorStats.set(code, (this.errorStats.get(code) ?? 0) + 1);
    this.errorReplies++;
  }

  /** Refuse a known command before it runs: an error reply and a rejected call (INFO commandstats). */
  private reject(conn: Connection, spec: CommandSpec, msg: string): void {
    this.rejected[spec.id]++;
    this.replyNow(conn, msg, true);
  }

  /** A shard command is about to be submitted: count it (INFO, CLIENT LIST cmd). */
  private started(conn: Connection, spec: CommandSpec): void {
    this.totalCommands++;
    conn.lastCommand = spec.fullName;
    this.countCall(spec);
  }

  private countCall(spec: CommandSpec): void {
    this.calls[spec.id]++;
  }

  private isPaused(spec: CommandSpec): boolean {
    if (Date.now() >= this.pausedUntil) {
      this.pausedUntil = 0;
      return false;
    }
    return this.pauseAll || spec.isWrite;
  }

  pauseClients(until: number, all: boolean): void {
    this.pausedUntil = until;
    this.pauseAll = all;
  }

  // ---- server-wide ----

  private cron(): void {
    this.now = Date.now();
    if (this.now - this.lastSample >= SAMPLE_EVERY_MS) {
      this.lastSample = this.now;
      this.opsRate.sample(this.totalCommands, this.now);
      this.inputRate.sample(this.netInput, this.now);
      this.outputRate.sample(this.netOutput, this.now);
      this.usedMemory();
      this.samplePeakBuffers();
    }
    const timeout = this.config.num('timeout');
    if (timeout > 0) {
      const now = Date.now();
      for (const c of this.clients.values()) {
        // as Redis: blocked clients are not idle
        if (c.inflight === 0 && c.blocked === null && now - c.lastInteraction > timeout * 1000) {
          this.log.verbose(`Closing idle client`);
          this.killClient(c, false);
        }
      }
    }
  }

  /** the shards' counters at the last CONFIG RESETSTAT (zero at start) */
  private countersBase: ShardCounters = { expired: 0, hits: 0, misses: 0, lazyFreed: 0, expireMs: 0, timeCap: 0 };

  /** The shards' counters; they only grow, so INFO shows them less what they were at the last CONFIG RESETSTAT. */
  private shardCounters(): ShardCounters {
    const b = this.backend;
    const cycle = b.expireCycle();
    let lazyFreed = 0;
    for (const ks of b.stores) lazyFreed += ks.lazyFreed;
    return { expired: b.expiredKeys(), hits: b.keyspaceHits(), misses: b.keyspaceMisses(), lazyFreed, expireMs: cycle.ms, timeCap: cycle.timeCap };
  }

  private countersSinceReset(): ShardCounters {
    const now = this.shardCounters();
    const base = this.countersBase;
    return {
      expired: now.expired - base.expired,
      hits: now.hits - base.hits,
      misses: now.misses - base.misses,
      lazyFreed: now.lazyFreed - base.lazyFreed,
      expireMs: now.expireMs - base.expireMs,
      timeCap: now.timeCap - base.timeCap,
    };
  }

  resetStats(): void {
    this.countersBase = this.shardCounters();
    this.readsProcessed = 0;
    this.writesProcessed = 0;
    this.opsRate.reset();
    this.inputRate.reset();
    this.outputRate.reset();
    this.totalConnections = 0;
    this.totalCommands = 0;
    this.rejectedConnections = 0;
    this.netInput = 0;
    this.netOutput = 0;
    this.calls.fill(0);
    this.rejected.fill(0);
    this.failed.fill(0);
    this.failedBase = commands.map((spec) => this.backend.failedCalls(spec.id));
    this.errorStats.clear();
    this.errorReplies = 0;
  }

  rewriteConfig(): string | null {
    const file = this.config.file;
    if (!file) return 'ERR The server is running without a config file';
    const lines = this.config.names().map((n) => `${n} ${quoteConf(this.config.show(n))}`);
    fs.writeFileSync(file, `# Rewritten by Sabre CONFIG REWRITE\n${lines.join('\n')}\n`);
    return null;
  }

  clientInfoLine(c: Connection): string {
    const now = Date.now();
    return (
      `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${(c.socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1} name=${c.name} ` +
      `age=${Math.floor((now - c.createdAt) / 1000)} idle=${Math.floor((now - c.lastInteraction) / 1000)} flags=${c.blocked !== null ? 'b' : 'N'} db=${c.db} sub=0 psub=0 ssub=0 multi=-1 ` +
      `qbuf=${c.parser.bufferedBytes} qbuf-free=${c.parser.bufferCapacity - c.parser.bufferedBytes} argv-mem=0 multi-mem=0 rbs=16384 rbp=0 ` +
      `obl=${c.gatheredOutput} oll=${Math.ceil(c.socket.writableLength / REPLY_BLOCK_BYTES)} omem=${c.socket.writableLength} tot-mem=${c.memoryBytes} events=r ` +
      `cmd=${c.lastCommand} user=default redir=-1 resp=${c.resp} lib-name=${c.libName} lib-ver=${c.libVer}`
    );
  }

  debugObject(c: MainContext, key: Uint8Array): void {
    const n = this.backend.shardCount;
    const ks = this.backend.stores[keyShard(key, 0, key.length, n)];
    lockShard(ks);
    try {
      ks.now = Date.now();
      // as Redis's DEBUG OBJECT (a plain dict find): no keyspace hit or miss
      ks.countStats = false;
      const e = ks.lookup(c.conn.db, key, 0, key.length, false);
      if (e === 0) c.w.error(E.noKey);
      else c.w.simple(debugObjectLine(ks, e));
    } finally {
      unlockShard(ks);
    }
  }

  /** A db over all shards: keys, keys with a TTL, the TTL estimate (the shards' largest), key-table overhead bytes. */
  private dbTotals(db: number): { keys: number; expires: number; ttl: number; tableOverhead: number } {
    let keys = 0;
    let expires = 0;
    let ttl = 0;
    let tableOverhead = 0;
    for (const ks of this.backend.stores) {
      keys += ks.size(db);
      expires += ks.expiresCount(db);
      ttl = Math.max(ttl, ks.avgTtl(db));
      tableOverhead += ks.tableOverhead(db);
    }
    return { keys, expires, ttl, tableOverhead };
  }

  /** Track the biggest client buffers per second (INFO client_recent_max_input_buffer / _output_buffer). */
  private samplePeakBuffers(): void {
    const sec = Math.floor(this.now / 1000);
    const slot = sec % PEAK_SLOTS;
    if (this.peakSecond !== sec) {
      // entering a new second: its slot starts over (and so do the ones skipped while idle)
      for (let s = this.peakSecond + 1; s <= sec && s - this.peakSecond <= PEAK_SLOTS; s++) {
        this.peakIn[s % PEAK_SLOTS] = 0;
        this.peakOut[s % PEAK_SLOTS] = 0;
      }
      this.peakSecond = sec;
    }
    for (const c of this.clients.values()) {
      if (c.parser.bufferCapacity > this.peakIn[slot]) this.peakIn[slot] = c.parser.bufferCapacity;
      if (c.pendingOutput > this.peakOut[slot]) this.peakOut[slot] = c.pendingOutput;
    }
  }

  private peakSecond = 0;

  /** Arena bytes in live blocks over all shards; keeps the peak, and the first reading as the startup figure. */
  private usedMemory(): number {
    let used = 0;
    for (const ks of this.backend.stores) used += ks.a.usedBytes;
    if (this.usedStartup < 0) this.usedStartup = used;
    if (used > this.usedPeak) this.usedPeak = used;
    return used;
  }

  /**
   * Memory figures as Redis's getMemoryOverheadData, shared by INFO memory and
   * MEMORY STATS/DOCTOR. The arenas are Sabre's allocator: allocated = bytes
   * in live blocks, active = bytes handed out (free-listed blocks too),
   * resident = the same (an arena never returns pages).
   */
  memoryFigures(): MemoryFigures {
    const used = this.usedMemory();
    const startup = Math.max(0, this.usedStartup);
    const rss = process.memoryUsage.rss();
    const active = this.backend.stores.reduce((n, ks) => n + ks.a.arenaBytes, 0);
    let clients = 0;
    for (const c of this.clients.values()) clients += c.pendingOutput + c.parser.bufferedBytes;
    const dbs: MemoryFigures['dbs'] = [];
    let keys = 0;
    // client buffers are JS memory, not arena bytes: not part of used_memory, so not of its overhead either
    let overhead = startup;
    const n = this.config.num('databases');
    for (let db = 0; db < n; db++) {
      const t = this.dbTotals(db);
      if (t.keys === 0) continue;
      // an expiry is 8 bytes inside its key's entry
      const expires = t.expires * 8;
      keys += t.keys;
      overhead += t.tableOverhead + expires;
      dbs.push({ db, main: t.tableOverhead, expires });
    }
    const net = used > startup ? used - startup : 1;
    const dataset = Math.max(0, used - overhead);
    return {
      used, peak: this.usedPeak, startup, rss, active, clients, dbs, keys, overhead, dataset,
      bytesPerKey: keys > 0 ? Math.floor(net / keys) : 0,
      datasetPerc: (dataset * 100) / net,
      peakPerc: this.usedPeak > 0 ? (used * 100) / this.usedPeak : 0,
    };
  }

  infoText(sections: string[]): string {
    const want = (s: string): boolean =>
      sections.length === 0 ? !['commandstats', 'latencystats'].includes(s) : sections.includes(s) || sections.includes('all') || sections.includes('everything') || (sections.includes('default') && !['commandstats', 'latencystats'].includes(s));
    const out: string[] = [];
    const uptime = Math.floor((Date.now() - this.startedAt) / 1000);
    const mem = process.memoryUsage();
    const m = this.memoryFigures();
    const counters = this.countersSinceReset();
    const used = m.used;
    const add = (name: string, fields: [string, string | number][]): void => {
      if (!want(name.toLowerCase())) return;
      if (out.length) out.push('');
      out.push(`# ${name}`);
      for (const [k, v] of fields) out.push(`${k}:${v}`);
    };
    add('Server', [
      ['redis_version', REDIS_VERSION],
      ['sabre_version', SABRE_VERSION],
      ['redis_git_sha1', '00000000'],
      ['redis_git_dirty', 0],
      ['redis_build_id', '0'],
      ['redis_mode', 'standalone'],
      ['os', `${os.type()} ${os.release()} ${os.arch()}`],
      ['arch_bits', 64],
      ['monotonic_clock', 'POSIX clock_gettime'],
      ['multiplexing_api', 'epoll'],
      ['atomicvar_api', 'Atomics'],
      ['gcc_version', '0.0.0'],
      ['process_id', process.pid],
      ['process_supervised', 'no'],
      ['run_id', RUN_ID],
      ['tcp_port', this.port],
      ['server_time_usec', Date.now() * 1000],
      ['uptime_in_seconds', uptime],
      ['uptime_in_days', Math.floor(uptime / 86400)],
      ['hz', this.config.num('hz')],
      ['configured_hz', this.config.num('hz')],
      ['lru_clock', Math.floor(Date.now() / 1000) & 0xffffff],
      ['executable', process.argv[1] ?? ''],
      ['config_file', this.config.file ?? ''],
      ['io_threads_active', 0],
      ['sabre_shards', this.backend.shardCount],
      ['sabre_layout', this.backend.layout],
    ]);
    add('Clients', [
      ['connected_clients', this.clients.size],
      ['cluster_connections', 0],
      ['maxclients', this.config.num('maxclients')],
      ['client_recent_max_input_buffer', Math.max(...this.peakIn)],
      ['client_recent_max_output_buffer', Math.max(...this.peakOut)],
      ['blocked_clients', this.blocking.count],
      ['tracking_clients', 0],
      ['clients_in_timeout_table', this.blocking.withTimeout],
    ]);
    const stores = this.backend.stores;
    const active = m.active;
    const sysMem = os.totalmem();
    const ratio = (x: number, y: number): string => (y > 0 ? x / y : 0).toFixed(2);
    add('Memory', [
      ['used_memory', used],
      ['used_memory_human', human(used)],
      ['used_memory_rss', mem.rss],
      ['used_memory_rss_human', human(mem.rss)],
      ['used_memory_peak', m.peak],
      ['used_memory_peak_human', human(m.peak)],
      ['used_memory_peak_perc', `${m.peakPerc.toFixed(2)}%`],
      ['used_memory_overhead', m.overhead],
      ['used_memory_startup', m.startup],
      ['used_memory_dataset', m.dataset],
      ['used_memory_dataset_perc', `${m.datasetPerc.toFixed(2)}%`],
      ['allocator_allocated', used],
      ['allocator_active', active],
      ['allocator_resident', active],
      ['total_system_memory', sysMem],
      ['total_system_memory_human', human(sysMem)],
      // no Lua or functions yet
      ['used_memory_lua', 0],
      ['used_memory_vm_eval', 0],
      ['used_memory_lua_human', human(0)],
      ['used_memory_scripts_eval', 0],
      ['number_of_cached_scripts', 0],
      ['number_of_functions', 0],
      ['number_of_libraries', 0],
      ['used_memory_vm_functions', 0],
      ['used_memory_vm_total', 0],
      ['used_memory_vm_total_human', human(0)],
      ['used_memory_functions', 0],
      ['used_memory_scripts', 0],
      ['used_memory_scripts_human', human(0)],
      ['maxmemory', this.config.num('maxmemory')],
      ['maxmemory_human', human(this.config.num('maxmemory'))],
      ['maxmemory_policy', this.config.str('maxmemory-policy')],
      ['allocator_frag_ratio', ratio(active, used)],
      ['allocator_frag_bytes', active - used],
      ['allocator_rss_ratio', ratio(active, active)],
      ['allocator_rss_bytes', 0],
      ['rss_overhead_ratio', ratio(mem.rss, active)],
      ['rss_overhead_bytes', mem.rss - active],
      ['mem_fragmentation_ratio', ratio(mem.rss, used)],
      ['mem_fragmentation_bytes', mem.rss - used],
      ['mem_not_counted_for_evict', 0],
      ['mem_replication_backlog', 0],
      ['mem_total_replication_buffers', 0],
      ['mem_clients_slaves', 0],
      ['mem_clients_normal', m.clients],
      ['mem_cluster_links', 0],
      ['mem_aof_buffer', 0],
      ['mem_allocator', 'sabre-sab'],
      ['active_defrag_running', 0],
      ['lazyfree_pending_objects', stores.reduce((n, ks) => n + ks.lazyFreePending, 0)],
      ['lazyfreed_objects', counters.lazyFreed],
      ['sabre_main_heap_used_bytes', mem.heapUsed],
      ['sabre_worker_heap_used_bytes', this.backend.workerHeapUsed()],
      ['sabre_arena_bytes', active],
    ]);
    // no persistence yet: nothing saved, loaded or forked since the start
    const startSec = Math.floor(this.startedAt / 1000);
    add('Persistence', [
      ['loading', 0],
      ['async_loading', 0],
      ['current_cow_peak', 0],
      ['current_cow_size', 0],
      ['current_cow_size_age', 0],
      ['current_fork_perc', '0.00'],
      ['current_save_keys_processed', 0],
      ['current_save_keys_total', 0],
      ['rdb_changes_since_last_save', 0],
      ['rdb_bgsave_in_progress', 0],
      ['rdb_last_save_time', startSec],
      ['rdb_last_bgsave_status', 'ok'],
      ['rdb_last_bgsave_time_sec', -1],
      ['rdb_current_bgsave_time_sec', -1],
      ['rdb_saves', 0],
      ['rdb_last_cow_size', 0],
      ['rdb_last_load_keys_expired', 0],
      ['rdb_last_load_keys_loaded', 0],
      ['aof_enabled', 0],
      ['aof_rewrite_in_progress', 0],
      ['aof_rewrite_scheduled', 0],
      ['aof_last_rewrite_time_sec', -1],
      ['aof_current_rewrite_time_sec', -1],
      ['aof_last_bgrewrite_status', 'ok'],
      ['aof_rewrites', 0],
      ['aof_rewrites_consecutive_failures', 0],
      ['aof_last_write_status', 'ok'],
      ['aof_last_cow_size', 0],
      ['module_fork_in_progress', 0],
      ['module_fork_last_cow_size', 0],
    ]);
    add('Stats', [
      ['total_connections_received', this.totalConnections],
      ['total_commands_processed', this.totalCommands],
      ['instantaneous_ops_per_sec', Math.round(this.opsRate.perSecond)],
      ['total_net_input_bytes', this.netInput],
      ['total_net_output_bytes', this.netOutput],
      ['total_net_repl_input_bytes', 0],
      ['total_net_repl_output_bytes', 0],
      ['instantaneous_input_kbps', (this.inputRate.perSecond / 1024).toFixed(2)],
      ['instantaneous_output_kbps', (this.outputRate.perSecond / 1024).toFixed(2)],
      ['instantaneous_input_repl_kbps', '0.00'],
      ['instantaneous_output_repl_kbps', '0.00'],
      ['rejected_connections', this.rejectedConnections],
      ['sync_full', 0],
      ['sync_partial_ok', 0],
      ['sync_partial_err', 0],
      ['expired_keys', counters.expired],
      ['expired_stale_perc', (this.backend.expireCycle().stale * 100).toFixed(2)],
      ['expired_time_cap_reached_count', counters.timeCap],
      ['expire_cycle_cpu_milliseconds', Math.floor(counters.expireMs)],
      ['evicted_keys', 0],
      ['evicted_clients', 0],
      ['total_eviction_exceeded_time', 0],
      ['current_eviction_exceeded_time', 0],
      ['keyspace_hits', counters.hits],
      ['keyspace_misses', counters.misses],
      ['pubsub_channels', 0],
      ['pubsub_patterns', 0],
      ['pubsubshard_channels', 0],
      ['latest_fork_usec', 0],
      ['total_forks', 0],
      ['migrate_cached_sockets', 0],
      ['slave_expires_tracked_keys', 0],
      ['active_defrag_hits', 0],
      ['active_defrag_misses', 0],
      ['active_defrag_key_hits', 0],
      ['active_defrag_key_misses', 0],
      ['total_active_defrag_time', 0],
      ['current_active_defrag_time', 0],
      ['tracking_total_keys', 0],
      ['tracking_total_items', 0],
      ['tracking_total_prefixes', 0],
      ['unexpected_error_replies', 0],
      ['total_error_replies', this.errorReplies],
      ['dump_payload_sanitizations', 0],
      ['total_reads_processed', this.readsProcessed],
      ['total_writes_processed', this.writesProcessed],
      ['io_threaded_reads_processed', 0],
      ['io_threaded_writes_processed', 0],
      // Redis's per-client reply buffer resizing; Sabre's output buffers grow another way
      ['reply_buffer_shrinks', 0],
      ['reply_buffer_expands', 0],
    ]);
    add('Replication', [
      ['role', 'master'],
      ['connected_slaves', 0],
      ['master_failover_state', 'no-failover'],
      ['master_replid', RUN_ID],
      ['master_replid2', '0000000000000000000000000000000000000000'],
      ['master_repl_offset', 0],
      ['second_repl_offset', -1],
      ['repl_backlog_active', 0],
      ['repl_backlog_size', 1048576],
      ['repl_backlog_first_byte_offset', 0],
      ['repl_backlog_histlen', 0],
    ]);
    const cpu = process.cpuUsage();
    const mainCpu = mainThreadCpu();
    add('CPU', [
      ['used_cpu_sys', (cpu.system / 1e6).toFixed(6)],
      ['used_cpu_user', (cpu.user / 1e6).toFixed(6)],
      ['used_cpu_sys_children', '0.000000'],
      ['used_cpu_user_children', '0.000000'],
      ['used_cpu_sys_main_thread', mainCpu.sys.toFixed(6)],
      ['used_cpu_user_main_thread', mainCpu.user.toFixed(6)],
    ]);
    add('Modules', []);
    add(
      'Commandstats',
      commands
        .map((spec): [CommandSpec, number, number, number] => {
          const id = spec.id;
          const failed = this.failed[id] + this.backend.failedCalls(id) - (this.failedBase[id] ?? 0);
          return [spec, this.calls[id], this.rejected[id], failed];
        })
        .filter(([, calls, rejected, failed]) => calls + rejected + failed > 0)
        // usec: commands are not timed (two clock reads per command on the hot path)
        .map(([spec, calls, rejected, failed]) => [`cmdstat_${spec.fullName}`, `calls=${calls},usec=0,usec_per_call=0.00,rejected_calls=${rejected},failed_calls=${failed}`]),
    );
    add(
      'Errorstats',
      [...this.errorStats].map(([code, n]) => [`errorstat_${code}`, `count=${n}`]),
    );
    add('Cluster', [['cluster_enabled', 0]]);
    const ks: [string, string][] = [];
    const dbs = this.config.num('databases');
    for (let db = 0; db < dbs; db++) {
      const { keys, expires, ttl } = this.dbTotals(db);
      if (keys > 0) ks.push([`db${db}`, `keys=${keys},expires=${expires},avg_ttl=${expires > 0 ? Math.floor(ttl) : 0}`]);
    }
    add('Keyspace', ks);
    // nothing matched (INFO nosuchsection): an empty bulk, as Redis
    return out.length === 0 ? '' : out.join('\r\n') + '\r\n';
  }

  shutdown(reason: string): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.log.warning(reason);
    this.log.notice('Saving the final RDB snapshot before exiting is not supported yet; data is not persisted.');
    this.tcp.close();
    for (const c of this.clients.values()) c.socket.destroy();
    if (this.cronTimer) clearInterval(this.cronTimer);
    void this.backend.close().then(() => {
      this.log.warning('Sabre is now ready to exit, bye bye...');
      process.exit(0);
    });
  }
}

const RUN_ID = Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');

function human(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(2)}K`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)}M`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)}G`;
}

function quoteConf(v: string): string {
  return v === '' || /[\s"']/.test(v) ? JSON.stringify(v) : v;
}

const latin1Decoder = new TextDecoder('latin1');
function latin1(buf: Uint8Array, start: number, len: number): string {
  return latin1Decoder.decode(buf.subarray(start, start + len));
}
function latin1Lower(buf: Uint8Array, start: number, len: number): string {
  return latin1(buf, start, len).toLowerCase();
}

/** Redis's unknown-command error (the writer turns CR/LF in the quoted arguments into spaces). */
function unknownCommand(buf: Uint8Array, offs: Int32Array, argc: number): string {
  let args = '';
  for (let i = 1; i < argc && args.length < 128; i++) args += `'${cString(buf, offs[i * 2], offs[i * 2 + 1], 128 - args.length)}' `;
  return `ERR unknown command '${cString(buf, offs[0], offs[1], 128)}', with args beginning with: ${args}`;
}

void TYPE_NAMES;
