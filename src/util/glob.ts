// Glob-style matching with Redis's rules (KEYS, SCAN MATCH, CONFIG GET, ...):
// * ? [abc] [^a-z] and backslash escapes, byte-wise.
//
// Redis's stringmatchlen is recursive (one level per '*'); this is the classic
// iterative form that only remembers the last '*' and retries it one byte
// further on a mismatch. Every token other than '*' consumes exactly one byte,
// so retrying earlier stars can never help (the argument behind Redis's
// CVE-2022-36021 fix): the work is O(pattern * subject) and the stack is flat.
// Redis's observable quirks are kept:
//  - an empty subject only matches an empty pattern ("*" does not match "");
//  - a pattern with more than MAX_STAR_NESTING star groups before its last
//    token never matches (Redis gives up at that recursion depth);
//  - class ranges compare bytes as signed char, and with nocase the bounds
//    are ordered before they are lowercased;
//  - an escaped byte inside a class is compared case-sensitively.

/** Redis's stringmatchlen recursion limit (one level per star group). */
const MAX_STAR_NESTING = 1000;

const STAR = 42;
const QUESTION = 63;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const BACKSLASH = 92;
const CARET = 94;
const DASH = 45;

let starRetries = 0;

/**
 * Test hook: how many times a '*' has been retried one byte further, in total.
 * Bounded by subject length per star group, so tests can show the matcher is
 * not exponential without timing it.
 */
export function globStarRetries(): number {
  return starRetries;
}

/** tolower() in the C locale; works on signed-char values too. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** char is signed on the platforms Redis ships for: bytes >= 0x80 are negative in ranges. */
function signedByte(b: number): number {
  return (b << 24) >> 24;
}

export function globMatch(
  p: Uint8Array,
  pi: number,
  pend: number,
  s: Uint8Array,
  si: number,
  send: number,
  nocase = false,
): boolean {
  if (si === send) return pi === pend;
  let retryPi = -1; // pattern index just after the last star group (-1: none yet)
  let retrySi = 0; // subject index the rest after that star was last tried from
  let starGroups = 0;
  for (;;) {
    if (si === send) {
      // subject used up right after a token: only trailing stars may remain
      while (pi < pend && p[pi] === STAR) pi++;
      if (pi === pend) return true;
    } else if (pi < pend) {
      const pc = p[pi];
      let hit: boolean;
      let next = pi + 1; // pattern index after this token
      if (pc === STAR) {
        while (next < pend && p[next] === STAR) next++;
        if (next === pend) return true; // a final star takes whatever is left
        if (++starGroups > MAX_STAR_NESTING) return false;
        retryPi = next;
        retrySi = si;
        pi = next;
        continue;
      } else if (pc === QUESTION) {
        hit = true;
      } else if (pc === OPEN_BRACKET) {
        const c = s[si];
        let q = pi + 1;
        const negate = q < pend && p[q] === CARET;
        if (negate) q++;
        hit = false;
        for (;;) {
          if (q >= pend) {
            q--; // unterminated class: it ends at the last pattern byte
            break;
          }
          const pq = p[q];
          if (pq === BACKSLASH && pend - q >= 2) {
            q++;
            if (p[q] === c) hit = true;
          } else if (pq === CLOSE_BRACKET) {
            break;
          } else if (pend - q >= 3 && p[q + 1] === DASH) {
            let lo = signedByte(pq);
            let hi = signedByte(p[q + 2]);
            let sc = signedByte(c);
            if (lo > hi) {
              const t = lo;
              lo = hi;
              hi = t;
            }
            if (nocase) {
              lo = lower(lo);
              hi = lower(hi);
              sc = lower(sc);
            }
            if (sc >= lo && sc <= hi) hit = true;
            q += 2;
          } else if (nocase ? lower(pq) === lower(c) : pq === c) {
            hit = true;
          }
          q++;
        }
        if (negate) hit = !hit;
        next = q + 1;
      } else {
        let lit = pc;
        if (pc === BACKSLASH && pend - pi >= 2) {
          lit = p[pi + 1];
          next = pi + 2;
        }
        const c = s[si];
        hit = nocase ? lower(lit) === lower(c) : lit === c;
      }
      if (hit) {
        pi = next;
        si++;
        continue;
      }
    }
    // mismatch: let the last star swallow one more byte and retry the rest
    if (retryPi < 0) return false;
    retrySi++;
    if (retrySi === send) return false; // the rest starts with a non-star token: it needs a byte
    starRetries++;
    pi = retryPi;
    si = retrySi;
  }
}

const enc = new TextEncoder();

/** Convenience for string patterns and subjects (config names, channels). */
export function globMatchStr(pattern: string, subject: string, nocase = false): boolean {
  const p = enc.encode(pattern);
  const s = enc.encode(subject);
  return globMatch(p, 0, p.length, s, 0, s.length, nocase);
}
