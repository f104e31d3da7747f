// Unit tests for the arena skip list (src/store/skiplist.ts) and the zset value
// object over both encodings (src/store/zset_value.ts), against a plain model.
import { describe, it, expect } from 'vitest';
import { Allocator } from '../../src/store/allocator';
import { Enc } from '../../src/store/keyspace';
import { SkipList, ScoreRange, LexRange, LEX_NORMAL, LEX_MINUS, LEX_PLUS, N_KEY } from '../../src/store/skiplist';
import { ZRef } from '../../src/store/zset_value';
import { mulberry32 } from '../helpers/gen';

const MB = 1024 * 1024;
const b = (s: string): Buffer => Buffer.from(s, 'latin1');

interface Item {
  m: string;
  s: number;
}

function cmp(x: Item, y: Item): number {
  if (x.s !== y.s) return x.s < y.s ? -1 : 1;
  return Buffer.compare(b(x.m), b(y.m));
}

function sorted(model: Map<string, number>): Item[] {
  return [...model].map(([m, s]) => ({ m, s })).sort(cmp);
}

function contents(z: ZRef): Item[] {
  const out: Item[] = [];
  for (let c = z.first(); c !== 0; c = z.next(c)) {
    const s = z.score(c);
    z.member(c);
    out.push({ m: Buffer.from(z.mBuf.subarray(z.mOff, z.mOff + z.mLen)).toString('latin1'), s });
  }
  return out;
}

function backwards(z: ZRef): string[] {
  const out: string[] = [];
  for (let c = z.last(); c !== 0; c = z.prev(c)) {
    z.member(c);
    out.push(Buffer.from(z.mBuf.subarray(z.mOff, z.mOff + z.mLen)).toString('latin1'));
  }
  return out;
}

describe('skiplist', () => {
  it('inserts, ranks, finds by rank and deletes (spans stay consistent)', () => {
    const a = Allocator.create(4 * MB, 256 * MB);
    const sl = new SkipList(a);
    const o = sl.create();
    const rnd = mulberry32(7);
    const model = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const m = `m${Math.floor(rnd() * 2000)}`;
      const s = Math.floor(rnd() * 50) - 25;
      const key = b(m);
      const n = sl.find(o, key, 0, key.length);
      if (n === 0) sl.insert(o, s, key, 0, key.length);
      else sl.updateScore(o, n, s);
      model.set(m, s);
      if (i % 7 === 0) {
        const victim = `m${Math.floor(rnd() * 2000)}`;
        const vk = b(victim);
        const vn = sl.find(o, vk, 0, vk.length);
        if (vn !== 0) sl.delete(o, vn);
        model.delete(victim);
      }
    }
    const exp = sorted(model);
    expect(sl.length(o)).toBe(exp.length);
    let rank = 1;
    for (let x = sl.first(o); x !== 0; x = sl.next(x), rank++) {
      const item = exp[rank - 1]!;
      expect(Buffer.from(a.u8.subarray(x + N_KEY, x + N_KEY + sl.keyLen(x))).toString('latin1')).toBe(item.m);
      expect(sl.score(x)).toBe(item.s);
      expect(sl.rank(o, x)).toBe(rank);
      expect(sl.byRank(o, rank)).toBe(x);
    }
    expect(sl.byRank(o, 0)).toBe(0);
    expect(sl.byRank(o, exp.length + 1)).toBe(0);
    sl.free(o);
    expect(a.blockCount).toBe(0);
  });

  it('score and lex ranges, range deletions', () => {
    const a = Allocator.create(4 * MB, 256 * MB);
    const sl = new SkipList(a);
    const o = sl.create();
    for (let i = 0; i < 500; i++) {
      const k = b(`k${String(i).padStart(3, '0')}`);
      sl.insert(o, i % 10 === 0 ? 5 : i / 10, k, 0, k.length);
    }
    const r = new ScoreRange();
    r.min = 5;
    r.max = 7;
    r.minex = true;
    const f = sl.firstInRange(o, r);
    const l = sl.lastInRange(o, r);
    expect(sl.score(f)).toBeGreaterThan(5);
    expect(sl.score(l)).toBeLessThanOrEqual(7);
    let n = 0;
    for (let x = sl.first(o); x !== 0; x = sl.next(x)) if (sl.score(x) > 5 && sl.score(x) <= 7) n++;
    expect(sl.rank(o, l) - sl.rank(o, f) + 1).toBe(n);
    expect(sl.deleteRangeByScore(o, r)).toBe(n);
    expect(sl.length(o)).toBe(500 - n);
    r.min = 100;
    r.max = 200;
    expect(sl.firstInRange(o, r)).toBe(0);
    expect(sl.deleteRangeByRank(o, 1, 10)).toBe(10);
    expect(sl.length(o)).toBe(490 - n);
    sl.free(o);

    // lex ranges over equal scores
    const o2 = sl.create();
    for (const m of ['b', 'a', 'c', 'aa', 'ab', '', 'B', 'zz']) {
      const k = b(m);
      sl.insert(o2, 0, k, 0, k.length);
    }
    const lex = new LexRange();
    lex.buf = b('[a(b');
    lex.minKind = LEX_NORMAL;
    lex.minOff = 1;
    lex.minLen = 1;
    lex.minex = false;
    lex.maxKind = LEX_NORMAL;
    lex.maxOff = 3;
    lex.maxLen = 1;
    lex.maxex = true;
    const lf = sl.firstInLexRange(o2, lex);
    const ll = sl.lastInLexRange(o2, lex);
    expect(Buffer.from(a.u8.subarray(lf + N_KEY, lf + N_KEY + sl.keyLen(lf))).toString()).toBe('a');
    expect(Buffer.from(a.u8.subarray(ll + N_KEY, ll + N_KEY + sl.keyLen(ll))).toString()).toBe('ab');
    expect(sl.deleteRangeByLex(o2, lex)).toBe(3);
    lex.minKind = LEX_MINUS;
    lex.maxKind = LEX_PLUS;
    expect(sl.deleteRangeByLex(o2, lex)).toBe(5);
    expect(sl.length(o2)).toBe(0);
    sl.free(o2);
    expect(a.blockCount).toBe(0);
  });

  it('copies to another arena', () => {
    const a = Allocator.create(1 * MB, 64 * MB);
    const a2 = Allocator.create(1 * MB, 64 * MB);
    const sl = SkipList.for(a);
    const o = sl.create();
    for (let i = 0; i < 300; i++) {
      const k = b(`x${i}`);
      sl.insert(o, -i, k, 0, k.length);
    }
    const o2 = sl.copyTo(o, a2);
    const sl2 = SkipList.for(a2);
    expect(sl2.length(o2)).toBe(300);
    expect(sl2.score(sl2.first(o2))).toBe(-299);
    const k = b('x17');
    expect(sl2.score(sl2.find(o2, k, 0, k.length))).toBe(-17);
    expect(sl2.memory(o2)).toBeGreaterThan(300 * 40);
    sl.free(o);
    sl2.free(o2);
    expect(a.blockCount + a2.blockCount).toBe(0);
  });
});

