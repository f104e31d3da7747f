// Size-class allocator over one growable SharedArrayBuffer (a shard's arena).
//
// Every byte of a shard's data lives here, outside the JS heap. All of the
// allocator's state (bump pointer, free-list heads, accounting) is in the arena
// header, so any thread that holds the shard's lock can allocate and free with
// its own view object. Blocks carry no header: callers pass the size back to
// free() (entries know their own size), which saves 8 bytes per key.
//
// Size classes: multiples of 8 up to 128 bytes, then four classes per power of
// two (<= 25% internal waste). Freed blocks go on a per-class free list; there
// is no coalescing between classes.
//
// Runs: blocks of the small classes (<= RUN_MAX_BLOCK) are cut from a per-class
// run of RUN_BYTES taken from the bump pointer, not from the bump pointer
// itself, so blocks of one class sit together (as in jemalloc's slabs). It
// matters for skip lists: a node's size grows with its level, so the few
// high-level nodes every search crosses share a handful of pages instead of
// being strewn across the arena among level-1 nodes (one TLB and cache miss
// per hop). A run's untouched tail costs address space, not RSS.
//
// Views: length-tracking typed arrays over a growable SAB are ~5x slower to
// index in V8 than fixed-length ones, so views are fixed-length and rebuilt by
// refresh() whenever the buffer has grown (checked after taking the lock).

export const ARENA_CONTROL_BYTES = 64; // lock word and shard control (see shard/lock.ts)
const H_BUMP = ARENA_CONTROL_BYTES >> 2; // u32 index: next free byte at the end
const H_USED = (ARENA_CONTROL_BYTES + 8) >> 3; // f64 index: bytes in live blocks
const H_BLOCKS = (ARENA_CONTROL_BYTES + 16) >> 3; // f64 index: live block count
const H_FREE_HEADS = (ARENA_CONTROL_BYTES + 64) >> 2; // u32 index of the first free-list head
export const NUM_CLASSES = 116;
/** classes up to this block size are cut from runs */
const RUN_MAX_BLOCK = 512;
const RUN_CLASSES = sizeClass(RUN_MAX_BLOCK) + 1;
const RUN_BYTES = 16 * 1024;
const H_RUNS = H_FREE_HEADS + NUM_CLASSES; // u32 index: per run class [next, end]
export const ARENA_HEADER_BYTES = ARENA_CONTROL_BYTES + 64 + NUM_CLASSES * 4 + RUN_CLASSES * 8;
/** first byte available to users of the arena (8-aligned) */
export const ARENA_DATA_START = (ARENA_HEADER_BYTES + 7) & ~7;

const GROW_MIN = 8 * 1024 * 1024;
const PAGE = 64 * 1024;

export class OutOfMemoryError extends Error {}

export function sizeClass(size: number): number {
  if (size <= 128) return size <= 8 ? 0 : ((size + 7) >> 3) - 1;
  // 2^p < size <= 2^(p+1); the four classes of that range are 2^(p-2) apart, so
  // (size-1) >>> (p-2) is 4..7 and picks the quarter. Unsigned ops: sizes reach 2^32.
  const p = 31 - Math.clz32(size - 1);
  return 4 * p - 16 + ((size - 1) >>> (p - 2));
}

export function classSize(cls: number): number {
  if (cls < 16) return (cls + 1) << 3;
  const k = cls - 16;
  // 2^p + (q+1) * 2^(p-2) = (q+5) * 2^(p-2); a product, not a shift: the top classes pass 2^31
  return ((k & 3) + 5) * (1 << (5 + (k >> 2)));
}

/** Rounded block size actually used for a request of `size` bytes. */
export function blockSize(size: number): number {
  return classSize(sizeClass(size));
}

export class Allocator {
  u8!: Uint8Array;
  u32!: Uint32Array;
  i32!: Int32Array;
  f64!: Float64Array;
  private viewLen = -1;

  constructor(readonly sab: SharedArrayBuffer) {
    this.refresh();
  }

