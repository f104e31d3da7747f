// Quicklist: a doubly linked list of listpack nodes, all in a shard arena.
// The representation of every Redis 7.0 list.
//
// Header block (24 bytes, never moves while the list lives, so the key entry
// keeps pointing at it):
//   +0 head node   +4 tail node   +8 element count   +12 node count
//   +16 fill (i32, list-max-listpack-size when created)   +20 unused
// Node block (16 bytes):
//   +0 prev   +4 next   +8 listpack address   +12 element count
//
// Node size follows list-max-listpack-size like Redis: a negative fill
// limits a node's listpack bytes (-1..-5: 4/8/16/32/64 KB), a positive one its
// entry count (with an 8 KB safety limit on bytes). Nodes are created at the
// ends as pushes need them, split when an insert or replace in the middle of a
// full node needs room (and merged back with a neighbour when both halves
// fit), and freed when empty. The exact node layout is not Redis's; only
// replies have to match. list-compress-depth is accepted but nodes are never
// compressed.

import type { Allocator } from './allocator';
import { Listpack, LP_HEADER, type BulkSink } from './listpack';
import { copyBytes } from '../util/bytes';

const Q_HEAD = 0;
const Q_TAIL = 1;
const Q_COUNT = 2;
const Q_NODES = 3;
const Q_FILL = 4;
export const QL_HEADER_BYTES = 24;

const N_PREV = 0;
const N_NEXT = 1;
const N_LP = 2;
const N_COUNT = 3;
const NODE_BYTES = 16;

const SIZE_SAFETY_LIMIT = 8192;
/**
 * Bytes a node's listpack may hold whatever the fill says. A push or pop at
 * the head moves the whole listpack, and V8 moves SharedArrayBuffer bytes far
 * slower than memmove: with 8 KB nodes LPUSH ran at about half the speed of 2 KB ones. The
 * extra node headers cost well under 1% of a list's memory. (Node layout is not
 * observable: every 7.0 list answers "quicklist".)
 */
const NODE_BYTES_CAP = 2048;

/** Largest listpack a node may grow to. */
function sizeLimit(fill: number): number {
  if (fill >= 0) return Math.min(SIZE_SAFETY_LIMIT, NODE_BYTES_CAP);
  const f = fill < -5 ? 5 : -fill;
  return Math.min(4096 << (f - 1), NODE_BYTES_CAP);
}

/**
 * Iterator over a quicklist from one end (forward from the head, or backward
 * from the tail). next() loads the following element; equals() compares it.
 * It survives deleteCurrent() and nothing else that modifies the list.
 */
export class QlIter {
  a!: Allocator;
  h = 0;
  node = 0;
  /** address of the current entry in the node's listpack */
  p = 0;
  backward = false;
  private started = false;
  /** the current entry was deleted: next() continues at `resume` */
  private deleted = false;
  private resume = 0;

  constructor(private readonly P: Listpack) {}

  reset(a: Allocator, h: number, backward: boolean): this {
    this.a = a;
    this.h = h;
    this.backward = backward;
    this.node = a.u32[(h >>> 2) + (backward ? Q_TAIL : Q_HEAD)];
    this.p = 0;
    this.deleted = false;
    this.started = false;
    return this;
  }

  /** Advance to the next element; false at the end. */
  next(): boolean {
    const a = this.a;
    const P = this.P.on(a);
    while (this.node !== 0) {
      const lp = a.u32[(this.node >>> 2) + N_LP];
      let p: number;
      if (!this.started) {
        p = this.backward ? P.last(lp) : P.first(lp);
        this.started = true;
      } else if (this.deleted) {
        p = this.resume;
        this.deleted = false;
      } else {
        p = this.backward ? P.prev(lp, this.p) : P.next(lp, this.p);
      }
      if (p !== 0) {
        this.p = p;
        return true;
      }
      this.node = a.u32[(this.node >>> 2) + (this.backward ? N_PREV : N_NEXT)];
      this.started = false;
    }
    return false;
  }

  /** Whether the current element equals bytes buf[off, off+len). */
  equals(buf: Uint8Array, off: number, len: number): boolean {
    return this.P.on(this.a).eq(this.p, buf, off, len);
  }

