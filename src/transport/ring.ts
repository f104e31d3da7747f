// Single-producer single-consumer ring of variable-length messages in a
// SharedArrayBuffer. One ring carries requests main -> shard, another carries
// replies shard -> main.
//
// Layout: a 64-byte control block (Int32 words, below) then `capacity` bytes
// of data. A message is 8-aligned (so a payload after a 16-byte header copies
// word by word from an 8-aligned buffer; see util/bytes.ts) and starts with
// its total length in bytes (header included); a length of -1 means "wrap to
// the start". Positions are byte offsets into the data area. The producer
// reserves space and writes messages locally, then publishes them all with
// one store (commit): that is the batching. The consumer likewise publishes
// its read position once per batch (release). Empty: read == write; the
// producer never fills the ring completely, so full and empty can't be
// confused.
//
// Messages bigger than a quarter of the ring are sent as fragments
// (see sendFragmented/Reassembler) so that any size fits through.

export const C_WRITE = 0; // published write position
export const C_READ = 1; // published read position
export const C_SIGNAL = 2; // bumped by the producer on commit (consumer sleeps on it)
export const C_SLEEPING = 3; // consumer is (about to be) asleep
export const C_PRODUCER_WAITING = 4; // producer waits for space (sleeps on C_READ)
const CONTROL_BYTES = 64;
const ALIGN = 8;

/** The space a message of n bytes takes in a ring (its length word holds this). */
export function messageSize(n: number): number {
  return (n + ALIGN - 1) & -ALIGN;
}
const WRAP = -1;
export const FRAGMENT_TAG = -2;

export class Ring {
  readonly ctrl: Int32Array;
  readonly i32: Int32Array;
  readonly u8: Uint8Array;
  readonly capacity: number;
  /** producer's local (unpublished) write position */
  private wpos: number;
  /** consumer's local (unreleased) read position */
  private rpos: number;
  /** consumer's view of the producer's published write position */
  private wseen: number;

  constructor(readonly sab: SharedArrayBuffer) {
    this.ctrl = new Int32Array(sab, 0, CONTROL_BYTES >> 2);
    this.capacity = sab.byteLength - CONTROL_BYTES;
    this.i32 = new Int32Array(sab, CONTROL_BYTES, this.capacity >> 2);
    this.u8 = new Uint8Array(sab, CONTROL_BYTES, this.capacity);
    this.wpos = Atomics.load(this.ctrl, C_WRITE);
    this.rpos = Atomics.load(this.ctrl, C_READ);
    this.wseen = this.wpos;
  }

  static create(capacity: number): SharedArrayBuffer {
    return new SharedArrayBuffer(CONTROL_BYTES + (capacity & -ALIGN));
  }

  /** Largest message sent whole; bigger ones go as fragments. */
  get maxMessage(): number {
    return this.capacity >> 2;
  }

  // ---- producer ----------------------------------------------------------

  /**
   * Reserve n bytes (rounded up by messageSize; n includes the length word). Writes
   * the length word and returns the byte offset of the message, or -1 when
   * there is no room right now.
   */
  reserve(n: number): number {
    n = messageSize(n);
    const cap = this.capacity;
    const r = Atomics.load(this.ctrl, C_READ);
    let w = this.wpos;
    if (w >= r) {
      const tail = cap - w;
      if (n < tail || (n === tail && r !== 0)) {
        this.i32[w >> 2] = n;
        this.wpos = w + n === cap ? 0 : w + n;
        return w;
      }
      // wrap: the message must fit before r, leaving a gap
      if (n >= r) return -1;
      this.i32[w >> 2] = WRAP;
      w = 0;
      this.i32[0] = n;
      this.wpos = n;
      return 0;
    }
    if (n >= r - w) return -1;
    this.i32[w >> 2] = n;
    this.wpos = w + n;
    return w;
  }

  /** Bytes that could be reserved right now (upper bound, ignoring wrap waste). */
  freeSpace(): number {
    const r = Atomics.load(this.ctrl, C_READ);
    const w = this.wpos;
    return w >= r ? this.capacity - (w - r) - 4 : r - w - 4;
  }

  hasUncommitted(): boolean {
    return this.wpos !== Atomics.load(this.ctrl, C_WRITE);
  }

