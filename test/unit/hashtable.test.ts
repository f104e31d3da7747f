// Unit tests for the arena hash table (src/store/hashtable.ts): chained buckets,
// incremental rehash, shrink, Redis-style reverse-binary SCAN, randomEntry.
import { describe, it, expect, beforeAll } from 'vitest';
import { Allocator, blockSize } from '../../src/store/allocator';
import { HashTable, HT_HEADER_BYTES, E_HASH, E_KEYLEN, E_NEXT, hashBytes, setHashSeed } from '../../src/store/hashtable';
import { mulberry32 } from '../helpers/gen';

const KEY_OFF = 12; // +0 next, +4 hash, +8 keyLen, key bytes from +12
const MB = 1024 * 1024;

/** A table in a fresh arena plus helpers to build and read entries. */
class TestTable {
  readonly a: Allocator;
  readonly ht: HashTable;
  readonly header: number;
  /** when set, replaces hashBytes (to force collisions) */
  hashFn: ((key: Buffer) => number) | null = null;

  constructor() {
    this.a = Allocator.create(1 * MB, 1024 * MB);
    this.header = this.a.allocZeroed(HT_HEADER_BYTES);
    this.ht = new HashTable(this.a, KEY_OFF);
    this.ht.init(this.header);
    this.ht.at(this.header);
  }

  hash(b: Buffer): number {
    return this.hashFn ? this.hashFn(b) >>> 0 : hashBytes(b, 0, b.length);
  }

  makeEntry(key: string): number {
    const b = Buffer.from(key, 'latin1');
    const e = this.a.alloc(KEY_OFF + b.length);
    const u32 = this.a.u32;
    u32[(e + E_NEXT) >>> 2] = 0xdeadbeef; // garbage: insert must set the link
    u32[(e + E_HASH) >>> 2] = this.hash(b);
    u32[(e + E_KEYLEN) >>> 2] = b.length;
    this.a.u8.set(b, e + KEY_OFF);
    return e;
  }

  freeEntry(e: number): void {
    this.a.free(e, KEY_OFF + this.a.u32[(e + E_KEYLEN) >>> 2]!);
  }

  find(key: string): number {
    const b = Buffer.from(key, 'latin1');
    return this.ht.at(this.header).find(b, 0, b.length, this.hash(b));
  }

  /** insert if absent; returns the entry (new or existing) */
  add(key: string): number {
    const f = this.find(key);
    if (f !== 0) return f;
    const e = this.makeEntry(key);
    this.ht.at(this.header).insert(e);
    return e;
  }

  remove(key: string): boolean {
    const e = this.find(key);
    if (e === 0) return false;
    this.ht.unlinkFound(e);
    this.freeEntry(e);
    return true;
  }

  keyOf(e: number): string {
    const len = this.a.u32[(e + E_KEYLEN) >>> 2]!;
    return Buffer.from(this.a.u8.subarray(e + KEY_OFF, e + KEY_OFF + len)).toString('latin1');
  }

  keys(): string[] {
    const out: string[] = [];
    this.ht.at(this.header).forEach((e) => out.push(this.keyOf(e)));
    return out;
  }
}

/** A set with O(1) random pick and removal. */
class PickSet {
  private arr: string[] = [];
  private idx = new Map<string, number>();
  get size(): number {
    return this.arr.length;
  }
  has(k: string): boolean {
    return this.idx.has(k);
  }
  add(k: string): void {
    if (this.idx.has(k)) return;
    this.idx.set(k, this.arr.length);
    this.arr.push(k);
  }
  delete(k: string): void {
    const i = this.idx.get(k);
    if (i === undefined) return;
    const last = this.arr.pop()!;
    if (i < this.arr.length) {
      this.arr[i] = last;
      this.idx.set(last, i);
    }
    this.idx.delete(k);
  }
  pick(r: () => number): string {
    return this.arr[Math.floor(r() * this.arr.length)]!;
  }
  values(): string[] {
    return this.arr.slice();
  }
}

beforeAll(() => {
  setHashSeed(0x5eed1234);
});

