// Lazy freeing (src/store/lazy_free.ts through the Keyspace): a deleted big
// value is queued and freed in slices; every block comes back exactly once
// (block count and used bytes return to their values before the value
// existed) and the freed blocks are reused.
import { describe, expect, it } from 'vitest';
import { Keyspace, ObjType, Enc } from '../../src/store/keyspace';
import { hashOpsFor } from '../../src/store/hash_value';
import { SetRef, setTable } from '../../src/store/set_value';
import { SkipList } from '../../src/store/skiplist';
import { ql } from '../../src/store/list_value';
import '../../src/store/zset_value';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

function newKeyspace(): Keyspace {
  return new Keyspace(Keyspace.create(16, 1 << 30));
}

type Kind = 'zset' | 'hash' | 'set' | 'list';

/** Build a collection of n elements in ks's arena; returns [type, enc, ptr]. */
function build(ks: Keyspace, kind: Kind, n: number): [ObjType, Enc, number] {
  const a = ks.a;
  if (kind === 'zset') {
    const sl = SkipList.for(a);
    const o = sl.create();
    for (let i = 0; i < n; i++) {
      const m = b(`member:${i}`);
      sl.insert(o, i % 97, m, 0, m.length);
    }
    return [ObjType.ZSet, Enc.Skiplist, o];
  }
  if (kind === 'hash') {
    const ops = hashOpsFor(a);
    let ptr = ops.createListpack();
    let enc = Enc.Listpack;
    for (let i = 0; i < n; i++) {
      const f = b(`field:${i}`);
      const v = b(`value:${i}`.repeat(1 + (i % 5)));
      ops.set(ptr, enc, f, 0, f.length, v, 0, v.length, 128, 64);
      ptr = ops.ptr;
      enc = ops.enc;
    }
    return [ObjType.Hash, enc, ptr];
  }
  if (kind === 'set') {
    const r = new SetRef().create(a, false);
    for (let i = 0; i < n; i++) {
      const m = b(`m${i}`);
      r.add(m, 0, m.length, 512);
    }
    return [ObjType.Set, r.enc, r.ptr];
  }
  // 8 elements per node: a node is what freeing a list counts
  const h = ql.create(a, 8);
  for (let i = 0; i < n; i++) {
    const v = b(`element:${i}`);
    ql.push(a, h, v, 0, v.length, false);
  }
  return [ObjType.List, Enc.Quicklist, h];
}

function store(ks: Keyspace, db: number, key: string, kind: Kind, n: number): void {
  const [type, enc, ptr] = build(ks, kind, n);
  const k = b(key);
  ks.setObject(db, k, 0, k.length, type, enc, ptr, 0);
}

/** Run one-chunk slices (the deadline is already past) until done; returns how many. */
function drain(ks: Keyspace): number {
  let slices = 0;
  while (ks.hasLazyFree) {
    ks.lazyFreeStep(0);
    slices++;
    if (slices > 1_000_000) throw new Error('lazy free does not end');
  }
  return slices;
}

