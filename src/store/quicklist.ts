// Quicklist: a doubly linked list of listpack nodes, all in a shard arena.
// The representation of every Redis 7.0 list.
//
// Header block (24 bytes, never moves while the list lives, so the key entry
// keeps pointing at it):
//   +0 head node   +4 tail node   +8 element count   +12 node count
//   +16 fill (i32, list-max-listpack-size when created)
//   +20 compress depth (list-compress-depth when created)
// Node block (16 bytes):
//   +0 prev   +4 next   +8 listpack address (bit 0 set: a compressed node)   +12 element count
//
// Node size follows list-max-listpack-size like Redis: a negative fill
// limits a node's listpack bytes (-1..-5: 4/8/16/32/64 KB), a positive one its
// entry count (with an 8 KB safety limit on bytes). Nodes are created at the
// ends as pushes need them, split when an insert or replace in the middle of a
// full node needs room (and merged back with a neighbour when both halves
// fit), and freed when empty. The exact node layout is not Redis's; only
// replies have to match.
//
// Compression (list-compress-depth d > 0, as Redis): the d nodes at each end
// stay plain and every node between them is LZF-compressed when that saves
// enough (nodes under 48 bytes are left alone). A compressed node is a block
//   +0 block size   +4 listpack bytes (header + elements, no gap)
//   +8 element count   +12 compressed length   +16 LZF data
// Readers decompress a node into an unshared scratch buffer and leave the
// block as it is; writers decompress it in place, and settle() compresses
// again whatever the operation left plain between the ends.

import { type Allocator, blockSize } from './allocator';
import { Listpack, LP_HEADER, type BulkSink } from './listpack';
import { lzfCompress, lzfDecompress } from './lzf';
import { copyBytes } from '../util/bytes';

const Q_HEAD = 0;
const Q_TAIL = 1;
const Q_COUNT = 2;
const Q_NODES = 3;
const Q_FILL = 4;
const Q_DEPTH = 5;
export const QL_HEADER_BYTES = 24;

const N_PREV = 0;
const N_NEXT = 1;
const N_LP = 2;
const N_COUNT = 3;
const NODE_BYTES = 16;

/** Compressed node block: header words and size. */
const C_RAW = 1;
const C_COUNT = 2;
const C_LEN = 3;
const C_HEADER = 16;
/** Redis's limits: no compression under 48 listpack bytes, or when it saves under 8 bytes. */
const MIN_COMPRESS_BYTES = 48;
const MIN_COMPRESS_IMPROVE = 8;
/** Redis stores the depth in 16 bits. */
export const COMPRESS_DEPTH_MAX = 65535;

const SIZE_SAFETY_LIMIT = 8192;
/**
 * Bytes a node's listpack may hold whatever the fill says: Redis's default
 * node size (fill -2). Pushes and pops at the head use the listpack's gap and
 * do not move the node, but an insert in the middle or a reallocation does,
 * and V8 moves SharedArrayBuffer bytes slower than memmove, so the 16-64 KB
 * nodes of fills -3..-5 are not worth it. (Node layout is not observable:
 * every 7.0 list answers "quicklist".) Until the listpack gap existed this
 * cap was 2 KB; 8 KB nodes hold a list of short elements in ~1.5% less memory
 * and compress better (LZF sees more repetition per node).
 */
const NODE_BYTES_CAP = 8192;

/** Largest listpack a node may grow to. */
function sizeLimit(fill: number): number {
  if (fill >= 0) return Math.min(SIZE_SAFETY_LIMIT, NODE_BYTES_CAP);
  const f = fill < -5 ? 5 : -fill;
  return Math.min(4096 << (f - 1), NODE_BYTES_CAP);
}

/**
 * An unshared buffer dressed as an arena, where a compressed node is
 * decompressed for reading: Listpack's readers only index u8 and u32.
 */
class NodeView {
  u8 = new Uint8Array(4096);
  u32 = new Uint32Array(this.u8.buffer);

  /** Room for `bytes` from address VIEW_LP on. */
  ensure(bytes: number): void {
    if (VIEW_LP + bytes <= this.u8.length) return;
    let cap = this.u8.length;
    while (cap < VIEW_LP + bytes) cap *= 2;
    this.u8 = new Uint8Array(cap);
    this.u32 = new Uint32Array(this.u8.buffer);
  }
}
/** Where a viewed listpack starts in a NodeView (not 0: 0 means "none" to Listpack). */
const VIEW_LP = 8;

