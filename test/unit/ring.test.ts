// Unit tests for the SPSC message ring (src/transport/ring.ts): reserve/commit,
// next/advance/release, wrap-around, fragments + Reassembler, and a real
// cross-thread echo through two rings with a worker_threads consumer.
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';
import { Ring, Reassembler, sendFragments, messageSize, FRAGMENT_TAG, C_READ, C_WRITE, C_SIGNAL, C_SLEEPING } from '../../src/transport/ring';
import { mulberry32 } from '../helpers/gen';

/** Message layout used by these tests: [len][seq][payloadLen] + payload bytes. */
const HDR = 12;

function payloadByte(seq: number, i: number): number {
  return (seq * 31 + i * 7 + (i >> 8)) & 0xff;
}

function writeMessage(ring: Ring, at: number, seq: number, payloadLen: number): void {
  ring.i32[(at >> 2) + 1] = seq;
  ring.i32[(at >> 2) + 2] = payloadLen;
  const u8 = ring.u8;
  const base = at + HDR;
  for (let i = 0; i < payloadLen; i++) u8[base + i] = payloadByte(seq, i);
}

/** Checks the message at `at`; returns its seq. */
function readMessage(ring: Ring, at: number): { seq: number; ok: boolean; len: number } {
  const len = ring.i32[at >> 2]!;
  const seq = ring.i32[(at >> 2) + 1]!;
  const pl = ring.i32[(at >> 2) + 2]!;
  let ok = len >= HDR + pl && at + len <= ring.capacity;
  const u8 = ring.u8;
  for (let i = 0; ok && i < pl; i++) if (u8[at + HDR + i] !== payloadByte(seq, i)) ok = false;
  return { seq, ok, len };
}

function makeMsg(seq: number, payloadLen: number): Uint8Array {
  // a complete message as sendFragments expects: [len][seq][payloadLen] + payload
  const total = messageSize(HDR + payloadLen);
  const m = new Uint8Array(total);
  const dv = new DataView(m.buffer);
  dv.setInt32(0, total, true);
  dv.setInt32(4, seq, true);
  dv.setInt32(8, payloadLen, true);
  for (let i = 0; i < payloadLen; i++) m[HDR + i] = payloadByte(seq, i);
  return m;
}

