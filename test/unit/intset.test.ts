// Unit tests for the intset (src/store/intset.ts) and the set value object
// (src/store/set_value.ts): ordering, width upgrades, search, removal, copy,
// formatting, conversion to hashtable, and arena accounting.
import { describe, it, expect } from 'vitest';
import { Allocator } from '../../src/store/allocator';
import {
  formatInt,
  fromInt,
  isAdd,
  isCopy,
  isCreate,
  isFind,
  isFree,
  isGet,
  isLen,
  isRemove,
  isResult,
  isSearch,
  isWidth,
  iv,
  toInt,
  widthFor,
} from '../../src/store/intset';
import { SetRef, freeSet } from '../../src/store/set_value';
import { Enc, ObjType, valueOps } from '../../src/store/keyspace';
import { mulberry32 } from '../helpers/gen';

const MB = 1024 * 1024;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

function arena(): Allocator {
  return Allocator.create(1 * MB, 256 * MB);
}

function add(a: Allocator, p: number, v: bigint): number {
  fromInt(v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v);
  return isAdd(a, p, iv.hi, iv.lo);
}

function has(a: Allocator, p: number, v: bigint): boolean {
  fromInt(v);
  return isFind(a, p, iv.hi, iv.lo);
}

function rem(a: Allocator, p: number, v: bigint): number {
  fromInt(v);
  return isRemove(a, p, iv.hi, iv.lo);
}

function contents(a: Allocator, p: number): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < isLen(a, p); i++) {
    isGet(a, p, i);
    out.push(BigInt(toInt(iv.hi, iv.lo)));
  }
  return out;
}

function text(v: bigint): string {
  fromInt(v);
  const buf = new Uint8Array(24);
  const n = formatInt(iv.hi, iv.lo, buf, 0);
  return Buffer.from(buf.subarray(0, n)).toString('latin1');
}