/**
 * Iterator over a quicklist from one end (forward from the head, or backward
 * from the tail). next() loads the following element; equals() compares it.
 * It survives deleteCurrent() and nothing else that modifies the list.
 */
export class QlIter {
  a!: Allocator;
  h = 0;
  node = 0;
  /** address of the current entry in the node's listpack (in `va`) */
  p = 0;
  backward = false;
  /** where the current node's listpack is read: the arena, or the scratch view of a compressed node */
  private va!: Allocator;
  private lp = 0;
  private started = false;
  /** the current entry was deleted: next() continues at `resume` */
  private deleted = false;
  private resume = 0;
  /** deleteCurrent() decompressed a node in place: settle the list before moving on */
  private wrote = false;

  constructor(
    private readonly P: Listpack,
    private readonly ql: QuickList,
  ) {}

  reset(a: Allocator, h: number, backward: boolean): this {
    this.a = a;
    this.va = a;
    this.h = h;
    this.backward = backward;
    this.node = a.u32[(h >>> 2) + (backward ? Q_TAIL : Q_HEAD)];
    this.p = 0;
    this.deleted = false;
    this.started = false;
    this.wrote = false;
    return this;
  }

  /** Advance to the next element; false at the end. */
  next(): boolean {
    const a = this.a;
    while (this.node !== 0) {
      let p: number;
      if (!this.started) {
        this.lp = this.ql.view(a, this.node);
        this.va = this.ql.viewArena;
        const P = this.P.on(this.va);
        p = this.backward ? P.last(this.lp) : P.first(this.lp);
        this.started = true;
      } else if (this.deleted) {
        p = this.resume;
        this.deleted = false;
      } else {
        const P = this.P.on(this.va);
        p = this.backward ? P.prev(this.lp, this.p) : P.next(this.lp, this.p);
      }
      if (p !== 0) {
        this.p = p;
        return true;
      }
      this.node = a.u32[(this.node >>> 2) + (this.backward ? N_PREV : N_NEXT)];
      this.started = false;
      if (this.wrote) {
        this.wrote = false;
        this.ql.settle(a, this.h);
      }
    }
    return false;
  }

