// Listpack: a packed sequence of byte-string elements in ONE arena block.
// Shared by hashes (field,value pairs), sets, sorted sets (member,score pairs)
// and list nodes (quicklist).
//
// ---------------------------------------------------------------- API -------
// const lp = new Listpack(a)      operator over an Allocator; keeps NO state per
//                                  listpack. lp.on(a) re-targets it (another arena).
// Addresses: a listpack is its block address `lp` (u32). An element position
// `pos` is the absolute arena address of the element; 0 means "none".
// Every mutator returns the (possibly MOVED) listpack address: store it back.
// After a mutator, `lp.pos` is the position (in the returned listpack) of the
// element inserted/replaced, or for deletes the element that now follows the
// deleted range (0 if the range reached the end). Positions taken before a
// mutation are invalid after it (keep an index or `pos - lp` offset instead,
// offsets before the mutation point stay valid).
//
//   create(capacityHint = 0): lp        empty listpack, room for ~hint data bytes
//   free(lp)
//   count(lp)                           number of elements
//   byteSize(lp)                        bytes used (header + elements, not the gap): thresholds
//   memory(lp)                          bytes of the block (MEMORY USAGE)
//   first(lp) / last(lp)                position or 0
//   next(lp, pos) / prev(lp, pos)       position or 0
//   seek(lp, index)                     index < 0 counts from the end; 0 if out of range
//   get(pos)                            describes the element bytes in fields:
//        vBuf[vStart, vStart+vLen)  the bytes (vBuf is a.u8, or a scratch
//                                   buffer for integer elements; valid until the
//                                   next get/alloc); vIsInt / vInt: element is
//                                   stored as an integer (vInt, a safe integer)
//   getString(pos): string              latin1 (tests/debug)
//   eq(pos, buf, off, len): boolean     element == buf[off, off+len)
//   find(lp, buf, off, len, skip, from = first): pos of the first element equal
//        to the bytes, looking at `from`, then every (skip+1)-th element; 0 none
//   entrySize(pos)                      encoded bytes of the element (for sizing)
//   static encodedSize(len)             upper bound of the bytes an element of
//                                       len bytes takes (len + 2..10)
//   append(lp, buf, off, len) / prepend(lp, buf, off, len, maxBlock?): lp
//   insert(lp, pos, buf, off, len, after: boolean): lp   (before/after pos)
//   replace(lp, pos, buf, off, len): lp
//   delete(lp, pos): lp
//   deleteRange(lp, pos, count): lp     count elements from pos (clamped at the end)
//   merge(lp, other): lp                appends other's elements to lp, FREES other
//   shrinkToFit(lp): lp                 drops the gap and the room beyond the elements
//   copy(from: Allocator, lp, to: Allocator): new lp in `to` (may be the same arena)
//   validate(lp)                        throws if the structure is inconsistent (tests)
// buf may be a view of the same arena (even of the same listpack).
// ---------------------------------------------------------------------------
//
// Block layout:
//   +0 capacity (u32, block size as allocated; passed back to free)
//   +4 end of the elements (u32, offset from the block start)
//   +8 element count (u32)   +12 gap (u32): free bytes before the first element
//   +16+gap elements, back to back, no end marker (+4 says where they end).
// The gap makes the head a cheap place to change: deleting the first element
// widens it and prepend() writes into it, instead of shifting every element
// (quicklist LPUSH/LPOP). prepend() opens a gap when it has to move the
// elements anyway; a reallocation closes it. Lists are the only users that
// prepend, so other listpacks only get a gap from deleting their first element.
//
// Element: [encoding header (+ integer payload)][string bytes][back-length]
//   header first byte:
//     0xxxxxxx                  integer 0..127 (no payload)
//     10llllll                  string, length 0..63
//     110xxxxx x8               13-bit signed integer
//     1110llll l8               string, length < 4096
//     11110000 l32(LE)          string, any length
//     11110001 / 0010 / 0011 / 0100   16 / 24 / 32 / 64-bit signed integer (LE)
//   back-length: L = header+payload+string bytes, written as 7-bit groups so
//   that it reads backwards from the element's last byte: the last byte holds
//   the lowest 7 bits, bit 7 set when more groups precede it.
// An element is stored as an integer exactly when its bytes are the canonical
// decimal form of a safe integer (no sign on 0, no leading zeros, |v| < 2^53),
// so strings and integers never compare equal across encodings.
// Overhead: 2 bytes per element under 64 bytes (an integer 0..127 takes 2 bytes
// in total, up to 4095 in magnitude 3 bytes).

