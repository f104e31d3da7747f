// LZF (src/store/lzf.ts): round trips over many shapes of input, bounds on both
// sides, corrupt input rejected, and the format checked against redis-server's
// own LZF (DUMP compresses strings longer than 20 bytes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lzfCompress, lzfDecompress } from '../../src/store/lzf';
import { Rng } from '../helpers/gen';
import { rawCall } from '../helpers/raw';
import { hasRedisServer, startRedis, type ServerHandle } from '../helpers/servers';

function inputs(): Uint8Array[] {
  const r = new Rng(5);
  const out: Uint8Array[] = [new Uint8Array(0), Uint8Array.of(7), Uint8Array.of(1, 2), Uint8Array.of(1, 1, 1)];
  for (const n of [3, 4, 31, 32, 33, 64, 100, 264, 265, 1000, 2048, 8191, 8192, 8193, 20000, 70000]) {
    out.push(Uint8Array.from({ length: n }, () => r.int(0, 255))); // incompressible
    out.push(new Uint8Array(n).fill(0x61)); // one long run: overlapping references
    out.push(Uint8Array.from({ length: n }, (_, i) => (i * 7) % 13)); // short period
    out.push(Buffer.from(Array.from({ length: Math.ceil(n / 20) }, (_, i) => `element:${String(i).padStart(12, '0')}`).join('').slice(0, n), 'latin1'));
    out.push(Uint8Array.from({ length: n }, () => (r.chance(0.7) ? 0x20 : r.int(0, 255)))); // mixed
  }
  return out;
}

describe('lzf', () => {
  it('round-trips every input, at any offset, into shared memory too', () => {
    const r = new Rng(9);
    for (const src of inputs()) {
      const n = src.length;
      const sOff = r.int(0, 9);
      const srcBuf = new Uint8Array(new SharedArrayBuffer(n + 16));
      srcBuf.set(src, sOff);
      const max = n + Math.ceil(n / 32) + 8; // incompressible input grows by one byte per 32
      const comp = new Uint8Array(max + 16);
      const cOff = r.int(0, 9);
      const clen = lzfCompress(srcBuf, sOff, n, comp, cOff, max);
      if (n === 0) {
        expect(clen).toBe(0);
        continue;
      }
      expect(clen).toBeGreaterThan(0);
      expect(clen).toBeLessThanOrEqual(max);
      const out = new Uint8Array(new SharedArrayBuffer(n + 16));
      const dOff = r.int(0, 9);
      expect(lzfDecompress(comp, cOff, clen, out, dOff, n)).toBe(n);
      expect(Buffer.from(out.subarray(dOff, dOff + n)).equals(Buffer.from(src))).toBe(true);
    }
  });

  it('compresses repetitive data well', () => {
    const text = Buffer.from(Array.from({ length: 100 }, (_, i) => `element:${String(i).padStart(12, '0')}`).join(''), 'latin1');
    const out = new Uint8Array(text.length);
    const clen = lzfCompress(text, 0, text.length, out, 0, text.length);
    expect(clen).toBeGreaterThan(0);
    expect(clen).toBeLessThan(text.length / 3);
  });

  it('never writes past the output bounds', () => {
    for (const src of inputs()) {
      const n = src.length;
      if (n === 0) continue;
      const full = new Uint8Array(n * 2 + 16);
      const clen = lzfCompress(src, 0, n, full, 0, full.length);
      expect(clen).toBeGreaterThan(0);
      // too little room: 0, and the bytes after the limit untouched
      for (const max of [1, clen - 1]) {
        if (max <= 0) continue;
        const out = new Uint8Array(max + 8).fill(0xee);
        expect(lzfCompress(src, 0, n, out, 0, max)).toBe(0);
        expect(out.subarray(max).every((b) => b === 0xee)).toBe(true);
      }
      if (n > 1) {
        const small = new Uint8Array(n + 8).fill(0xee);
        expect(lzfDecompress(full, 0, clen, small, 0, n - 1)).toBe(-1);
        expect(small.subarray(n - 1).every((b) => b === 0xee)).toBe(true);
      }
    }
  });

  it('rejects corrupt input', () => {
    const out = new Uint8Array(100);
    expect(lzfDecompress(Uint8Array.of(5, 1, 2), 0, 3, out, 0, 100)).toBe(-1); // literal run cut short
    expect(lzfDecompress(Uint8Array.of(0x20, 0), 0, 2, out, 0, 100)).toBe(-1); // reference before the start
    expect(lzfDecompress(Uint8Array.of(0, 65, 0xe0), 0, 3, out, 0, 100)).toBe(-1); // long reference cut short
    expect(lzfDecompress(Uint8Array.of(0, 65, 0x20), 0, 3, out, 0, 100)).toBe(-1); // offset byte missing
  });
});

describe.skipIf(!hasRedisServer())('lzf: redis-server format', () => {
  let redis: ServerHandle;
  beforeAll(async () => {
    const r = await startRedis({});
    if (!r) throw new Error('redis-server did not start');
    redis = r;
  });
  afterAll(async () => {
    await redis?.stop();
  });

  /** Read an RDB length (6, 14 or 32 bits) at p: [value, next p]. */
  function rdbLen(b: Buffer, p: number): [number, number] {
    const t = b[p]! >> 6;
    if (t === 0) return [b[p]! & 0x3f, p + 1];
    if (t === 1) return [((b[p]! & 0x3f) << 8) | b[p + 1]!, p + 2];
    if (b[p] === 0x80) return [b.readUInt32BE(p + 1), p + 5];
    throw new Error(`length byte ${b[p]}`);
  }

  it("decompresses redis-server's LZF and our compressed form decompresses to the same bytes", async () => {
    const values = [
      Array.from({ length: 50 }, (_, i) => `element:${String(i).padStart(12, '0')}`).join(''),
      'abc'.repeat(3000),
      'x'.repeat(21) + 'y'.repeat(300) + 'hello world, hello world, hello world',
    ];
    for (const [i, v] of values.entries()) {
      await rawCall(redis.port, 'SET', `k${i}`, v);
      const dump = await rawCall(redis.port, 'DUMP', `k${i}`);
      // $<len>\r\n<payload>\r\n; payload: type 0 (string), 0xC3 (LZF), compressed length, length, data
      const start = dump.indexOf('\r\n') + 2;
      const payload = dump.subarray(start, dump.length - 2);
      expect(payload[0]).toBe(0);
      expect(payload[1]).toBe(0xc3);
      const [clen, p1] = rdbLen(payload, 2);
      const [len, p2] = rdbLen(payload, p1);
      expect(len).toBe(v.length);
      const out = new Uint8Array(len);
      expect(lzfDecompress(payload, p2, clen, out, 0, len)).toBe(len);
      expect(Buffer.from(out).toString('latin1')).toBe(v);
      // ours is a valid stream of the same format, of similar size
      const src = Buffer.from(v, 'latin1');
      const mine = new Uint8Array(len);
      const mlen = lzfCompress(src, 0, len, mine, 0, len);
      expect(mlen).toBeGreaterThan(0);
      expect(mlen).toBeLessThan(clen * 1.5);
      const back = new Uint8Array(len);
      expect(lzfDecompress(mine, 0, mlen, back, 0, len)).toBe(len);
      expect(Buffer.from(back).equals(src)).toBe(true);
    }
  });
});