describe('zset value (both encodings)', () => {
  for (const maxEntries of [0, 8, 128]) {
    it(`random operations match a model (listpack max ${maxEntries})`, () => {
      const a = Allocator.create(4 * MB, 256 * MB);
      const z = new ZRef(a).create(a, maxEntries === 0);
      const rnd = mulberry32(100 + maxEntries);
      const ri = (n: number): number => Math.floor(rnd() * n);
      const model = new Map<string, number>();
      const scores = [0, -0, 1, 2.5, Infinity, -Infinity, 1e300, 0.1, -7, 123456789012345680];
      for (let step = 0; step < 4000; step++) {
        const op = ri(10);
        const m = ri(5) === 0 ? String(ri(300) - 100) : `m${ri(100)}`;
        const key = b(m);
        const s = scores[ri(scores.length)]!;
        if (op < 5) {
          const cur = z.find(key, 0, key.length);
          if (cur !== 0) z.updateScore(cur, s);
          else z.addNew(s, key, 0, key.length, maxEntries, 64);
          model.set(m, z.isListpack && s === 0 ? 0 : s);
        } else if (op < 7) {
          if (z.remove(key, 0, key.length)) model.delete(m);
        } else if (op === 7 && z.length() > 2) {
          const n = z.length();
          const st = ri(n);
          z.deleteRangeByRank(st, Math.min(n - 1, st + ri(3)));
          model.clear();
          for (const it of contents(z)) model.set(it.m, it.s);
        } else if (op === 8) {
          if (ri(2) === 0) z.convertToSkiplist();
          else {
            z.convertToListpackIfNeeded(64, maxEntries || 1000, 64);
            if (z.isListpack) for (const [k, v] of model) if (v === 0) model.set(k, 0);
          }
        } else {
          const r = new ScoreRange();
          r.min = ri(6) - 3;
          r.max = r.min + ri(4);
          const f = z.firstInRange(r);
          const exp = sorted(model).filter((it) => it.s >= r.min && it.s <= r.max);
          if (exp.length === 0) expect(f).toBe(0);
          else {
            z.member(f);
            expect(Buffer.from(z.mBuf.subarray(z.mOff, z.mOff + z.mLen)).toString('latin1')).toBe(exp[0]!.m);
            expect(z.rankOf(z.lastInRange(r)) - z.rankOf(f) + 1).toBe(exp.length);
          }
        }
        if (maxEntries > 0 && z.length() > maxEntries) expect(z.enc).toBe(Enc.Skiplist);
      }
      const got = contents(z);
      const exp = sorted(model);
      expect(got.map((x) => x.m)).toEqual(exp.map((x) => x.m));
      for (let i = 0; i < got.length; i++) expect(Object.is(got[i]!.s, exp[i]!.s)).toBe(true);
      expect(backwards(z)).toEqual(exp.map((x) => x.m).reverse());
      for (let r = 0; r < got.length; r += 7) {
        const c = z.atRank(r);
        expect(z.rankOf(c)).toBe(r);
      }
      z.free();
      expect(a.blockCount).toBe(0);
    });
  }

  it('a listpack turns -0 into 0, a skip list keeps it', () => {
    const a = Allocator.create(1 * MB, 64 * MB);
    const lp = new ZRef(a).create(a, false);
    lp.addNew(-0, b('x'), 0, 1, 128, 64);
    expect(Object.is(lp.score(lp.first()), 0)).toBe(true);
    const sl = new ZRef(a).create(a, true);
    sl.addNew(-0, b('x'), 0, 1, 128, 64);
    expect(Object.is(sl.score(sl.first()), -0)).toBe(true);
    lp.free();
    sl.free();
  });
});