import { type Allocator, blockSize } from './allocator';
import { copyToWords, moveBytes } from '../util/bytes';

export const LP_HEADER = 16;
const O_CAP = 0;
const O_USED = 4;
const O_COUNT = 8;
const O_GAP = 12;

const TWO32 = 4294967296;

/** bytes of the back-length for an element whose header+data take L bytes */
function backLenSize(L: number): number {
  return L < 128 ? 1 : L < 16384 ? 2 : L < 2097152 ? 3 : L < 268435456 ? 4 : 5;
}

/** Reply sink: what the list encodings need of ReplyWriter. */
export interface BulkSink {
  /** src32, when given, views the same memory as src from the same start (an arena's): see ReplyWriter.bulk */
  bulk(src: Uint8Array, start?: number, end?: number, src32?: Int32Array | null): void;
}

export class Listpack {
  /** get(): element bytes are vBuf[vStart, vStart + vLen) */
  vBuf: Uint8Array;
  vStart = 0;
  vLen = 0;
  /** get(): the element is stored as an integer, whose value is vInt */
  vIsInt = false;
  vInt = 0;
  /** position of the element a mutator inserted/replaced, or that follows a deleted range */
  pos = 0;

  private readonly scratch = new Uint8Array(24);
  // encode() results
  private readonly eHdr = new Uint8Array(16);
  private eHdrLen = 0;
  private eStrLen = 0;
  private eTotal = 0;
  // decode() results
  private dHdr = 0;
  private dStr = 0;
  private dL = 0;

  constructor(public a: Allocator) {
    this.vBuf = this.scratch;
  }

  on(a: Allocator): this {
    this.a = a;
    return this;
  }

  // ---------------------------------------------------------------- blocks

  create(capacityHint = 0): number {
    const size = blockSize(LP_HEADER + capacityHint);
    const lp = this.a.alloc(size);
    const u32 = this.a.u32;
    const i = lp >>> 2;
    u32[i] = size;
    u32[i + 1] = LP_HEADER;
    u32[i + 2] = 0;
    u32[i + 3] = 0;
    return lp;
  }

  free(lp: number): void {
    this.a.free(lp, this.a.u32[lp >>> 2]);
  }

  count(lp: number): number {
    return this.a.u32[(lp + O_COUNT) >>> 2];
  }

  byteSize(lp: number): number {
    const u32 = this.a.u32;
    return u32[(lp + O_USED) >>> 2] - u32[(lp + O_GAP) >>> 2];
  }

  /** Address of the first element's slot (where it is or would be). */
  private start(lp: number): number {
    return lp + LP_HEADER + this.a.u32[(lp + O_GAP) >>> 2];
  }

  memory(lp: number): number {
    return this.a.u32[(lp + O_CAP) >>> 2];
  }

  /** A copy without the gap. */
  copy(from: Allocator, lp: number, to: Allocator): number {
    const li = lp >>> 2;
    const end = from.u32[li + 1];
    const gap = from.u32[li + 3];
    const used = end - gap;
    const size = blockSize(used);
    const n = to.alloc(size);
    // views may have been rebuilt by the allocation (from may be to)
    to.u8.set(from.u8.subarray(lp + LP_HEADER + gap, lp + end), n + LP_HEADER);
    const ni = n >>> 2;
    const t32 = to.u32;
    t32[ni] = size;
    t32[ni + 1] = used;
    t32[ni + 2] = from.u32[li + 2];
    t32[ni + 3] = 0;
    return n;
  }

  // ---------------------------------------------------------------- walking

  /** Decode the header at pos: dHdr (header+int payload bytes), dStr (string bytes), dL (sum). */
  private decode(pos: number): void {
    const u8 = this.a.u8;
    const b = u8[pos];
    if (b < 0x80) {
      this.dHdr = 1;
      this.dStr = 0;
    } else if (b < 0xc0) {
      this.dHdr = 1;
      this.dStr = b & 0x3f;
    } else if (b < 0xe0) {
      this.dHdr = 2;
      this.dStr = 0;
    } else if (b < 0xf0) {
      this.dHdr = 2;
      this.dStr = ((b & 0x0f) << 8) | u8[pos + 1];
    } else if (b === 0xf0) {
      this.dHdr = 5;
      this.dStr = (u8[pos + 1] | (u8[pos + 2] << 8) | (u8[pos + 3] << 16) | (u8[pos + 4] << 24)) >>> 0;
    } else {
      this.dHdr = b === 0xf1 ? 3 : b === 0xf2 ? 4 : b === 0xf3 ? 5 : 9;
      this.dStr = 0;
    }
    this.dL = this.dHdr + this.dStr;
  }

