// Blocked clients (BLPOP, BLMOVE, BZPOPMIN...), kept by the main thread: a
// FIFO queue of clients per (db, key), timeouts, CLIENT UNBLOCK, and serving
// the clients of a key when it becomes a list or a sorted set. Works the same
// for both layouts; docs/architecture.md ("Blocking commands") has the story.
//
// A blocking command runs on its shard like any command. When it finds nothing
// it answers with the "would block" marker instead of a reply (it keeps its
// sequence number, and the client's later commands wait). When a key it waits
// on is created as a list/zset, the shard reports the key; the clients waiting
// on it are then served one at a time, oldest first: each one's command runs
// again as a retry allowed to take only from that key. A retry that finds
// nothing leaves the client where it was in the queue.

import type { Connection } from './connection';
import { commands, lookupFromBytes, type CommandSpec } from '../commands/table';
import { blockingInfo, parseTimeoutMs, KIND_LIST, KIND_ZSET, RETRY_ALL_KEYS, type BlockingInfo } from '../commands/blocking_family';
import { BLOCK_SIGNAL_BYTES, blockFilterSlot, READY_DB_SWAPPED, RETRY_TOKENS, RETRY_TOKEN_BASE } from '../shard/ready_keys';
import { BlockReason } from '../transport/messages';
import { ObjType } from '../store/keyspace';

/** What the backends report about blocking commands (both layouts). */
export interface BlockHooks {
  /** shared with shard threads: blocked count and key filter (src/shard/ready_keys.ts) */
  readonly signal: SharedArrayBuffer;
  /** a reply that is the would-block marker (first execution or retry); bytes may be a view of a ring */
  onMarker(conn: Connection, seq: number, bytes: Uint8Array): void;
  /** a reply was delivered to a blocked connection */
  onServed(conn: Connection, seq: number): void;
  /** a key became a list/zset (type), or a db was swapped (READY_DB_SWAPPED); key may be a view of a ring */
  onReady(db: number, type: number, key: Uint8Array): void;
  /** serve what became ready; cheap when nothing did */
  pump(): void;
  /** a reply for a connection that is gone (worker layout) */
  onOrphanReply(connId: number, seq: number): void;
}

/** What the manager needs from the server. */
export interface BlockingHost {
  /** shards on other threads: a client that blocked must recheck its keys (see block()) */
  threaded(): boolean;
  /** run a blocked client's command again, routed like any command */
  submitRetry(b: BlockedClient, retry: number): void;
  /** a client was unblocked: parse and run what it sent meanwhile */
  resume(conn: Connection): void;
  /** write the output gathered outside of a read/drain callback (timeouts) */
  flush(): void;
  countError(code: string): void;
  /** a command answered with an error (INFO commandstats failed_calls) */
  commandFailed(spec: CommandSpec): void;
}

const KIND_NONE = -1;
/** after SWAPDB: the type of the key is not known */
const KIND_ANY = 2;

const CANCEL_NONE = 0;
const CANCEL_TIMEOUT = 1;
const CANCEL_ERROR = 2;
/** the client sent EOF while a retry was in flight: close once it answers, after its reply if it served */
const CANCEL_GONE = 3;