  /** Whether the current element equals bytes buf[off, off+len). */
  equals(buf: Uint8Array, off: number, len: number): boolean {
    return this.P.on(this.va).eq(this.p, buf, off, len);
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
    // a compressed node is decompressed in place, where the element sits at the same offset
    const off = this.p - this.lp;
    this.lp = ql.writable(a, this.h, node);
    this.p = this.lp + off;
    this.va = a;
    this.wrote = true;
    const P = this.P.on(a);
    const nlp = P.delete(this.lp, this.p);
    const following = P.pos;
    a.u32[ni + N_LP] = nlp;
    a.u32[ni + N_COUNT] = n - 1;
    this.lp = nlp;
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
  private readonly it = new QlIter(this.P, this);
  private scratch = new Uint8Array(256);
  /** LPOS COUNT results (reused) */
  readonly positions: number[] = [];
  /** node found by seek() and the element's index within it */
  private seekNode = 0;
  private seekOff = 0;
  /** compressed nodes are read here */
  private readonly nodeView = new NodeView();
  /** the arena view() last returned a listpack address in */
  viewArena!: Allocator;
  /** compressor output */
  private cbuf = new Uint8Array(4096);
  /**
   * Nodes an operation changed or created in a compressed list: settle()
   * compresses those between the ends. (A typed array and a count: resetting
   * a JS array's length is a runtime call.)
   */
  private touched = new Uint32Array(16);
  private touchedN = 0;

  create(a: Allocator, fill: number, compressDepth = 0): number {
    const h = a.alloc(QL_HEADER_BYTES);
    const u32 = a.u32;
    const i = h >>> 2;
    u32[i + Q_HEAD] = 0;
    u32[i + Q_TAIL] = 0;
    u32[i + Q_COUNT] = 0;
    u32[i + Q_NODES] = 0;
    a.i32[i + Q_FILL] = fill;
    u32[i + Q_DEPTH] = compressDepth < COMPRESS_DEPTH_MAX ? compressDepth : COMPRESS_DEPTH_MAX;
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

  compressDepth(a: Allocator, h: number): number {
    return a.u32[(h >>> 2) + Q_DEPTH];
  }

  /** Nodes held compressed (DEBUG OBJECT, tests). */
  compressedNodes(a: Allocator, h: number): number {
    let n = 0;
    for (let node = a.u32[(h >>> 2) + Q_HEAD]; node !== 0; node = a.u32[(node >>> 2) + N_NEXT]) {
      if ((a.u32[(node >>> 2) + N_LP] & 1) !== 0) n++;
    }
    return n;
  }

  /** Listpack bytes of all nodes as if none were compressed (DEBUG OBJECT's ql_uncompressed_size). */
  uncompressedBytes(a: Allocator, h: number): number {
    let n = 0;
    for (let node = a.u32[(h >>> 2) + Q_HEAD]; node !== 0; node = a.u32[(node >>> 2) + N_NEXT]) {
      const lp = a.u32[(node >>> 2) + N_LP];
      if ((lp & 1) !== 0) n += a.u32[((lp & ~1) >>> 2) + C_RAW];
      else n += this.P.on(a).byteSize(lp);
    }
    return n;
  }

  /** An iterator; after one that deleted elements stops, call settle(). */
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
    if (u32[hi + Q_DEPTH] !== 0) this.touch(node);
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
    if (!keepLp) this.freeLp(a, u32[ni + N_LP]);
    a.free(node, NODE_BYTES);
    const t = this.touched;
    for (let i = this.touchedN - 1; i >= 0; i--) {
      if (t[i] === node) t[i] = t[--this.touchedN]!;
    }
  }

  private touch(node: number): void {
    if (this.touchedN === this.touched.length) {
      const t = new Uint32Array(this.touched.length * 2);
      t.set(this.touched);
      this.touched = t;
    }
    this.touched[this.touchedN++] = node;
  }

  /** Free a node's listpack or compressed block (both keep their block size in the first word). */
  private freeLp(a: Allocator, lp: number): void {
    const b = lp & ~1;
    a.free(b, a.u32[b >>> 2]);
  }

  /** Listpack bytes of a node (header + elements, no gap), compressed or not. */
  private nodeBytes(a: Allocator, node: number): number {
    const lp = a.u32[(node >>> 2) + N_LP];
    if ((lp & 1) !== 0) return a.u32[((lp & ~1) >>> 2) + C_RAW];
    return this.P.on(a).byteSize(lp);
  }

  /**
   * The node's listpack, readable: its arena address, or for a compressed
   * node its address in the scratch view (valid until the next view()).
   * Sets viewArena to the arena the address is in.
   */
  view(a: Allocator, node: number): number {
    const lp = a.u32[(node >>> 2) + N_LP];
    if ((lp & 1) === 0) {
      this.viewArena = a;
      return lp;
    }
    const b = lp & ~1;
    const bi = b >>> 2;
    const raw = a.u32[bi + C_RAW];
    const v = this.nodeView;
    v.ensure(raw);
    const vi = VIEW_LP >>> 2;
    v.u32[vi] = blockSize(raw); // as a block of the arena would say
    v.u32[vi + 1] = raw;
    v.u32[vi + 2] = a.u32[bi + C_COUNT];
    v.u32[vi + 3] = 0;
    this.inflate(a, b, v.u8, VIEW_LP + LP_HEADER, raw - LP_HEADER);
    this.viewArena = v as unknown as Allocator;
    return VIEW_LP;
  }

  /**
   * The node's listpack in the arena, to change: decompressed in place if it
   * was compressed. In a compressed list the node is noted for settle(), which
   * compresses it (again) when it lies between the ends.
   */
  writable(a: Allocator, h: number, node: number): number {
    let lp = a.u32[(node >>> 2) + N_LP];
    if ((lp & 1) !== 0) lp = this.decompressNode(a, node);
    if (a.u32[(h >>> 2) + Q_DEPTH] !== 0) this.touch(node);
    return lp;
  }

  /**
   * The listpack of the head or tail node, to change. Between operations an
   * end node is plain and needs no compressing after the change (it is within
   * the depth), so it is not noted for settle().
   */
  private endWritable(a: Allocator, h: number, node: number): number {
    const lp = a.u32[(node >>> 2) + N_LP];
    return (lp & 1) === 0 ? lp : this.writable(a, h, node);
  }

  private inflate(a: Allocator, b: number, out: Uint8Array, at: number, bytes: number): void {
    const got = lzfDecompress(a.u8, b + C_HEADER, a.u32[(b >>> 2) + C_LEN], out, at, bytes);
    if (got !== bytes) throw new Error(`quicklist: compressed node at ${b} is corrupt`);
  }

  /** Replace a compressed node's block with its listpack; returns the listpack. */
  private decompressNode(a: Allocator, node: number): number {
    const b = a.u32[(node >>> 2) + N_LP] & ~1;
    const raw = a.u32[(b >>> 2) + C_RAW];
    const count = a.u32[(b >>> 2) + C_COUNT];
    const P = this.P.on(a);
    const lp = P.create(raw - LP_HEADER);
    this.inflate(a, b, a.u8, lp + LP_HEADER, raw - LP_HEADER);
    const u32 = a.u32;
    u32[(lp >>> 2) + 1] = raw;
    u32[(lp >>> 2) + 2] = count;
    this.freeLp(a, b);
    u32[(node >>> 2) + N_LP] = lp;
    return lp;
  }

  /** Compress a plain node when it is big enough and LZF saves enough (Redis's rules). */
  private compressNode(a: Allocator, node: number): void {
    const ni = node >>> 2;
    const lp = a.u32[ni + N_LP];
    if ((lp & 1) !== 0) return;
    const P = this.P.on(a);
    const raw = P.byteSize(lp);
    if (raw < MIN_COMPRESS_BYTES) return;
    const data = raw - LP_HEADER;
    if (this.cbuf.length < data) this.cbuf = new Uint8Array(Math.max(data, this.cbuf.length * 2));
    const start = lp + LP_HEADER + a.u32[(lp >>> 2) + 3];
    const clen = lzfCompress(a.u8, start, data, this.cbuf, 0, data - MIN_COMPRESS_IMPROVE);
    if (clen === 0) return;
    const count = a.u32[(lp >>> 2) + 2];
    const size = blockSize(C_HEADER + clen);
    const b = a.alloc(size);
    const u32 = a.u32;
    const bi = b >>> 2;
    u32[bi] = size;
    u32[bi + C_RAW] = raw;
    u32[bi + C_COUNT] = count;
    u32[bi + C_LEN] = clen;
    copyBytes(a.u8, b + C_HEADER, this.cbuf, 0, clen);
    P.free(lp);
    u32[ni + N_LP] = b | 1;
  }

  /**
   * Restore the compression layout after an operation (Redis's
   * __quicklistCompress): the `depth` nodes at each end plain, the node just
   * inside them and every node the operation touched between them compressed.
   * A list of at most 2 x depth nodes is all plain.
   */
  settle(a: Allocator, h: number): void {
    const hi = h >>> 2;
    const depth = a.u32[hi + Q_DEPTH];
    const n = this.touchedN;
    this.touchedN = 0;
    if (depth === 0) return;
    if (a.u32[hi + Q_NODES] <= 2 * depth) {
      for (let node = a.u32[hi + Q_HEAD]; node !== 0; node = a.u32[(node >>> 2) + N_NEXT]) {
        if ((a.u32[(node >>> 2) + N_LP] & 1) !== 0) this.decompressNode(a, node);
      }
      return;
    }
    let f = a.u32[hi + Q_HEAD];
    let r = a.u32[hi + Q_TAIL];
    for (let i = 0; i < depth; i++) {
      if ((a.u32[(f >>> 2) + N_LP] & 1) !== 0) this.decompressNode(a, f);
      if ((a.u32[(r >>> 2) + N_LP] & 1) !== 0) this.decompressNode(a, r);
      f = a.u32[(f >>> 2) + N_NEXT];
      r = a.u32[(r >>> 2) + N_PREV];
    }
    // more than 2 x depth nodes: f and r are inner (the same node when there is one inner node)
    this.compressNode(a, f);
    if (r !== f) this.compressNode(a, r);
    const t = this.touched;
    for (let i = 0; i < n; i++) {
      if (!this.withinDepth(a, t[i]!, depth)) this.compressNode(a, t[i]!);
    }
  }

  /** Whether node is one of the `depth` nodes at either end. */
  private withinDepth(a: Allocator, node: number, depth: number): boolean {
    const u32 = a.u32;
    let p = node;
    let q = node;
    for (let i = 0; i < depth; i++) {
      p = u32[(p >>> 2) + N_PREV];
      q = u32[(q >>> 2) + N_NEXT];
      if (p === 0 || q === 0) return true;
    }
    return false;
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
    return this.fits(a, h, this.nodeBytes(a, node) + Listpack.encodedSize(len), a.u32[ni + N_COUNT] + 1);
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
    const a = P.a;
    w.bulk(P.vBuf, P.vStart, P.vStart + P.vLen, P.vBuf === a.u8 ? a.i32 : null);
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
      const lp = this.endWritable(a, h, node);
      // at the head, room for the pushes to come (the listpack's gap), up to a full node
      const nlp = head ? P.prepend(lp, src, off, len, sizeLimit(a.i32[hi + Q_FILL])) : P.append(lp, src, off, len);
      const u32 = a.u32;
      u32[ni + N_LP] = nlp;
      u32[ni + N_COUNT]++;
      if (this.touchedN !== 0) this.settle(a, h);
    } else {
      // the head node is full: it keeps no room for more prepends
      if (head && node !== 0) a.u32[(node >>> 2) + N_LP] = P.shrinkToFit(this.writable(a, h, node));
      this.nodeWith(a, h, head ? 0 : a.u32[hi + Q_TAIL], src, off, len);
      if (a.u32[hi + Q_DEPTH] !== 0) this.settle(a, h);
    }
    a.u32[hi + Q_COUNT]++;
  }