  /** Total encoded bytes of the element at pos. */
  entrySize(pos: number): number {
    this.decode(pos);
    return this.dL + backLenSize(this.dL);
  }

  /** Upper bound of the bytes an element of len bytes takes. */
  static encodedSize(len: number): number {
    const h = len < 64 ? 1 : len < 4096 ? 2 : 5;
    return h + len + backLenSize(h + len);
  }

  first(lp: number): number {
    return this.a.u32[(lp + O_COUNT) >>> 2] === 0 ? 0 : this.start(lp);
  }

  last(lp: number): number {
    const u32 = this.a.u32;
    if (u32[(lp + O_COUNT) >>> 2] === 0) return 0;
    return this.prevOf(lp + u32[(lp + O_USED) >>> 2]);
  }

  next(lp: number, pos: number): number {
    this.decode(pos);
    const n = pos + this.dL + backLenSize(this.dL);
    return n >= lp + this.a.u32[(lp + O_USED) >>> 2] ? 0 : n;
  }

  prev(lp: number, pos: number): number {
    return pos <= this.start(lp) ? 0 : this.prevOf(pos);
  }

  /** Start of the element that ends just before `end`. */
  private prevOf(end: number): number {
    const u8 = this.a.u8;
    let p = end - 1;
    let L = 0;
    let shift = 0;
    for (;;) {
      const b = u8[p];
      L += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
      shift += 7;
      p--;
    }
    return p - L;
  }

  seek(lp: number, index: number): number {
    const n = this.count(lp);
    if (index < 0) index += n;
    if (index < 0 || index >= n) return 0;
    if (index <= n >>> 1) {
      let p = this.start(lp);
      for (let i = 0; i < index; i++) {
        this.decode(p);
        p += this.dL + backLenSize(this.dL);
      }
      return p;
    }
    let p = lp + this.a.u32[(lp + O_USED) >>> 2];
    for (let i = n; i > index; i--) p = this.prevOf(p);
    return p;
  }

  /**
   * Reply with up to n elements from pos toward the end of lp, each as a bulk
   * (LRANGE's inner loop); returns how many were written. Short strings, the
   * common case, are read straight off their encoding byte.
   */
  replyForward(lp: number, pos: number, n: number, w: BulkSink): number {
    const u8 = this.a.u8;
    const end = lp + this.a.u32[(lp + O_USED) >>> 2];
    let done = 0;
    while (done < n && pos < end) {
      const b = u8[pos];
      if (b >= 0x80 && b < 0xc0) {
        // 6-bit string: encoding byte, bytes, a one-byte back length
        const len = b & 0x3f;
        w.bulk(u8, pos + 1, pos + 1 + len);
        pos += len + 2;
      } else {
        this.get(pos);
        w.bulk(this.vBuf, this.vStart, this.vStart + this.vLen);
        this.decode(pos);
        pos += this.dL + backLenSize(this.dL);
      }
      done++;
    }
    return done;
  }

  // ---------------------------------------------------------------- reading

