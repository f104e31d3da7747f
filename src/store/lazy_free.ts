// Lazy freeing. Deleting a big collection (or flushing a whole db) only
// unlinks it; the object waits in this queue and the shard frees it a slice
// at a time (after command batches, while idle, in its cron), so that taking
// apart a 1M-element value never stalls the shard's other commands.
//
// Everything lives in the shard's arena, so any thread holding the shard's
// lock can queue work (a cross-shard DEL) and the queue costs no JS heap:
//   state (LAZY_STATE_BYTES, in the store root): [head u32][tail u32][pending u32][freed u32]
//   record (one 16-byte block per queued object):
//     [next u32][object address u32][kind u32][objects uncounted when done u32]
// `pending` is INFO's lazyfree_pending_objects: 1 per queued value; a flushed
// db adds its key count, taken off key by key as they are freed. `freed` counts
// them as they go (INFO lazyfreed_objects).

import type { Allocator } from './allocator';

/** Values costing more than this many frees are freed lazily (Redis LAZYFREE_THRESHOLD). */
export const LAZYFREE_THRESHOLD = 64;
export const LAZY_STATE_BYTES = 16;

const S_HEAD = 0;
const S_TAIL = 1;
const S_PENDING = 2;
const S_FREED = 3;
const REC_BYTES = 16;
/** flag in a record's uncount word: its objects are not counted as freed (INFO lazyfreed_objects) */
const NOT_FREED = 0x80000000;
/** units of work (about one block each) between two looks at the clock */
const CHUNK = 256;

/**
 * Frees part of a queued object: about `budget` blocks; true once the object
 * is entirely freed.
 */
export type FreeWork = (ptr: number, kind: number, budget: number) => boolean;

export class LazyFreeQueue {
  constructor(
    private readonly a: Allocator,
    /** byte address of the state words */
    private readonly state: number,
    private readonly work: FreeWork,
  ) {}

  /** Format the state words of a new store. */
  static init(a: Allocator, state: number): void {
    const s = state >>> 2;
    a.u32[s + S_HEAD] = 0;
    a.u32[s + S_TAIL] = 0;
    a.u32[s + S_PENDING] = 0;
    a.u32[s + S_FREED] = 0;
  }

  /** Objects whose memory is not released yet. */
  get pending(): number {
    return this.a.u32[(this.state >>> 2) + S_PENDING];
  }

  /** Objects freed so far (wraps at 2^32). */
  get freed(): number {
    return this.a.u32[(this.state >>> 2) + S_FREED];
  }

  get isEmpty(): boolean {
    return this.a.u32[(this.state >>> 2) + S_HEAD] === 0;
  }

  /**
   * Queue an object. `objects` is added to the pending count now;
   * `uncountWhenDone` of them are taken off when it is freed (the rest by
   * uncount() as the work goes), and counted as freed unless `countFreed` is
   * false (a value of a flushed db, whose key the db's count already holds).
   */
  push(ptr: number, kind: number, objects: number, uncountWhenDone: number, countFreed = true): void {
    const a = this.a;
    const rec = a.alloc(REC_BYTES);
    const u32 = a.u32;
    const s = this.state >>> 2;
    const r = rec >>> 2;
    u32[r] = 0;
    u32[r + 1] = ptr;
    u32[r + 2] = kind;
    u32[r + 3] = countFreed ? uncountWhenDone : (uncountWhenDone | NOT_FREED) >>> 0;
    const tail = u32[s + S_TAIL];
    if (tail === 0) u32[s + S_HEAD] = rec;
    else u32[tail >>> 2] = rec;
    u32[s + S_TAIL] = rec;
    u32[s + S_PENDING] += objects;
  }

  /** Objects freed without going through the queue, that INFO counts as lazily freed all the same. */
  countFreed(n: number): void {
    this.a.u32[(this.state >>> 2) + S_FREED] += n;
  }

  uncount(n: number): void {
    const s = this.state >>> 2;
    this.a.u32[s + S_PENDING] -= n;
    this.a.u32[s + S_FREED] += n;
  }

  /**
   * Free queued objects, oldest first, until the queue is empty or the clock
   * (performance.now()) passes `deadline`. Returns whether work remains.
   */
  step(deadline: number): boolean {
    const a = this.a;
    const s = this.state >>> 2;
    for (;;) {
      const rec = a.u32[s + S_HEAD];
      if (rec === 0) return false;
      const r = rec >>> 2;
      if (this.work(a.u32[r + 1], a.u32[r + 2], CHUNK)) {
        // the work may have grown the arena (queuing values of a flushed db)
        const u32 = a.u32;
        const next = u32[r];
        u32[s + S_HEAD] = next;
        if (next === 0) u32[s + S_TAIL] = 0;
        const done = u32[r + 3];
        u32[s + S_PENDING] -= done & ~NOT_FREED;
        if ((done & NOT_FREED) === 0) u32[s + S_FREED] += done;
        a.free(rec, REC_BYTES);
      }
      if (performance.now() >= deadline) return a.u32[s + S_HEAD] !== 0;
    }
  }
}
