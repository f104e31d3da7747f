// Unit tests for the size-class arena allocator (src/store/allocator.ts).
import { describe, it, expect } from 'vitest';
import {
  Allocator,
  OutOfMemoryError,
  sizeClass,
  classSize,
  blockSize,
  NUM_CLASSES,
  ARENA_DATA_START,
  ARENA_HEADER_BYTES,
} from '../../src/store/allocator';
import { mulberry32 } from '../helpers/gen';

const MB = 1024 * 1024;

describe('size classes', () => {
  it('every size 1..100000 maps to a class that fits it with bounded waste', () => {
    let prevCls = 0;
    for (let size = 1; size <= 100000; size++) {
      const cls = sizeClass(size);
      const cs = classSize(cls);
      if (!(cs >= size && cs < 1.25 * size + 8 && cls >= prevCls && cls < NUM_CLASSES)) {
        expect({ size, cls, cs }).toEqual({ size, cls, cs: `>= ${size} and < ${1.25 * size + 8}` });
      }
      // the class is the smallest one that fits
      if (cls > 0 && classSize(cls - 1) >= size) {
        expect({ size, cls, smaller: classSize(cls - 1) }).toBe('smallest class');
      }
      if (blockSize(size) !== cs) expect({ size, blockSize: blockSize(size) }).toEqual({ size, blockSize: cs });
      prevCls = cls;
    }
  });

  it('class sizes are 8-aligned, strictly increasing, and map back to their own class', () => {
    let prev = 0;
    for (let c = 0; c < NUM_CLASSES; c++) {
      const s = classSize(c);
      expect(s % 8).toBe(0);
      expect(s).toBeGreaterThan(prev);
      expect(sizeClass(s)).toBe(c);
      if (c + 1 < NUM_CLASSES) expect(sizeClass(s + 1)).toBe(c + 1);
      prev = s;
    }
  });

  it('sizeClass/classSize agree with the definition for every size 1..2^20 and every class', () => {
    // The definition, written out plainly: multiples of 8 up to 128, then four
    // evenly spaced classes per power of two, 2^p * (1 + j/4) for j = 1..4.
    const defined: number[] = [];
    for (let s = 8; s <= 128; s += 8) defined.push(s);
    for (let p = 7; defined.length < NUM_CLASSES; p++) for (let j = 1; j <= 4; j++) defined.push(Math.pow(2, p) * (1 + j / 4));
    const wrongClassSizes: number[] = [];
    for (let c = 0; c < NUM_CLASSES; c++) if (classSize(c) !== defined[c]) wrongClassSizes.push(c);
    expect(wrongClassSizes).toEqual([]);
    // the smallest defined class that holds the size
    let want = 0;
    const wrongSizes: Array<{ size: number; got: number; want: number }> = [];
    for (let size = 1; size <= 1 << 20; size++) {
      while (defined[want]! < size) want++;
      const got = sizeClass(size);
      if (got !== want && wrongSizes.length < 10) wrongSizes.push({ size, got, want });
    }
    expect(wrongSizes).toEqual([]);
    // and the largest sizes an arena can hold (up to 2^32)
    for (const size of [2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 3 * 2 ** 30, 3 * 2 ** 30 + 1, 2 ** 32 - 1, 2 ** 32]) {
      const c = defined.findIndex((d) => d >= size);
      expect({ size, cls: sizeClass(size) }).toEqual({ size, cls: c });
    }
  });

  it('known boundaries', () => {
    expect(sizeClass(0)).toBe(0);
    expect(blockSize(1)).toBe(8);
    expect(blockSize(8)).toBe(8);
    expect(blockSize(9)).toBe(16);
    expect(blockSize(128)).toBe(128);
    expect(blockSize(129)).toBe(160);
    expect(blockSize(256)).toBe(256);
    expect(blockSize(257)).toBe(320);
    expect(blockSize(1 << 20)).toBe(1 << 20);
    expect(blockSize((1 << 20) + 1)).toBe((1 << 20) + (1 << 18));
    // the largest classes still fit in NUM_CLASSES
    expect(sizeClass(2 ** 31)).toBeLessThan(NUM_CLASSES);
  });

  it('the arena header fits before the data start', () => {
    expect(ARENA_DATA_START).toBeGreaterThanOrEqual(ARENA_HEADER_BYTES);
    expect(ARENA_DATA_START % 8).toBe(0);
  });
});