  get(pos: number): void {
    const u8 = this.a.u8;
    const b = u8[pos];
    let v: number;
    if (b < 0x80) {
      v = b;
    } else if (b < 0xc0) {
      this.vIsInt = false;
      this.vBuf = u8;
      this.vStart = pos + 1;
      this.vLen = b & 0x3f;
      return;
    } else if (b < 0xe0) {
      v = ((b & 0x1f) << 8) | u8[pos + 1];
      if (v >= 4096) v -= 8192;
    } else if (b < 0xf0) {
      this.vIsInt = false;
      this.vBuf = u8;
      this.vStart = pos + 2;
      this.vLen = ((b & 0x0f) << 8) | u8[pos + 1];
      return;
    } else if (b === 0xf0) {
      this.vIsInt = false;
      this.vBuf = u8;
      this.vStart = pos + 5;
      this.vLen = (u8[pos + 1] | (u8[pos + 2] << 8) | (u8[pos + 3] << 16) | (u8[pos + 4] << 24)) >>> 0;
      return;
    } else if (b === 0xf1) {
      v = (u8[pos + 1] | (u8[pos + 2] << 8)) << 16 >> 16;
    } else if (b === 0xf2) {
      v = (u8[pos + 1] | (u8[pos + 2] << 8) | (u8[pos + 3] << 16)) << 8 >> 8;
    } else if (b === 0xf3) {
      v = u8[pos + 1] | (u8[pos + 2] << 8) | (u8[pos + 3] << 16) | (u8[pos + 4] << 24);
    } else {
      const lo = (u8[pos + 1] | (u8[pos + 2] << 8) | (u8[pos + 3] << 16) | (u8[pos + 4] << 24)) >>> 0;
      const hi = u8[pos + 5] | (u8[pos + 6] << 8) | (u8[pos + 7] << 16) | (u8[pos + 8] << 24);
      v = hi * TWO32 + lo;
    }
    this.vIsInt = true;
    this.vInt = v;
    this.vBuf = this.scratch;
    this.vStart = 0;
    this.vLen = writeInt(this.scratch, v);
  }

  getString(pos: number): string {
    this.get(pos);
    let s = '';
    for (let i = 0; i < this.vLen; i++) s += String.fromCharCode(this.vBuf[this.vStart + i]);
    return s;
  }

  eq(pos: number, buf: Uint8Array, off: number, len: number): boolean {
    const u8 = this.a.u8;
    const b = u8[pos];
    if ((b & 0xc0) === 0x80 || (b & 0xf0) === 0xe0 || b === 0xf0) {
      this.get(pos);
      if (this.vLen !== len) return false;
      const s = this.vStart;
      for (let i = 0; i < len; i++) if (u8[s + i] !== buf[off + i]) return false;
      return true;
    }
    const v = parseCanonical(buf, off, len);
    if (v === null) return false;
    this.get(pos);
    return this.vInt === v;
  }

  find(lp: number, buf: Uint8Array, off: number, len: number, skip: number, from = 0): number {
    const u32 = this.a.u32;
    const end = lp + u32[(lp + O_USED) >>> 2];
    let p = from === 0 ? this.start(lp) : from;
    const asInt = parseCanonical(buf, off, len);
    const u8 = this.a.u8;
    const first = len > 0 ? buf[off] : 0;
    let k = 0;
    while (p < end) {
      this.decode(p);
      const L = this.dL;
      if (k === 0) {
        const b = u8[p];
        if ((b & 0xc0) === 0x80 || (b & 0xf0) === 0xe0 || b === 0xf0) {
          if (asInt === null && this.dStr === len) {
            if (len === 0) return p;
            const s = p + this.dHdr;
            if (u8[s] === first) {
              let i = 1;
              while (i < len && u8[s + i] === buf[off + i]) i++;
              if (i === len) return p;
            }
          }
        } else if (asInt !== null) {
          this.get(p);
          if (this.vInt === asInt) return p;
        }
        k = skip;
      } else k--;
      p += L + backLenSize(L);
    }
    return 0;
  }

  // ---------------------------------------------------------------- writing