describe('hashBytes', () => {
  it('is deterministic for a seed, depends on every byte and on the offset only through content', () => {
    const b = Buffer.from('xxhello world');
    const h1 = hashBytes(b, 2, 11);
    expect(h1).toBe(hashBytes(Buffer.from('hello world'), 0, 11));
    expect(h1).toBeGreaterThanOrEqual(0);
    expect(h1).toBeLessThan(2 ** 32);
    const seen = new Set<number>();
    for (let len = 0; len <= 16; len++) seen.add(hashBytes(Buffer.alloc(len), 0, len));
    expect(seen.size).toBe(17); // the length is mixed in
    const base = Buffer.from('abcdefghijklmnop');
    for (let i = 0; i < base.length; i++) {
      const c = Buffer.from(base);
      c[i]! ^= 1;
      expect(hashBytes(c, 0, c.length)).not.toBe(hashBytes(base, 0, base.length));
    }
  });

  it('spreads sequential keys over buckets', () => {
    const buckets = new Uint32Array(1024);
    for (let i = 0; i < 102400; i++) {
      const b = Buffer.from(`key:${i}`);
      buckets[hashBytes(b, 0, b.length) & 1023]!++;
    }
    const max = Math.max(...buckets);
    const min = Math.min(...buckets);
    expect(max).toBeLessThan(160);
    expect(min).toBeGreaterThan(50);
  });
});