  /**
   * Delete the current element; the next call to next() moves to the element
   * after it (in the iteration direction). A node left empty is unlinked and
   * the iterator moves on to its neighbour.
   */
  deleteCurrent(ql: QuickList): void {
    const a = this.a;
    const node = this.node;
    const ni = node >>> 2;
    const n = a.u32[ni + N_COUNT];
    a.u32[(this.h >>> 2) + Q_COUNT]--;
    if (n === 1) {
      this.node = a.u32[ni + (this.backward ? N_PREV : N_NEXT)];
      this.started = false;
      this.deleted = false;
      ql.unlinkNode(a, this.h, node);
      return;
    }
    const P = this.P.on(a);
    const nlp = P.delete(a.u32[ni + N_LP], this.p);
    const following = P.pos;
    a.u32[ni + N_LP] = nlp;
    a.u32[ni + N_COUNT] = n - 1;
    this.resume = this.backward ? (following === 0 ? P.last(nlp) : P.prev(nlp, following)) : following;
    this.deleted = true;
  }
}

/**
 * Quicklist operations. An instance keeps no list state: every method takes
 * the arena and the list's header address. One instance per thread.
 */
export class QuickList {
  private readonly P = new Listpack(undefined as unknown as Allocator);
  private readonly it = new QlIter(this.P);
  private scratch = new Uint8Array(256);
  /** LPOS COUNT results (reused) */
  readonly positions: number[] = [];
  /** node found by seek() and the element's index within it */
  private seekNode = 0;
  private seekOff = 0;

  create(a: Allocator, fill: number): number {
    const h = a.alloc(QL_HEADER_BYTES);
    const u32 = a.u32;
    const i = h >>> 2;
    u32[i + Q_HEAD] = 0;
    u32[i + Q_TAIL] = 0;
    u32[i + Q_COUNT] = 0;
    u32[i + Q_NODES] = 0;
    a.i32[i + Q_FILL] = fill;
    u32[i + 5] = 0;
    return h;
  }

  length(a: Allocator, h: number): number {
    return a.u32[(h >>> 2) + Q_COUNT];
  }

  nodeCount(a: Allocator, h: number): number {
    return a.u32[(h >>> 2) + Q_NODES];
  }

  fill(a: Allocator, h: number): number {
    return a.i32[(h >>> 2) + Q_FILL];
  }

  iter(a: Allocator, h: number, backward: boolean): QlIter {
    return this.it.reset(a, h, backward);
  }

  // ---- nodes ----

  private newNode(a: Allocator, lp: number, count: number): number {
    const n = a.alloc(NODE_BYTES);
    const u32 = a.u32;
    const i = n >>> 2;
    u32[i + N_PREV] = 0;
    u32[i + N_NEXT] = 0;
    u32[i + N_LP] = lp;
    u32[i + N_COUNT] = count;
    return n;
  }

  /** Link node after `after` (0: as the new head). */
  private linkAfter(a: Allocator, h: number, after: number, node: number): void {
    const u32 = a.u32;
    const hi = h >>> 2;
    const ni = node >>> 2;
    const next = after === 0 ? u32[hi + Q_HEAD] : u32[(after >>> 2) + N_NEXT];
    u32[ni + N_PREV] = after;
    u32[ni + N_NEXT] = next;
    if (after === 0) u32[hi + Q_HEAD] = node;
    else u32[(after >>> 2) + N_NEXT] = node;
    if (next === 0) u32[hi + Q_TAIL] = node;
    else u32[(next >>> 2) + N_PREV] = node;
    u32[hi + Q_NODES]++;
  }

  /** Unlink and free a node (its elements must already be uncounted); keepLp: its listpack lives on elsewhere. */
  unlinkNode(a: Allocator, h: number, node: number, keepLp = false): void {
    const u32 = a.u32;
    const hi = h >>> 2;
    const ni = node >>> 2;
    const prev = u32[ni + N_PREV];
    const next = u32[ni + N_NEXT];
    if (prev === 0) u32[hi + Q_HEAD] = next;
    else u32[(prev >>> 2) + N_NEXT] = next;
    if (next === 0) u32[hi + Q_TAIL] = prev;
    else u32[(next >>> 2) + N_PREV] = prev;
    u32[hi + Q_NODES]--;
    if (!keepLp) this.P.on(a).free(u32[ni + N_LP]);
    a.free(node, NODE_BYTES);
  }

