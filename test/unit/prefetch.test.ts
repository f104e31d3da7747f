// Keyspace.prefetch only reads: whatever the look-ahead guesses (keys, members,
// garbage offsets), every lookup afterwards answers as before.
import { describe, it, expect } from 'vitest';
import { Keyspace, Enc, PREFETCH_STRIDE } from '../../src/store/keyspace';
import { scanKeyArgs } from '../../src/protocol/key_scan';

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
});
