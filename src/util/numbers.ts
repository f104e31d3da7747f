/**
 * Numeric parsing / formatting with Redis 7.0 semantics.
 *
 * - parseInt64: Redis `string2ll` acceptance rules.
 * - int64Add: signed 64-bit addition with overflow detection (INCRBY & co).
 * - LongDouble: an emulation of the x86-64 80-bit x87 `long double`
 *   (64-bit significand, round-half-even) used by INCRBYFLOAT / HINCRBYFLOAT,
 *   including `strtold` parsing, addition and the "human" `%.17Lf` formatting.
 * - parseDouble: Redis `string2d` acceptance rules (ZADD scores etc).
 * - formatDouble: Redis 7.0 `%.17g` double replies.
 *
 * No dependencies; BigInt is only used off the fast paths.
 */

// ---------------------------------------------------------------------------
// Character codes
// ---------------------------------------------------------------------------

const CH_0 = 48;
const CH_9 = 57;
const CH_MINUS = 45;
const CH_PLUS = 43;
const CH_DOT = 46;

// ---------------------------------------------------------------------------
// 64-bit integers
// ---------------------------------------------------------------------------

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function finishInt64(neg: boolean, big: bigint): number | bigint | null {
  if (neg) big = -big;
  if (big > INT64_MAX || big < INT64_MIN) return null;
  if (big >= -9007199254740991n && big <= 9007199254740991n) return Number(big);
  return big;
}

/**
 * Parse a signed 64-bit integer with Redis `string2ll` rules:
 * optional '-', no '+', no leading zeros (except "0"), no spaces, not empty,
 * digits only, must fit in int64. Returns a number when the value is a safe
 * integer, a bigint when it is valid but outside the safe range, null when
 * invalid.
 */
export function parseInt64(buf: Uint8Array, start: number, end: number): number | bigint | null {
  const len = end - start;
  if (len <= 0) return null;
  let i = start;
  let c = buf[i];
  if (len === 1) {
    c -= CH_0;
    return c >= 0 && c <= 9 ? c : null;
  }
  let neg = false;
  if (c === CH_MINUS) {
    neg = true;
    i++;
    c = buf[i];
  }
  // First digit must be 1..9 (no leading zeros, "-0" is invalid).
  if (c <= CH_0 || c > CH_9) return null;
  const ndigits = end - i;
  if (ndigits > 19) return null; // always overflows int64
  let v = 0;
  if (ndigits <= 15) {
    for (; i < end; i++) {
      const d = buf[i] - CH_0;
      if (d < 0 || d > 9) return null;
      v = v * 10 + d;
    }
    return neg ? -v : v;
  }
  // 16..19 digits: accumulate the first 15 exactly, then the rest.
  const mid = i + 15;
  for (; i < mid; i++) {
    const d = buf[i] - CH_0;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  let lo = 0;
  let scale = 1;
  for (; i < end; i++) {
    const d = buf[i] - CH_0;
    if (d < 0 || d > 9) return null;
    lo = lo * 10 + d;
    scale *= 10;
  }
  const approx = v * scale + lo; // monotonic rounding: <= MAX_SAFE iff exact value is
  if (approx <= MAX_SAFE) return neg ? -approx : approx;
  return finishInt64(neg, BigInt(v) * BigInt(scale) + BigInt(lo));
}

/** Decimal representation of an int64 value (as Redis prints it). */
export function formatInt64(v: number | bigint): string {
  return typeof v === 'number' ? (v === 0 ? '0' : String(v)) : v.toString();
}

/**
 * a + b in signed 64-bit arithmetic; null on overflow
 * (INCRBY/DECRBY reply "ERR increment or decrement would overflow").
 * Inputs must be integers within int64. Result is a number when safe.
 */
export function int64Add(a: number | bigint, b: number | bigint): number | bigint | null {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (r <= MAX_SAFE && r >= -MAX_SAFE) return r;
  }
  const s = BigInt(a) + BigInt(b);
  if (s > INT64_MAX || s < INT64_MIN) return null;
  if (s >= -9007199254740991n && s <= 9007199254740991n) return Number(s);
  return s;
}

