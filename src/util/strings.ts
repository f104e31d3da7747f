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