describe('HashTable basics', () => {
  it('empty table', () => {
    const t = new TestTable();
    expect(t.ht.count).toBe(0);
    expect(t.ht.bucketCount).toBe(0);
    expect(t.ht.isRehashing).toBe(false);
    expect(t.find('x')).toBe(0);
    expect(t.ht.scan(0, () => undefined)).toBe(0);
    expect(t.ht.randomEntry()).toBe(0);
    expect(t.ht.rehashStep(10)).toBe(false);
  });

  it('insert / find / unlink a few keys, including the empty key and binary keys', () => {
    const t = new TestTable();
    const keys = ['', 'a', 'b', 'ab', 'ba', 'hello', '\0', '\0\0', '\xff\r\n', 'x'.repeat(1000)];
    for (const k of keys) t.add(k);
    expect(t.ht.count).toBe(keys.length);
    for (const k of keys) {
      const e = t.find(k);
      expect(e).not.toBe(0);
      expect(t.keyOf(e)).toBe(k);
    }
    expect(t.find('c')).toBe(0);
    expect(t.find('x'.repeat(999))).toBe(0);
    expect(t.remove('ab')).toBe(true);
    expect(t.remove('ab')).toBe(false);
    expect(t.find('ab')).toBe(0);
    expect(t.find('ba')).not.toBe(0);
    expect(t.ht.count).toBe(keys.length - 1);
    expect(t.keys().sort()).toEqual(keys.filter((k) => k !== 'ab').sort());
  });

  it('keys with equal hashes are told apart by length and bytes (long chains)', () => {
    const t = new TestTable();
    t.hashFn = () => 7;
    const keys: string[] = [];
    for (let i = 0; i < 300; i++) keys.push(`k${String(i).padStart(3, '0')}`, `k${i}`);
    const uniq = [...new Set(keys)];
    for (const k of uniq) t.add(k);
    expect(t.ht.count).toBe(uniq.length);
    for (const k of uniq) expect(t.keyOf(t.find(k))).toBe(k);
    expect(t.find('k300')).toBe(0);
    for (let i = 0; i < uniq.length; i += 2) expect(t.remove(uniq[i]!)).toBe(true);
    for (let i = 0; i < uniq.length; i++) expect(t.find(uniq[i]!) !== 0).toBe(i % 2 === 1);
  });

  it('replaceFound swaps an entry in place', () => {
    const t = new TestTable();
    for (let i = 0; i < 100; i++) t.add(`k${i}`);
    for (let i = 0; i < 100; i += 3) {
      const old = t.find(`k${i}`);
      const nu = t.makeEntry(`k${i}`);
      t.ht.replaceFound(old, nu);
      t.freeEntry(old);
      expect(t.find(`k${i}`)).toBe(nu);
    }
    expect(t.ht.count).toBe(100);
    expect(t.keys().sort()).toEqual(Array.from({ length: 100 }, (_, i) => `k${i}`).sort());
  });

  it('unlinkEntry removes a given entry by identity: in long chains of equal hashes and during a rehash', () => {
    const t = new TestTable();
    t.hashFn = (k) => (k.length % 3 === 0 ? 7 : hashBytes(k, 0, k.length));
    const entries = new Map<string, number>();
    let midRehash = 0;
    for (let i = 0; i < 3000; i++) {
      const k = `k${i}`;
      entries.set(k, t.add(k));
      // remove every third key just after it went in, often while the table rehashes
      if (i % 3 === 0) {
        const gone = `k${i - 3}`;
        const e = entries.get(gone);
        if (e !== undefined) {
          if (t.ht.at(t.header).isRehashing) midRehash++;
          expect(t.ht.at(t.header).unlinkEntry(e)).toBe(true);
          expect(t.ht.at(t.header).unlinkEntry(e)).toBe(false);
          t.freeEntry(e);
          entries.delete(gone);
        }
      }
    }
    expect(midRehash).toBeGreaterThan(10);
    expect(t.ht.count).toBe(entries.size);
    expect(t.keys().sort()).toEqual([...entries.keys()].sort());
    for (const [k, e] of entries) expect(t.find(k)).toBe(e);
  });

  it('grows by incremental rehash and every key stays findable during it', () => {
    const t = new TestTable();
    let rehashingFinds = 0;
    for (let i = 0; i < 5000; i++) {
      t.add(`key:${i}`);
      if (t.ht.isRehashing) {
        // all keys inserted so far are visible mid-rehash
        for (let j = Math.max(0, i - 20); j <= i; j++) expect(t.find(`key:${j}`)).not.toBe(0);
        rehashingFinds++;
      }
    }
    expect(rehashingFinds).toBeGreaterThan(100);
    while (t.ht.rehashStep(100));
    expect(t.ht.isRehashing).toBe(false);
    expect(t.ht.count).toBe(5000);
    expect(t.ht.bucketCount).toBeGreaterThanOrEqual(5000);
    expect(t.ht.bucketCount & (t.ht.bucketCount - 1)).toBe(0);
  });

  it('shrinkIfNeeded starts a shrink below 10% fill and the table keeps working', () => {
    const t = new TestTable();
    for (let i = 0; i < 4096; i++) t.add(`k${i}`);
    while (t.ht.rehashStep(1000));
    const big = t.ht.bucketCount;
    t.ht.shrinkIfNeeded();
    expect(t.ht.isRehashing).toBe(false); // full table: nothing to do
    for (let i = 100; i < 4096; i++) expect(t.remove(`k${i}`)).toBe(true);
    while (t.ht.rehashStep(1000));
    expect(t.ht.bucketCount).toBe(big);
    t.ht.shrinkIfNeeded();
    expect(t.ht.isRehashing).toBe(true);
    // operations during the shrink
    for (let i = 0; i < 100; i++) expect(t.find(`k${i}`)).not.toBe(0);
    for (let i = 5000; i < 5050; i++) t.add(`k${i}`);
    for (let i = 0; i < 50; i++) expect(t.remove(`k${i}`)).toBe(true);
    while (t.ht.rehashStep(10));
    expect(t.ht.isRehashing).toBe(false);
    expect(t.ht.count).toBe(100);
    expect(t.ht.bucketCount).toBeLessThanOrEqual(256);
    const want = [...Array.from({ length: 50 }, (_, i) => `k${i + 50}`), ...Array.from({ length: 50 }, (_, i) => `k${i + 5000}`)];
    expect(t.keys().sort()).toEqual(want.sort());
  });

  it('an emptied table shrinks to the initial size and frees every bucket array', () => {
    const t = new TestTable();
    const headerBytes = blockSize(HT_HEADER_BYTES);
    for (let i = 0; i < 3000; i++) t.add(`k${i}`);
    for (let i = 0; i < 3000; i++) t.remove(`k${i}`);
    while (t.ht.rehashStep(100));
    t.ht.shrinkIfNeeded();
    t.find('x'); // drives the (empty) rehash to completion
    expect(t.ht.isRehashing).toBe(false);
    expect(t.ht.bucketCount).toBe(4);
    expect(t.a.usedBytes).toBe(headerBytes + blockSize(16));
    t.ht.clear();
    expect(t.ht.bucketCount).toBe(0);
    expect(t.a.usedBytes).toBe(headerBytes);
    // still usable after clear
    t.add('again');
    expect(t.find('again')).not.toBe(0);
  });
});