// ---------------------------------------------------------------------------
// BigInt helpers and correct rounding
// ---------------------------------------------------------------------------

function bitLen(n: bigint): number {
  if (n <= 0xffffffffn) return n === 0n ? 0 : 32 - Math.clz32(Number(n));
  if (n <= 0x1fffffffffffffn) {
    const hi = Math.floor(Number(n) / 4294967296);
    return 64 - Math.clz32(hi);
  }
  const s = n.toString(16);
  return (s.length - 1) * 4 + (32 - Math.clz32(parseInt(s[0], 16)));
}

const POW10_BIG: bigint[] = [];
function pow10Big(k: number): bigint {
  if (k < 64) {
    let p = POW10_BIG[k];
    if (p === undefined) {
      p = 10n ** BigInt(k);
      POW10_BIG[k] = p;
    }
    return p;
  }
  return 10n ** BigInt(k);
}

const POW10_NUM: number[] = [];
for (let k = 0, p = 1; k <= 22; k++, p *= 10) POW10_NUM.push(p);

const TWO_64 = 1n << 64n;
const TWO_53 = 1n << 53n;

// Result registers of roundBig (avoid allocating a result object).
let rMant = 0n;
let rExp = 0;

/**
 * Round the exact value N * 2^shift (+ a positive amount smaller than
 * 2^shift when `sticky`) to a binary float with `prec` significand bits,
 * minimum (subnormal) exponent `minExp` and maximum exponent `maxExp`,
 * where a float is mant * 2^exp. Round-half-even.
 * Sets rMant/rExp; returns false on overflow. rMant may be 0n (underflow).
 * Callers using `sticky` must provide N with at least prec+2 bits.
 */
function roundBig(N: bigint, shift: number, sticky: boolean, prec: number, minExp: number, maxExp: number): boolean {
  let e = shift + bitLen(N) - prec;
  if (e < minExp) e = minExp;
  const drop = e - shift;
  let q: bigint;
  if (drop <= 0) {
    q = drop === 0 ? N : N << BigInt(-drop);
  } else {
    const d = BigInt(drop);
    q = N >> d;
    const rem = N - (q << d);
    const half = 1n << (d - 1n);
    if (rem > half || (rem === half && (sticky || (q & 1n) === 1n))) {
      q += 1n;
      if (q === (prec === LD_PREC ? TWO_64 : TWO_53)) {
        q >>= 1n;
        e += 1;
      }
    }
  }
  if (e > maxExp) return false;
  rMant = q;
  rExp = e;
  return true;
}

// ---------------------------------------------------------------------------
// strtod / strtold grammar scanner (whole-string match, no leading spaces)
// ---------------------------------------------------------------------------

const K_INVALID = 0;
const K_INF = 1;
const K_DEC = 2;
const K_HEX = 3;

// Scanner registers.
let sNeg = false;
let sMantStart = 0; // first mantissa char (digit or '.')
let sMantEnd = 0; // end of mantissa (exclusive)
let sDot = -1; // position of '.', or -1
let sExp = 0; // explicit exponent (clamped to +-1e9)

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

