// Argument bytes as the strings error messages quote.

const latin1 = new TextDecoder('latin1');

/**
 * buf[start, start+len) as Redis quotes an argument in an error (printf %s of
 * a C string): up to its first NUL byte, at most max bytes, one char per byte.
 */
export function cString(buf: Uint8Array, start: number, len: number, max = len): string {
  let n = Math.min(len, max);
  const nul = buf.subarray(start, start + n).indexOf(0);
  if (nul >= 0) n = nul;
  return latin1.decode(buf.subarray(start, start + n));
}

/**
 * Whether argument i (bytes at offs[2i], length offs[2i+1] of buf) is the
 * lower-case ASCII `word`, ignoring ASCII case: command options and keywords.
 */
export function argIs(buf: Uint8Array, offs: Int32Array, i: number, word: string): boolean {
  const n = offs[i * 2 + 1];
  if (n !== word.length) return false;
  const s = offs[i * 2];
  for (let k = 0; k < n; k++) {
    let c = buf[s + k];
    if (c >= 65 && c <= 90) c += 32;
    if (c !== word.charCodeAt(k)) return false;
  }
  return true;
}