describe('HashTable vs a Map model (random operations, seeded)', () => {
  it('100k keys: insert / find / unlink with rehashes and shrinks', () => {
    const r = mulberry32(2024);
    const t = new TestTable();
    const model = new Map<string, number>(); // key -> entry
    const present = new PickSet();
    let opsWhileRehashing = 0;
    let shrinks = 0;
    const check = (k: string): void => {
      const e = t.find(k);
      const m = model.get(k) ?? 0;
      if (e !== m) expect({ key: k, found: e }).toEqual({ key: k, found: m });
    };
    const insert = (k: string): void => {
      if (model.has(k)) {
        check(k);
        return;
      }
      if (t.find(k) !== 0) expect({ key: k, found: t.find(k) }).toEqual({ key: k, found: 0 });
      const e = t.makeEntry(k);
      t.ht.insert(e);
      model.set(k, e);
      present.add(k);
    };
    const del = (k: string): void => {
      const e = t.find(k);
      if (e !== (model.get(k) ?? 0)) expect({ key: k, found: e }).toEqual({ key: k, found: model.get(k) ?? 0 });
      if (e === 0) return;
      t.ht.unlinkFound(e);
      t.freeEntry(e);
      model.delete(k);
      present.delete(k);
    };
    const randomOps = (n: number, keySpace: number, pIns: number, pDel: number): void => {
      for (let i = 0; i < n; i++) {
        if (t.ht.isRehashing) opsWhileRehashing++;
        const x = r();
        if (x < pIns) insert(`key:${Math.floor(r() * keySpace)}`);
        else if (x < pIns + pDel && present.size > 0) del(present.pick(r));
        else if (r() < 0.5 && present.size > 0) check(present.pick(r));
        else check(`key:${Math.floor(r() * keySpace * 2)}`);
        if (r() < 0.01) t.ht.rehashStep(1 + Math.floor(r() * 20));
        if (r() < 0.002) {
          const was = t.ht.isRehashing;
          t.ht.shrinkIfNeeded();
          if (!was && t.ht.isRehashing) shrinks++;
        }
        if (t.ht.count !== model.size) expect(t.ht.count).toBe(model.size);
      }
    };
    // grow to 100k keys with lookups mixed in
    for (let i = 0; i < 100000; i++) {
      insert(`key:${i}`);
      if (t.ht.isRehashing) opsWhileRehashing++;
      if ((i & 7) === 0) check(`key:${Math.floor(r() * i * 1.5)}`);
    }
    expect(t.ht.count).toBe(100000);
    // churn around 100k
    randomOps(150000, 150000, 0.45, 0.35);
    // drain to ~2% and shrink repeatedly
    randomOps(150000, 150000, 0.02, 0.9);
    randomOps(50000, 5000, 0.4, 0.4);
    expect(opsWhileRehashing).toBeGreaterThan(1000);
    expect(shrinks).toBeGreaterThan(0);
    // full comparison
    const keys = t.keys();
    expect(keys.length).toBe(model.size);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) if (!model.has(k)) expect({ unexpected: k }).toBe(null);
    for (const [k, e] of model) if (t.find(k) !== e) expect(t.find(k)).toBe(e);
    // delete everything: accounting returns to the header alone
    for (const k of [...model.keys()]) del(k);
    expect(t.ht.count).toBe(0);
    t.ht.clear();
    expect(t.a.usedBytes).toBe(blockSize(HT_HEADER_BYTES));
  });
});

