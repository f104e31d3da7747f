// Shard side of blocking commands (BLPOP, BZPOPMIN...): noticing that a key a
// client waits on became a list or a sorted set. Thread-agnostic: a worker and
// the main thread (inline layout) record the same way.
//
// The main thread keeps the blocked clients; it shares one Int32 array with
// every shard thread: [0] = number of blocked clients, [1 + slot] = how many
// (client, key) waits hash to that slot. The keyspace hook (called when a list
// or zset is stored under a key) reads word 0 first, so with nobody blocked a
// key creation costs one load; with clients blocked, only keys whose slot is in
// use are recorded and sent to the main thread.

import type { Keyspace } from '../store/keyspace';

export const BLOCK_FILTER_SLOTS = 4096;
/**
 * Cancel words of retries in flight (worker layout), after the filter: a
 * blocked client's retry carries a token; the main thread sets the token's
 * word when the client disconnects before the retry ran, and the shard then
 * takes nothing (so no element is popped for a client that is gone). Token 0
 * means "not cancellable" (inline layout, or every token in use).
 */
export const RETRY_TOKENS = 4096;
export const RETRY_TOKEN_BASE = 1 + BLOCK_FILTER_SLOTS;
export const BLOCK_SIGNAL_BYTES = (1 + BLOCK_FILTER_SLOTS + RETRY_TOKENS) * 4;
/** A ready "key" that is not a key: the two dbs of a SWAPDB (each reported with this type). */
export const READY_DB_SWAPPED = 255;

/** Index (1-based) of the counter for (db, key) in the shared signal array. */
export function blockFilterSlot(db: number, buf: Uint8Array, start: number, len: number): number {
  // FNV-1a over the key bytes, seeded with the db
  let h = (0x811c9dc5 ^ db) >>> 0;
  for (let i = start, end = start + len; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return 1 + ((h ^ (h >>> 15)) & (BLOCK_FILTER_SLOTS - 1));
}

/** Keys that became ready during one command; drained by the caller after the command. */
export class ReadyKeys {
  count = 0;
  readonly dbs: number[] = [];
  readonly types: number[] = [];
  readonly keys: Uint8Array[] = [];
  private readonly signal: Int32Array;

  constructor(signal: SharedArrayBuffer, stores: Keyspace[]) {
    this.signal = new Int32Array(signal);
    for (const ks of stores) ks.onCollectionSet = (db, e) => this.collectionSet(ks, db, e);
    threadReadyKeys = this;
  }

  private collectionSet(ks: Keyspace, db: number, e: number): void {
    const sig = this.signal;
    if (Atomics.load(sig, 0) === 0) return;
    const u8 = ks.a.u8;
    const start = ks.keyStart(e);
    const len = ks.keyLen(e);
    if (Atomics.load(sig, blockFilterSlot(db, u8, start, len)) === 0) return;
    this.add(db, ks.type(e), u8.slice(start, start + len));
  }

  private add(db: number, type: number, key: Uint8Array): void {
    this.dbs[this.count] = db;
    this.types[this.count] = type;
    this.keys[this.count] = key;
    this.count++;
  }

  /** SWAPDB: clients blocked in either db may now find data (Redis rescans their keys). */
  dbsSwapped(a: number, b: number): void {
    if (Atomics.load(this.signal, 0) === 0) return;
    this.add(a, READY_DB_SWAPPED, EMPTY);
    this.add(b, READY_DB_SWAPPED, EMPTY);
  }

  /** Whether the main thread cancelled the retry holding this token (its client disconnected). */
  retryCancelled(token: number): boolean {
    return token !== 0 && Atomics.load(this.signal, RETRY_TOKEN_BASE + token) !== 0;
  }

  clear(): void {
    this.count = 0;
    this.keys.length = 0;
  }
}

const EMPTY = new Uint8Array(0);

/** The ReadyKeys of this thread (one per thread that executes shard commands). */
export let threadReadyKeys: ReadyKeys | null = null;