  /** Create and format a new arena. */
  static create(initialBytes: number, maxBytes: number): Allocator {
    const sab = new SharedArrayBuffer(Math.max(initialBytes, PAGE), { maxByteLength: maxBytes });
    const a = new Allocator(sab);
    a.u32[H_BUMP] = ARENA_DATA_START;
    return a;
  }

  /** Rebuild views if another thread (or we) grew the buffer. Cheap when not. */
  refresh(): void {
    const len = this.sab.byteLength;
    if (len === this.viewLen) return;
    this.viewLen = len;
    this.u8 = new Uint8Array(this.sab, 0, len);
    this.u32 = new Uint32Array(this.sab, 0, len >>> 2);
    this.i32 = new Int32Array(this.sab, 0, len >>> 2);
    this.f64 = new Float64Array(this.sab, 0, len >>> 3);
  }

  get usedBytes(): number {
    return this.f64[H_USED];
  }

  get blockCount(): number {
    return this.f64[H_BLOCKS];
  }

  /** bytes of the arena handed out so far (live + free-listed) */
  get arenaBytes(): number {
    return this.u32[H_BUMP];
  }

  alloc(size: number): number {
    const cls = sizeClass(size);
    const csize = classSize(cls);
    const u32 = this.u32;
    const headIdx = H_FREE_HEADS + cls;
    const head = u32[headIdx];
    let ptr: number;
    if (head !== 0) {
      u32[headIdx] = u32[head >>> 2];
      ptr = head;
    } else if (cls < RUN_CLASSES) {
      const r = H_RUNS + cls * 2;
      ptr = u32[r];
      if (ptr + csize > u32[r + 1]) ptr = this.newRun(r, csize);
      this.u32[r] = ptr + csize;
    } else {
      ptr = u32[H_BUMP];
      const end = ptr + csize;
      if (end > this.viewLen) this.grow(end);
      this.u32[H_BUMP] = end;
    }
    this.f64[H_USED] += csize;
    this.f64[H_BLOCKS] += 1;
    return ptr;
  }

  /** Take a run for a class from the bump pointer (as many blocks as fit below the limit, at least one); returns its start. */
  private newRun(r: number, csize: number): number {
    const ptr = this.u32[H_BUMP];
    const room = this.sab.maxByteLength - ptr;
    const blocks = Math.max(1, Math.min(Math.floor(RUN_BYTES / csize), Math.floor(room / csize)));
    const end = ptr + blocks * csize;
    if (end > this.viewLen) this.grow(end);
    this.u32[H_BUMP] = end;
    this.u32[r + 1] = end;
    return ptr;
  }

  /** Allocate and zero-fill (free-listed blocks hold old bytes). */
  allocZeroed(size: number): number {
    const ptr = this.alloc(size);
    this.u8.fill(0, ptr, ptr + size);
    return ptr;
  }

  free(ptr: number, size: number): void {
    const cls = sizeClass(size);
    const headIdx = H_FREE_HEADS + cls;
    this.u32[ptr >>> 2] = this.u32[headIdx];
    this.u32[headIdx] = ptr;
    this.f64[H_USED] -= classSize(cls);
    this.f64[H_BLOCKS] -= 1;
  }

  /** Forget every block at once (FLUSHALL). */
  resetAll(): void {
    const u32 = this.u32;
    for (let c = 0; c < NUM_CLASSES; c++) u32[H_FREE_HEADS + c] = 0;
    for (let i = 0; i < RUN_CLASSES * 2; i++) u32[H_RUNS + i] = 0;
    u32[H_BUMP] = ARENA_DATA_START;
    this.f64[H_USED] = 0;
    this.f64[H_BLOCKS] = 0;
  }

  private grow(needed: number): void {
    const max = this.sab.maxByteLength;
    if (needed > max) {
      throw new OutOfMemoryError('OOM shard arena exhausted');
    }
    const cur = this.sab.byteLength;
    let target = Math.max(needed, cur + Math.max(cur >>> 1, GROW_MIN));
    target = Math.min(max, Math.ceil(target / PAGE) * PAGE);
    this.sab.grow(target);
    this.refresh();
  }
}