describe('HashTable.scan', () => {
  it('a full scan of a stable table returns every key exactly once', () => {
    for (const n of [1, 3, 4, 5, 100, 1000, 4097]) {
      const t = new TestTable();
      for (let i = 0; i < n; i++) t.add(`s${i}`);
      while (t.ht.rehashStep(100));
      const seen: string[] = [];
      let cursor = 0;
      let calls = 0;
      do {
        cursor = t.ht.scan(cursor, (e) => seen.push(t.keyOf(e)));
        calls++;
      } while (cursor !== 0);
      expect(calls).toBe(t.ht.bucketCount);
      expect(seen.length).toBe(n);
      expect(new Set(seen).size).toBe(n);
    }
  });

  it('a scan of a table frozen in the middle of a grow or shrink rehash returns every key', () => {
    for (const kind of ['grow', 'shrink'] as const) {
      for (const frac of [0, 0.1, 0.25, 0.5, 0.75, 0.95]) {
        const t = new TestTable();
        let i = 0;
        let oldSize: number;
        if (kind === 'grow') {
          for (; i < 2000; i++) t.add(`s${i}`);
          while (t.ht.rehashStep(1000));
          oldSize = t.ht.bucketCount;
          while (!t.ht.isRehashing) t.add(`s${i++}`);
        } else {
          for (; i < 8000; i++) t.add(`s${i}`);
          while (t.ht.rehashStep(1000));
          for (let j = 0; j < 7600; j++) t.remove(`s${j}`);
          while (t.ht.rehashStep(1000));
          oldSize = t.ht.bucketCount;
          t.ht.shrinkIfNeeded();
        }
        expect(t.ht.isRehashing).toBe(true);
        // move a fraction of the old table's buckets (white box: header word 6 is the rehash index)
        const rehashIdx = (): number => t.a.u32[(t.header >>> 2) + 6]!;
        while (t.ht.isRehashing && rehashIdx() < oldSize * frac) t.ht.rehashStep(1);
        expect(t.ht.isRehashing).toBe(true);
        const want = new Set(t.keys());
        const seen = new Map<string, number>();
        let cursor = 0;
        do {
          cursor = t.ht.scan(cursor, (e) => {
            const k = t.keyOf(e);
            seen.set(k, (seen.get(k) ?? 0) + 1);
          });
        } while (cursor !== 0);
        expect(t.ht.isRehashing).toBe(true);
        expect({ kind, frac, seen: seen.size }).toEqual({ kind, frac, seen: want.size });
        for (const k of want) expect(seen.has(k)).toBe(true);
      }
    }
  });

  it('guarantee: keys present for the whole scan are returned, despite inserts, deletes, grows and shrinks between calls', () => {
    let callsDuringRehash = 0;
    let callsDuringShrink = 0;
    let scans = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const r = mulberry32(seed * 7919);
      const t = new TestTable();
      const present = new PickSet();
      const ever = new Set<string>();
      let next = 0;
      const addNew = (): void => {
        const k = `k${seed}:${next++}`;
        t.add(k);
        present.add(k);
        ever.add(k);
      };
      const n0 = 50 + Math.floor(r() * 3000);
      for (let i = 0; i < n0; i++) addNew();
      if (r() < 0.5) while (t.ht.rehashStep(100));
      const stable = new Set(present.values()); // loses keys deleted during the scan
      const visited = new Set<string>();
      let shrinking = false;
      let cursor = 0;
      let calls = 0;
      do {
        cursor = t.ht.scan(cursor, (e) => visited.add(t.keyOf(e)));
        calls++;
        if (t.ht.isRehashing) {
          callsDuringRehash++;
          if (shrinking) callsDuringShrink++;
        } else shrinking = false;
        // mutate between calls (gently for odd seeds, so that rehashes span many calls)
        const mode = seed % 2 === 1 && r() < 0.9 ? 1 : r();
        if (mode < 0.05) {
          // burst of inserts: likely triggers a grow
          const m = Math.floor(r() * 2000);
          for (let i = 0; i < m; i++) addNew();
        } else if (mode < 0.1 && present.size > 10) {
          // burst of deletes then a shrink
          const m = Math.floor(present.size * (0.85 + r() * 0.14));
          for (let i = 0; i < m; i++) {
            const k = present.pick(r);
            t.remove(k);
            present.delete(k);
            stable.delete(k);
          }
          const was = t.ht.isRehashing;
          t.ht.shrinkIfNeeded();
          if (!was && t.ht.isRehashing) shrinking = true;
        } else {
          const m = Math.floor(r() * (seed % 2 === 1 ? 2 : 6));
          for (let i = 0; i < m; i++) {
            if (r() < 0.5 || present.size === 0) addNew();
            else {
              const k = present.pick(r);
              t.remove(k);
              present.delete(k);
              stable.delete(k);
            }
          }
        }
        if (seed % 2 === 0 && r() < 0.1) t.ht.rehashStep(1 + Math.floor(r() * 4));
      } while (cursor !== 0 && calls < 1_000_000);
      expect(cursor).toBe(0);
      scans++;
      const missing = [...stable].filter((k) => !visited.has(k));
      if (missing.length > 0) expect({ seed, missing: missing.slice(0, 10), count: missing.length }).toEqual({ seed, missing: [], count: 0 });
      for (const k of visited) if (!ever.has(k)) expect({ seed, bogus: k }).toBe('never inserted');
    }
    expect(scans).toBe(40);
    expect(callsDuringRehash).toBeGreaterThan(100);
    expect(callsDuringShrink).toBeGreaterThan(0);
  });
});

