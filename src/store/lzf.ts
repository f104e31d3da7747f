// LZF compression (the format of Marc Lehmann's liblzf, which Redis uses for
// compressed quicklist nodes and RDB strings), written for arena memory: both
// ends are (offset, length) ranges of Uint8Arrays, so a node can be compressed
// out of, and decompressed straight into, a shard's SharedArrayBuffer.
//
// Format: a sequence of
//   000LLLLL <L+1 literal bytes>                         literal run (1..32)
//   LLLooooo oooooooo                                     back reference, length L+2 (L 1..6)
//   111ooooo LLLLLLLL oooooooo                            back reference, length L+9
// where o (13 bits) + 1 is how far back the copy starts in the output. A
// reference may overlap the bytes it produces (a run).

const HASH_LOG = 13;
const MAX_LITERAL = 32;
const MAX_OFFSET = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3); // longest match: 264 bytes

/**
 * Positions of the last occurrence of each 3-byte hash. Never cleared: a stale
 * entry from another input is rejected by the range and byte checks.
 */
const table = new Int32Array(1 << HASH_LOG).fill(-1);

/**
 * Compress src[s, s+n) into out[o, o+max). Returns the compressed length, or 0
 * when the result would not fit in max bytes (the caller keeps the input as is).
 */
export function lzfCompress(src: Uint8Array, s: number, n: number, out: Uint8Array, o: number, max: number): number {
  const end = s + n;
  const oEnd = o + max;
  let ip = s;
  let op = o + 1; // out[op - lit - 1] is the length byte of the open literal run
  let lit = 0;
  if (op > oEnd) return 0;
  while (ip < end) {
    // a match needs 3 bytes; the last two always go out as literals
    if (ip + 2 < end) {
      const h = Math.imul((src[ip] << 16) | (src[ip + 1] << 8) | src[ip + 2], 0x9e3779b1) >>> (32 - HASH_LOG);
      const ref = table[h];
      table[h] = ip;
      if (ref >= s && ref < ip && ip - ref <= MAX_OFFSET && src[ref] === src[ip] && src[ref + 1] === src[ip + 1] && src[ref + 2] === src[ip + 2]) {
        const maxLen = end - ip < MAX_REF ? end - ip : MAX_REF;
        let len = 3;
        while (len < maxLen && src[ref + len] === src[ip + len]) len++;
        // close the literal run (or take back its unused length byte), then up to 3 bytes
        // of reference and the next run's length byte
        if (lit !== 0) out[op - lit - 1] = lit - 1;
        else op--;
        if (op + 4 > oEnd) return 0;
        const off = ip - ref - 1;
        const l = len - 2;
        if (l < 7) out[op++] = (l << 5) | (off >>> 8);
        else {
          out[op++] = (7 << 5) | (off >>> 8);
          out[op++] = l - 7;
        }
        out[op++] = off & 0xff;
        op++;
        lit = 0;
        ip += len;
        continue;
      }
    }
    if (op >= oEnd) return 0;
    out[op++] = src[ip++];
    if (++lit === MAX_LITERAL) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      if (++op > oEnd) return 0;
    }
  }
  if (lit !== 0) out[op - lit - 1] = lit - 1;
  else op--;
  return op - o;
}

/**
 * Decompress src[s, s+n) into out[o, o+max). Returns the decompressed length,
 * or -1 when the input is corrupt or decompresses to more than max bytes.
 */
export function lzfDecompress(src: Uint8Array, s: number, n: number, out: Uint8Array, o: number, max: number): number {
  const end = s + n;
  const oEnd = o + max;
  let ip = s;
  let op = o;
  while (ip < end) {
    const ctrl = src[ip++];
    if (ctrl < 32) {
      const k = ctrl + 1;
      if (op + k > oEnd || ip + k > end) return -1;
      for (let i = 0; i < k; i++) out[op + i] = src[ip + i];
      op += k;
      ip += k;
      continue;
    }
    let len = ctrl >>> 5;
    if (len === 7) {
      if (ip >= end) return -1;
      len += src[ip++];
    }
    if (ip >= end) return -1;
    const ref = op - ((ctrl & 0x1f) << 8) - src[ip++] - 1;
    len += 2;
    if (ref < o || op + len > oEnd) return -1;
    for (let i = 0; i < len; i++) out[op + i] = out[ref + i];
    op += len;
  }
  return op - o;
}
