// Unit tests for the packed element sequence (src/store/listpack.ts): encodings
// (integers and strings of every header size), walking both ways, seek, find
// with skip, every mutator against a JS array model with random operations,
// growth/shrink, copy between arenas, merge, and the per-element overhead.
import { describe, it, expect } from 'vitest';
import { Allocator } from '../../src/store/allocator';
import { Listpack, parseCanonical, LP_HEADER } from '../../src/store/listpack';
import { Rng } from '../helpers/gen';

const MB = 1024 * 1024;
const enc = (s: string): Uint8Array => Buffer.from(s, 'latin1');

function setup(): { a: Allocator; lp: Listpack } {
  const a = Allocator.create(1 * MB, 512 * MB);
  return { a, lp: new Listpack(a) };
}

function forward(lp: Listpack, l: number): string[] {
  const out: string[] = [];
  for (let p = lp.first(l); p !== 0; p = lp.next(l, p)) out.push(lp.getString(p));
  return out;
}

function backward(lp: Listpack, l: number): string[] {
  const out: string[] = [];
  for (let p = lp.last(l); p !== 0; p = lp.prev(l, p)) out.push(lp.getString(p));
  return out.reverse();
}

function check(lp: Listpack, l: number, model: string[]): void {
  lp.validate(l);
  expect(lp.count(l)).toBe(model.length);
  expect(forward(lp, l)).toEqual(model);
  expect(backward(lp, l)).toEqual(model);
}

const SAMPLES = [
  '',
  'a',
  '0',
  '-0',
  '00',
  '01',
  '+1',
  '1',
  '127',
  '128',
  '-1',
  '-4096',
  '-4097',
  '4095',
  '4096',
  '32767',
  '-32768',
  '32768',
  '8388607',
  '-8388608',
  '8388608',
  '2147483647',
  '-2147483648',
  '2147483648',
  '-2147483649',
  '4294967296',
  '9007199254740991',
  '-9007199254740991',
  '9007199254740992',
  '9223372036854775807',
  '-9223372036854775808',
  '12345678901234567890',
  ' 1',
  '1 ',
  '1.5',
  '-',
  'x'.repeat(63),
  'y'.repeat(64),
  'z'.repeat(127),
  'w'.repeat(4095),
  'v'.repeat(4096),
  'u'.repeat(20000),
];

