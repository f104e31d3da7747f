// Keyspace.prefetch only reads: whatever the look-ahead guesses (keys, members,
// garbage offsets), every lookup afterwards answers as before.
import { describe, it, expect } from 'vitest';
import { Keyspace, Enc, ObjType, PREFETCH_STRIDE } from '../../src/store/keyspace';
import { scanKeyArgs } from '../../src/protocol/key_scan';
import { hashOpsFor } from '../../src/store/hash_value';
import { SetRef } from '../../src/store/set_value';
import { SkipList } from '../../src/store/skiplist';
import '../../src/store/zset_value';

const enc = (...args: string[]): string => `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');

describe('Keyspace.prefetch', () => {
  it('is skipped for small tables and harmless for big ones, with good and garbage offsets', () => {
    const ks = new Keyspace(Keyspace.create(16, 1 << 30));
    const put = (i: number): void => {
      const k = Buffer.from(`key:${i}`);
      const v = Buffer.from(`v${i}`);
      ks.setString(0, k, 0, k.length, v, 0, v.length, Enc.Embstr, 0);
    };
    for (let i = 0; i < 1000; i++) put(i);
    expect(ks.worthPrefetching(0)).toBe(false);
    for (let i = 1000; i < 70_000; i++) put(i);
    expect(ks.worthPrefetching(0)).toBe(true);
    expect(ks.worthPrefetching(1)).toBe(false);
    expect(ks.worthPrefetching(99)).toBe(false);

    let text = '';
    for (let i = 0; i < 40; i++) text += enc('GET', `key:${i * 1700}`) + enc('HSET', `h:${i}`, 'f', 'v') + enc('ZADD', `nokey:${i}`, '1', 'm');
    const buf = Buffer.from(text);
    const offs = new Int32Array(64 * PREFETCH_STRIDE);
    const n = scanKeyArgs(buf, 0, buf.length, offs, 32);
    expect(n).toBe(32);
    ks.prefetch(0, buf, offs, n);
    // garbage: offsets past the buffer, negative lengths, a bad db
    const junk = new Int32Array(32 * PREFETCH_STRIDE).map((_, i) => (i % 3 === 0 ? 1 << 30 : -5));
    ks.prefetch(0, buf, junk, 32);
    ks.prefetch(3, buf, offs, n);
    for (let i = 0; i < 70_000; i += 997) {
      const k = Buffer.from(`key:${i}`);
      expect(ks.find(0, k, 0, k.length)).not.toBe(0);
    }
    const missing = Buffer.from('key:70000');
    expect(ks.find(0, missing, 0, missing.length)).toBe(0);
    expect(ks.size(0)).toBe(70_000);
  });

  it('on one hot key looks ahead only when it is a big hash or set, and touches members without changing answers', () => {
    const ks = new Keyspace(Keyspace.create(16, 1 << 30));
    const a = ks.a;
    const hash = hashOpsFor(a);
    const put = (kind: 'hash' | 'set', key: string, n: number): void => {
      if (kind === 'hash') {
        let ptr = hash.createListpack();
        let e = Enc.Listpack;
        for (let i = 0; i < n; i++) {
          const f = Buffer.from(`element:${i}`);
          hash.set(ptr, e, f, 0, f.length, f, 0, f.length, 128, 64);
          ptr = hash.ptr;
          e = hash.enc;
        }
        const k = Buffer.from(key);
        ks.setObject(0, k, 0, k.length, ObjType.Hash, e, ptr, 0);
      } else {
        const r = new SetRef().create(a, false);
        for (let i = 0; i < n; i++) {
          const m = Buffer.from(`element:${i}`);
          r.add(m, 0, m.length, 128);
        }
        const k = Buffer.from(key);
        ks.setObject(0, k, 0, k.length, ObjType.Set, r.enc, r.ptr, 0);
      }
    };
    put('hash', 'bighash', 70_000);
    put('hash', 'smallhash', 1000);
    put('set', 'bigset', 70_000);
    const sl = SkipList.for(a);
    const z = sl.create();
    for (let i = 0; i < 70_000; i++) {
      const m = Buffer.from(`element:${i}`);
      sl.insert(z, i, m, 0, m.length);
    }
    const zk = Buffer.from('bigzset');
    ks.setObject(0, zk, 0, zk.length, ObjType.ZSet, Enc.Skiplist, z, 0);
    const s1 = Buffer.from('x');
    ks.setString(0, s1, 0, 1, s1, 0, 1, Enc.Embstr, 0);
    expect(ks.worthPrefetching(0)).toBe(false);

    const offs = new Int32Array(64 * PREFETCH_STRIDE);
    const gate = (buf: Uint8Array, o: Int32Array): boolean => ks.lookAhead(0, buf, o);
    const look = (text: string): number => scanKeyArgs(Buffer.from(text), 0, text.length, offs, 32, gate);
    // a hot big collection: scanned on; small, a string, absent, or different keys in a small table: not
    expect(look(enc('HSET', 'bighash', 'element:1', 'v') + enc('HGET', 'bighash', 'element:2') + enc('GET', 'x'))).toBe(3);
    expect(look(enc('SADD', 'bigset', 'a') + enc('SISMEMBER', 'bigset', 'b'))).toBe(2);
    expect(look(enc('ZPOPMIN', 'bigzset') + enc('ZPOPMIN', 'bigzset') + enc('ZADD', 'bigzset', '1', 'x'))).toBe(3);
    expect(look(enc('HSET', 'smallhash', 'f', 'v') + enc('HSET', 'smallhash', 'g', 'v'))).toBe(0);
    expect(look(enc('GET', 'x') + enc('GET', 'x'))).toBe(0);
    expect(look(enc('GET', 'nokey') + enc('GET', 'nokey'))).toBe(0);
    expect(look(enc('GET', 'x') + enc('GET', 'y'))).toBe(0);
    expect(ks.lookAhead(1, Buffer.from(enc('HGET', 'bighash', 'f') + enc('HGET', 'bighash', 'f')), offs)).toBe(false);

    let text = '';
    for (let i = 0; i < 40; i++) text += enc('HSET', 'bighash', `element:${i * 1500}`, 'v') + enc('HGET', 'bighash', `nofield:${i}`) + enc('SADD', 'bigset', `element:${i}`);
    const buf = Buffer.from(text);
    const n = scanKeyArgs(buf, 0, buf.length, offs, 32, gate);
    expect(n).toBe(32);
    ks.prefetch(0, buf, offs, n);
    let pops = '';
    for (let i = 0; i < 40; i++) pops += enc('ZPOPMIN', 'bigzset') + enc('ZSCORE', 'bigzset', `element:${i}`);
    const zbuf = Buffer.from(pops);
    ks.prefetch(0, zbuf, offs, scanKeyArgs(zbuf, 0, zbuf.length, offs, 32, gate));
    for (let i = 0; i < 70_000; i += 997) {
      const m = Buffer.from(`element:${i}`);
      expect(sl.score(sl.find(z, m, 0, m.length))).toBe(i);
    }
    expect(sl.length(z)).toBe(70_000);
    ks.prefetch(1, buf, offs, n);
    const bh = ks.objectPtr(ks.find(0, Buffer.from('bighash'), 0, 7));
    for (let i = 0; i < 70_000; i += 997) {
      const f = Buffer.from(`element:${i}`);
      expect(hash.get(bh, Enc.Hashtable, f, 0, f.length)).toBe(true);
    }
    const none = Buffer.from('element:70000');
    expect(hash.get(bh, Enc.Hashtable, none, 0, none.length)).toBe(false);
    expect(ks.size(0)).toBe(5);
  });
});

