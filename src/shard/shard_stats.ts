// Per-shard counters published in a SharedArrayBuffer (Float64 words per
// shard) for INFO; written by the shard's thread at cron time.
export const STAT_COMMANDS = 0;
export const STAT_EXPIRED = 1;
export const STAT_HEAP_USED = 2;
export const STAT_HITS = 3;
export const STAT_MISSES = 4;
export const STAT_EXPIRE_MS = 5;
export const STAT_EXPIRE_TIME_CAP = 6;
export const STAT_EXPIRED_STALE = 7;
export const STAT_WORDS = 8;

export function createStats(shards: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(1, shards) * STAT_WORDS * 8);
}