describe('Ring (single thread)', () => {
  it('create() rounds the capacity down to 4 and maxMessage is a quarter', () => {
    const ring = new Ring(Ring.create(1027));
    expect(ring.capacity).toBe(1024);
    expect(ring.maxMessage).toBe(256);
    expect(ring.next()).toBe(-1);
    expect(ring.isEmpty()).toBe(true);
  });

  it('reserve rounds up to 4 and writes the length word; nothing is visible before commit', () => {
    const ring = new Ring(Ring.create(1024));
    const at = ring.reserve(13);
    expect(at).toBe(0);
    expect(ring.i32[0]).toBe(16);
    expect(ring.hasUncommitted()).toBe(true);
    expect(ring.next()).toBe(-1);
    expect(ring.commit()).toBe(false); // nobody sleeping
    expect(ring.hasUncommitted()).toBe(false);
    expect(ring.commit()).toBe(false); // nothing new
    expect(ring.next()).toBe(0);
    expect(ring.next()).toBe(0); // next() does not consume
    ring.advance(0);
    expect(ring.next()).toBe(-1);
    expect(Atomics.load(ring.ctrl, C_READ)).toBe(0); // not released yet
    ring.release();
    expect(Atomics.load(ring.ctrl, C_READ)).toBe(16);
    expect(ring.isEmpty()).toBe(true);
  });

  it('a full ring returns -1, and space comes back only after release', () => {
    const ring = new Ring(Ring.create(1024));
    let n = 0;
    let used = 0;
    for (;;) {
      const at = ring.reserve(64);
      if (at < 0) break;
      writeMessage(ring, at, n, 64 - HDR);
      n++;
      used += 64;
      if (n > 100) throw new Error('ring never filled');
    }
    expect(used).toBeLessThan(ring.capacity); // never completely full
    expect(used).toBeGreaterThanOrEqual(ring.capacity - 64);
    expect(ring.reserve(64)).toBe(-1);
    ring.commit();
    // consume one but do not release: still full for the producer
    const at = ring.next();
    expect(readMessage(ring, at)).toEqual({ seq: 0, ok: true, len: 64 });
    ring.advance(at);
    expect(ring.reserve(64)).toBe(-1);
    ring.release();
    const again = ring.reserve(64);
    expect(again).toBeGreaterThanOrEqual(0);
    writeMessage(ring, again, n, 64 - HDR);
    ring.commit();
    // everything comes out in order
    const seqs: number[] = [];
    for (let p = ring.next(); p >= 0; p = ring.next()) {
      const m = readMessage(ring, p);
      expect(m.ok).toBe(true);
      seqs.push(m.seq);
      ring.advance(p);
    }
    expect(seqs).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  it('wraps with a marker when the tail is too small, and uses an exactly-fitting tail', () => {
    const ring = new Ring(Ring.create(256));
    const consumeAll = (): number[] => {
      const out: number[] = [];
      for (let p = ring.next(); p >= 0; p = ring.next()) {
        const m = readMessage(ring, p);
        expect(m.ok).toBe(true);
        out.push(m.seq);
        ring.advance(p);
      }
      ring.release();
      return out;
    };
    // 2 x 100 bytes (each rounded up to 104) in and out: positions at 208
    let at = ring.reserve(100);
    writeMessage(ring, at, 1, 88);
    at = ring.reserve(100);
    writeMessage(ring, at, 2, 88);
    ring.commit();
    expect(consumeAll()).toEqual([1, 2]);
    // 64 bytes do not fit in the 48-byte tail: wrap to 0
    at = ring.reserve(64);
    expect(at).toBe(0);
    expect(ring.i32[208 >> 2]).toBe(-1);
    writeMessage(ring, at, 3, 52);
    ring.commit();
    expect(consumeAll()).toEqual([3]);
    // now at 64 (reader too): a message of exactly the tail (192) is fine since r != 0
    at = ring.reserve(192);
    expect(at).toBe(64);
    writeMessage(ring, at, 4, 180);
    // the write position is back at 0 and may not catch up with r = 64
    expect(ring.reserve(64)).toBe(-1);
    at = ring.reserve(32);
    expect(at).toBe(0);
    writeMessage(ring, at, 5, 20);
    ring.commit();
    expect(consumeAll()).toEqual([4, 5]);
    expect(ring.isEmpty()).toBe(true);
  });

  it('peekAfter walks the published messages ahead of the reader, across the wrap, consuming nothing', () => {
    const ring = new Ring(Ring.create(512));
    const r = mulberry32(5);
    let seq = 0;
    for (let round = 0; round < 200; round++) {
      const k = 1 + Math.floor(r() * 5);
      for (let i = 0; i < k; i++) {
        const at = ring.reserve(16 + Math.floor(r() * 60));
        if (at < 0) break;
        writeMessage(ring, at, seq++, 4);
      }
      ring.commit();
      const first = ring.next();
      const peeked: number[] = [];
      for (let p = first; p >= 0; p = ring.peekAfter(p)) peeked.push(readMessage(ring, p).seq);
      const consumed: number[] = [];
      for (let p = ring.next(); p >= 0; p = ring.next()) {
        consumed.push(readMessage(ring, p).seq);
        ring.advance(p);
      }
      ring.release();
      expect(peeked).toEqual(consumed);
    }
    expect(seq).toBeGreaterThan(300);
  });

  it('places every message on an 8-byte boundary (payloads copy word by word)', () => {
    const ring = new Ring(Ring.create(4096));
    const r = mulberry32(11);
    for (let i = 0; i < 500; i++) {
      const n = 12 + Math.floor(r() * 300);
      let at = ring.reserve(n);
      if (at < 0) {
        ring.commit();
        for (let p = ring.next(); p >= 0; p = ring.next()) ring.advance(p);
        ring.release();
        at = ring.reserve(n);
      }
      expect(at % 8).toBe(0);
      expect(ring.i32[at >> 2]).toBe(messageSize(n));
      expect(messageSize(n) % 8).toBe(0);
      expect(messageSize(n) - n).toBeLessThan(8);
    }
  });

  it('a message exactly filling the tail is accepted when the reader is not at 0', () => {
    const ring = new Ring(Ring.create(256));
    let at = ring.reserve(64);
    writeMessage(ring, at, 1, 40);
    ring.commit();
    at = ring.next();
    ring.advance(at);
    ring.release(); // r = 64
    at = ring.reserve(128);
    expect(at).toBe(64);
    writeMessage(ring, at, 2, 100);
    at = ring.reserve(64); // tail is exactly 64 and r != 0
    expect(at).toBe(192);
    writeMessage(ring, at, 3, 50);
    // the write position wrapped to 0; one more would need < r - 0 = 64 bytes
    expect(ring.reserve(64)).toBe(-1);
    expect(ring.reserve(57)).toBe(-1); // rounded up to 64
    at = ring.reserve(56);
    expect(at).toBe(0);
    writeMessage(ring, at, 4, 44);
    ring.commit();
    const seqs: number[] = [];
    for (let p = ring.next(); p >= 0; p = ring.next()) {
      const m = readMessage(ring, p);
      expect(m.ok).toBe(true);
      seqs.push(m.seq);
      ring.advance(p);
    }
    ring.release();
    expect(seqs).toEqual([2, 3, 4]);
    expect(ring.isEmpty()).toBe(true);
  });

  it('an exactly-fitting tail is refused when the reader is at 0 (full vs empty)', () => {
    const ring = new Ring(Ring.create(256));
    // reader at 0, writer at 192: 64 more would end at 256 -> write position 0 == read position
    for (let i = 0; i < 3; i++) writeMessage(ring, ring.reserve(64), i, 40);
    expect(ring.reserve(64)).toBe(-1);
    const at = ring.reserve(56);
    expect(at).toBe(192);
    writeMessage(ring, at, 3, 40);
    ring.commit();
    let count = 0;
    for (let p = ring.next(); p >= 0; p = ring.next()) {
      expect(readMessage(ring, p).seq).toBe(count++);
      ring.advance(p);
    }
    expect(count).toBe(4);
  });

  it('many variable-size messages through a small ring with interleaved produce/consume', () => {
    for (const cap of [64, 100, 256, 1000, 4096]) {
      for (let seed = 1; seed <= 5; seed++) {
        const r = mulberry32(seed * 1000 + cap);
        const ring = new Ring(Ring.create(cap));
        const max = ring.maxMessage;
        let sent = 0;
        let received = 0;
        let wraps = 0;
        let lastAt = -1;
        const total = 20000;
        let pendingSize = 0;
        while (received < total) {
          // produce a random batch
          const batch = Math.floor(r() * 8);
          for (let b = 0; b < batch && sent < total; b++) {
            if (pendingSize === 0) pendingSize = HDR + Math.floor(r() * (max - HDR + 1));
            const at = ring.reserve(pendingSize);
            if (at < 0) break;
            writeMessage(ring, at, sent, pendingSize - HDR);
            pendingSize = 0;
            sent++;
          }
          if (r() < 0.8) ring.commit();
          // consume a random number
          const take = Math.floor(r() * 8);
          for (let k = 0; k < take; k++) {
            const at = ring.next();
            if (at < 0) break;
            if (at < lastAt) wraps++;
            lastAt = at;
            const m = readMessage(ring, at);
            if (!m.ok || m.seq !== received) {
              expect({ cap, seed, at, seq: m.seq, ok: m.ok }).toEqual({ cap, seed, at, seq: received, ok: true });
            }
            received++;
            ring.advance(at);
          }
          if (r() < 0.7) ring.release();
          if (sent === total) ring.commit();
        }
        ring.release();
        expect(ring.isEmpty()).toBe(true);
        expect(wraps).toBeGreaterThan(10);
      }
    }
  });

  it('freeSpace is an upper bound of what reserve accepts', () => {
    const r = mulberry32(9);
    const ring = new Ring(Ring.create(512));
    for (let i = 0; i < 5000; i++) {
      const n = 4 * (3 + Math.floor(r() * 30));
      const free = ring.freeSpace();
      const at = ring.reserve(n);
      if (at >= 0) {
        expect(n).toBeLessThanOrEqual(free);
        writeMessage(ring, at, i, n - HDR);
      }
      if (r() < 0.5) {
        ring.commit();
        const p = ring.next();
        if (p >= 0) ring.advance(p);
        ring.release();
      }
    }
  });

  it('commit wakes a sleeping consumer (returns true and bumps the signal word)', () => {
    const ring = new Ring(Ring.create(256));
    const sig0 = Atomics.load(ring.ctrl, C_SIGNAL);
    Atomics.store(ring.ctrl, C_SLEEPING, 1);
    ring.reserve(16);
    expect(ring.commit()).toBe(true);
    expect(Atomics.load(ring.ctrl, C_SIGNAL)).toBe(sig0 + 1);
    expect(Atomics.load(ring.ctrl, C_WRITE)).toBe(16);
  });

  it('a second Ring object over the same buffer continues from the published positions', () => {
    const sab = Ring.create(256);
    const prod = new Ring(sab);
    writeMessage(prod, prod.reserve(40), 1, 20);
    writeMessage(prod, prod.reserve(40), 2, 20);
    prod.commit();
    const cons = new Ring(sab);
    const p = cons.next();
    expect(readMessage(cons, p).seq).toBe(1);
    cons.advance(p);
    cons.release();
    const cons2 = new Ring(sab); // starts at the released position
    expect(readMessage(cons2, cons2.next()).seq).toBe(2);
  });
});

describe('fragments', () => {
  /** Consume everything available, feeding fragments to the reassembler. */
  function drain(ring: Ring, re: Reassembler, out: Uint8Array[]): void {
    for (let at = ring.next(); at >= 0; at = ring.next()) {
      if (ring.i32[(at >> 2) + 1] === FRAGMENT_TAG) {
        const m = re.add(ring, at);
        if (m !== null) out.push(m.slice());
      } else {
        out.push(ring.u8.slice(at, at + ring.i32[at >> 2]!));
      }
      ring.advance(at);
    }
    ring.release();
  }

  it('a message larger than the ring is sent as fragments and reassembles identically', () => {
    const ring = new Ring(Ring.create(1024));
    const re = new Reassembler();
    for (const size of [300, 1024, 5000, 100_000, 3 * 1024 * 1024 + 17]) {
      const msg = makeMsg(size, size);
      const out: Uint8Array[] = [];
      let waits = 0;
      const done = sendFragments(ring, msg, 0, () => {
        waits++;
        ring.commit();
        drain(ring, re, out);
        return true;
      });
      expect(done).toBe(msg.length);
      ring.commit();
      drain(ring, re, out);
      expect(out).toHaveLength(1);
      expect(Buffer.from(out[0]!).equals(Buffer.from(msg))).toBe(true);
      if (size > 1024) expect(waits).toBeGreaterThan(0);
    }
  });

  it('every fragment fits in maxMessage and carries payloadLen/more', () => {
    const ring = new Ring(Ring.create(4096));
    const msg = makeMsg(1, 10_000);
    const frags: Array<{ len: number; n: number; more: number }> = [];
    sendFragments(ring, msg, 0, () => {
      ring.commit();
      for (let at = ring.next(); at >= 0; at = ring.next()) {
        const w = at >> 2;
        expect(ring.i32[w + 1]).toBe(FRAGMENT_TAG);
        frags.push({ len: ring.i32[w]!, n: ring.i32[w + 2]!, more: ring.i32[w + 3]! });
        ring.advance(at);
      }
      ring.release();
      return true;
    });
    ring.commit();
    for (let at = ring.next(); at >= 0; at = ring.next()) {
      const w = at >> 2;
      frags.push({ len: ring.i32[w]!, n: ring.i32[w + 2]!, more: ring.i32[w + 3]! });
      ring.advance(at);
    }
    expect(frags.reduce((s, f) => s + f.n, 0)).toBe(msg.length);
    for (const f of frags) expect(f.len).toBeLessThanOrEqual(ring.maxMessage);
    expect(frags.map((f) => f.more)).toEqual([...frags.slice(1).map(() => 1), 0]);
  });

  it('sendFragments returns the offset reached when waitSpace gives up, and can continue', () => {
    const ring = new Ring(Ring.create(1024));
    const re = new Reassembler();
    const msg = makeMsg(7, 20_000);
    const out: Uint8Array[] = [];
    let off = 0;
    let rounds = 0;
    while (off < msg.length) {
      off = sendFragments(ring, msg, off, () => false);
      expect(off).toBeGreaterThan(0);
      ring.commit();
      drain(ring, re, out);
      if (++rounds > 10000) throw new Error('no progress');
    }
    expect(off).toBe(msg.length);
    expect(rounds).toBeGreaterThan(10);
    expect(out).toHaveLength(1);
    expect(Buffer.from(out[0]!).equals(Buffer.from(msg))).toBe(true);
  });

  it('fragmented and whole messages interleave in order', () => {
    const r = mulberry32(3);
    const ring = new Ring(Ring.create(2048));
    const re = new Reassembler();
    const out: Uint8Array[] = [];
    const sent: Uint8Array[] = [];
    for (let i = 0; i < 2000; i++) {
      const big = r() < 0.05;
      const pl = big ? 600 + Math.floor(r() * 20000) : Math.floor(r() * (ring.maxMessage - HDR));
      const msg = makeMsg(i, pl);
      sent.push(msg);
      if (msg.length > ring.maxMessage) {
        sendFragments(ring, msg, 0, () => {
          ring.commit();
          drain(ring, re, out);
          return true;
        });
      } else {
        let at = ring.reserve(msg.length);
        if (at < 0) {
          ring.commit();
          drain(ring, re, out);
          at = ring.reserve(msg.length);
        }
        expect(at).toBeGreaterThanOrEqual(0);
        ring.u8.set(msg.subarray(4), at + 4);
      }
      if (r() < 0.3) {
        ring.commit();
        drain(ring, re, out);
      }
    }
    ring.commit();
    drain(ring, re, out);
    expect(out.length).toBe(sent.length);
    for (let i = 0; i < sent.length; i++) {
      if (!Buffer.from(out[i]!).equals(Buffer.from(sent[i]!))) expect({ i, got: out[i]!.length }).toEqual({ i, got: sent[i]!.length });
    }
  });
});

describe('Ring across threads', () => {
  it('echoes ~100k messages through a worker and two rings, in order and intact', async () => {
    // Compile the current src/transport/ring.ts for the worker (it imports nothing).
    const src = fs.readFileSync(path.resolve(__dirname, '../../src/transport/ring.ts'), 'utf8');
    const js = ts.transpileModule(src, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;

    const workerCode = `
      const { workerData, parentPort } = require('node:worker_threads');
      const mod = { exports: {} };
      new Function('exports', 'module', 'require', workerData.ringJs)(mod.exports, mod, require);
      const { Ring, Reassembler, sendFragments, FRAGMENT_TAG, C_SIGNAL, C_SLEEPING } = mod.exports;
      const inR = new Ring(workerData.req);
      const outR = new Ring(workerData.rep);
      const re = new Reassembler();
      const stop = workerData.stop;
      let echoed = 0;
      const flushOut = () => outR.commit();
      const waitSpace = () => {
        inR.release();
        outR.commit();
        outR.waitForSpace(20);
        return Atomics.load(stop, 0) === 0;
      };
      const send = (bytes) => {
        if (bytes.length > outR.maxMessage) {
          sendFragments(outR, bytes, 0, waitSpace);
          return;
        }
        for (;;) {
          const at = outR.reserve(bytes.length);
          if (at >= 0) {
            outR.u8.set(bytes.subarray(4), at + 4);
            return;
          }
          if (!waitSpace()) return;
        }
      };
      while (Atomics.load(stop, 0) === 0) {
        let at = inR.next();
        if (at < 0) {
          inR.release();
          flushOut();
          const sig = Atomics.load(inR.ctrl, C_SIGNAL);
          Atomics.store(inR.ctrl, C_SLEEPING, 1);
          if (inR.next() < 0) Atomics.wait(inR.ctrl, C_SIGNAL, sig, 50);
          Atomics.store(inR.ctrl, C_SLEEPING, 0);
          continue;
        }
        if (inR.i32[(at >> 2) + 1] === FRAGMENT_TAG) {
          const m = re.add(inR, at);
          inR.advance(at);
          if (m !== null) {
            send(m.slice());
            echoed++;
          }
        } else {
          const len = inR.i32[at >> 2];
          const copy = inR.u8.slice(at, at + len);
          inR.advance(at);
          send(copy);
          echoed++;
        }
        if ((echoed & 15) === 0) { inR.release(); flushOut(); }
      }
      parentPort.postMessage({ echoed });
    `;

    const req = Ring.create(64 * 1024);
    const rep = Ring.create(16 * 1024);
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(workerCode, { eval: true, workerData: { ringJs: js, req, rep, stop } });
    let workerError: Error | null = null;
    worker.on('error', (e) => {
      workerError = e;
    });
    const online = new Promise<void>((resolve) => worker.once('online', () => resolve()));
    await online;

    const inR = new Ring(rep);
    const outR = new Ring(req);
    const re = new Reassembler();
    const r = mulberry32(4242);
    const TOTAL = 100_000;
    const sizes: number[] = [];
    for (let i = 0; i < TOTAL; i++) {
      const x = r();
      sizes.push(x < 0.001 ? 20_000 + Math.floor(r() * 200_000) : x < 0.05 ? 1000 + Math.floor(r() * 3000) : Math.floor(r() * 200));
    }
    let sent = 0;
    let received = 0;
    let bad: string | null = null;
    const deadline = Date.now() + 30_000;
    let fragOff = 0;
    let fragMsg: Uint8Array | null = null;

    const check = (bytes: Uint8Array): void => {
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const seq = dv.getInt32(4, true);
      const pl = dv.getInt32(8, true);
      if (bad === null) {
        if (seq !== received || pl !== sizes[received]) bad = `message ${received}: got seq ${seq} payload ${pl}`;
        else
          for (let i = 0; i < pl; i++)
            if (bytes[HDR + i] !== payloadByte(seq, i)) {
              bad = `message ${received}: byte ${i} differs`;
              break;
            }
      }
      received++;
    };
    const pump = (): boolean => {
      let got = false;
      for (let at = inR.next(); at >= 0; at = inR.next()) {
        got = true;
        if (inR.i32[(at >> 2) + 1] === FRAGMENT_TAG) {
          const m = re.add(inR, at);
          if (m !== null) check(m);
        } else {
          check(inR.u8.subarray(at, at + inR.i32[at >> 2]!));
        }
        inR.advance(at);
      }
      inR.release();
      return got;
    };

    try {
      while (received < TOTAL && bad === null) {
        if (Date.now() > deadline || workerError !== null) break;
        let progressed = false;
        // produce
        for (let k = 0; k < 64 && sent < TOTAL; k++) {
          if (fragMsg === null) {
            const pl = sizes[sent]!;
            if (HDR + pl > outR.maxMessage) {
              fragMsg = makeMsg(sent, pl);
              fragOff = 0;
            } else {
              const at = outR.reserve(HDR + pl);
              if (at < 0) break;
              writeMessage(outR, at, sent, pl);
              sent++;
              progressed = true;
              continue;
            }
          }
          const before = fragOff;
          fragOff = sendFragments(outR, fragMsg, fragOff, () => false);
          if (fragOff !== before) progressed = true;
          if (fragOff < fragMsg.length) break;
          fragMsg = null;
          sent++;
        }
        outR.commit();
        if (pump()) progressed = true;
        if (!progressed) {
          // sleep until the worker publishes replies (or a short timeout)
          const sig = Atomics.load(inR.ctrl, C_SIGNAL);
          Atomics.store(inR.ctrl, C_SLEEPING, 1);
          if (inR.next() < 0) Atomics.wait(inR.ctrl, C_SIGNAL, sig, 5);
          Atomics.store(inR.ctrl, C_SLEEPING, 0);
        }
      }
    } finally {
      Atomics.store(stop, 0, 1);
      Atomics.notify(new Int32Array(req, 0, 16), C_SIGNAL);
    }
    const exit = new Promise<number>((resolve) => worker.once('exit', resolve));
    const echoed = await new Promise<number>((resolve) => {
      const t = setTimeout(() => resolve(-1), 5000);
      worker.once('message', (m: { echoed: number }) => {
        clearTimeout(t);
        resolve(m.echoed);
      });
    });
    await worker.terminate();
    await exit;
    expect(workerError).toBeNull();
    expect(bad).toBeNull();
    expect(received).toBe(TOTAL);
    expect(echoed).toBe(TOTAL);
  }, 60_000);
});