  /** Whether a node of `size` listpack bytes and `count` elements respects the fill setting. */
  private fits(a: Allocator, h: number, size: number, count: number): boolean {
    const fill = a.i32[(h >>> 2) + Q_FILL];
    if (fill < 0) return size <= sizeLimit(fill);
    return size <= sizeLimit(fill) && count <= fill;
  }

  /** Whether an element of len bytes may be added to node (Redis's _quicklistNodeAllowInsert). */
  private allowInsert(a: Allocator, h: number, node: number, len: number): boolean {
    if (node === 0) return false;
    const ni = node >>> 2;
    return this.fits(a, h, this.P.on(a).byteSize(a.u32[ni + N_LP]) + Listpack.encodedSize(len), a.u32[ni + N_COUNT] + 1);
  }

  /** Locate element index (0 <= index < length): sets seekNode / seekOff. */
  private seek(a: Allocator, h: number, index: number): void {
    const u32 = a.u32;
    const hi = h >>> 2;
    const count = u32[hi + Q_COUNT];
    if (index < count >>> 1) {
      let node = u32[hi + Q_HEAD];
      let base = 0;
      for (;;) {
        const n = u32[(node >>> 2) + N_COUNT];
        if (index < base + n) break;
        base += n;
        node = u32[(node >>> 2) + N_NEXT];
      }
      this.seekNode = node;
      this.seekOff = index - base;
    } else {
      let node = u32[hi + Q_TAIL];
      let base = count;
      for (;;) {
        base -= u32[(node >>> 2) + N_COUNT];
        if (index >= base) break;
        node = u32[(node >>> 2) + N_PREV];
      }
      this.seekNode = node;
      this.seekOff = index - base;
    }
  }

  // ---- elements ----

  /** Reply the entry at p as a bulk string. */
  private replyEntry(P: Listpack, p: number, w: BulkSink): void {
    P.get(p);
    w.bulk(P.vBuf, P.vStart, P.vStart + P.vLen);
  }

  /** Copy the entry at p into the scratch buffer; returns a view of it (valid until the next call). */
  private entryToScratch(P: Listpack, p: number): Uint8Array {
    P.get(p);
    const len = P.vLen;
    if (len > this.scratch.length) {
      let cap = this.scratch.length;
      while (cap < len) cap *= 2;
      this.scratch = new Uint8Array(cap);
    }
    const s = this.scratch;
    const src = P.vBuf;
    const st = P.vStart;
    copyBytes(s, 0, src, st, st + len);
    return s.subarray(0, len);
  }

  // ---- operations ----

  /** Push an element at the head or the tail. */
  push(a: Allocator, h: number, src: Uint8Array, off: number, len: number, head: boolean): void {
    const hi = h >>> 2;
    const node = a.u32[hi + (head ? Q_HEAD : Q_TAIL)];
    const P = this.P.on(a);
    if (this.allowInsert(a, h, node, len)) {
      const ni = node >>> 2;
      const lp = a.u32[ni + N_LP];
      // at the head, room for the pushes to come (the listpack's gap), up to a full node
      const nlp = head ? P.prepend(lp, src, off, len, sizeLimit(a.i32[hi + Q_FILL])) : P.append(lp, src, off, len);
      const u32 = a.u32;
      u32[ni + N_LP] = nlp;
      u32[ni + N_COUNT]++;
    } else {
      // the head node is full: it keeps no room for more prepends
      if (head && node !== 0) a.u32[(node >>> 2) + N_LP] = P.shrinkToFit(a.u32[(node >>> 2) + N_LP]);
      this.nodeWith(a, h, head ? 0 : a.u32[hi + Q_TAIL], src, off, len);
    }
    a.u32[hi + Q_COUNT]++;
  }

  /** Delete n elements of node from element offset off (n <= what the node holds from off). */
  private deleteInNode(a: Allocator, h: number, node: number, off: number, n: number): void {
    const ni = node >>> 2;
    const cnt = a.u32[ni + N_COUNT];
    a.u32[(h >>> 2) + Q_COUNT] -= n;
    if (n === cnt) {
      this.unlinkNode(a, h, node);
      return;
    }
    const P = this.P.on(a);
    const lp = a.u32[ni + N_LP];
    const nlp = P.deleteRange(lp, P.seek(lp, off), n);
    a.u32[ni + N_LP] = nlp;
    a.u32[ni + N_COUNT] = cnt - n;
  }