  /** Delete n elements of node from element offset off (n <= what the node holds from off); endNode: the head or tail node. */
  private deleteInNode(a: Allocator, h: number, node: number, off: number, n: number, endNode = false): void {
    const ni = node >>> 2;
    const cnt = a.u32[ni + N_COUNT];
    a.u32[(h >>> 2) + Q_COUNT] -= n;
    if (n === cnt) {
      this.unlinkNode(a, h, node);
      return;
    }
    const lp = endNode ? this.endWritable(a, h, node) : this.writable(a, h, node);
    const P = this.P.on(a);
    const nlp = P.deleteRange(lp, P.seek(lp, off), n);
    a.u32[ni + N_LP] = nlp;
    a.u32[ni + N_COUNT] = cnt - n;
  }

  /** Pop the head or tail element and reply it as a bulk string. The list must not be empty. */
  popReply(a: Allocator, h: number, head: boolean, w: BulkSink): void {
    const nodes = a.u32[(h >>> 2) + Q_NODES];
    const node = a.u32[(h >>> 2) + (head ? Q_HEAD : Q_TAIL)];
    const lp = this.view(a, node);
    const P = this.P.on(this.viewArena);
    this.replyEntry(P, head ? P.first(lp) : P.last(lp), w);
    this.deleteInNode(a, h, node, head ? 0 : a.u32[(node >>> 2) + N_COUNT] - 1, 1, true);
    // a node gone from an end brings an inner one within the depth
    if (this.touchedN !== 0 || a.u32[(h >>> 2) + Q_NODES] !== nodes) this.settle(a, h);
  }