  /** Publish everything reserved so far; wake the consumer if it sleeps. Returns true if it had to be woken. */
  commit(): boolean {
    const ctrl = this.ctrl;
    if (this.wpos === Atomics.load(ctrl, C_WRITE)) return false;
    Atomics.store(ctrl, C_WRITE, this.wpos);
    Atomics.add(ctrl, C_SIGNAL, 1);
    if (Atomics.load(ctrl, C_SLEEPING) !== 0) {
      Atomics.notify(ctrl, C_SIGNAL);
      return true;
    }
    return false;
  }

  /** Producer: block (worker threads only) until the consumer frees space or timeout. */
  waitForSpace(timeoutMs: number): void {
    const ctrl = this.ctrl;
    const r = Atomics.load(ctrl, C_READ);
    Atomics.store(ctrl, C_PRODUCER_WAITING, 1);
    Atomics.wait(ctrl, C_READ, r, timeoutMs);
    Atomics.store(ctrl, C_PRODUCER_WAITING, 0);
  }

  // ---- consumer ----------------------------------------------------------

  /** Offset of the next message, or -1 when none is published. */
  next(): number {
    let r = this.rpos;
    if (r === this.wseen) {
      this.wseen = Atomics.load(this.ctrl, C_WRITE);
      if (r === this.wseen) return -1;
    }
    if (this.i32[r >> 2] === WRAP) {
      r = 0;
      this.rpos = 0;
      if (r === this.wseen) return -1;
    }
    return r;
  }

  /** The message after the one at `at` without consuming anything (look-ahead), or -1. */
  peekAfter(at: number): number {
    let p = at + this.i32[at >> 2];
    if (p === this.capacity) p = 0;
    if (p === this.wseen) return -1;
    if (this.i32[p >> 2] === WRAP) {
      p = 0;
      if (p === this.wseen) return -1;
    }
    return p;
  }

  /** Step past the message at offset `at` (returned by next()). */
  advance(at: number): void {
    const n = this.i32[at >> 2];
    const p = at + n;
    this.rpos = p === this.capacity ? 0 : p;
  }

  /** Publish the read position (frees space for the producer) and wake a waiting producer. */
  release(): void {
    const ctrl = this.ctrl;
    Atomics.store(ctrl, C_READ, this.rpos);
    if (Atomics.load(ctrl, C_PRODUCER_WAITING) !== 0) Atomics.notify(ctrl, C_READ);
  }

  isEmpty(): boolean {
    return this.rpos === Atomics.load(this.ctrl, C_WRITE);
  }
}

/**
 * Send `msg` (a complete message including its length word) as fragments:
 * each fragment is [len][FRAGMENT_TAG][payloadLen][more] + payload. The
 * producer callback `waitSpace` is called when the ring is full; it returns
 * false to give up for now (main thread), in which case the remaining offset is
 * returned so the caller can continue later; returns msg.length when done.
 */
export function sendFragments(ring: Ring, msg: Uint8Array, from: number, waitSpace: () => boolean): number {
  const chunk = ring.maxMessage - 16;
  let off = from;
  while (off < msg.length) {
    const n = Math.min(chunk, msg.length - off);
    const at = ring.reserve(16 + n);
    if (at < 0) {
      if (!waitSpace()) return off;
      continue;
    }
    const w = at >> 2;
    ring.i32[w + 1] = FRAGMENT_TAG;
    ring.i32[w + 2] = n;
    ring.i32[w + 3] = off + n < msg.length ? 1 : 0;
    ring.u8.set(msg.subarray(off, off + n), at + 16);
    off += n;
  }
  return off;
}

/** Collects fragments on the consumer side until the message is whole. */
export class Reassembler {
  private buf: Uint8Array | null = null;
  private len = 0;

  /** Feed the fragment at `at`; returns the complete message when this was the last fragment. */
  add(ring: Ring, at: number): Uint8Array | null {
    const w = at >> 2;
    const n = ring.i32[w + 2];
    const more = ring.i32[w + 3];
    if (this.buf === null || this.len + n > this.buf.length) {
      const nb = new Uint8Array(Math.max(this.len + n, (this.buf?.length ?? 0) * 2, 1 << 20));
      if (this.buf) nb.set(this.buf.subarray(0, this.len));
      this.buf = nb;
    }
    this.buf.set(ring.u8.subarray(at + 16, at + 16 + n), this.len);
    this.len += n;
    if (more) return null;
    const out = this.buf.subarray(0, this.len);
    this.buf = null;
    this.len = 0;
    return out;
  }
}
