// Glob-style matching with Redis's rules (KEYS, SCAN MATCH, CONFIG GET, ...):
// * ? [abc] [^a-z] and backslash escapes, byte-wise.

export function globMatch(
  p: Uint8Array,
  pi: number,
  pend: number,
  s: Uint8Array,
  si: number,
  send: number,
  nocase = false,
): boolean {
  const lc = (c: number): number => (nocase && c >= 65 && c <= 90 ? c + 32 : c);
  while (pi < pend && si < send) {
    const pc = p[pi];
    if (pc === 42 /* * */) {
      while (pi + 1 < pend && p[pi + 1] === 42) pi++;
      if (pi + 1 === pend) return true;
      for (; si < send; si++) if (globMatch(p, pi + 1, pend, s, si, send, nocase)) return true;
      return false;
    } else if (pc === 63 /* ? */) {
      si++;
    } else if (pc === 91 /* [ */) {
      pi++;
      const not = pi < pend && p[pi] === 94; /* ^ */
      if (not) pi++;
      let match = false;
      const c = lc(s[si]);
      for (;;) {
        if (pi >= pend) {
          pi--; // unterminated class: stop at the last byte
          break;
        }
        if (p[pi] === 92 /* \ */ && pend - pi >= 2) {
          pi++;
          if (lc(p[pi]) === c) match = true;
        } else if (p[pi] === 93 /* ] */) {
          break;
        } else if (pend - pi >= 3 && p[pi + 1] === 45 /* - */) {
          let lo = lc(p[pi]);
          let hi = lc(p[pi + 2]);
          if (lo > hi) [lo, hi] = [hi, lo];
          pi += 2;
          if (c >= lo && c <= hi) match = true;
        } else if (lc(p[pi]) === c) {
          match = true;
        }
        pi++;
      }
      if (not) match = !match;
      if (!match) return false;
      si++;
    } else {
      if (pc === 92 && pend - pi >= 2) pi++;
      if (lc(p[pi]) !== lc(s[si])) return false;
      si++;
    }
    pi++;
    if (si === send) {
      while (pi < pend && p[pi] === 42) pi++;
      break;
    }
  }
  return pi === pend && si === send;
}

const enc = new TextEncoder();

/** Convenience for string patterns and subjects (config names, channels). */
export function globMatchStr(pattern: string, subject: string, nocase = false): boolean {
  const p = enc.encode(pattern);
  const s = enc.encode(subject);
  return globMatch(p, 0, p.length, s, 0, s.length, nocase);
}