  /** Encode an element's header for buf[off, off+len) into eHdr; sets eHdrLen, eStrLen, eTotal. */
  private encode(buf: Uint8Array, off: number, len: number): void {
    const h = this.eHdr;
    const v = parseCanonical(buf, off, len);
    if (v !== null) {
      this.eStrLen = 0;
      if (v >= 0 && v < 128) {
        h[0] = v;
        this.eHdrLen = 1;
      } else if (v >= -4096 && v < 4096) {
        const x = v & 0x1fff;
        h[0] = 0xc0 | (x >> 8);
        h[1] = x & 0xff;
        this.eHdrLen = 2;
      } else if (v >= -32768 && v < 32768) {
        h[0] = 0xf1;
        h[1] = v & 0xff;
        h[2] = (v >> 8) & 0xff;
        this.eHdrLen = 3;
      } else if (v >= -8388608 && v < 8388608) {
        h[0] = 0xf2;
        h[1] = v & 0xff;
        h[2] = (v >> 8) & 0xff;
        h[3] = (v >> 16) & 0xff;
        this.eHdrLen = 4;
      } else if (v >= -2147483648 && v < 2147483648) {
        h[0] = 0xf3;
        h[1] = v & 0xff;
        h[2] = (v >> 8) & 0xff;
        h[3] = (v >> 16) & 0xff;
        h[4] = (v >>> 24) & 0xff;
        this.eHdrLen = 5;
      } else {
        const lo = v >>> 0;
        const hi = Math.floor(v / TWO32) | 0;
        h[0] = 0xf4;
        h[1] = lo & 0xff;
        h[2] = (lo >>> 8) & 0xff;
        h[3] = (lo >>> 16) & 0xff;
        h[4] = lo >>> 24;
        h[5] = hi & 0xff;
        h[6] = (hi >> 8) & 0xff;
        h[7] = (hi >> 16) & 0xff;
        h[8] = (hi >>> 24) & 0xff;
        this.eHdrLen = 9;
      }
    } else {
      this.eStrLen = len;
      if (len < 64) {
        h[0] = 0x80 | len;
        this.eHdrLen = 1;
      } else if (len < 4096) {
        h[0] = 0xe0 | (len >> 8);
        h[1] = len & 0xff;
        this.eHdrLen = 2;
      } else {
        h[0] = 0xf0;
        h[1] = len & 0xff;
        h[2] = (len >>> 8) & 0xff;
        h[3] = (len >>> 16) & 0xff;
        h[4] = len >>> 24;
        this.eHdrLen = 5;
      }
    }
    const L = this.eHdrLen + this.eStrLen;
    this.eTotal = L + backLenSize(L);
  }

  /** Write the encoded element (encode() just ran) at dst. */
  private writeEncoded(dst: number, src: Uint8Array, off: number): void {
    const u8 = this.a.u8;
    const hl = this.eHdrLen;
    for (let i = 0; i < hl; i++) u8[dst + i] = this.eHdr[i];
    const sl = this.eStrLen;
    if (sl > 0) {
      copyToWords(this.a.i32, u8, dst + hl, src, off, off + sl);
    }
    let L = hl + sl;
    let p = dst + this.eTotal - 1;
    for (;;) {
      const low = L & 0x7f;
      L = Math.floor(L / 128);
      if (L === 0) {
        u8[p] = low;
        break;
      }
      u8[p--] = low | 0x80;
    }
  }

  /**
   * Replace `del` bytes at byte offset `at` (from lp) by the element
   * buf[off, off+len) (ins) or by nothing. Returns the new lp; sets pos.
   */
  private splice(lp: number, at: number, del: number, ins: boolean, buf: Uint8Array, off: number, len: number): number {
    let a = this.a;
    const u32 = a.u32;
    const li = lp >>> 2;
    const cap = u32[li];
    const used = u32[li + 1];
    const gap = u32[li + 3];
    let add = 0;
    if (ins) {
      this.encode(buf, off, len);
      add = this.eTotal;
      // the source bytes may live inside this very listpack: copy them out first
      if (this.eStrLen > 0 && off + len > lp && off < lp + cap && buf.buffer === a.sab) {
        buf = buf.slice(off, off + len);
        off = 0;
      }
    }
    const first = LP_HEADER + gap;
    // without the gap
    const compact = used - gap - del + add;
    const newSize = blockSize(compact);
    // give memory back once the elements fill under ~1/3 of the block: well
    // below the half a growth leaves (prepend doubles), or a push/pop pair
    // at the head could move the elements every time
    const shrink = add < del && newSize < cap * 0.35;
    if (at === first && !shrink) {
      // at the head: widen the gap, or write into it, instead of shifting every element
      if (!ins) {
        if (first + del >= used) {
          u32[li + 1] = LP_HEADER;
          u32[li + 3] = 0;
          this.pos = 0;
        } else {
          u32[li + 3] = gap + del;
          this.pos = lp + first + del;
        }
        return lp;
      }
      if (del === 0 && add <= gap) {
        u32[li + 3] = gap - add;
        this.writeEncoded(lp + first - add, buf, off);
        this.pos = lp + first - add;
        return lp;
      }
    }
    const newUsed = used - del + add;
    if (newUsed > cap || shrink) {
      // reallocate, dropping the gap (the blocks are distinct: no overlap)
      const dst = a.alloc(newSize);
      a = this.a;
      const u8 = a.u8;
      moveBytes(u8, dst + LP_HEADER, lp + first, lp + at);
      moveBytes(u8, dst + at - gap + add, lp + at + del, lp + used);
      this.moved(lp, cap, dst, newSize, compact, 0);
      const nat = at - gap;
      if (ins) this.writeEncoded(dst + nat, buf, off);
      this.pos = ins || nat < compact ? dst + nat : 0;
      return dst;
    }
    if (add !== del) moveBytes(a.u8, lp + at + add, lp + at + del, lp + used);
    u32[li + 1] = newUsed;
    if (ins) this.writeEncoded(lp + at, buf, off);
    this.pos = ins || at < newUsed ? lp + at : 0;
    return lp;
  }