describe('lazy free', () => {
  for (const kind of ['zset', 'hash', 'set', 'list'] as const) {
    it(`a deleted big ${kind} is freed in slices, every block exactly once, and the blocks are reused`, () => {
      const ks = newKeyspace();
      const a = ks.a;
      ks.setString(0, b('other'), 0, 5, b('x'), 0, 1, Enc.Embstr, 0);
      const used0 = a.usedBytes;
      const blocks0 = a.blockCount;
      const arena0 = a.arenaBytes;
      const n = 20_000;
      store(ks, 0, 'big', kind, n);
      if (kind === 'hash' || kind === 'set') {
        // 20000 entries: the table is half way through growing to 32768 buckets, so the drain meets both bucket arrays
        const ptr = ks.objectPtr(ks.find(0, b('big'), 0, 3));
        const t = kind === 'set' ? setTable(a, 2).at(ptr) : hashOpsFor(a).ht.at(ptr);
        expect(t.isRehashing).toBe(true);
      }
      const arenaLoaded = a.arenaBytes;
      const usedLoaded = a.usedBytes;

      expect(ks.delete(0, b('big'), 0, 3)).toBe(true);
      expect(ks.find(0, b('big'), 0, 3)).toBe(0);
      expect(ks.size(0)).toBe(1);
      expect(ks.lazyFreePending).toBe(1);
      expect(ks.hasLazyFree).toBe(true);
      // only the key entry went at once
      expect(a.usedBytes).toBeGreaterThan(used0 + (usedLoaded - used0) * 0.9);

      const slices = drain(ks);
      expect(slices).toBeGreaterThan(1);
      expect(ks.lazyFreePending).toBe(0);
      expect(a.usedBytes).toBe(used0);
      expect(a.blockCount).toBe(blocks0);

      // the same value again fits in the freed blocks (skip list nodes get new random levels: not exactly)
      store(ks, 0, 'big', kind, n);
      // (per-class block counts vary with the levels drawn: allow 5% for zsets)
      expect(a.arenaBytes - arenaLoaded).toBeLessThan((arenaLoaded - arena0) / (kind === 'zset' ? 20 : 100));
    });
  }

  it('a small collection is freed at once; overwrite and expiry free big values lazily', () => {
    const ks = newKeyspace();
    const a = ks.a;
    ks.setString(0, b('other'), 0, 5, b('x'), 0, 1, Enc.Embstr, 0);
    const used0 = a.usedBytes;
    const blocks0 = a.blockCount;
    store(ks, 0, 'small', 'zset', 64);
    expect(ks.delete(0, b('small'), 0, 5)).toBe(true);
    expect(ks.hasLazyFree).toBe(false);
    expect(a.usedBytes).toBe(used0);

    // overwritten by a string
    store(ks, 0, 'k', 'hash', 5000);
    ks.setString(0, b('k'), 0, 1, b('str'), 0, 3, Enc.Embstr, 0);
    expect(ks.lazyFreePending).toBe(1);
    // overwritten by another collection, while the first is still queued
    store(ks, 0, 'k2', 'set', 5000);
    store(ks, 0, 'k2', 'zset', 10);
    expect(ks.lazyFreePending).toBe(2);
    // expired, found by a lookup
    store(ks, 0, 'k3', 'zset', 5000);
    const k3 = b('k3');
    const e = ks.find(0, k3, 0, 2);
    ks.setExpire(0, e, ks.now - 1);
    expect(ks.lookup(0, k3, 0, 2)).toBe(0);
    expect(ks.lazyFreePending).toBe(3);
    // the queue keeps its work across other keyspace use
    ks.lazyFreeStep(0);
    store(ks, 0, 'k4', 'list', 6000);
    ks.delete(0, b('k4'), 0, 2);
    expect(ks.lazyFreePending).toBe(4);
    drain(ks);
    expect(ks.lazyFreePending).toBe(0);
    ks.delete(0, b('k'), 0, 1);
    ks.delete(0, b('k2'), 0, 2);
    expect(ks.hasLazyFree).toBe(false);
    expect(a.usedBytes).toBe(used0);
    expect(a.blockCount).toBe(blocks0);
  });

  it('FLUSHDB ASYNC swaps in an empty table and frees the old keys and values in slices', () => {
    const ks = newKeyspace();
    const a = ks.a;
    const used0 = a.usedBytes;
    const blocks0 = a.blockCount;
    const n = 5000;
    for (let i = 0; i < n; i++) {
      const k = b(`key:${i}`);
      const v = b(i % 3 === 0 ? 'long value '.repeat(10) : `v${i}`);
      ks.setString(1, k, 0, k.length, v, 0, v.length, Enc.Raw, i % 7 === 0 ? ks.now + 100_000 : 0);
    }
    store(ks, 1, 'zbig', 'zset', 3000);
    store(ks, 1, 'hbig', 'hash', 3000);
    ks.setString(2, b('keep'), 0, 4, b('x'), 0, 1, Enc.Embstr, 0);
    const usedKeep = a.usedBytes;

    expect(ks.flushDb(1, true)).toBe(n + 2);
    expect(ks.size(1)).toBe(0);
    expect(ks.expiresCount(1)).toBe(0);
    expect(ks.find(1, b('key:1'), 0, 5)).toBe(0);
    expect(ks.lazyFreePending).toBe(n + 2);
    // the flushed db is usable at once
    ks.setString(1, b('new'), 0, 3, b('y'), 0, 1, Enc.Embstr, 0);
    expect(ks.size(1)).toBe(1);

    const slices = drain(ks);
    expect(slices).toBeGreaterThan(5);
    expect(ks.lazyFreePending).toBe(0);
    expect(ks.size(2)).toBe(1);
    ks.flushDb(1, false);
    ks.flushDb(2, false);
    expect(a.usedBytes).toBe(used0);
    expect(a.blockCount).toBe(blocks0);
    expect(usedKeep).toBeGreaterThan(used0);
  });

  it('FLUSHDB SYNC frees big values before returning', () => {
    const ks = newKeyspace();
    const a = ks.a;
    const used0 = a.usedBytes;
    store(ks, 0, 'z', 'zset', 3000);
    for (let i = 0; i < 100; i++) ks.setString(0, b(`k${i}`), 0, `k${i}`.length, b('v'), 0, 1, Enc.Embstr, 0);
    expect(ks.flushDb(0, false)).toBe(101);
    expect(ks.hasLazyFree).toBe(false);
    expect(a.usedBytes).toBe(used0);
  });
});
