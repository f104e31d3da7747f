// Runs shard-side commands. Thread-agnostic: a worker thread and the main
// thread (inline layout) both call execute() with the same context type.

import { ExecContext } from './exec_context';
import { commands, type CommandSpec } from '../commands/table';
import { OutOfMemoryError } from '../store/allocator';
import { lock, unlock } from './lock';
import type { Keyspace } from '../store/keyspace';
import '../commands/all';

export { commands };

/** Lock word of a shard: Int32 index 0 of its arena (see allocator ARENA_CONTROL_BYTES). */
export function lockShard(ks: Keyspace): void {
  lock(ks.a.i32, 0);
  ks.a.refresh();
}

export function unlockShard(ks: Keyspace): void {
  unlock(ks.a.i32, 0);
}

/** Hourly-ish counters the main thread reads for INFO. */
export class ShardStats {
  commands = 0;
  /** keys removed by the active expire cycle */
  expiredKeys = 0;
  /** INFO expire_cycle_cpu_milliseconds: time spent in active expire cycles */
  expireCycleMs = 0;
  /** INFO expired_time_cap_reached_count: cycles that ran out of time with expired keys possibly left */
  expireTimeCapReached = 0;
  /** INFO expired_stale_perc: running estimate of the share of TTL keys already expired (0..1) */
  expiredStale = 0;
}

/** A per-view counter (lookups and lazy expiry count on the Keyspace view that did them). */
type ViewCounter = 'keyspaceHits' | 'keyspaceMisses' | 'expiredLazily';

/** INFO counters as far as this thread knows: the sum over its views of every shard. */
export function viewsTotal(stores: Keyspace[], counter: ViewCounter): number {
  let n = 0;
  for (let i = 0; i < stores.length; i++) n += stores[i][counter];
  return n;
}

/** INFO expired_keys as far as this thread knows: active expiry plus lazy expiry through its views. */
export function expiredTotal(stats: ShardStats, stores: Keyspace[]): number {
  return stats.expiredKeys + viewsTotal(stores, 'expiredLazily');
}

/**
 * Execute one command whose arguments are already in ctx (buf/offs/argc/db)
 * and whose reply goes to ctx.w. `mask` names the other shards whose locks
 * must be held (cross-shard commands); the caller holds ctx.self's lock.
 */
export function execute(ctx: ExecContext, spec: CommandSpec, mask: number): void {
  ctx.spec = spec;
  ctx.mask = mask;
  const w = ctx.w;
  const mark = w.pos;
  const stores = ctx.stores;
  ctx.tick();
  const now = ctx.now;
  if (mask !== 0) {
    // ascending shard order: the global lock order
    for (let s = 0; s < stores.length; s++) {
      if (s !== ctx.self && mask & (1 << s)) lockShard(stores[s]);
    }
  }
  const countStats = spec.keyspaceStats === true;
  for (let s = 0; s < stores.length; s++) {
    stores[s].now = now;
    stores[s].countStats = countStats;
  }
  try {
    spec.run!(ctx);
  } catch (err) {
    w.pos = mark;
    if (err instanceof OutOfMemoryError) w.error("OOM command not allowed when used memory > 'maxmemory'.");
    else {
      w.error(`ERR internal error in '${spec.fullName}': ${(err as Error).message}`.replace(/[\r\n]/g, ' '));
      console.error(err);
    }
  } finally {
    if (mask !== 0) {
      for (let s = stores.length - 1; s >= 0; s--) {
        if (s !== ctx.self && mask & (1 << s)) unlockShard(stores[s]);
      }
    }
  }
  // an error reply (45: '-') is a failed call (INFO commandstats)
  if (w.pos > mark && w.buf[mark] === 45) ctx.failedCalls[spec.id]++;
}

/**
 * Longest slice of lazy freeing (values of deleted big collections) a shard
 * does at once: what it may add to the latency of the shard's other commands.
 */
export const LAZY_FREE_SLICE_MS = 1;

/**
 * One slice of lazy freeing; the caller holds the lock. Shards run one after
 * each command batch and while idle as long as this returns true (work
 * remains), besides the one in the cron.
 */
export function lazyFreeSlice(ks: Keyspace): boolean {
  return ks.hasLazyFree && ks.lazyFreeStep(performance.now() + LAZY_FREE_SLICE_MS);
}

/** Periodic work of a shard: active expiry, table maintenance, lazy freeing. Caller holds the lock. */
export function shardCron(ks: Keyspace, stats: ShardStats, budgetMs: number, activeExpire = true): void {
  ks.now = Date.now();
  lazyFreeSlice(ks);
  const start = performance.now();
  const deadline = start + budgetMs;
  let sampled = 0;
  let expired = 0;
  let capped = false;
  for (let db = 0; db < ks.dbCount; db++) {
    ks.cronTables(db, 100);
    if (!activeExpire || ks.expiresCount(db) === 0) continue;
    for (;;) {
      if (performance.now() >= deadline) {
        capped = true;
        break;
      }
      const n = ks.activeExpire(db, 64);
      expired += n;
      sampled += ks.expireSampled;
      if (ks.expiresCount(db) === 0) break;
      // a full pass over the table ends with the cursor back at 0
      if (cursorAtStart(ks, db)) break;
    }
  }
  stats.expiredKeys += expired;
  stats.expireCycleMs += performance.now() - start;
  if (capped) stats.expireTimeCapReached++;
  // as Redis: each cycle moves the estimate 5% of the way to what it saw (nothing sampled: 0)
  stats.expiredStale = (sampled > 0 ? expired / sampled : 0) * 0.05 + stats.expiredStale * 0.95;
}

function cursorAtStart(ks: Keyspace, db: number): boolean {
  return ks.expireCursor(db) === 0;
}