  append(lp: number, buf: Uint8Array, off: number, len: number): number {
    const n = this.splice(lp, this.a.u32[(lp >>> 2) + 1], 0, true, buf, off, len);
    this.a.u32[(n >>> 2) + 2]++;
    return n;
  }

  /**
   * Insert before the first element. When the gap is too small the elements
   * move once to the end of the block, or of a new one of up to maxBlock
   * bytes (room for the prepends to come), and later prepends fill the gap.
   */
  prepend(lp: number, buf: Uint8Array, off: number, len: number, maxBlock = 0): number {
    const a = this.a;
    const li = lp >>> 2;
    this.encode(buf, off, len);
    if (this.eTotal > a.u32[li + 3]) {
      if (len > 0 && off + len > lp && off < lp + a.u32[li] && buf.buffer === a.sab) {
        buf = buf.slice(off, off + len);
        off = 0;
      }
      lp = this.openGap(lp, this.eTotal, maxBlock);
    }
    const n = this.splice(lp, LP_HEADER + this.a.u32[(lp >>> 2) + 3], 0, true, buf, off, len);
    this.a.u32[(n >>> 2) + 2]++;
    return n;
  }

  /** Make the gap at least `add` bytes: move the elements to the end of this block or of a bigger one. */
  private openGap(lp: number, add: number, maxBlock: number): number {
    let a = this.a;
    const li = lp >>> 2;
    const cap = a.u32[li];
    const used = a.u32[li + 1];
    const gap = a.u32[li + 3];
    const content = used - LP_HEADER - gap;
    const need = LP_HEADER + content + add;
    if (need <= cap) {
      moveBytes(a.u8, lp + cap - content, lp + LP_HEADER + gap, lp + used);
      a.u32[li + 1] = cap;
      a.u32[li + 3] = cap - LP_HEADER - content;
      return lp;
    }
    const size = blockSize(Math.max(need, Math.min(2 * need, maxBlock)));
    const dst = a.alloc(size);
    a = this.a;
    moveBytes(a.u8, dst + size - content, lp + LP_HEADER + gap, lp + used);
    return this.moved(lp, cap, dst, size, size, size - LP_HEADER - content);
  }

  /** The elements of lp (a cap-byte block) were copied to dst: free lp, write dst's header (count kept). */
  private moved(lp: number, cap: number, dst: number, size: number, end: number, gap: number): number {
    const a = this.a;
    const u32 = a.u32;
    // free() overwrites the block's first word only: the count survives until here
    const count = u32[(lp >>> 2) + 2];
    a.free(lp, cap);
    const di = dst >>> 2;
    u32[di] = size;
    u32[di + 1] = end;
    u32[di + 2] = count;
    u32[di + 3] = gap;
    return dst;
  }

  /** Give back the room a block has beyond its elements (its gap included). Returns the (maybe moved) lp. */
  shrinkToFit(lp: number): number {
    let a = this.a;
    const li = lp >>> 2;
    const cap = a.u32[li];
    const used = a.u32[li + 1];
    const gap = a.u32[li + 3];
    const size = blockSize(used - gap);
    if (size >= cap) return lp;
    const dst = a.alloc(size);
    a = this.a;
    moveBytes(a.u8, dst + LP_HEADER, lp + LP_HEADER + gap, lp + used);
    return this.moved(lp, cap, dst, size, used - gap, 0);
  }

  insert(lp: number, pos: number, buf: Uint8Array, off: number, len: number, after: boolean): number {
    const at = after ? pos + this.entrySize(pos) - lp : pos - lp;
    const n = this.splice(lp, at, 0, true, buf, off, len);
    this.a.u32[(n >>> 2) + 2]++;
    return n;
  }