  /** Pop the head or tail element and reply it as a bulk string. The list must not be empty. */
  popReply(a: Allocator, h: number, head: boolean, w: BulkSink): void {
    const node = a.u32[(h >>> 2) + (head ? Q_HEAD : Q_TAIL)];
    const lp = a.u32[(node >>> 2) + N_LP];
    const P = this.P.on(a);
    this.replyEntry(P, head ? P.first(lp) : P.last(lp), w);
    this.deleteInNode(a, h, node, head ? 0 : a.u32[(node >>> 2) + N_COUNT] - 1, 1);
  }

  /** Pop the head or tail element into a scratch view (valid until the next call). The list must not be empty. */
  popToScratch(a: Allocator, h: number, head: boolean): Uint8Array {
    const node = a.u32[(h >>> 2) + (head ? Q_HEAD : Q_TAIL)];
    const lp = a.u32[(node >>> 2) + N_LP];
    const P = this.P.on(a);
    const v = this.entryToScratch(P, head ? P.first(lp) : P.last(lp));
    this.deleteInNode(a, h, node, head ? 0 : a.u32[(node >>> 2) + N_COUNT] - 1, 1);
    return v;
  }

  /**
   * Reply n elements starting at index start (which must exist), going toward
   * the tail, or toward the head when reverse (the n elements must exist).
   */
  replyRange(a: Allocator, h: number, start: number, n: number, reverse: boolean, w: BulkSink): void {
    if (n <= 0) return;
    this.seek(a, h, start);
    const P = this.P.on(a);
    let node = this.seekNode;
    let lp = a.u32[(node >>> 2) + N_LP];
    let p = P.seek(lp, this.seekOff);
    if (!reverse) {
      for (;;) {
        n -= P.replyForward(lp, p, n, w);
        if (n === 0) return;
        node = a.u32[(node >>> 2) + N_NEXT];
        lp = a.u32[(node >>> 2) + N_LP];
        p = P.first(lp);
      }
    }
    for (;;) {
      this.replyEntry(P, p, w);
      if (--n === 0) return;
      p = P.prev(lp, p);
      if (p === 0) {
        node = a.u32[(node >>> 2) + N_PREV];
        lp = a.u32[(node >>> 2) + N_LP];
        p = P.last(lp);
      }
    }
  }

  /** Delete n elements from index start toward the tail (the range must exist). */
  delRange(a: Allocator, h: number, start: number, n: number): void {
    if (n <= 0) return;
    this.seek(a, h, start);
    let node = this.seekNode;
    let off = this.seekOff;
    while (n > 0) {
      const next = a.u32[(node >>> 2) + N_NEXT];
      const avail = a.u32[(node >>> 2) + N_COUNT] - off;
      const k = n < avail ? n : avail;
      this.deleteInNode(a, h, node, off, k);
      n -= k;
      node = next;
      off = 0;
    }
  }

  /** Replace the element at index (must exist). */
  replaceAt(a: Allocator, h: number, index: number, src: Uint8Array, off: number, len: number): void {
    this.seek(a, h, index);
    const node = this.seekNode;
    const ni = node >>> 2;
    const P = this.P.on(a);
    const lp = a.u32[ni + N_LP];
    const p = P.seek(lp, this.seekOff);
    const cnt = a.u32[ni + N_COUNT];
    if (cnt === 1 || this.fits(a, h, P.byteSize(lp) - P.entrySize(p) + Listpack.encodedSize(len), cnt)) {
      a.u32[ni + N_LP] = P.replace(lp, p, src, off, len);
      return;
    }
    // too big for this node: remove the old element, insert the new one as
    // LINSERT would (into a neighbour, a new node, or splitting this one)
    this.deleteInNode(a, h, node, this.seekOff, 1);
    if (index === this.length(a, h)) this.push(a, h, src, off, len, false);
    else {
      this.seek(a, h, index);
      this.insertInNode(a, h, this.seekNode, this.seekOff, false, src, off, len);
    }
  }

  /**
   * Find the first element equal to the pivot (from the head) and insert the
   * value before or after it. False when the pivot is not in the list.
   */
  insertAtPivot(
    a: Allocator,
    h: number,
    pb: Uint8Array,
    po: number,
    pl: number,
    src: Uint8Array,
    off: number,
    len: number,
    after: boolean,
  ): boolean {
    const P = this.P.on(a);
    let node = a.u32[(h >>> 2) + Q_HEAD];
    while (node !== 0) {
      const lp = a.u32[(node >>> 2) + N_LP];
      const pos = P.find(lp, pb, po, pl, 0);
      if (pos !== 0) {
        let i = 0;
        for (let p = P.first(lp); p !== pos; p = P.next(lp, p)) i++;
        this.insertInNode(a, h, node, i, after, src, off, len);
        return true;
      }
      node = a.u32[(node >>> 2) + N_NEXT];
    }
    return false;
  }

