// Quicklist (src/store/quicklist.ts) against a plain array model, under
// several node size settings, with structural checks after every step.
import { describe, expect, it } from 'vitest';
import { Allocator } from '../../src/store/allocator';
import { QuickList } from '../../src/store/quicklist';
import { Rng } from '../helpers/gen';

const enc = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const dec = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** Collects bulk replies as strings. */
class Sink {
  out: string[] = [];
  bulk(src: Uint8Array, start = 0, end = src.length): void {
    this.out.push(dec(src.subarray(start, end)));
  }
}

function contents(ql: QuickList, a: Allocator, h: number): string[] {
  const s = new Sink();
  const n = ql.length(a, h);
  if (n > 0) ql.replyRange(a, h, 0, n, false, s);
  return s.out;
}

function newArena(): Allocator {
  return Allocator.create(1 << 20, 1 << 30);
}

describe('quicklist', () => {
  it('push, pop, ranges on a small list', () => {
    const a = newArena();
    const ql = new QuickList();
    const h = ql.create(a, -2);
    for (const v of ['b', 'c', '12', '-7']) ql.push(a, h, enc(v), 0, v.length, false);
    ql.push(a, h, enc('a'), 0, 1, true);
    expect(ql.length(a, h)).toBe(5);
    expect(contents(ql, a, h)).toEqual(['a', 'b', 'c', '12', '-7']);
    const s = new Sink();
    ql.replyRange(a, h, 4, 3, true, s);
    expect(s.out).toEqual(['-7', '12', 'c']);
    const s2 = new Sink();
    ql.popReply(a, h, true, s2);
    ql.popReply(a, h, false, s2);
    expect(s2.out).toEqual(['a', '-7']);
    expect(dec(ql.popToScratch(a, h, false))).toBe('12');
    expect(contents(ql, a, h)).toEqual(['b', 'c']);
    ql.verify(a, h);
    ql.free(a, h);
  });

  it('frees every block', () => {
    const a = newArena();
    const before = a.usedBytes;
    const ql = new QuickList();
    const h = ql.create(a, 4);
    for (let i = 0; i < 1000; i++) ql.push(a, h, enc(`v${i}`), 0, `v${i}`.length, i % 2 === 0);
    expect(ql.nodeCount(a, h)).toBeGreaterThan(200);
    const c = ql.copy(a, h, a);
    expect(contents(ql, a, c)).toEqual(contents(ql, a, h));
    ql.free(a, h);
    ql.free(a, c);
    expect(a.usedBytes).toBe(before);
  });

  it('copies across arenas', () => {
    const a = newArena();
    const b = newArena();
    const ql = new QuickList();
    const h = ql.create(a, -1);
    for (let i = 0; i < 5000; i++) ql.push(a, h, enc(String(i * 7919)), 0, String(i * 7919).length, false);
    const c = ql.copy(a, h, b);
    ql.verify(b, c);
    expect(contents(ql, b, c)).toEqual(contents(ql, a, h));
    expect(ql.memory(b, c)).toBeGreaterThan(0);
  });

  const cases: Array<[number, number]> = [
    ...[-2, -1, -5, 1, 2, 5, 0, 128].map((fill): [number, number] => [fill, 0]),
    // list-compress-depth: inner nodes LZF-compressed
    [-2, 1],
    [5, 1],
    [1, 2],
    [128, 3],
  ];
  for (const [fill, depth] of cases) {
    it(`random operations match an array model (fill ${fill}${depth ? `, compress depth ${depth}` : ''})`, () => {
      const a = newArena();
      const before = a.usedBytes;
      const ql = new QuickList();
      const h = ql.create(a, fill, depth);
      let sawCompressed = 0;
      const model: string[] = [];
      const r = new Rng(77 + fill);
      const value = (): string =>
        r.pick([
          () => String(r.int(-1000, 1000)),
          () => r.pick(['a', 'b', 'c', '']),
          () => r.pick(['9223372036854775807', '-9223372036854775808', '007', '1.5', '-0']),
          () => 'x'.repeat(r.int(1, 600)),
          () => 'y'.repeat(r.int(3000, 9000)),
          () => `element:${String(r.int(0, 999999)).padStart(12, '0')}`,
          () => `element:${String(r.int(0, 999999)).padStart(12, '0')}`.repeat(r.int(2, 6)),
        ])();
      for (let step = 0; step < 3000; step++) {
        const op = r.int(0, 9);
        const n = model.length;
        if (op <= 2) {
          const v = value();
          const head = r.chance(0.5);
          ql.push(a, h, enc(v), 0, v.length, head);
          if (head) model.unshift(v);
          else model.push(v);
        } else if (op === 3 && n > 0) {
          const head = r.chance(0.5);
          const got = dec(ql.popToScratch(a, h, head));
          expect(got).toBe(head ? model.shift() : model.pop());
        } else if (op === 4 && n > 0) {
          const i = r.int(0, n - 1);
          const v = value();
          ql.replaceAt(a, h, i, enc(v), 0, v.length);
          model[i] = v;
        } else if (op === 5 && n > 0) {
          const pivot = model[r.int(0, n - 1)]!;
          const v = value();
          const after = r.chance(0.5);
          expect(ql.insertAtPivot(a, h, enc(pivot), 0, pivot.length, enc(v), 0, v.length, after)).toBe(true);
          const at = model.indexOf(pivot);
          model.splice(after ? at + 1 : at, 0, v);
        } else if (op === 6 && n > 0) {
          const start = r.int(0, n - 1);
          const k = r.int(1, Math.min(n - start, 40));
          ql.delRange(a, h, start, k);
          model.splice(start, k);
        } else if (op === 7 && n > 0) {
          const v = model[r.int(0, n - 1)]!;
          const max = r.int(0, 3);
          const fromTail = r.chance(0.5);
          const removed = ql.removeMatching(a, h, enc(v), 0, v.length, max, fromTail);
          let cnt = 0;
          if (fromTail) {
            for (let i = model.length - 1; i >= 0; i--) {
              if (model[i] === v && (max === 0 || cnt < max)) {
                model.splice(i, 1);
                cnt++;
              }
            }
          } else {
            for (let i = 0; i < model.length; ) {
              if (model[i] === v && (max === 0 || cnt < max)) {
                model.splice(i, 1);
                cnt++;
              } else i++;
            }
          }
          expect(removed).toBe(cnt);
        } else if (op === 8 && n > 0) {
          const start = r.int(0, n - 1);
          const k = r.int(1, n - start);
          const reverse = r.chance(0.3);
          const s = new Sink();
          if (reverse) {
            const from = start + k - 1;
            ql.replyRange(a, h, from, k, true, s);
            expect(s.out).toEqual(model.slice(start, start + k).reverse());
          } else {
            ql.replyRange(a, h, start, k, false, s);
            expect(s.out).toEqual(model.slice(start, start + k));
          }
        } else if (op === 9 && n > 0) {
          // iterate both ways, comparing
          const v = model[r.int(0, n - 1)]!;
          const it = ql.iter(a, h, r.chance(0.5));
          const positions: number[] = [];
          let i = 0;
          while (it.next()) {
            if (it.equals(enc(v), 0, v.length)) positions.push(it.backward ? n - 1 - i : i);
            i++;
          }
          expect(i).toBe(n);
          const want = model.flatMap((x, j) => (x === v ? [j] : []));
          if (it.backward) want.reverse();
          expect(positions).toEqual(want);
        }
        expect(ql.length(a, h)).toBe(model.length);
        if (step % 50 === 0) {
          ql.verify(a, h);
          expect(contents(ql, a, h)).toEqual(model);
          sawCompressed = Math.max(sawCompressed, ql.compressedNodes(a, h));
          if (step % 500 === 0) {
            // a copy keeps the layout and the contents
            const c = ql.copy(a, h, a);
            ql.verify(a, c);
            expect(ql.compressedNodes(a, c)).toBe(ql.compressedNodes(a, h));
            expect(contents(ql, a, c)).toEqual(model);
            ql.free(a, c);
          }
        }
      }
      ql.verify(a, h);
      expect(contents(ql, a, h)).toEqual(model);
      if (depth === 0) expect(sawCompressed).toBe(0);
      else expect(sawCompressed).toBeGreaterThan(0);
      ql.free(a, h);
      expect(a.usedBytes).toBe(before);
    });
  }

  it('respects node size limits', () => {
    const a = newArena();
    const ql = new QuickList();
    const h = ql.create(a, 10);
    for (let i = 0; i < 1000; i++) ql.push(a, h, enc('abc'), 0, 3, false);
    expect(ql.nodeCount(a, h)).toBe(100);
    const h2 = ql.create(a, -1);
    for (let i = 0; i < 1000; i++) ql.push(a, h2, enc('x'.repeat(100)), 0, 100, false);
    // -1 allows 4 KB: < 40 elements of 103 bytes each (2-byte encoding, 100 bytes, backlen)
    expect(ql.nodeCount(a, h2)).toBeGreaterThan(1000 / 40);
    expect(ql.nodeCount(a, h2)).toBeLessThan(1000 / 35);
    // -5 would allow 64 KB, but nodes are capped at 8 KB: < 80 elements each
    const h3 = ql.create(a, -5);
    for (let i = 0; i < 1000; i++) ql.push(a, h3, enc('x'.repeat(100)), 0, 100, false);
    expect(ql.nodeCount(a, h3)).toBeGreaterThan(1000 / 80);
    expect(ql.nodeCount(a, h3)).toBeLessThan(1000 / 75);
  });
});
