// Unit tests for key -> hash slot (src/routing/slot.ts): CRC16/XMODEM mod 16384
// with {hash tags}, as Redis Cluster computes it. Known values were checked
// with CLUSTER KEYSLOT on redis-server 7.0.15; when redis-server is installed
// a cluster-mode instance is started to compare random (binary) keys too.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { keyHashSlot, crc16, slotToShard, keyShard, SLOT_COUNT } from '../../src/routing/slot';
import { startRedis, hasRedisServer, ensureTmpDir, type ServerHandle } from '../helpers/servers';
import { RawClient } from '../helpers/raw';
import { mulberry32 } from '../helpers/gen';

const B = (s: string): Buffer => Buffer.from(s, 'latin1');
const slot = (k: string | Buffer): number => {
  const b = typeof k === 'string' ? B(k) : k;
  return keyHashSlot(b, 0, b.length);
};

/** Bit-by-bit CRC16/XMODEM (poly 0x1021, init 0), independent of the table version. */
function crc16Ref(b: Uint8Array): number {
  let crc = 0;
  for (const byte of b) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

describe('crc16', () => {
  it('matches the CRC16/XMODEM check value', () => {
    const b = B('123456789');
    expect(crc16(b, 0, b.length)).toBe(0x31c3);
  });

  it('matches a bitwise reference on random inputs and honours start/end', () => {
    const r = mulberry32(1);
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(r() * 64);
      const b = new Uint8Array(len + 10);
      for (let j = 0; j < b.length; j++) b[j] = (r() * 256) | 0;
      expect(crc16(b, 5, 5 + len)).toBe(crc16Ref(b.subarray(5, 5 + len)));
    }
  });
});

describe('keyHashSlot', () => {
  const known: Array<[string, number]> = [
    ['foo', 12182],
    ['bar', 5061],
    ['', 0],
    ['123456789', 12739],
    ['{user1000}.following', 3443],
    ['{user1000}.followers', 3443],
    ['foo{}{bar}', 8363], // empty tag: the whole key is hashed
    ['foo{{bar}}zap', 4015], // tag is "{bar"
    ['foo{bar}{zap}', 5061], // only the first tag counts: "bar"
    ['{bar', 4015], // no closing brace: whole key
    ['bar}', 6624],
    ['{}', 15257],
  ];
  for (const [k, s] of known) {
    it(`${JSON.stringify(k)} -> ${s}`, () => {
      expect(slot(k)).toBe(s);
    });
  }

  it('hash tags', () => {
    expect(slot('{user1000}.following')).toBe(slot('{user1000}.followers'));
    expect(slot('{user1000}.following')).toBe(slot('user1000'));
    expect(slot('foo{bar}{zap}')).toBe(slot('bar'));
    expect(slot('foo{{bar}}zap')).toBe(slot('{bar'));
    expect(slot('foo{}{bar}')).toBe(crc16Ref(B('foo{}{bar}')) & 0x3fff);
    expect(slot('a{b}c{d}')).toBe(slot('b'));
    expect(slot('}{x}')).toBe(slot('x')); // a '}' before the first '{' does not matter
    expect(slot('{x}}')).toBe(slot('x'));
    expect(slot('{{}}')).toBe(slot('{'));
    expect(slot('x{')).toBe(crc16Ref(B('x{')) & 0x3fff);
  });

  it('uses only the given range of the buffer', () => {
    const b = B('{zz}foo{bar}xx');
    expect(keyHashSlot(b, 4, 3)).toBe(12182); // "foo"
    expect(keyHashSlot(b, 4, 8)).toBe(5061); // "foo{bar}"
    expect(keyHashSlot(b, 4, 7)).toBe(slot('foo{bar')); // tag not closed inside the range
  });

  it('matches the reference definition on random binary keys', () => {
    const r = mulberry32(2);
    for (let i = 0; i < 5000; i++) {
      const len = Math.floor(r() * 20);
      const b = new Uint8Array(len);
      for (let j = 0; j < len; j++) b[j] = r() < 0.2 ? (r() < 0.5 ? 123 : 125) : (r() * 256) | 0;
      const s = b.indexOf(123);
      let want = crc16Ref(b) & 0x3fff;
      if (s >= 0) {
        const e = b.indexOf(125, s + 1);
        if (e > s + 1) want = crc16Ref(b.subarray(s + 1, e)) & 0x3fff;
      }
      const got = keyHashSlot(b, 0, len);
      expect(got).toBe(want);
      expect(got).toBeGreaterThanOrEqual(0);
      expect(got).toBeLessThan(SLOT_COUNT);
    }
  });
});