  /** Insert the value before/after element idx of node (after Redis's _quicklistInsert). */
  private insertInNode(a: Allocator, h: number, node: number, idx: number, after: boolean, src: Uint8Array, off: number, len: number): void {
    const ni = node >>> 2;
    const cnt = a.u32[ni + N_COUNT];
    a.u32[(h >>> 2) + Q_COUNT]++;
    if (this.allowInsert(a, h, node, len)) {
      this.lpInsertAt(a, node, after ? idx + 1 : idx, src, off, len);
      return;
    }
    if (after && idx === cnt - 1) {
      // at the node's tail: the next node's head, or a new node in between
      const next = a.u32[ni + N_NEXT];
      if (this.allowInsert(a, h, next, len)) this.lpInsertAt(a, next, 0, src, off, len);
      else this.nodeWith(a, h, node, src, off, len);
      return;
    }
    if (!after && idx === 0) {
      // at the node's head: the previous node's tail, or a new node in between
      const prev = a.u32[ni + N_PREV];
      if (this.allowInsert(a, h, prev, len)) this.lpInsertAt(a, prev, a.u32[(prev >>> 2) + N_COUNT], src, off, len);
      else this.nodeWith(a, h, prev, src, off, len);
      return;
    }
    // in the middle of a full node: split it at the insertion point
    const at = after ? idx + 1 : idx;
    const P = this.P.on(a);
    let right = P.copy(a, a.u32[ni + N_LP], a);
    right = P.deleteRange(right, P.first(right), at);
    const lp = a.u32[ni + N_LP];
    a.u32[ni + N_LP] = P.deleteRange(lp, P.seek(lp, at), cnt - at);
    a.u32[ni + N_COUNT] = at;
    const rn = this.newNode(a, right, cnt - at);
    this.linkAfter(a, h, node, rn);
    if (this.allowInsert(a, h, node, len)) this.lpInsertAt(a, node, at, src, off, len);
    else if (this.allowInsert(a, h, rn, len)) this.lpInsertAt(a, rn, 0, src, off, len);
    else this.nodeWith(a, h, node, src, off, len);
    // merge the halves with their outer neighbours when they fit together
    this.tryMerge(a, h, rn);
    const prev = a.u32[ni + N_PREV];
    if (prev !== 0) this.tryMerge(a, h, prev);
  }

  /** Insert into node's listpack at element position i (0..count). */
  private lpInsertAt(a: Allocator, node: number, i: number, src: Uint8Array, off: number, len: number): void {
    const ni = node >>> 2;
    const P = this.P.on(a);
    const lp = a.u32[ni + N_LP];
    const cnt = a.u32[ni + N_COUNT];
    let nlp: number;
    if (i >= cnt) nlp = P.append(lp, src, off, len);
    else if (i === 0) nlp = P.prepend(lp, src, off, len);
    else nlp = P.insert(lp, P.seek(lp, i), src, off, len, false);
    a.u32[ni + N_LP] = nlp;
    a.u32[ni + N_COUNT] = cnt + 1;
  }

  /** A new one-element node linked after `after` (0: the new head). The element is counted by the caller. */
  private nodeWith(a: Allocator, h: number, after: number, src: Uint8Array, off: number, len: number): void {
    const P = this.P.on(a);
    let lp = P.create(Listpack.encodedSize(len));
    lp = P.append(lp, src, off, len);
    this.linkAfter(a, h, after, this.newNode(a, lp, 1));
  }

  /** Merge node with its next neighbour when both fit in one node. */
  private tryMerge(a: Allocator, h: number, node: number): void {
    const ni = node >>> 2;
    const next = a.u32[ni + N_NEXT];
    if (next === 0) return;
    const xi = next >>> 2;
    const P = this.P.on(a);
    const x = a.u32[ni + N_LP];
    const y = a.u32[xi + N_LP];
    const cx = a.u32[ni + N_COUNT];
    const cy = a.u32[xi + N_COUNT];
    if (!this.fits(a, h, P.byteSize(x) + P.byteSize(y) - LP_HEADER, cx + cy)) return;
    a.u32[ni + N_LP] = P.merge(x, y);
    a.u32[ni + N_COUNT] = cx + cy;
    this.unlinkNode(a, h, next, true);
  }

