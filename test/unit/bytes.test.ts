// copyBytes / moveBytes: every path (short loop, direct set, staged through the
// unshared buffer) must move exactly the bytes asked for, whatever the
// alignment of either end and whether either end is shared memory.
import { describe, it, expect } from 'vitest';
import { copyBytes, copyToWords, copyWords, moveBytes } from '../../src/util/bytes';
import { mulberry32 } from '../helpers/gen';

function filled(n: number, shared: boolean, seed: number): Uint8Array {
  const u8 = shared ? new Uint8Array(new SharedArrayBuffer(n)) : new Uint8Array(n);
  const r = mulberry32(seed);
  for (let i = 0; i < n; i++) u8[i] = Math.floor(r() * 256);
  return u8;
}

const SIZES = [0, 1, 7, 48, 49, 159, 160, 161, 1000, 2700, 70_000];

describe('copyBytes', () => {
  for (const [srcShared, dstShared] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    it(`copies exactly, src ${srcShared ? 'shared' : 'unshared'} -> dst ${dstShared ? 'shared' : 'unshared'}, every alignment`, () => {
      for (const n of SIZES) {
        for (const srcOff of [0, 1, 3, 8]) {
          for (const dstOff of [0, 2, 5, 8]) {
            // views that do not start at their buffer's start, so byteOffset counts too
            const srcAll = filled(n + 32, srcShared, n + srcOff);
            const dstAll = filled(n + 32, dstShared, 999 + dstOff);
            const src = srcAll.subarray(4);
            const dst = dstAll.subarray(1);
            const before = Uint8Array.from(dstAll);
            copyBytes(dst, dstOff, src, srcOff, srcOff + n);
            for (let i = 0; i < dstAll.length; i++) {
              const j = i - 1 - dstOff;
              const want = j >= 0 && j < n ? srcAll[4 + srcOff + j] : before[i];
              if (dstAll[i] !== want) expect({ n, srcOff, dstOff, i, got: dstAll[i] }).toEqual({ n, srcOff, dstOff, i, got: want });
            }
          }
        }
      }
    });
  }
});

describe('moveBytes', () => {
  it('shifts overlapping ranges both ways in shared memory, every alignment and size', () => {
    for (const n of [1, 100, 255, 256, 257, 5000, 2 * 1024 * 1024]) {
      for (const [from, to] of [[8, 16], [16, 8], [3, 10], [10, 3], [5, 6], [6, 5]]) {
        const u8 = filled(n + 32, true, n + from * 31 + to);
        const want = Uint8Array.from(u8);
        want.copyWithin(to, from, from + n); // unshared: V8's plain memmove is the reference
        moveBytes(u8, to, from, from + n);
        let bad = -1;
        for (let i = 0; i < want.length && bad < 0; i++) if (u8[i] !== want[i]) bad = i;
        expect({ n, from, to, bad }).toEqual({ n, from, to, bad: -1 });
      }
    }
  });
});

describe('copyToWords / copyWords', () => {
  // 0-3 bytes of tail, the word limit (320) and either side of it, and sizes that fall back to copyBytes
  const sizes = [0, 1, 3, 4, 5, 16, 17, 63, 64, 199, 200, 201, 319, 320, 321, 1000];

  it('copyToWords writes exactly the bytes, at every destination and source offset', () => {
    const sab = new SharedArrayBuffer(4096);
    const dst = new Uint8Array(sab);
    const dst32 = new Int32Array(sab);
    for (const n of sizes) {
      for (let so = 0; so < 4; so++) {
        // at: 4-aligned and 1-3 bytes past a word boundary (head bytes first)
        for (const at of [64, 65, 66, 67, 128]) {
          const src = filled(n + 8, false, n * 31 + so);
          dst.fill(0xee);
          copyToWords(dst32, dst, at, src, so, so + n);
          expect(Buffer.from(dst.subarray(at, at + n)).equals(Buffer.from(src.subarray(so, so + n)))).toBe(true);
          // nothing around the range is touched
          expect(dst[at - 1]).toBe(0xee);
          expect(dst[at + n]).toBe(0xee);
        }
      }
    }
  });

  it('copyToWords from a big source (word view) copies exactly the bytes, up to a source end that is not on a word boundary', () => {
    const sab = new SharedArrayBuffer(4096);
    const dst = new Uint8Array(sab);
    const dst32 = new Int32Array(sab);
    // big enough for a word view; 4n+2 bytes, so the last word of the source is partial
    const big = filled(8194, false, 5);
    for (const src of [big, Buffer.from(big.buffer, 0, 8194), big.subarray(4), big.subarray(1)]) {
      for (const n of sizes) {
        for (const start of [100, 101, 102, 103, src.length - n, src.length - n - 1]) {
          for (const at of [64, 65, 66, 67]) {
            dst.fill(0xee);
            copyToWords(dst32, dst, at, src, start, start + n);
            expect(Buffer.from(dst.subarray(at, at + n)).equals(Buffer.from(src.subarray(start, start + n)))).toBe(true);
            expect(dst[at - 1]).toBe(0xee);
            expect(dst[at + n]).toBe(0xee);
          }
        }
      }
    }
  });

  it('copyWords copies exactly the bytes, shared to plain and back, at every source and destination alignment', () => {
    const sab = new SharedArrayBuffer(4096);
    const shared = new Uint8Array(sab);
    const shared32 = new Int32Array(sab);
    shared.set(filled(4096, false, 9));
    const plain = new Uint8Array(1024);
    const plain32 = new Int32Array(plain.buffer);
    for (const n of sizes) {
      for (const start of [64, 65, 66, 67, 128]) {
        for (let at = 4; at < 8; at++) {
          // out of the shared buffer: source alignment x destination alignment (equal, or joined by shifts)
          plain.fill(0xee);
          copyWords(plain32, plain, at, shared32, shared, start, start + n);
          expect(Buffer.from(plain.subarray(at, at + n)).equals(Buffer.from(shared.subarray(start, start + n)))).toBe(true);
          expect(plain[at - 1]).toBe(0xee);
          expect(plain[at + n]).toBe(0xee);
          // and back in, to another place
          const back = 2048 + (start & 3) * 5 + at;
          shared.fill(0xee, back - 1, back + n + 1);
          copyWords(shared32, shared, back, plain32, plain, at, at + n);
          expect(Buffer.from(shared.subarray(back, back + n)).equals(Buffer.from(plain.subarray(at, at + n)))).toBe(true);
          expect(shared[back - 1]).toBe(0xee);
          expect(shared[back + n]).toBe(0xee);
        }
      }
    }
  });
});