  replace(lp: number, pos: number, buf: Uint8Array, off: number, len: number): number {
    return this.splice(lp, pos - lp, this.entrySize(pos), true, buf, off, len);
  }

  delete(lp: number, pos: number): number {
    const n = this.splice(lp, pos - lp, this.entrySize(pos), false, this.scratch, 0, 0);
    this.a.u32[(n >>> 2) + 2]--;
    return n;
  }

  deleteRange(lp: number, pos: number, count: number): number {
    if (pos === 0 || count <= 0) {
      this.pos = pos;
      return lp;
    }
    const end = lp + this.a.u32[(lp + O_USED) >>> 2];
    let p = pos;
    let k = 0;
    while (k < count && p < end) {
      this.decode(p);
      p += this.dL + backLenSize(this.dL);
      k++;
    }
    const n = this.splice(lp, pos - lp, p - pos, false, this.scratch, 0, 0);
    this.a.u32[(n >>> 2) + 2] -= k;
    return n;
  }

  merge(lp: number, other: number): number {
    let a = this.a;
    const oi = other >>> 2;
    const oStart = other + LP_HEADER + a.u32[oi + 3];
    const ou = other + a.u32[oi + 1] - oStart;
    const oc = a.u32[oi + 2];
    const li = lp >>> 2;
    const used = a.u32[li + 1];
    const gap = a.u32[li + 3];
    const cap = a.u32[li];
    let dst = lp;
    let end = used;
    if (used + ou > cap) {
      // a bigger block, without the gap
      const content = used - LP_HEADER - gap;
      const size = blockSize(LP_HEADER + content + ou);
      dst = a.alloc(size);
      a = this.a;
      moveBytes(a.u8, dst + LP_HEADER, lp + LP_HEADER + gap, lp + used);
      end = LP_HEADER + content;
      this.moved(lp, cap, dst, size, end, 0);
    }
    moveBytes(a.u8, dst + end, oStart, oStart + ou);
    a.u32[(dst >>> 2) + 1] = end + ou;
    a.u32[(dst >>> 2) + 2] += oc;
    this.free(other);
    this.pos = 0;
    return dst;
  }

  validate(lp: number): void {
    const u32 = this.a.u32;
    const cap = u32[lp >>> 2];
    const used = u32[(lp >>> 2) + 1];
    const n = u32[(lp >>> 2) + 2];
    const gap = u32[(lp >>> 2) + 3];
    if (used > cap || used < LP_HEADER + gap || blockSize(cap) !== cap) throw new Error(`listpack ${lp}: used ${used} gap ${gap} cap ${cap}`);
    if (n === 0 && gap !== 0) throw new Error(`listpack ${lp}: empty with a gap of ${gap}`);
    let p = lp + LP_HEADER + gap;
    let k = 0;
    const end = lp + used;
    while (p < end) {
      const sz = this.entrySize(p);
      const q = p + sz;
      if (q > end) throw new Error(`listpack ${lp}: element ${k} overruns`);
      if (this.prevOf(q) !== p) throw new Error(`listpack ${lp}: bad back-length at element ${k}`);
      p = q;
      k++;
    }
    if (k !== n) throw new Error(`listpack ${lp}: count ${n} but ${k} elements`);
  }
}

/** The value of buf[off, off+len) if it is the canonical decimal form of a safe integer, else null. */
export function parseCanonical(buf: Uint8Array, off: number, len: number): number | null {
  if (len === 0 || len > 17) return null;
  let i = off;
  const end = off + len;
  let neg = false;
  if (buf[i] === 45) {
    if (len === 1) return null;
    neg = true;
    i++;
  }
  const c0 = buf[i];
  if (c0 === 48) return len === 1 ? 0 : null; // "0" only; no "-0", no leading zeros
  if (c0 < 49 || c0 > 57) return null;
  let v = c0 - 48;
  for (i++; i < end; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  if (v > Number.MAX_SAFE_INTEGER) return null;
  return neg ? -v : v;
}

/** Decimal digits of a safe integer into buf at 0; returns the length. */
export function writeInt(buf: Uint8Array, v: number): number {
  let p = 0;
  if (v < 0) {
    buf[p++] = 45;
    v = -v;
  }
  let digits = 1;
  for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
  let q = p + digits;
  const len = q;
  do {
    const d = Math.floor(v / 10);
    buf[--q] = 48 + (v - d * 10);
    v = d;
  } while (v > 0);
  return len;
}