function matchLower(buf: Uint8Array, i: number, end: number, word: string): boolean {
  if (end - i !== word.length) return false;
  for (let k = 0; k < word.length; k++) {
    if ((buf[i + k] | 0x20) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** Parses an optional exponent at i (after 'e'/'p'). Returns false on garbage. */
function scanExponent(buf: Uint8Array, i: number, end: number): boolean {
  let neg = false;
  const c = buf[i];
  if (c === CH_PLUS || c === CH_MINUS) {
    neg = c === CH_MINUS;
    i++;
  }
  if (i >= end) return false;
  let e = 0;
  for (; i < end; i++) {
    const d = buf[i] - CH_0;
    if (d < 0 || d > 9) return false;
    if (e < 1e9) e = e * 10 + d;
  }
  sExp = neg ? -e : e;
  return true;
}

/**
 * Classify buf[start,end) according to what C strtod/strtold accept, with
 * the additional Redis requirement that the whole string is consumed and
 * that it does not start with whitespace. NaN is reported as invalid.
 */
function scanFloat(buf: Uint8Array, start: number, end: number): number {
  if (end <= start) return K_INVALID;
  let i = start;
  let c = buf[i];
  sNeg = false;
  if (c === CH_PLUS || c === CH_MINUS) {
    sNeg = c === CH_MINUS;
    i++;
    if (i >= end) return K_INVALID;
    c = buf[i];
  }
  const lc = c | 0x20;
  if (lc === 105 /* i */) {
    return matchLower(buf, i, end, 'inf') || matchLower(buf, i, end, 'infinity') ? K_INF : K_INVALID;
  }
  sExp = 0;
  sDot = -1;
  if (c === CH_0 && i + 1 < end && (buf[i + 1] | 0x20) === 120 /* x */) {
    // Hexadecimal float: at least one hex digit required.
    let j = i + 2;
    sMantStart = j;
    let nd = 0;
    for (; j < end; j++) {
      const ch = buf[j];
      if (ch === CH_DOT) {
        if (sDot >= 0) return K_INVALID;
        sDot = j;
      } else if (hexVal(ch) >= 0) {
        nd++;
      } else break;
    }
    if (nd === 0) return K_INVALID;
    sMantEnd = j;
    if (j === end) return K_HEX;
    if ((buf[j] | 0x20) !== 112 /* p */) return K_INVALID;
    return scanExponent(buf, j + 1, end) ? K_HEX : K_INVALID;
  }
  let j = i;
  sMantStart = j;
  let nd = 0;
  for (; j < end; j++) {
    const ch = buf[j];
    if (ch === CH_DOT) {
      if (sDot >= 0) return K_INVALID;
      sDot = j;
    } else if (ch >= CH_0 && ch <= CH_9) {
      nd++;
    } else break;
  }
  if (nd === 0) return K_INVALID;
  sMantEnd = j;
  if (j === end) return K_DEC;
  if ((buf[j] | 0x20) !== 101 /* e */) return K_INVALID;
  return scanExponent(buf, j + 1, end) ? K_DEC : K_INVALID;
}

// Significant-digit registers filled by extractDigits.
let dFirst = -1; // position of first nonzero digit (-1 when the mantissa is zero)
let dLast = -1; // position of last nonzero digit
let dCount = 0; // number of digit characters from dFirst to dLast inclusive
let dIntDigitsAfterLast = 0; // place exponent of the last nonzero digit (in digit units)

/**
 * Locate significant digits in the scanned mantissa. Sets dFirst/dLast/dCount
 * and dIntDigitsAfterLast = the power (of the radix) of the digit at dLast.
 */
function extractDigits(buf: Uint8Array): void {
  dFirst = -1;
  dLast = -1;
  dCount = 0;
  for (let j = sMantStart; j < sMantEnd; j++) {
    const ch = buf[j];
    if (ch === CH_DOT || ch === CH_0) continue;
    if (dFirst < 0) dFirst = j;
    dLast = j;
  }
  if (dFirst < 0) return;
  const hasDotBetween = sDot > dFirst && sDot < dLast;
  dCount = dLast - dFirst + 1 - (hasDotBetween ? 1 : 0);
  // Power of the digit at dLast: number of integer digits to its right is
  // negative if it's in the fraction.
  const dotPos = sDot >= 0 ? sDot : sMantEnd;
  if (dLast < dotPos) dIntDigitsAfterLast = dotPos - dLast - 1;
  else dIntDigitsAfterLast = -(dLast - dotPos);
}

/** Significant digits as a bigint (radix 10 or 16). */
function digitsBig(buf: Uint8Array, hex: boolean): bigint {
  if (dCount <= (hex ? 13 : 15)) return BigInt(digitsNum(buf, hex));
  let s = hex ? '0x' : '';
  for (let j = dFirst; j <= dLast; j++) {
    const ch = buf[j];
    if (ch !== CH_DOT) s += String.fromCharCode(ch);
  }
  return BigInt(s);
}

/** Significant digits as a number; exact only when dCount is small. */
function digitsNum(buf: Uint8Array, hex: boolean): number {
  let v = 0;
  const radix = hex ? 16 : 10;
  for (let j = dFirst; j <= dLast; j++) {
    const ch = buf[j];
    if (ch === CH_DOT) continue;
    v = v * radix + (hex ? hexVal(ch) : ch - CH_0);
  }
  return v;
}

// ---------------------------------------------------------------------------
// long double (x87 80-bit extended) emulation
// ---------------------------------------------------------------------------

/**
 * An x87 80-bit extended precision value.
 * Finite value = (neg ? -1 : 1) * mant * 2^exp, where mant < 2^64 and
 * (for normal numbers) mant >= 2^63; exp in [LD_MIN_EXP, LD_MAX_EXP].
 * Zero has mant === 0n. `inf`/`nan` flags override mant/exp.
 */
export interface LongDouble {
  neg: boolean;
  mant: bigint;
  exp: number;
  inf: boolean;
  nan: boolean;
}

const LD_PREC = 64;
/** Exponent of the smallest subnormal (2^-16445). */
const LD_MIN_EXP = -16445;
/** Largest exponent: LDBL_MAX = (2^64-1) * 2^16320. */
const LD_MAX_EXP = 16320;
/** Redis MAX_LONG_DOUBLE_CHARS: string2ld rejects inputs of this length or more. */
export const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

const DBL_PREC = 53;
const DBL_MIN_EXP = -1074;
const DBL_MAX_EXP = 971;

function ldMake(neg: boolean, mant: bigint, exp: number): LongDouble {
  return { neg, mant, exp, inf: false, nan: false };
}

export function ldInf(neg: boolean): LongDouble {
  return { neg, mant: 0n, exp: 0, inf: true, nan: false };
}

export function ldNaN(): LongDouble {
  return { neg: false, mant: 0n, exp: 0, inf: false, nan: true };
}

export function isFiniteLD(v: LongDouble): boolean {
  return !v.inf && !v.nan;
}

/** Exact conversion of a JS number (double) to LongDouble. */
export function ldFromNumber(d: number): LongDouble {
  if (d !== d) return ldNaN();
  if (d === Infinity || d === -Infinity) return ldInf(d < 0);
  const neg = d < 0 || Object.is(d, -0);
  let a = Math.abs(d);
  if (a === 0) return ldMake(neg, 0n, 0);
  let e = 0;
  // Scale to an integer (exact: powers of two).
  while (!Number.isInteger(a)) {
    a *= 2 ** 32;
    e -= 32;
  }
  let m = BigInt(a);
  // Normalise to 64 bits.
  const bl = bitLen(m);
  if (bl < LD_PREC) {
    let sh = LD_PREC - bl;
    if (e - sh < LD_MIN_EXP) sh = e - LD_MIN_EXP;
    if (sh > 0) {
      m <<= BigInt(sh);
      e -= sh;
    }
  } else if (bl > LD_PREC) {
    const sh = bl - LD_PREC; // only zero bits (a double has <= 53 significant bits)
    m >>= BigInt(sh);
    e += sh;
  }
  return ldMake(neg, m, e);
}

/**
 * Parse with Redis `string2ld` rules (C strtold on x86-64): rejects empty
 * input, length >= MAX_LONG_DOUBLE_CHARS, leading whitespace, trailing
 * garbage, NaN, overflow to +-inf and underflow to zero. Accepts "+1", ".5",
 * "5.", "1e5", hex floats ("0x1.8p3"), "inf"/"infinity" (any case).
 * Correctly rounded (round-half-even) to a 64-bit significand.
 */
export function parseLongDouble(buf: Uint8Array, start: number, end: number): LongDouble | null {
  if (end - start >= MAX_LONG_DOUBLE_CHARS) return null;
  const kind = scanFloat(buf, start, end);
  if (kind === K_INVALID) return null;
  const neg = sNeg;
  if (kind === K_INF) return ldInf(neg);
  const hex = kind === K_HEX;
  extractDigits(buf);
  if (dFirst < 0) return ldMake(neg, 0n, 0);
  if (hex) {
    const binExp = sExp + 4 * dIntDigitsAfterLast;
    const approxBits = dCount * 4; // upper bound on bitLen(H)
    if (binExp + approxBits - 4 > 16384) return null; // >= 2^16384: overflow
    if (binExp + approxBits < LD_MIN_EXP - 1) return null; // < 2^-16446: zero
    const H = digitsBig(buf, true);
    const bl = bitLen(H);
    if (bl + binExp - 1 > 16383) return null;
    if (bl + binExp < LD_MIN_EXP) return null;
    if (!roundBig(H, binExp, false, LD_PREC, LD_MIN_EXP, LD_MAX_EXP)) return null;
    if (rMant === 0n) return null;
    return ldMake(neg, rMant, rExp);
  }
  const e10 = sExp + dIntDigitsAfterLast;
  // value in [10^(dCount-1+e10), 10^(dCount+e10))
  if (dCount - 1 + e10 >= 4933) return null; // >= 1e4933 > LDBL_MAX
  if (dCount + e10 <= -4952) return null; // < 1e-4952 < min subnormal / 2
  const D = digitsBig(buf, false);
  let ok: boolean;
  if (e10 >= 0) {
    ok = roundBig(e10 === 0 ? D : D * pow10Big(e10), 0, false, LD_PREC, LD_MIN_EXP, LD_MAX_EXP);
  } else {
    const den = pow10Big(-e10);
    let k = LD_PREC + 2 + bitLen(den) - bitLen(D);
    if (k < 0) k = 0;
    const num = D << BigInt(k);
    const q = num / den;
    ok = roundBig(q, -k, q * den !== num, LD_PREC, LD_MIN_EXP, LD_MAX_EXP);
  }
  if (!ok || rMant === 0n) return null;
  return ldMake(neg, rMant, rExp);
}

/** a + b with x87 extended precision semantics (round-half-even). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.nan || b.nan) return ldNaN();
  if (a.inf || b.inf) {
    if (a.inf && b.inf && a.neg !== b.neg) return ldNaN();
    return ldInf(a.inf ? a.neg : b.neg);
  }
  if (a.mant === 0n) {
    if (b.mant === 0n) return ldMake(a.neg && b.neg, 0n, 0);
    return b;
  }
  if (b.mant === 0n) return a;
  // Far apart: the smaller operand is below a quarter ulp of the larger one.
  if (a.exp - b.exp > 130) return a;
  if (b.exp - a.exp > 130) return b;
  const emin = a.exp < b.exp ? a.exp : b.exp;
  const A = a.exp === emin ? a.mant : a.mant << BigInt(a.exp - emin);
  const B = b.exp === emin ? b.mant : b.mant << BigInt(b.exp - emin);
  let S = (a.neg ? -A : A) + (b.neg ? -B : B);
  if (S === 0n) return ldMake(false, 0n, 0);
  const neg = S < 0n;
  if (neg) S = -S;
  if (!roundBig(S, emin, false, LD_PREC, LD_MIN_EXP, LD_MAX_EXP)) return ldInf(neg);
  return ldMake(neg, rMant, rExp);
}

const P17 = 100000000000000000n;

/**
 * Redis `ld2string(..., LD_STR_HUMAN)`: "%.17Lf", trailing zeros (and a
 * trailing '.') removed, "-0" turned into "0"; infinities as "inf"/"-inf".
 */
export function formatLongDoubleHuman(v: LongDouble): string {
  if (v.nan) return v.neg ? '-nan' : 'nan';
  if (v.inf) return v.neg ? '-inf' : 'inf';
  if (v.mant === 0n) return '0';
  let X: bigint;
  if (v.exp >= 0) {
    X = (v.mant << BigInt(v.exp)) * P17;
  } else {
    const N = v.mant * P17;
    const sh = -v.exp;
    if (bitLen(N) < sh) {
      X = 0n; // < 1/2 after scaling
    } else {
      const d = BigInt(sh);
      X = N >> d;
      const rem = N - (X << d);
      const half = 1n << (d - 1n);
      if (rem > half || (rem === half && (X & 1n) === 1n)) X += 1n;
    }
  }
  if (X === 0n) return '0';
  let s = X.toString();
  if (s.length < 18) s = '0'.repeat(18 - s.length) + s;
  const cut = s.length - 17;
  let fe = s.length;
  while (fe > cut && s.charCodeAt(fe - 1) === CH_0) fe--;
  const intPart = s.slice(0, cut);
  const out = fe > cut ? intPart + '.' + s.slice(cut, fe) : intPart;
  return v.neg ? '-' + out : out;
}

export type IncrByFloatResult =
  | { ok: true; value: string }
  | { ok: false; err: 'value' | 'incr' | 'naninf' };

export type HIncrByFloatResult =
  | { ok: true; value: string }
  | { ok: false; err: 'value' | 'incr' | 'incrnaninf' | 'naninf' };

/** Error replies (without the leading '-') for incrByFloat error codes. */
export const INCRBYFLOAT_ERRORS = {
  value: 'ERR value is not a valid float',
  incr: 'ERR value is not a valid float',
  naninf: 'ERR increment would produce NaN or Infinity',
} as const;

/** Error replies (without the leading '-') for hincrByFloat error codes. */
export const HINCRBYFLOAT_ERRORS = {
  value: 'ERR hash value is not a float',
  incr: 'ERR value is not a valid float',
  incrnaninf: 'ERR value is NaN or Infinity',
  naninf: 'ERR increment would produce NaN or Infinity',
} as const;

function safeIntFast(buf: Uint8Array): number | null {
  if (buf.length > 16) return null;
  const v = parseInt64(buf, 0, buf.length);
  return typeof v === 'number' ? v : null;
}

/**
 * INCRBYFLOAT core: `current` is the stored string (null when the key does
 * not exist, meaning 0), `incr` the increment argument. Returns the new
 * value as Redis stores and replies it.
 * Errors: 'value' / 'incr' → "ERR value is not a valid float",
 * 'naninf' → "ERR increment would produce NaN or Infinity".
 */
export function incrByFloat(current: Uint8Array | null, incr: Uint8Array): IncrByFloatResult {
  // Fast path: both plain safe integers.
  const ci = current === null ? 0 : safeIntFast(current);
  if (ci !== null) {
    const ii = safeIntFast(incr);
    if (ii !== null) {
      const r = ci + ii;
      if (r <= MAX_SAFE && r >= -MAX_SAFE) return { ok: true, value: r === 0 ? '0' : String(r) };
    }
  }
  let value: LongDouble;
  if (current === null) value = ldMake(false, 0n, 0);
  else {
    const v = parseLongDouble(current, 0, current.length);
    if (v === null) return { ok: false, err: 'value' };
    value = v;
  }
  const inc = parseLongDouble(incr, 0, incr.length);
  if (inc === null) return { ok: false, err: 'incr' };
  const r = addLongDouble(value, inc);
  if (r.inf || r.nan) return { ok: false, err: 'naninf' };
  return { ok: true, value: formatLongDoubleHuman(r) };
}

/**
 * HINCRBYFLOAT core (Redis checks in this order): increment parse
 * ('incr' → "ERR value is not a valid float"), increment NaN/inf
 * ('incrnaninf' → "ERR value is NaN or Infinity"), current field value
 * ('value' → "ERR hash value is not a float"), result NaN/inf
 * ('naninf' → "ERR increment would produce NaN or Infinity").
 * `current` null means the field does not exist (0).
 */
export function hincrByFloat(current: Uint8Array | null, incr: Uint8Array): HIncrByFloatResult {
  const inc = parseLongDouble(incr, 0, incr.length);
  if (inc === null) return { ok: false, err: 'incr' };
  if (inc.inf || inc.nan) return { ok: false, err: 'incrnaninf' };
  let value: LongDouble;
  if (current === null) value = ldMake(false, 0n, 0);
  else {
    const v = parseLongDouble(current, 0, current.length);
    if (v === null) return { ok: false, err: 'value' };
    value = v;
  }
  const r = addLongDouble(value, inc);
  if (r.inf || r.nan) return { ok: false, err: 'naninf' };
  return { ok: true, value: formatLongDoubleHuman(r) };
}

// ---------------------------------------------------------------------------
// double parsing (string2d) and formatting (%.17g)
// ---------------------------------------------------------------------------

/**
 * Parse a double with Redis `string2d` rules (C strtod): accepts "1", "+1",
 * ".5", "5.", "1e5", hex floats, "inf"/"+inf"/"-inf"/"infinity" (any case);
 * rejects empty input, leading whitespace, trailing garbage, NaN, overflow
 * (e.g. "1e400") and nonzero values that underflow to zero ("1e-400").
 * Returns -0 for "-0".
 */
export function parseDouble(buf: Uint8Array, start: number, end: number): number | null {
  const kind = scanFloat(buf, start, end);
  if (kind === K_INVALID) return null;
  const neg = sNeg;
  if (kind === K_INF) return neg ? -Infinity : Infinity;
  const hex = kind === K_HEX;
  extractDigits(buf);
  if (dFirst < 0) return neg ? -0 : 0;
  if (hex) {
    const binExp = sExp + 4 * dIntDigitsAfterLast;
    const approxBits = dCount * 4;
    if (binExp + approxBits - 4 > 1024) return null;
    if (binExp + approxBits < DBL_MIN_EXP - 1) return null;
    const H = digitsBig(buf, true);
    const bl = bitLen(H);
    if (bl + binExp - 1 > 1023) return null;
    if (bl + binExp < DBL_MIN_EXP) return null;
    if (!roundBig(H, binExp, false, DBL_PREC, DBL_MIN_EXP, DBL_MAX_EXP)) return null;
    if (rMant === 0n) return null;
    const r = Number(rMant) * 2 ** rExp;
    return neg ? -r : r;
  }
  const e10 = sExp + dIntDigitsAfterLast;
  let r: number;
  if (dCount <= 15 && e10 >= -22 && e10 <= 22) {
    // Exact integer mantissa and exact power of ten: one correctly rounded op.
    const D = digitsNum(buf, false);
    r = e10 >= 0 ? D * POW10_NUM[e10] : D / POW10_NUM[-e10];
  } else {
    if (dCount - 1 + e10 > 400) return null;
    if (dCount + e10 < -400) return null;
    let s = '';
    for (let j = dFirst; j <= dLast; j++) {
      const ch = buf[j];
      if (ch !== CH_DOT) s += String.fromCharCode(ch);
    }
    r = Number(s + 'e' + e10);
  }
  if (r === Infinity || r === 0) return null;
  return neg ? -r : r;
}

const TWO_25 = 2 ** 25;

/**
 * Format a double like Redis 7.0 replies it (addReplyDouble, RESP2 bulk
 * string): "%.17g" ("0.10000000000000001", "1.0000000000000001e+300",
 * "1.4999999999999999e-07", "-0"), infinities as "inf" / "-inf".
 */
export function formatDouble(d: number): string {
  if (d !== d) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const a = d < 0 ? -d : d;
  if (a <= MAX_SAFE && Number.isInteger(a)) return String(d);
  // 17 significant digits and decimal exponent.
  let digits = '';
  let x = 0;
  let done = false; // true when `digits`/`x` are already final
  const t = a * TWO_25;
  if (a < 4503599627370496 && Number.isInteger(t)) {
    // Short binary fraction a = m / 2^k (m odd): its exact decimal expansion
    // has the digits of m * 5^k. If that is exactly 18 digits long it ends
    // on a tie at the 17th digit (JS rounds half up, glibc half to even).
    let m = t;
    let k = 25;
    while (m % 2 === 0) {
      m /= 2;
      k--;
    }
    const approx = m * 5 ** k;
    if (approx < 9e15) {
      // Exact expansion has at most 16 digits: it is the answer.
      const ds = String(approx);
      done = true;
      x = ds.length - 1 - k;
      digits = ds.length < 17 ? ds + '0'.repeat(17 - ds.length) : ds;
    } else if (approx >= 1e16 && approx < 1e19) {
      let ex = (BigInt(m) * 5n ** BigInt(k)).toString();
      if (ex.length === 18) {
        done = true;
        x = 17 - k;
        ex = ex.slice(0, 17);
        if ((ex.charCodeAt(16) - CH_0) & 1) {
          let inc = (BigInt(ex) + 1n).toString();
          if (inc.length > 17) {
            inc = inc.slice(0, 17);
            x += 1;
          }
          ex = inc;
        }
        digits = ex;
      }
    }
  }
  if (!done) {
    const s = a.toExponential(16);
    const ePos = s.indexOf('e');
    digits = s[0] + s.slice(2, ePos);
    x = +s.slice(ePos + 1);
  }
  // Strip trailing zeros of the 17 digits.
  let n = 17;
  while (n > 1 && digits.charCodeAt(n - 1) === CH_0) n--;
  let out: string;
  if (x < -4 || x >= 17) {
    out = digits[0];
    if (n > 1) out += '.' + digits.slice(1, n);
    const ax = x < 0 ? -x : x;
    out += (x < 0 ? 'e-' : 'e+') + (ax < 10 ? '0' + ax : String(ax));
  } else if (x < 0) {
    out = '0.' + '0'.repeat(-x - 1) + digits.slice(0, n);
  } else {
    const intLen = x + 1;
    if (n <= intLen) out = digits.slice(0, intLen);
    else out = digits.slice(0, intLen) + '.' + digits.slice(intLen, n);
  }
  return d < 0 ? '-' + out : out;
}

/**
 * Write the decimal digits of an integer (number or int64 bigint) to
 * buf[pos..]; returns the position after them. No string is built for
 * integers up to 2^32 (the common case on hot paths).
 */
export function writeDecimal(buf: Uint8Array, pos: number, n: number | bigint): number {
  if (typeof n === 'number' && n < 0) {
    buf[pos++] = 45;
    n = -n;
  }
  if (typeof n !== 'number' || n > 0xffffffff || !Number.isInteger(n)) {
    const s = String(n);
    for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
    return pos;
  }
  let v: number = n;
  let digits = 1;
  for (let t = 10; t <= v && digits < 10; t *= 10) digits++;
  const end = pos + digits;
  let p = end;
  // v < 2^32: uint32 division
  do {
    const q = (v / 10) >>> 0;
    buf[--p] = 48 + (v - q * 10);
    v = q;
  } while (v > 0);
  return end;
}
