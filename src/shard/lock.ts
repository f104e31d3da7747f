// Atomics-based mutex over one Int32 word in shared memory (a shard's lock).
//
// States: 0 free, 1 held, 2 held with (possible) waiters. Taking it is one CAS
// when free; a contended taker spins briefly, then sleeps with Atomics.wait and
// is woken by the holder's unlock. Lock order across shards is always by
// ascending shard index (see docs/architecture.md), so there is no deadlock.

const SPINS = 200;

export function lock(i32: Int32Array, idx: number): void {
  if (Atomics.compareExchange(i32, idx, 0, 1) === 0) return;
  for (let s = 0; s < SPINS; s++) {
    if (Atomics.load(i32, idx) === 0 && Atomics.compareExchange(i32, idx, 0, 1) === 0) return;
  }
  // mark contended and sleep until the holder releases
  while (Atomics.exchange(i32, idx, 2) !== 0) Atomics.wait(i32, idx, 2, 50);
}

export function unlock(i32: Int32Array, idx: number): void {
  if (Atomics.sub(i32, idx, 1) !== 1) {
    Atomics.store(i32, idx, 0);
    Atomics.notify(i32, idx, 1);
  }
}