describe('listpack', () => {
  it('parseCanonical accepts exactly canonical safe integers', () => {
    expect(parseCanonical(enc('0'), 0, 1)).toBe(0);
    expect(parseCanonical(enc('-0'), 0, 2)).toBeNull();
    expect(parseCanonical(enc('007'), 0, 3)).toBeNull();
    expect(parseCanonical(enc('+7'), 0, 2)).toBeNull();
    expect(parseCanonical(enc('-12'), 0, 3)).toBe(-12);
    expect(parseCanonical(enc('9007199254740991'), 0, 16)).toBe(9007199254740991);
    expect(parseCanonical(enc('9007199254740992'), 0, 16)).toBeNull();
    expect(parseCanonical(enc(''), 0, 0)).toBeNull();
  });

  it('round-trips every encoding, both directions', () => {
    const { lp } = setup();
    let l = lp.create();
    for (const s of SAMPLES) l = lp.append(l, enc(s), 0, s.length);
    check(lp, l, SAMPLES);
    for (let i = 0; i < SAMPLES.length; i++) {
      expect(lp.getString(lp.seek(l, i))).toBe(SAMPLES[i]);
      expect(lp.getString(lp.seek(l, i - SAMPLES.length))).toBe(SAMPLES[i]);
    }
    expect(lp.seek(l, SAMPLES.length)).toBe(0);
    expect(lp.seek(l, -SAMPLES.length - 1)).toBe(0);
    // integer elements report their value
    lp.get(lp.seek(l, SAMPLES.indexOf('-2147483649')));
    expect(lp.vIsInt).toBe(true);
    expect(lp.vInt).toBe(-2147483649);
    lp.get(lp.seek(l, SAMPLES.indexOf('01')));
    expect(lp.vIsInt).toBe(false);
  });

  it('eq and find match bytes exactly across encodings', () => {
    const { lp } = setup();
    let l = lp.create();
    for (const s of SAMPLES) l = lp.append(l, enc(s), 0, s.length);
    for (let i = 0; i < SAMPLES.length; i++) {
      const b = enc(SAMPLES[i]);
      const p = lp.find(l, b, 0, b.length, 0);
      expect(p).toBe(lp.seek(l, i));
      for (let j = 0; j < SAMPLES.length; j++) expect(lp.eq(lp.seek(l, j), b, 0, b.length)).toBe(i === j);
    }
    expect(lp.find(l, enc('nope'), 0, 4, 0)).toBe(0);
    expect(lp.find(l, enc('1000'), 0, 4, 0)).toBe(0);
  });

  it('find with skip only looks at every (skip+1)-th element', () => {
    const { lp } = setup();
    let l = lp.create();
    // pairs: field, value; a value equal to a later field must not be found as a field
    const items = ['f1', 'f3', 'f2', '10', 'f3', 'x', '10', 'y'];
    for (const s of items) l = lp.append(l, enc(s), 0, s.length);
    const f = (s: string): number => lp.find(l, enc(s), 0, s.length, 1);
    expect(f('f3')).toBe(lp.seek(l, 4));
    expect(f('10')).toBe(lp.seek(l, 6));
    expect(f('x')).toBe(0);
    expect(lp.find(l, enc('f3'), 0, 2, 1, lp.seek(l, 1))).toBe(lp.seek(l, 1));
  });

  it('random operations match an array model', () => {
    const { a, lp } = setup();
    const r = new Rng(42);
    const gen = (): string => {
      const k = r.int(0, 9);
      if (k < 3) return String(r.int(-200, 200));
      if (k < 4) return String(r.int(-3e9, 3e9));
      if (k < 5) return String(r.int(-1e15, 1e15));
      if (k < 8) return 'e' + 'x'.repeat(r.int(0, 70));
      if (k < 9) return 'L' + 'y'.repeat(r.int(60, 5000));
      return r.pick(SAMPLES);
    };
    const base = a.usedBytes;
    for (let round = 0; round < 6; round++) {
      let l = lp.create(r.int(0, 100));
      const model: string[] = [];
      for (let op = 0; op < 600; op++) {
        const k = r.int(0, 13);
        const s = gen();
        const b = enc(s);
        if (k === 0 || model.length === 0) {
          l = lp.append(l, b, 0, b.length);
          model.push(s);
          expect(lp.getString(lp.pos)).toBe(s);
        } else if (k === 1 || k === 10) {
          // with or without room reserved for more prepends (the gap)
          l = lp.prepend(l, b, 0, b.length, r.pick([0, 0, 512, 4096, 65536]));
          model.unshift(s);
          expect(lp.pos).toBe(lp.first(l));
          expect(lp.getString(lp.pos)).toBe(s);
        } else if (k === 11) {
          // pop the head: widens the gap
          l = lp.delete(l, lp.first(l));
          model.shift();
          expect(lp.pos).toBe(model.length > 0 ? lp.first(l) : 0);
        } else if (k === 12) {
          // prepend an element of the listpack itself (the elements may move first)
          const i = r.int(0, model.length - 1);
          lp.get(lp.seek(l, i));
          const src = lp.vIsInt ? lp.vBuf.slice(lp.vStart, lp.vStart + lp.vLen) : lp.vBuf;
          const off = lp.vIsInt ? 0 : lp.vStart;
          l = lp.prepend(l, src, off, lp.vLen, r.pick([0, 4096]));
          model.unshift(model[i]);
        } else if (k === 13) {
          l = lp.shrinkToFit(l);
          expect(lp.memory(l)).toBeLessThanOrEqual(Math.max(32, lp.byteSize(l) * 1.25 + 8));
        } else if (k === 2 || k === 3) {
          const i = r.int(0, model.length - 1);
          const after = r.chance(0.5);
          l = lp.insert(l, lp.seek(l, i), b, 0, b.length, after);
          model.splice(after ? i + 1 : i, 0, s);
          expect(lp.pos).toBe(lp.seek(l, after ? i + 1 : i));
        } else if (k === 4) {
          const i = r.int(0, model.length - 1);
          l = lp.replace(l, lp.seek(l, i), b, 0, b.length);
          model[i] = s;
          expect(lp.pos).toBe(lp.seek(l, i));
        } else if (k === 5) {
          const i = r.int(0, model.length - 1);
          l = lp.delete(l, lp.seek(l, i));
          model.splice(i, 1);
          expect(lp.pos).toBe(i < model.length ? lp.seek(l, i) : 0);
        } else if (k === 6) {
          const i = r.int(0, model.length - 1);
          const n = r.int(0, 8);
          l = lp.deleteRange(l, lp.seek(l, i), n);
          model.splice(i, n);
          expect(lp.pos).toBe(i < model.length ? lp.seek(l, i) : 0);
        } else if (k === 7) {
          // element copied from the listpack itself (source inside the arena)
          const i = r.int(0, model.length - 1);
          const j = r.int(0, model.length - 1);
          lp.get(lp.seek(l, i));
          const src = lp.vIsInt ? lp.vBuf.slice(lp.vStart, lp.vStart + lp.vLen) : lp.vBuf;
          const off = lp.vIsInt ? 0 : lp.vStart;
          l = lp.insert(l, lp.seek(l, j), src, off, lp.vLen, false);
          model.splice(j, 0, model[i]);
        } else if (k === 8) {
          const i = r.int(0, model.length - 1);
          const p = lp.find(l, enc(model[i]), 0, model[i].length, 0);
          expect(p).toBe(lp.seek(l, model.indexOf(model[i])));
        } else {
          const i = r.int(0, model.length - 1);
          lp.get(lp.seek(l, i));
          l = lp.replace(l, lp.seek(l, r.int(0, model.length - 1)), lp.vBuf.slice(lp.vStart, lp.vStart + lp.vLen), 0, lp.vLen);
          // replaced index unknown after the call; recompute from model by re-reading
          model.length = 0;
          model.push(...forward(lp, l));
        }
        if (op % 25 === 0) check(lp, l, model);
      }
      check(lp, l, model);
      const c = lp.copy(a, l, a);
      check(lp, c, model);
      lp.free(c);
      lp.free(l);
      expect(a.usedBytes).toBe(base);
    }
  });

  it('grows and shrinks, freeing every block', () => {
    const { a, lp } = setup();
    const base = a.usedBytes;
    let l = lp.create();
    const model: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const s = `field:${i}`;
      l = lp.append(l, enc(s), 0, s.length);
      model.push(s);
    }
    check(lp, l, model);
    expect(lp.memory(l)).toBeLessThan(lp.byteSize(l) * 1.3);
    while (model.length > 10) {
      l = lp.deleteRange(l, lp.seek(l, 3), 50);
      model.splice(3, 50);
    }
    check(lp, l, model);
    expect(lp.memory(l)).toBeLessThan(256);
    lp.free(l);
    expect(a.usedBytes).toBe(base);
  });

  it('overhead is close to Redis listpack (2 bytes for short elements)', () => {
    const { lp } = setup();
    let l = lp.create();
    for (let i = 0; i < 100; i++) l = lp.append(l, enc('abcdefgh'), 0, 8);
    expect(lp.byteSize(l)).toBe(LP_HEADER + 100 * 10);
    let m = lp.create();
    for (let i = 0; i < 100; i++) m = lp.append(m, enc(String(i)), 0, String(i).length);
    expect(lp.byteSize(m)).toBe(LP_HEADER + 100 * 2);
    let n = lp.create();
    for (let i = 0; i < 100; i++) n = lp.append(n, enc(String(1000 + i)), 0, 4);
    expect(lp.byteSize(n)).toBe(LP_HEADER + 100 * 3);
  });

  it('the head changes in place: prepends fill the gap, popping the head widens it', () => {
    const { a, lp } = setup();
    const base = a.usedBytes;
    let l = lp.create();
    l = lp.append(l, enc('tail'), 0, 4);
    // a prepend that needs room moves the elements once, into a block twice
    // the size needed (up to maxBlock): the moves are logarithmic in the prepends
    const model = ['tail'];
    let moves = 0;
    for (let i = 0; i < 200; i++) {
      const before = l;
      l = lp.prepend(l, enc(`e${i}`), 0, String(i).length + 1, 2048);
      model.unshift(`e${i}`);
      if (l !== before) moves++;
    }
    check(lp, l, model);
    expect(moves).toBeLessThanOrEqual(8);
    moves = 0;
    for (let i = 0; i < 100; i++) {
      const before = l;
      l = lp.delete(l, lp.first(l));
      model.shift();
      if (l !== before) moves++;
    }
    // only shrinking (elements below 70% of the block) moves it
    expect(moves).toBeLessThanOrEqual(2);
    check(lp, l, model);
    // appends, inserts and deletes elsewhere still work with a gap in front
    l = lp.append(l, enc('z'), 0, 1);
    model.push('z');
    l = lp.insert(l, lp.seek(l, 3), enc('mid'), 0, 3, true);
    model.splice(4, 0, 'mid');
    l = lp.delete(l, lp.seek(l, 5));
    model.splice(5, 1);
    check(lp, l, model);
    // copy and merge drop the gap
    const c = lp.copy(a, l, a);
    check(lp, c, model);
    expect(lp.memory(c)).toBeLessThanOrEqual(lp.memory(l));
    let m = lp.create();
    m = lp.prepend(m, enc('first'), 0, 5, 4096);
    m = lp.merge(m, l);
    check(lp, m, ['first', ...model]);
    const shrunk = lp.shrinkToFit(c);
    check(lp, shrunk, model);
    // emptying from the head leaves no gap behind
    let e = lp.create();
    for (let i = 0; i < 5; i++) e = lp.prepend(e, enc(`x${i}`), 0, 2, 1024);
    for (let i = 0; i < 5; i++) e = lp.delete(e, lp.first(e));
    check(lp, e, []);
    expect(lp.byteSize(e)).toBe(LP_HEADER);
    lp.free(e);
    lp.free(shrunk);
    lp.free(m);
    expect(a.usedBytes).toBe(base);
  });

  it('copies between arenas and merges', () => {
    const { a, lp } = setup();
    const b = Allocator.create(1 * MB, 64 * MB);
    let l = lp.create();
    const model: string[] = [];
    for (let i = 0; i < 300; i++) {
      const s = i % 3 === 0 ? String(i * 1000) : 'm'.repeat(i % 90);
      l = lp.append(l, enc(s), 0, s.length);
      model.push(s);
    }
    const c = lp.copy(a, l, b);
    const lb = new Listpack(b);
    check(lb, c, model);
    let m = lp.create();
    for (const s of ['p', 'q', '77']) m = lp.append(m, enc(s), 0, s.length);
    l = lp.merge(l, m);
    check(lp, l, [...model, 'p', 'q', '77']);
    // an empty listpack
    const e = lp.create();
    check(lp, e, []);
    expect(lp.first(e)).toBe(0);
    expect(lp.last(e)).toBe(0);
    expect(lp.find(e, enc('x'), 0, 1, 0)).toBe(0);
  });
});