  /** Pop the head or tail element into a scratch view (valid until the next call). The list must not be empty. */
  popToScratch(a: Allocator, h: number, head: boolean): Uint8Array {
    const nodes = a.u32[(h >>> 2) + Q_NODES];
    const node = a.u32[(h >>> 2) + (head ? Q_HEAD : Q_TAIL)];
    const lp = this.view(a, node);
    const P = this.P.on(this.viewArena);
    const v = this.entryToScratch(P, head ? P.first(lp) : P.last(lp));
    this.deleteInNode(a, h, node, head ? 0 : a.u32[(node >>> 2) + N_COUNT] - 1, 1, true);
    // a node gone from an end brings an inner one within the depth
    if (this.touchedN !== 0 || a.u32[(h >>> 2) + Q_NODES] !== nodes) this.settle(a, h);
    return v;
  }

  /**
   * Reply n elements starting at index start (which must exist), going toward
   * the tail, or toward the head when reverse (the n elements must exist).
   */
  replyRange(a: Allocator, h: number, start: number, n: number, reverse: boolean, w: BulkSink): void {
    if (n <= 0) return;
    this.seek(a, h, start);
    let node = this.seekNode;
    let lp = this.view(a, node);
    let P = this.P.on(this.viewArena);
    let p = P.seek(lp, this.seekOff);
    if (!reverse) {
      for (;;) {
        n -= P.replyForward(lp, p, n, w);
        if (n === 0) return;
        node = a.u32[(node >>> 2) + N_NEXT];
        lp = this.view(a, node);
        P = this.P.on(this.viewArena);
        p = P.first(lp);
      }
    }
    for (;;) {
      this.replyEntry(P, p, w);
      if (--n === 0) return;
      p = P.prev(lp, p);
      if (p === 0) {
        node = a.u32[(node >>> 2) + N_PREV];
        lp = this.view(a, node);
        P = this.P.on(this.viewArena);
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
    this.settle(a, h);
  }

  /** Replace the element at index (must exist). */
  replaceAt(a: Allocator, h: number, index: number, src: Uint8Array, off: number, len: number): void {
    this.replaceIn(a, h, index, src, off, len);
    this.settle(a, h);
  }

  private replaceIn(a: Allocator, h: number, index: number, src: Uint8Array, off: number, len: number): void {
    this.seek(a, h, index);
    const node = this.seekNode;
    const ni = node >>> 2;
    const lp = this.writable(a, h, node);
    const P = this.P.on(a);
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
    let node = a.u32[(h >>> 2) + Q_HEAD];
    while (node !== 0) {
      const lp = this.view(a, node);
      const P = this.P.on(this.viewArena);
      const pos = P.find(lp, pb, po, pl, 0);
      if (pos !== 0) {
        let i = 0;
        for (let p = P.first(lp); p !== pos; p = P.next(lp, p)) i++;
        this.insertInNode(a, h, node, i, after, src, off, len);
        this.settle(a, h);
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
      this.lpInsertAt(a, h, node, after ? idx + 1 : idx, src, off, len);
      return;
    }
    if (after && idx === cnt - 1) {
      // at the node's tail: the next node's head, or a new node in between
      const next = a.u32[ni + N_NEXT];
      if (this.allowInsert(a, h, next, len)) this.lpInsertAt(a, h, next, 0, src, off, len);
      else this.nodeWith(a, h, node, src, off, len);
      return;
    }
    if (!after && idx === 0) {
      // at the node's head: the previous node's tail, or a new node in between
      const prev = a.u32[ni + N_PREV];
      if (this.allowInsert(a, h, prev, len)) this.lpInsertAt(a, h, prev, a.u32[(prev >>> 2) + N_COUNT], src, off, len);
      else this.nodeWith(a, h, prev, src, off, len);
      return;
    }
    // in the middle of a full node: split it at the insertion point
    const at = after ? idx + 1 : idx;
    const P = this.P.on(a);
    let right = P.copy(a, this.writable(a, h, node), a);
    right = P.deleteRange(right, P.first(right), at);
    const lp = a.u32[ni + N_LP];
    a.u32[ni + N_LP] = P.deleteRange(lp, P.seek(lp, at), cnt - at);
    a.u32[ni + N_COUNT] = at;
    const rn = this.newNode(a, right, cnt - at);
    this.linkAfter(a, h, node, rn);
    if (this.allowInsert(a, h, node, len)) this.lpInsertAt(a, h, node, at, src, off, len);
    else if (this.allowInsert(a, h, rn, len)) this.lpInsertAt(a, h, rn, 0, src, off, len);
    else this.nodeWith(a, h, node, src, off, len);
    // merge the halves with their outer neighbours when they fit together
    this.tryMerge(a, h, rn);
    const prev = a.u32[ni + N_PREV];
    if (prev !== 0) this.tryMerge(a, h, prev);
  }

  /** Insert into node's listpack at element position i (0..count). */
  private lpInsertAt(a: Allocator, h: number, node: number, i: number, src: Uint8Array, off: number, len: number): void {
    const ni = node >>> 2;
    const lp = this.writable(a, h, node);
    const P = this.P.on(a);
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
    const cx = a.u32[ni + N_COUNT];
    const cy = a.u32[xi + N_COUNT];
    if (!this.fits(a, h, this.nodeBytes(a, node) + this.nodeBytes(a, next) - LP_HEADER, cx + cy)) return;
    const x = this.writable(a, h, node);
    const y = this.writable(a, h, next);
    a.u32[ni + N_LP] = this.P.on(a).merge(x, y);
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
    this.settle(a, h);
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
    const u32 = a.u32;
    let node = u32[(h >>> 2) + Q_HEAD];
    for (; node !== 0 && budget > 0; budget--) {
      const next = u32[(node >>> 2) + N_NEXT];
      this.freeLp(a, u32[(node >>> 2) + N_LP]);
      a.free(node, NODE_BYTES);
      node = next;
    }
    u32[(h >>> 2) + Q_HEAD] = node;
    if (node !== 0) return false;
    a.free(h, QL_HEADER_BYTES);
    return true;
  }

  copy(from: Allocator, h: number, to: Allocator): number {
    const nh = this.create(to, from.i32[(h >>> 2) + Q_FILL], from.u32[(h >>> 2) + Q_DEPTH]);
    let node = from.u32[(h >>> 2) + Q_HEAD];
    let last = 0;
    while (node !== 0) {
      const src = from.u32[(node >>> 2) + N_LP];
      let lp: number;
      if ((src & 1) === 0) lp = this.P.copy(from, src, to);
      else {
        // a compressed block is copied as it is
        const b = src & ~1;
        const size = from.u32[b >>> 2];
        const nb = to.alloc(size);
        copyBytes(to.u8, nb, from.u8, b, b + C_HEADER + from.u32[(b >>> 2) + C_LEN]);
        lp = nb | 1;
      }
      const n = this.newNode(to, lp, from.u32[(node >>> 2) + N_COUNT]);
      this.linkAfter(to, nh, last, n);
      last = n;
      node = from.u32[(node >>> 2) + N_NEXT];
    }
    to.u32[(nh >>> 2) + Q_COUNT] = from.u32[(h >>> 2) + Q_COUNT];
    // the copy has the original's layout: nothing to compress
    this.touchedN = 0;
    return nh;
  }

  memory(a: Allocator, h: number): number {
    let total = QL_HEADER_BYTES;
    let node = a.u32[(h >>> 2) + Q_HEAD];
    while (node !== 0) {
      // a listpack and a compressed block both keep their block size in the first word
      total += NODE_BYTES + a.u32[(a.u32[(node >>> 2) + N_LP] & ~1) >>> 2];
      node = a.u32[(node >>> 2) + N_NEXT];
    }
    return total;
  }

  /**
   * Consistency check for tests: counts, links, listpacks, node limits, and
   * the compression layout (ends plain, compressible inner nodes compressed).
   * Throws on corruption.
   */
  verify(a: Allocator, h: number): void {
    const hi = h >>> 2;
    const depth = a.u32[hi + Q_DEPTH];
    const total = a.u32[hi + Q_NODES];
    let node = a.u32[hi + Q_HEAD];
    let prev = 0;
    let nodes = 0;
    let count = 0;
    while (node !== 0) {
      const ni = node >>> 2;
      if (a.u32[ni + N_PREV] !== prev) throw new Error(`node ${node}: bad prev link`);
      const n = a.u32[ni + N_COUNT];
      if (n === 0) throw new Error(`node ${node}: empty node`);
      const compressed = (a.u32[ni + N_LP] & 1) !== 0;
      const inner = depth !== 0 && total > 2 * depth && nodes >= depth && nodes < total - depth;
      if (compressed && !inner) throw new Error(`node ${node} (#${nodes} of ${total}, depth ${depth}): compressed at an end`);
      const lp = this.view(a, node);
      const P = this.P.on(this.viewArena);
      P.validate(lp);
      if (P.count(lp) !== n) throw new Error(`node ${node}: count ${n} but listpack holds ${P.count(lp)}`);
      const bytes = P.byteSize(lp);
      if (n > 1 && !this.fits(a, h, bytes, n)) throw new Error(`node ${node}: ${n} elements, ${bytes} bytes exceed the fill`);
      if (inner && !compressed && bytes >= MIN_COMPRESS_BYTES) {
        const data = bytes - LP_HEADER;
        const out = new Uint8Array(data);
        const v = this.viewArena.u8;
        if (lzfCompress(v, lp + LP_HEADER + this.viewArena.u32[(lp >>> 2) + 3], data, out, 0, data - MIN_COMPRESS_IMPROVE) !== 0) {
          throw new Error(`node ${node} (#${nodes} of ${total}, depth ${depth}): inner node left uncompressed`);
        }
      }
      count += n;
      nodes++;
      prev = node;
      node = a.u32[ni + N_NEXT];
    }
    if (a.u32[hi + Q_TAIL] !== prev) throw new Error('bad tail');
    if (a.u32[hi + Q_NODES] !== nodes) throw new Error(`node count ${a.u32[hi + Q_NODES]} != ${nodes}`);
    if (a.u32[hi + Q_COUNT] !== count) throw new Error(`count ${a.u32[hi + Q_COUNT]} != ${count}`);
  }
}