describe('HashTable.randomEntry', () => {
  it('returns members, and reaches many of them', () => {
    const r = mulberry32(77);
    const t = new TestTable();
    const keys = new Set<string>();
    for (let i = 0; i < 500; i++) {
      t.add(`r${i}`);
      keys.add(`r${i}`);
    }
    while (t.ht.rehashStep(100));
    const got = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const e = t.ht.randomEntry(r);
      expect(e).not.toBe(0);
      const k = t.keyOf(e);
      expect(keys.has(k)).toBe(true);
      got.add(k);
    }
    expect(got.size).toBeGreaterThan(450);
  });

  it('returns members during a rehash and with a single key', () => {
    const r = mulberry32(78);
    const t = new TestTable();
    t.add('only');
    for (let i = 0; i < 20; i++) expect(t.keyOf(t.ht.randomEntry(r))).toBe('only');
    let i = 0;
    const keys = new Set<string>(['only']);
    while (!t.ht.isRehashing || t.ht.count < 1000) {
      t.add(`r${i}`);
      keys.add(`r${i++}`);
    }
    expect(t.ht.isRehashing).toBe(true);
    for (let j = 0; j < 2000; j++) {
      const e = t.ht.randomEntry(r);
      expect(keys.has(t.keyOf(e))).toBe(true);
    }
  });

  it('finds the few members of a sparse table', () => {
    const t = new TestTable();
    for (let i = 0; i < 20000; i++) t.add(`r${i}`);
    for (let i = 0; i < 20000; i++) if (i !== 12345 && i !== 777) t.remove(`r${i}`);
    while (t.ht.rehashStep(100));
    expect(t.ht.count).toBe(2);
    const got = new Set<string>();
    const r = mulberry32(79);
    for (let j = 0; j < 50; j++) got.add(t.keyOf(t.ht.randomEntry(r)));
    expect([...got].sort()).toEqual(['r12345', 'r777']);
  });
});

describe('HashTable.touch (prefetch)', () => {
  /** the chain starting at head holds e */
  const chainHolds = (t: TestTable, head: number, e: number): boolean => {
    for (let x = head; x !== 0; x = t.a.u32[(x + E_NEXT) >>> 2]!) if (x === e) return true;
    return false;
  };

  it('loads the head of the chain that holds each key, before, during and after a rehash', () => {
    const t = new TestTable();
    const keys: string[] = [];
    const heads = new Int32Array(64);
    const hashes = new Uint32Array(64);
    let sawRehash = false;
    let addedDuringRehash = new Set<string>(); // these may sit in the new array above the rehash index
    for (let i = 0; i < 3000; i++) {
      if (!t.ht.isRehashing) addedDuringRehash = new Set();
      const wasRehashing = t.ht.isRehashing;
      keys.push(`k${i}`);
      t.add(`k${i}`);
      if (wasRehashing || t.ht.isRehashing) addedDuringRehash.add(`k${i}`);
      if (i % 37 !== 0) continue;
      sawRehash ||= t.ht.isRehashing;
      // 64 keys spread over what is stored, looked up after touching
      const picks = Array.from({ length: 64 }, (_, j) => keys[(j * 7919 + i) % keys.length]!);
      // find() moves a bucket while rehashing: look the entries up first, then touch and check
      const entries = picks.map((k) => t.find(k));
      picks.forEach((k, j) => (hashes[j] = t.hash(Buffer.from(k, 'latin1'))));
      t.ht.at(t.header).touch(hashes, 64, heads);
      picks.forEach((k, j) => {
        expect(entries[j]).not.toBe(0);
        if (!chainHolds(t, heads[j]!, entries[j]!) && !addedDuringRehash.has(k)) {
          expect({ key: k, rehashing: t.ht.isRehashing }).toBe('in the touched chain');
        }
      });
    }
    expect(sawRehash).toBe(true);
  });

  it('touchRehash reads ahead of the rehash without changing the table', () => {
    const t = new TestTable();
    for (let i = 0; i < 600; i++) t.add(`r${i}`);
    while (!t.ht.isRehashing) t.add(`x${Math.random()}`);
    const before = t.keys().sort();
    t.ht.at(t.header).touchRehash(64, new Int32Array(64));
    expect(t.ht.isRehashing).toBe(true);
    expect(t.keys().sort()).toEqual(before);
    expect(t.ht.at(t.header).touchRehash(64, new Int32Array(0))).toBe(0);
  });
});