/** Allocate blocks of `size` until the arena refuses with OutOfMemoryError (which must come within `limit` blocks). */
function allocUntilOutOfMemory(a: Allocator, size: number, limit: number): number[] {
  const blocks: number[] = [];
  for (;;) {
    try {
      blocks.push(a.alloc(size));
    } catch (e) {
      expect(e).toBeInstanceOf(OutOfMemoryError);
      return blocks;
    }
    if (blocks.length > limit) throw new Error('no OOM');
  }
}

describe('Allocator', () => {
  it('allocates 8-aligned blocks after the header and keeps accounting', () => {
    const a = Allocator.create(64 * 1024, 64 * MB);
    expect(a.usedBytes).toBe(0);
    expect(a.blockCount).toBe(0);
    expect(a.arenaBytes).toBe(ARENA_DATA_START);
    const p1 = a.alloc(10);
    const p2 = a.alloc(100);
    expect(p1).toBeGreaterThanOrEqual(ARENA_DATA_START);
    expect(p1 % 8).toBe(0);
    expect(p2 % 8).toBe(0);
    expect(p2).toBeGreaterThanOrEqual(p1 + 16);
    expect(a.usedBytes).toBe(16 + 104);
    expect(a.blockCount).toBe(2);
    a.free(p1, 10);
    a.free(p2, 100);
    expect(a.usedBytes).toBe(0);
    expect(a.blockCount).toBe(0);
  });

  it('a freed block is reused by the next allocation of the same class (LIFO)', () => {
    const a = Allocator.create(64 * 1024, 64 * MB);
    const p = a.alloc(40);
    const q = a.alloc(40);
    a.free(p, 40);
    // any size of the same class gets the block back
    expect(a.alloc(33)).toBe(p);
    a.free(q, 40);
    a.free(p, 33);
    expect(a.alloc(40)).toBe(p);
    expect(a.alloc(40)).toBe(q);
    const bump = a.arenaBytes;
    // a different class does not take it
    a.free(p, 40);
    const r = a.alloc(200);
    expect(r).not.toBe(p);
    expect(a.arenaBytes).toBeGreaterThan(bump);
  });

  it('allocZeroed zero-fills reused blocks', () => {
    const a = Allocator.create(64 * 1024, 64 * MB);
    const p = a.alloc(64);
    a.u8.fill(0xab, p, p + 64);
    a.free(p, 64);
    const q = a.allocZeroed(64);
    expect(q).toBe(p);
    expect(Array.from(a.u8.subarray(q, q + 64)).every((x) => x === 0)).toBe(true);
  });

  it('accounting returns to 0 after freeing everything', () => {
    const a = Allocator.create(64 * 1024, 256 * MB);
    const r = mulberry32(1);
    const live: Array<[number, number]> = [];
    let expectUsed = 0;
    for (let i = 0; i < 20000; i++) {
      const size = 1 + Math.floor(r() * (r() < 0.05 ? 20000 : 300));
      live.push([a.alloc(size), size]);
      expectUsed += blockSize(size);
    }
    expect(a.usedBytes).toBe(expectUsed);
    expect(a.blockCount).toBe(live.length);
    for (const [p, s] of live) a.free(p, s);
    expect(a.usedBytes).toBe(0);
    expect(a.blockCount).toBe(0);
  });

  it('grows the buffer and keeps old data intact', () => {
    const a = Allocator.create(64 * 1024, 128 * MB);
    const start = a.sab.byteLength;
    const blocks: number[] = [];
    for (let i = 0; i < 100; i++) {
      const p = a.alloc(4096);
      a.u8.fill(i, p, p + 4096);
      blocks.push(p);
    }
    expect(a.sab.byteLength).toBeGreaterThan(start);
    const big = a.alloc(20 * MB); // forces another growth
    expect(a.sab.byteLength).toBeGreaterThanOrEqual(big + 20 * MB);
    expect(a.u8.length).toBe(a.sab.byteLength);
    a.u8.fill(0xff, big, big + 20 * MB);
    for (let i = 0; i < blocks.length; i++) {
      const p = blocks[i]!;
      const view = a.u8.subarray(p, p + 4096);
      expect(view.every((x) => x === i)).toBe(true);
    }
  });

  it('a second Allocator over the same buffer sees growth after refresh()', () => {
    const a = Allocator.create(64 * 1024, 128 * MB);
    const b = new Allocator(a.sab);
    const p = a.alloc(1000);
    b.u8.fill(7, p, p + 1000); // b writes through its own view
    const big = a.alloc(10 * MB); // a grows the arena
    a.u8[big + 10 * MB - 1] = 42;
    expect(b.u8.length).toBeLessThan(a.sab.byteLength);
    b.refresh();
    expect(b.u8.length).toBe(a.sab.byteLength);
    expect(b.u8[big + 10 * MB - 1]).toBe(42);
    expect(b.u8[p]).toBe(7);
    // the allocator state is shared through the arena header
    expect(b.usedBytes).toBe(a.usedBytes);
    const q = b.alloc(1000);
    expect(q).toBeGreaterThanOrEqual(big + 10 * MB);
    b.free(q, 1000);
    expect(a.alloc(1000)).toBe(q);
  });

  it('throws OutOfMemoryError beyond maxByteLength and stays usable', () => {
    const a = Allocator.create(64 * 1024, 4 * MB);
    const small = a.alloc(100);
    const used = a.usedBytes;
    const bump = a.arenaBytes;
    expect(() => a.alloc(5 * MB)).toThrow(OutOfMemoryError);
    expect(a.usedBytes).toBe(used);
    expect(a.arenaBytes).toBe(bump);
    expect(a.blockCount).toBe(1);
    // fill up to the limit with 64 KiB blocks, then the next one fails
    const blocks = allocUntilOutOfMemory(a, 65536, 1000);
    expect(a.sab.byteLength).toBe(4 * MB);
    expect(a.arenaBytes).toBeLessThanOrEqual(4 * MB);
    // free-listed blocks still satisfy requests when the arena is full
    a.free(blocks.pop()!, 65536);
    expect(() => a.alloc(65536)).not.toThrow();
    a.free(small, 100);
    expect(a.alloc(100)).toBe(small);
  });

  it('cuts small blocks from per-class runs: one class stays contiguous when classes interleave', () => {
    const a = Allocator.create(64 * 1024, 64 * MB);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 100; i++) {
      xs.push(a.alloc(60)); // class 64
      ys.push(a.alloc(92)); // class 96
      a.alloc(1000); // above the run classes: straight from the bump pointer
    }
    // one run holds 16 KiB / 64 = 256 blocks, 16 KiB / 96 = 170: neither class has run out
    for (let i = 1; i < 100; i++) {
      expect(xs[i]! - xs[i - 1]!).toBe(64);
      expect(ys[i]! - ys[i - 1]!).toBe(96);
    }
    expect(a.usedBytes).toBe(100 * (64 + 96 + blockSize(1000)));
    // a full run is followed by a new one
    const more: number[] = [];
    for (let i = 0; i < 300; i++) more.push(a.alloc(60));
    const all = xs.concat(more);
    expect(new Set(all).size).toBe(all.length);
    for (const p of all) expect(p % 8).toBe(0);
  });

  it('a run near the arena limit is cut short, and the last blocks are still handed out', () => {
    const a = Allocator.create(64 * 1024, 1 * MB);
    const big: number[] = [];
    // leave less than one run (16 KiB) of room
    while (a.arenaBytes + 65536 <= 1 * MB - 8 * 1024) big.push(a.alloc(65536));
    const small = allocUntilOutOfMemory(a, 200, 10000);
    expect(small.length).toBeGreaterThan(0);
    expect(a.arenaBytes).toBeLessThanOrEqual(1 * MB);
    expect(a.arenaBytes + 200).toBeGreaterThan(1 * MB);
    expect(new Set(small).size).toBe(small.length);
  });

  it('resetAll forgets every block', () => {
    const a = Allocator.create(64 * 1024, 64 * MB);
    for (let i = 0; i < 100; i++) a.alloc(100);
    const p = a.alloc(50);
    a.free(p, 50);
    a.resetAll();
    expect(a.usedBytes).toBe(0);
    expect(a.blockCount).toBe(0);
    expect(a.arenaBytes).toBe(ARENA_DATA_START);
    expect(a.alloc(50)).toBe(ARENA_DATA_START); // the free list was emptied too
  });

  it('no overlap among 10k random live blocks through many alloc/free operations', () => {
    const a = Allocator.create(64 * 1024, 512 * MB);
    const r = mulberry32(42);
    interface Block {
      p: number;
      size: number;
      tag: number;
    }
    const live: Block[] = [];
    let tagSeq = 1;
    let used = 0;
    const fillBlock = (b: Block): void => {
      const u32 = a.u32;
      // tag in every 4-byte word of the requested size (rounded down), plus trailing bytes
      const words = b.size >> 2;
      const w0 = b.p >> 2;
      for (let i = 0; i < words; i++) u32[w0 + i] = (b.tag * 2654435761 + i) >>> 0;
      for (let i = words * 4; i < b.size; i++) a.u8[b.p + i] = b.tag & 0xff;
    };
    const checkBlock = (b: Block): boolean => {
      const u32 = a.u32;
      const words = b.size >> 2;
      const w0 = b.p >> 2;
      for (let i = 0; i < words; i++) if (u32[w0 + i] !== (b.tag * 2654435761 + i) >>> 0) return false;
      for (let i = words * 4; i < b.size; i++) if (a.u8[b.p + i] !== (b.tag & 0xff)) return false;
      return true;
    };
    const randSize = (): number => {
      const x = r();
      if (x < 0.7) return 1 + Math.floor(r() * 128);
      if (x < 0.97) return 1 + Math.floor(r() * 2000);
      return 1 + Math.floor(r() * 60000);
    };
    for (let op = 0; op < 60000; op++) {
      if (live.length < 10000 && (live.length < 5000 || r() < 0.5)) {
        const size = randSize();
        const b = { p: a.alloc(size), size, tag: tagSeq++ };
        expect(b.p % 8).toBe(0);
        fillBlock(b);
        live.push(b);
        used += blockSize(size);
      } else {
        const i = Math.floor(r() * live.length);
        const b = live[i]!;
        if (!checkBlock(b)) throw new Error(`block ${b.p} (size ${b.size}) was overwritten`);
        live[i] = live[live.length - 1]!;
        live.pop();
        a.free(b.p, b.size);
        used -= blockSize(b.size);
      }
    }
    expect(live.length).toBeGreaterThan(5000);
    for (const b of live) {
      if (!checkBlock(b)) throw new Error(`block ${b.p} (size ${b.size}) was overwritten`);
    }
    // direct interval check too
    const sorted = live.slice().sort((x, y) => x.p - y.p);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      expect(sorted[i]!.p).toBeGreaterThanOrEqual(prev.p + blockSize(prev.size));
    }
    expect(sorted[0]!.p).toBeGreaterThanOrEqual(ARENA_DATA_START);
    const last = sorted[sorted.length - 1]!;
    expect(last.p + blockSize(last.size)).toBeLessThanOrEqual(a.arenaBytes);
    expect(a.usedBytes).toBe(used);
    expect(a.blockCount).toBe(live.length);
  });
});