  /**
   * Remove up to `max` elements equal to the bytes (0: all), scanning from the
   * head, or from the tail when fromTail. Returns how many were removed.
   */
  removeMatching(a: Allocator, h: number, buf: Uint8Array, off: number, len: number, max: number, fromTail: boolean): number {
    const it = this.iter(a, h, fromTail);
    let removed = 0;
    while (it.next()) {
      if (it.equals(buf, off, len)) {
        it.deleteCurrent(this);
        removed++;
        if (max !== 0 && removed === max) break;
      }
    }
    return removed;
  }

  // ---- whole-object operations (ValueOps) ----

  free(a: Allocator, h: number): void {
    this.freeStep(a, h, Infinity);
  }

  /**
   * Free up to `budget` nodes from the head (lazy freeing of a deleted list);
   * true once the whole list, header included, is freed. The list is only
   * good for further freeStep calls in between.
   */
  freeStep(a: Allocator, h: number, budget: number): boolean {
    const P = this.P.on(a);
    const u32 = a.u32;
    let node = u32[(h >>> 2) + Q_HEAD];
    for (; node !== 0 && budget > 0; budget--) {
      const next = u32[(node >>> 2) + N_NEXT];
      P.free(u32[(node >>> 2) + N_LP]);
      a.free(node, NODE_BYTES);
      node = next;
    }
    u32[(h >>> 2) + Q_HEAD] = node;
    if (node !== 0) return false;
    a.free(h, QL_HEADER_BYTES);
    return true;
  }

  copy(from: Allocator, h: number, to: Allocator): number {
    const nh = this.create(to, from.i32[(h >>> 2) + Q_FILL]);
    const P = this.P;
    let node = from.u32[(h >>> 2) + Q_HEAD];
    let last = 0;
    while (node !== 0) {
      const lp = P.copy(from, from.u32[(node >>> 2) + N_LP], to);
      const n = this.newNode(to, lp, from.u32[(node >>> 2) + N_COUNT]);
      this.linkAfter(to, nh, last, n);
      last = n;
      node = from.u32[(node >>> 2) + N_NEXT];
    }
    to.u32[(nh >>> 2) + Q_COUNT] = from.u32[(h >>> 2) + Q_COUNT];
    return nh;
  }

  memory(a: Allocator, h: number): number {
    const P = this.P.on(a);
    let total = QL_HEADER_BYTES;
    let node = a.u32[(h >>> 2) + Q_HEAD];
    while (node !== 0) {
      total += NODE_BYTES + P.memory(a.u32[(node >>> 2) + N_LP]);
      node = a.u32[(node >>> 2) + N_NEXT];
    }
    return total;
  }

  /** Consistency check for tests: counts, links, listpacks, node limits. Throws on corruption. */
  verify(a: Allocator, h: number): void {
    const u32 = a.u32;
    const P = this.P.on(a);
    const hi = h >>> 2;
    let node = u32[hi + Q_HEAD];
    let prev = 0;
    let nodes = 0;
    let count = 0;
    while (node !== 0) {
      const ni = node >>> 2;
      if (u32[ni + N_PREV] !== prev) throw new Error(`node ${node}: bad prev link`);
      const n = u32[ni + N_COUNT];
      if (n === 0) throw new Error(`node ${node}: empty node`);
      const lp = u32[ni + N_LP];
      P.validate(lp);
      if (P.count(lp) !== n) throw new Error(`node ${node}: count ${n} but listpack holds ${P.count(lp)}`);
      if (n > 1 && !this.fits(a, h, P.byteSize(lp), n)) throw new Error(`node ${node}: ${n} elements, ${P.byteSize(lp)} bytes exceed the fill`);
      count += n;
      nodes++;
      prev = node;
      node = u32[ni + N_NEXT];
    }
    if (u32[hi + Q_TAIL] !== prev) throw new Error('bad tail');
    if (u32[hi + Q_NODES] !== nodes) throw new Error(`node count ${u32[hi + Q_NODES]} != ${nodes}`);
    if (u32[hi + Q_COUNT] !== count) throw new Error(`count ${u32[hi + Q_COUNT]} != ${count}`);
  }
}