const NO_REPLY = new Uint8Array(0);
const NULL_ARRAY2 = Buffer.from('*-1\r\n');
const NULL3 = Buffer.from('_\r\n');
const UNBLOCKED_ERROR = Buffer.from('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
/** Redis adds the timeout to the clock in a long long: past it, the deadline wraps and never comes */
const LLONG_MAX_MS = 9223372036854775807;
/** longest delay setTimeout accepts */
const MAX_TIMER_MS = 2147483647;

/** The clients waiting on one (db, key). */
class KeyQueue {
  readonly clients: BlockedClient[] = [];
  /** the key became ready for this kind of client (KIND_NONE: nothing to serve) */
  readyKind = KIND_NONE;
  /** client whose retry for this key is in flight */
  busy: BlockedClient | null = null;
  /** became ready again while a retry was in flight: a "nothing there" answer may be stale */
  again = false;
  /** in the to-serve queue */
  queued = false;

  constructor(
    readonly id: string,
    readonly db: number,
    readonly slot: number,
  ) {}
}

export class BlockedClient {
  timer: NodeJS.Timeout | null = null;
  /** the key queue a retry in flight serves from */
  retrying: KeyQueue | null = null;
  /** a retry over all keys is in flight (just blocked, threaded layout) */
  rechecking = false;
  /** timed out or CLIENT UNBLOCK while a retry was in flight: applies unless the retry serves */
  cancel = CANCEL_NONE;
  /** cancel token of the retry in flight (threaded layout), 0 = none */
  token = 0;
  /** key queues that wait for this client's retry to finish before serving it */
  readonly stalled: KeyQueue[] = [];

  constructor(
    readonly conn: Connection,
    readonly seq: number,
    readonly spec: CommandSpec,
    readonly info: BlockingInfo,
    /** a copy of the arguments (the request buffer is not kept) */
    readonly buf: Uint8Array,
    readonly offs: Int32Array,
    readonly argc: number,
    readonly queues: KeyQueue[],
    /** argument index of each queue's key */
    readonly keyArgs: number[],
    /** unix ms, 0 = never */
    readonly deadline: number,
  ) {}
}

export class BlockingManager implements BlockHooks {
  readonly signal = new SharedArrayBuffer(BLOCK_SIGNAL_BYTES);
  private readonly sig = new Int32Array(this.signal);
  private readonly queues = new Map<string, KeyQueue>();
  private readonly toServe: KeyQueue[] = [];
  private toServeHead = 0;
  private pumping = false;
  private readonly toResume: Connection[] = [];
  private resumeScheduled = false;
  /** by command id: 1 for blocking commands */
  readonly isBlocking: Uint8Array;
  /** INFO blocked_clients */
  count = 0;
  /** INFO clients_in_timeout_table: blocked with a timeout */
  withTimeout = 0;
  /** retry cancel tokens not in use (1..RETRY_TOKENS-1) */
  private readonly freeTokens: number[] = [];
  /** disconnected clients whose cancelled retry has not answered yet, by connection id */
  private readonly orphans = new Map<number, BlockedClient>();

  constructor(private readonly host: BlockingHost) {
    this.isBlocking = new Uint8Array(commands.length);
    for (const id of blockingInfo.keys()) this.isBlocking[id] = 1;
    for (let t = RETRY_TOKENS - 1; t >= 1; t--) this.freeTokens.push(t);
  }

  // ---- backend reports ----

  onMarker(conn: Connection, seq: number, bytes: Uint8Array): void {
    if (conn.closed) return;
    const b = conn.blocked;
    if (b === null) {
      // the client sent EOF after the command (or QUIT was read): nobody to block
      if (conn.eof || conn.closeAfterReply) this.abandon(conn, seq);
      else this.block(conn, seq, bytes);
      return;
    }
    // a retry found nothing to take
    this.releaseToken(b);
    const q = b.retrying;
    b.retrying = null;
    b.rechecking = false;
    if (q !== null) {
      q.busy = null;
      if (q.again) {
        q.again = false;
        this.enqueue(q, true);
      } else if (bytes[1] === BlockReason.WrongType && q.readyKind === KIND_ANY) {
        // after SWAPDB: the key holds the other type; serve that kind of client instead
        q.readyKind = b.info.kind === KIND_LIST ? KIND_ZSET : KIND_LIST;
        this.enqueue(q, true);
      } else q.readyKind = KIND_NONE;
    }
    if (b.cancel === CANCEL_GONE) {
      this.unblock(b, false);
      this.abandon(conn, b.seq);
    } else if (b.cancel !== CANCEL_NONE) {
      this.replyCancelled(b, b.cancel);
      this.unblock(b, true);
    } else {
      this.releaseStalled(b);
      if (q !== null) this.dropIfUnused(q);
    }
  }

  onServed(conn: Connection, seq: number): void {
    const b = conn.blocked;
    if (b === null || seq !== b.seq) return;
    this.releaseToken(b);
    const q = b.retrying;
    b.retrying = null;
    b.rechecking = false;
    if (q !== null) {
      q.busy = null;
      q.again = false;
      // the key may hold more: the next client in line gets a chance
      this.enqueue(q, true);
    }
    if (b.cancel === CANCEL_GONE) {
      // served just before its EOF was seen: the reply (delivered) goes out, then the connection closes
      this.unblock(b, false);
      conn.closeAfterReply = true;
      conn.flush();
      return;
    }
    this.unblock(b, true);
  }

  onReady(db: number, type: number, key: Uint8Array): void {
    if (type === READY_DB_SWAPPED) {
      for (const q of this.queues.values()) if (q.db === db) this.markReady(q, KIND_ANY);
      return;
    }
    const kind = type === ObjType.List ? KIND_LIST : type === ObjType.ZSet ? KIND_ZSET : KIND_NONE;
    if (kind === KIND_NONE) return;
    const q = this.queues.get(keyId(db, key, 0, key.length));
    if (q !== undefined) this.markReady(q, kind);
  }

  pump(): void {
    if (this.pumping || this.toServeHead === this.toServe.length) return;
    this.pumping = true;
    try {
      // inline layout: retries run synchronously and may queue more (BLMOVE fills its destination)
      while (this.toServeHead < this.toServe.length) {
        const q = this.toServe[this.toServeHead++];
        q.queued = false;
        this.serveNext(q);
      }
      this.toServe.length = 0;
      this.toServeHead = 0;
    } finally {
      this.pumping = false;
    }
  }

  // ---- server commands and events ----

  /** CLIENT UNBLOCK: false when the client is not blocked. */
  unblockCommand(conn: Connection, error: boolean): boolean {
    const b = conn.blocked;
    if (b === null) return false;
    if (error) {
      // counted now, while CLIENT UNBLOCK runs, as in Redis (which replies the error at once): the
      // reply itself may wait for a retry in flight to come back
      this.host.countError('UNBLOCKED');
      this.host.commandFailed(b.spec);
    }
    this.cancel(b, error ? CANCEL_ERROR : CANCEL_TIMEOUT);
    this.pump();
    return true;
  }

  /**
   * The client sent EOF (it may still read). Redis frees a blocked client at
   * EOF, but it would have written a reply served before that. A retry in
   * flight may have served this client already, so it is cancelled (the
   * shard takes nothing if it has not run yet) and its answer decides:
   * served, the reply goes out and the connection closes; nothing, it
   * closes answering nothing for it. Either way it closes only after the
   * replies to what it sent before (see abandon).
   */
  endOfInput(conn: Connection): void {
    const b = conn.blocked;
    if (b === null) return;
    if (b.retrying !== null || b.rechecking) {
      if (b.token !== 0) Atomics.store(this.sig, RETRY_TOKEN_BASE + b.token, 1);
      b.cancel = CANCEL_GONE;
      return;
    }
    this.disconnect(conn);
    this.abandon(conn, b.seq);
  }

  /**
   * A client that sent EOF while its command blocks: the command answers
   * nothing and what the client sent after it is dropped (Redis frees the
   * client); the connection closes once the replies before it are out
   * (commands of its own on other shards may still be answering).
   */
  private abandon(conn: Connection, seq: number): void {
    conn.closeAfterReply = true;
    conn.deliver(seq, NO_REPLY);
    conn.flush();
  }

  /** The connection is closing: forget its wait (other clients of its keys may be served). */
  disconnect(conn: Connection): void {
    const b = conn.blocked;
    if (b === null) return;
    if ((b.retrying !== null || b.rechecking) && b.token !== 0) {
      // a retry is in flight (threaded layout): cancel it, so that the shard
      // takes nothing for a client that is gone; the token is reused once it answers
      Atomics.store(this.sig, RETRY_TOKEN_BASE + b.token, 1);
      this.orphans.set(conn.id, b);
    } else this.releaseToken(b);
    b.retrying = null;
    b.rechecking = false;
    this.unblock(b, false);
    this.pump();
    this.host.flush();
  }

  onOrphanReply(connId: number, seq: number): void {
    if (this.orphans.size === 0) return;
    const b = this.orphans.get(connId);
    if (b === undefined || b.seq !== seq) return;
    this.orphans.delete(connId);
    this.releaseToken(b);
  }

  // ---- internals ----

  /** A token for the retry about to be submitted (0 when every token is in use: not cancellable). */
  private takeToken(b: BlockedClient): void {
    if (!this.host.threaded() || b.token !== 0) return;
    const t = this.freeTokens.pop();
    if (t === undefined) return;
    Atomics.store(this.sig, RETRY_TOKEN_BASE + t, 0);
    b.token = t;
  }

  private releaseToken(b: BlockedClient): void {
    if (b.token === 0) return;
    this.freeTokens.push(b.token);
    b.token = 0;
  }

  /** First would-block answer: park the client on its keys. */
  private block(conn: Connection, seq: number, bytes: Uint8Array): void {
    // decode the arguments the shard sent back: u32 argc, then (u32 length, bytes) each
    const argc = u32(bytes, 4);
    const offs = new Int32Array(argc * 2);
    let p = 8;
    let total = 0;
    for (let i = 0; i < argc; i++) {
      const n = u32(bytes, p);
      offs[i * 2] = total;
      offs[i * 2 + 1] = n;
      total += n;
      p += 4 + n;
    }
    const buf = new Uint8Array(total);
    p = 8;
    for (let i = 0; i < argc; i++) {
      const n = offs[i * 2 + 1];
      buf.set(bytes.subarray(p + 4, p + 4 + n), offs[i * 2]);
      p += 4 + n;
    }
    const spec = lookupFromBytes(buf, offs[0], offs[1]);
    const info = spec === undefined ? undefined : blockingInfo.get(spec.id);
    if (spec === undefined || info === undefined) throw new Error('would-block reply from a command that does not block');

    const ti = info.timeoutIdx(argc);
    const ms = parseTimeoutMs(buf, offs[ti * 2], offs[ti * 2 + 1]) as number; // checked by the shard
    const now = Date.now();
    const deadline = ms === 0 || ms > LLONG_MAX_MS - now ? 0 : now + ms;

    const db = conn.db;
    const queues: KeyQueue[] = [];
    const keyArgs: number[] = [];
    for (const i of info.waitKeys(buf, offs, argc)) {
      const id = keyId(db, buf, offs[i * 2], offs[i * 2 + 1]);
      let q = this.queues.get(id);
      if (q === undefined) {
        q = new KeyQueue(id, db, blockFilterSlot(db, buf, offs[i * 2], offs[i * 2 + 1]));
        this.queues.set(id, q);
      } else if (queues.includes(q)) continue; // BLPOP k k: one wait per key
      queues.push(q);
      keyArgs.push(i);
    }
    const b = new BlockedClient(conn, seq, spec, info, buf, offs, argc, queues, keyArgs, deadline);
    for (const q of queues) {
      q.clients.push(b);
      Atomics.add(this.sig, q.slot, 1);
    }
    Atomics.add(this.sig, 0, 1);
    this.count++;
    conn.blocked = b;
    conn.waiting = true;
    if (deadline !== 0) {
      this.withTimeout++;
      this.armTimer(b);
    }
    if (this.host.threaded()) {
      // a key may have been filled between the shard's look and the filter
      // update above (no ready report then): look once more, over all keys
      b.rechecking = true;
      this.takeToken(b);
      this.host.submitRetry(b, RETRY_ALL_KEYS);
    }
  }

  private markReady(q: KeyQueue, kind: number): void {
    q.readyKind = kind;
    if (q.busy !== null) q.again = true;
    else this.enqueue(q, false);
  }

  private enqueue(q: KeyQueue, front: boolean): void {
    if (q.queued) return;
    q.queued = true;
    if (front && this.toServeHead > 0) this.toServe[--this.toServeHead] = q;
    else if (front) this.toServe.unshift(q);
    else this.toServe.push(q);
  }

  /** Retry the oldest client of the ready kind waiting on q. */
  private serveNext(q: KeyQueue): void {
    if (q.busy !== null || q.readyKind === KIND_NONE) return;
    const kind = q.readyKind;
    let b: BlockedClient | null = null;
    for (const x of q.clients) {
      if (kind === KIND_ANY || x.info.kind === kind) {
        b = x;
        break;
      }
    }
    if (b === null) {
      q.readyKind = KIND_NONE;
      this.dropIfUnused(q);
      return;
    }
    if (b.retrying !== null || b.rechecking) {
      // its retry for another key is in flight: keep its turn, continue when that ends
      if (!b.stalled.includes(q)) b.stalled.push(q);
      return;
    }
    q.busy = b;
    q.again = false;
    b.retrying = q;
    this.takeToken(b);
    this.host.submitRetry(b, b.keyArgs[b.queues.indexOf(q)]);
  }

  private releaseStalled(b: BlockedClient): void {
    for (const q of b.stalled) this.enqueue(q, true);
    b.stalled.length = 0;
  }

  private dropIfUnused(q: KeyQueue): void {
    if (q.clients.length === 0 && q.busy === null && this.queues.get(q.id) === q) this.queues.delete(q.id);
  }

  private cancel(b: BlockedClient, how: number): void {
    if (b.cancel === CANCEL_GONE) return;
    if (b.retrying !== null || b.rechecking) {
      b.cancel = how; // decided when the retry answers
      return;
    }
    this.replyCancelled(b, how);
    this.unblock(b, true);
  }

  private replyCancelled(b: BlockedClient, how: number): void {
    const conn = b.conn;
    if (how === CANCEL_ERROR) {
      conn.deliver(b.seq, UNBLOCKED_ERROR);
    } else conn.deliver(b.seq, conn.resp === 3 ? NULL3 : NULL_ARRAY2);
  }

  private unblock(b: BlockedClient, resume: boolean): void {
    const conn = b.conn;
    conn.blocked = null;
    for (const q of b.queues) {
      const at = q.clients.indexOf(b);
      if (at >= 0) q.clients.splice(at, 1);
      Atomics.sub(this.sig, q.slot, 1);
      if (q.busy === b) {
        q.busy = null;
        this.enqueue(q, true);
      }
      this.dropIfUnused(q);
    }
    Atomics.sub(this.sig, 0, 1);
    this.count--;
    if (b.deadline !== 0) this.withTimeout--;
    if (b.timer !== null) clearTimeout(b.timer);
    b.timer = null;
    this.releaseStalled(b);
    if (resume) {
      this.toResume.push(conn);
      if (!this.resumeScheduled) {
        this.resumeScheduled = true;
        // like Redis's unblocked-clients list: after the current event, before new input
        queueMicrotask(this.resumeAll);
      }
    }
  }

  private readonly resumeAll = (): void => {
    this.resumeScheduled = false;
    const list = this.toResume.splice(0);
    for (const conn of list) if (conn.blocked === null) this.host.resume(conn);
    this.host.flush();
  };

  private armTimer(b: BlockedClient): void {
    const delay = Math.min(Math.max(b.deadline - Date.now(), 0), MAX_TIMER_MS);
    b.timer = setTimeout(this.onTimer, delay, b);
  }

  private readonly onTimer = (b: BlockedClient): void => {
    b.timer = null;
    if (b.conn.blocked !== b) return;
    if (Date.now() < b.deadline) {
      this.armTimer(b); // long timeouts take several timers
      return;
    }
    this.cancel(b, CANCEL_TIMEOUT);
    this.pump();
    this.host.flush();
  };
}

function u32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

function keyId(db: number, buf: Uint8Array, start: number, len: number): string {
  return `${db}:${Buffer.from(buf.buffer, buf.byteOffset + start, len).toString('latin1')}`;
}
