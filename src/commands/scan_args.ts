// Argument parsing shared by SCAN, HSCAN, SSCAN and ZSCAN.

import type { ExecContext } from '../shard/exec_context';
import { TYPE_NAMES } from '../store/keyspace';
import { E } from './errors';

const TWO64 = 18446744073709551616n;

/**
 * The cursor as Redis parses it (parseScanCursorOrReply: strtoul): no leading
 * space, optional sign (a negative value wraps modulo 2^64), digits only,
 * must fit in 64 bits. Returns null when invalid.
 */
export function parseScanCursor(buf: Uint8Array, start: number, len: number): bigint | null {
  // strtoul as Redis calls it: "" converts nothing and leaves nothing over, so it is cursor 0
  if (len === 0) return 0n;
  if (buf[start] === 32 || (buf[start] >= 9 && buf[start] <= 13)) return null;
  let p = start;
  const end = start + len;
  let neg = false;
  if (buf[p] === 43 || buf[p] === 45) {
    neg = buf[p] === 45;
    p++;
  }
  if (p === end) return null;
  let v = 0n;
  for (; p < end; p++) {
    const d = buf[p] - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10n + BigInt(d);
    if (v >= TWO64) return null;
  }
  return neg && v !== 0n ? TWO64 - v : v;
}

const TYPE_BY_NAME = new Map(TYPE_NAMES.map((n, i) => [n, i]));

/** Parsed COUNT / MATCH / TYPE options. Reused: one instance per thread. */
export class ScanOptions {
  count = 10;
  /** null when absent or "*" (matches everything) */
  pattern: Uint8Array | null = null;
  /** object type to keep, -1 for any, 99 for an unknown type name (matches nothing) */
  type = -1;
}

const shared = new ScanOptions();

/**
 * Parse the options from argument `from` on (TYPE only when allowType, i.e.
 * SCAN). Replies the error and returns null when they are malformed.
 */
export function parseScanOptions(c: ExecContext, from: number, allowType: boolean): ScanOptions | null {
  const o = shared;
  o.count = 10;
  o.pattern = null;
  o.type = -1;
  for (let j = from; j < c.argc; j++) {
    const more = c.argc - j - 1;
    if (c.is(j, 'count') && more >= 1) {
      const n = c.longOrReply(j + 1);
      if (n === null) return null;
      if (n < 1) {
        c.w.error(E.syntax);
        return null;
      }
      o.count = n;
      j++;
    } else if (c.is(j, 'match') && more >= 1) {
      const pat = c.bytes(j + 1);
      o.pattern = pat.length === 1 && pat[0] === 42 ? null : pat;
      j++;
    } else if (allowType && c.is(j, 'type') && more >= 1) {
      const t = TYPE_BY_NAME.get(c.str(j + 1).toLowerCase());
      o.type = t === undefined ? 99 : t;
      j++;
    } else {
      c.w.error(E.syntax);
      return null;
    }
  }
  return o;
}