describe('intset', () => {
  it('keeps members sorted and distinct', () => {
    const a = arena();
    let p = isCreate(a);
    for (const v of [5n, -3n, 5n, 0n, 100n, -3n, 7n]) p = add(a, p, v);
    expect(contents(a, p)).toEqual([-3n, 0n, 5n, 7n, 100n]);
    expect(isWidth(a, p)).toBe(2);
    p = add(a, p, 5n);
    expect(isResult.changed).toBe(false);
    p = add(a, p, 6n);
    expect(isResult.changed).toBe(true);
    expect(contents(a, p)).toEqual([-3n, 0n, 5n, 6n, 7n, 100n]);
  });

  it('upgrades the width 2 -> 4 -> 8, prepending negatives and appending positives', () => {
    const a = arena();
    let p = isCreate(a);
    for (const v of [1n, 2n, 32767n, -32768n]) p = add(a, p, v);
    expect(isWidth(a, p)).toBe(2);
    p = add(a, p, 32768n);
    expect(isWidth(a, p)).toBe(4);
    expect(contents(a, p)).toEqual([-32768n, 1n, 2n, 32767n, 32768n]);
    p = add(a, p, -32769n);
    expect(isWidth(a, p)).toBe(4);
    p = add(a, p, -2147483649n);
    expect(isWidth(a, p)).toBe(8);
    expect(contents(a, p)).toEqual([-2147483649n, -32769n, -32768n, 1n, 2n, 32767n, 32768n]);
    p = add(a, p, I64_MAX);
    p = add(a, p, I64_MIN);
    p = add(a, p, 2147483648n);
    expect(contents(a, p)).toEqual([I64_MIN, -2147483649n, -32769n, -32768n, 1n, 2n, 32767n, 32768n, 2147483648n, I64_MAX]);
    // never downgrades
    for (const v of [I64_MIN, I64_MAX, -2147483649n, 2147483648n]) p = rem(a, p, v);
    expect(isWidth(a, p)).toBe(8);
    expect(contents(a, p)).toEqual([-32769n, -32768n, 1n, 2n, 32767n, 32768n]);
  });

  it('upgrade with a positive value at width 2 -> 4 puts it last', () => {
    const a = arena();
    let p = isCreate(a);
    for (let v = -50n; v <= 50n; v++) p = add(a, p, v);
    p = add(a, p, 100000n);
    const c = contents(a, p);
    expect(c[c.length - 1]).toBe(100000n);
    expect(c.length).toBe(102);
  });

  it('search: values wider than the set are absent, insertion points are right', () => {
    const a = arena();
    let p = isCreate(a);
    for (const v of [10n, 20n, 30n]) p = add(a, p, v);
    expect(has(a, p, 20n)).toBe(true);
    expect(has(a, p, 25n)).toBe(false);
    expect(has(a, p, 100000n)).toBe(false);
    expect(has(a, p, -100000n)).toBe(false);
    expect(has(a, p, I64_MAX)).toBe(false);
    fromInt(25);
    expect(isSearch(a, p, iv.hi, iv.lo)).toBe(-3);
    fromInt(5);
    expect(isSearch(a, p, iv.hi, iv.lo)).toBe(-1);
    fromInt(100000);
    expect(isSearch(a, p, iv.hi, iv.lo)).toBe(-4);
    fromInt(-100000);
    expect(isSearch(a, p, iv.hi, iv.lo)).toBe(-1);
  });

  it('matches a reference model under random operations (all widths)', () => {
    const rnd = mulberry32(7);
    const a = arena();
    let p = isCreate(a);
    const model = new Set<bigint>();
    const pick = (): bigint => {
      const k = rnd();
      const sign = rnd() < 0.5 ? -1n : 1n;
      if (k < 0.4) return BigInt(Math.floor(rnd() * 200)) * sign;
      if (k < 0.7) return BigInt(Math.floor(rnd() * 100000)) * sign;
      if (k < 0.9) return BigInt(Math.floor(rnd() * 2 ** 40)) * sign;
      return BigInt.asIntN(64, BigInt(Math.floor(rnd() * 2 ** 32)) * 2n ** 32n + BigInt(Math.floor(rnd() * 2 ** 32)));
    };
    for (let i = 0; i < 20000; i++) {
      const v = pick();
      if (rnd() < 0.6) {
        p = add(a, p, v);
        expect(isResult.changed).toBe(!model.has(v));
        model.add(v);
      } else {
        p = rem(a, p, v);
        expect(isResult.changed).toBe(model.has(v));
        model.delete(v);
      }
      if (i % 1000 === 0) {
        expect(contents(a, p)).toEqual([...model].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
      }
    }
    expect(contents(a, p)).toEqual([...model].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    for (const v of model) expect(has(a, p, v)).toBe(true);
  });

  it('frees every byte; copy into another arena and into the same one', () => {
    const a = arena();
    const base = a.usedBytes;
    let p = isCreate(a);
    for (let i = 0; i < 3000; i++) p = add(a, p, BigInt(i * 7919 - 10_000_000));
    const b = arena();
    const q = isCopy(a, p, b);
    expect(contents(b, q)).toEqual(contents(a, p));
    const r = isCopy(a, p, a);
    expect(contents(a, r)).toEqual(contents(a, p));
    for (let i = 0; i < 3000; i++) p = rem(a, p, BigInt(i * 7919 - 10_000_000));
    expect(isLen(a, p)).toBe(0);
    isFree(a, p);
    isFree(a, r);
    expect(a.usedBytes).toBe(base);
  });

  it('formats int64 values exactly', () => {
    for (const v of [0n, 1n, -1n, 9n, 10n, -10n, 32767n, -32768n, 2n ** 53n, -(2n ** 53n), 2n ** 53n + 1n, I64_MAX, I64_MIN, 1234567890123n]) {
      expect(text(v)).toBe(v.toString());
    }
  });

  it('widthFor', () => {
    const w = (v: bigint): number => {
      fromInt(v);
      return widthFor(iv.hi, iv.lo);
    };
    expect(w(0n)).toBe(2);
    expect(w(32767n)).toBe(2);
    expect(w(-32768n)).toBe(2);
    expect(w(32768n)).toBe(4);
    expect(w(-32769n)).toBe(4);
    expect(w(2147483647n)).toBe(4);
    expect(w(-2147483648n)).toBe(4);
    expect(w(2147483648n)).toBe(8);
    expect(w(-2147483649n)).toBe(8);
    expect(w(I64_MIN)).toBe(8);
  });
});

describe('set value', () => {
  const enc = (s: string): Uint8Array => Buffer.from(s, 'latin1');
  const addS = (r: SetRef, s: string, max = 512): boolean => {
    const b = enc(s);
    return r.add(b, 0, b.length, max);
  };
  const hasS = (r: SetRef, s: string): boolean => {
    const b = enc(s);
    return r.has(b, 0, b.length);
  };

  it('stays an intset for canonical integers, converts on a non-integer', () => {
    const a = arena();
    const r = new SetRef().create(a, true);
    for (const s of ['1', '-5', '9223372036854775807']) expect(addS(r, s)).toBe(true);
    expect(r.enc).toBe(Enc.Intset);
    for (const s of ['01', '-0', ' 1', '+1', '1.0', '9223372036854775808']) {
      const x = new SetRef().create(a, true);
      addS(x, s);
      expect(x.enc).toBe(Enc.Hashtable);
      expect(hasS(x, s)).toBe(true);
      x.free();
    }
    expect(addS(r, 'abc')).toBe(true);
    expect(r.enc).toBe(Enc.Hashtable);
    for (const s of ['1', '-5', '9223372036854775807', 'abc']) expect(hasS(r, s)).toBe(true);
    expect(hasS(r, '01')).toBe(false);
    expect(r.size()).toBe(4);
    r.free();
  });

  it('converts when the size exceeds set-max-intset-entries', () => {
    const a = arena();
    const r = new SetRef().create(a, true);
    for (let i = 0; i < 4; i++) addS(r, String(i), 4);
    expect(r.enc).toBe(Enc.Intset);
    addS(r, '3', 4);
    expect(r.enc).toBe(Enc.Intset);
    addS(r, '4', 4);
    expect(r.enc).toBe(Enc.Hashtable);
    expect(r.size()).toBe(5);
    for (let i = 0; i < 5; i++) expect(hasS(r, String(i))).toBe(true);
    // max 0: the first add converts
    const z = new SetRef().create(a, true);
    addS(z, '1', 0);
    expect(z.enc).toBe(Enc.Hashtable);
    r.free();
    z.free();
  });

  it('value ops: copy, memory and free restore the arena', () => {
    const a = arena();
    const b = arena();
    const baseA = a.usedBytes;
    const baseB = b.usedBytes;
    const r = new SetRef().create(a, false);
    for (let i = 0; i < 5000; i++) addS(r, `member:${i}`);
    for (let i = 0; i < 5000; i += 2) {
      const m = enc(`member:${i}`);
      expect(r.remove(m, 0, m.length)).toBe(true);
    }
    const ops = valueOps[ObjType.Set]!;
    expect(ops.memory(a, r.ptr, r.enc)).toBeGreaterThan(2500 * 20);
    const q = ops.copy(a, r.ptr, r.enc, b);
    const c2 = new SetRef().load(b, q, Enc.Hashtable);
    expect(c2.size()).toBe(2500);
    for (let i = 1; i < 5000; i += 2) expect(hasS(c2, `member:${i}`)).toBe(true);
    expect(hasS(c2, 'member:0')).toBe(false);
    const same = ops.copy(a, r.ptr, r.enc, a);
    expect(new SetRef().load(a, same, Enc.Hashtable).size()).toBe(2500);
    ops.free(a, same, Enc.Hashtable);
    freeSet(b, q, Enc.Hashtable);
    r.free();
    expect(a.usedBytes).toBe(baseA);
    expect(b.usedBytes).toBe(baseB);
  });
});