describe('slotToShard / keyShard', () => {
  it('contiguous ranges covering every shard, monotonic in the slot', () => {
    for (const n of [1, 2, 3, 4, 7, 16]) {
      let prev = 0;
      const counts = new Array<number>(n).fill(0);
      for (let s = 0; s < SLOT_COUNT; s++) {
        const sh = slotToShard(s, n);
        expect(sh >= prev && sh < n).toBe(true);
        prev = sh;
        counts[sh]!++;
      }
      expect(slotToShard(0, n)).toBe(0);
      expect(slotToShard(SLOT_COUNT - 1, n)).toBe(n - 1);
      for (const c of counts) expect(Math.abs(c - SLOT_COUNT / n)).toBeLessThanOrEqual(1);
    }
  });

  it('keyShard follows the slot, and keys sharing a tag share a shard', () => {
    const a = B('{user1000}.following');
    const b = B('{user1000}.followers');
    for (const n of [1, 2, 4, 8]) {
      expect(keyShard(a, 0, a.length, n)).toBe(keyShard(b, 0, b.length, n));
      expect(keyShard(a, 0, a.length, n)).toBe(slotToShard(3443, n));
    }
    const f = B('foo');
    expect(keyShard(f, 0, 3, 1)).toBe(0);
  });
});

const haveRedis = hasRedisServer();

describe.skipIf(!haveRedis)('keyHashSlot vs CLUSTER KEYSLOT (redis-server in cluster mode)', () => {
  let server: ServerHandle | null = null;
  let client: RawClient | null = null;
  let nodesFile = '';

  beforeAll(async () => {
    nodesFile = `slot-test-nodes-${process.pid}-${Date.now()}.conf`;
    server = await startRedis({ args: ['--cluster-enabled', 'yes', '--cluster-config-file', nodesFile] });
    client = await RawClient.connect(server!.port);
  }, 30_000);

  afterAll(async () => {
    client?.close();
    await server?.stop();
    try {
      fs.unlinkSync(path.join(ensureTmpDir(), nodesFile));
    } catch {
      /* not created */
    }
  });

  it('random binary keys and tag corner cases', async () => {
    const r = mulberry32(3);
    const keys: Buffer[] = ['foo', 'bar', '', '{', '}', '{}', '{{}}', '}{', 'a{b}c', '{a}{b}', 'x{y', '\xff{\x00}'].map(B);
    while (keys.length < 3000) {
      const len = Math.floor(r() * 24);
      const b = Buffer.alloc(len);
      for (let j = 0; j < len; j++) b[j] = r() < 0.15 ? (r() < 0.5 ? 123 : 125) : (r() * 256) | 0;
      keys.push(b);
    }
    const replies = await client!.pipeline(keys.map((k) => ['CLUSTER', 'KEYSLOT', k]));
    const mismatches: string[] = [];
    keys.forEach((k, i) => {
      const want = Number(/^:(\d+)\r\n$/.exec(replies[i]!.toString('latin1'))?.[1]);
      const got = keyHashSlot(k, 0, k.length);
      if (got !== want) mismatches.push(`${k.toString('hex')}: redis ${want} sabre ${got}`);
    });
    expect(mismatches).toEqual([]);
  }, 60_000);
});
