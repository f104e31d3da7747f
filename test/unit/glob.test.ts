// Unit tests for globMatch (src/util/glob.ts): Redis's stringmatchlen rules.
//
// Static expectations were checked against redis-server 7.0.15 (KEYS for
// case-sensitive matching, CONFIG GET for nocase); when redis-server is
// installed, a differential test also compares thousands of random patterns
// with KEYS on a real server.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { globMatch, globMatchStr, globStarRetries } from '../../src/util/glob';
import { startRedis, hasRedisServer, type ServerHandle } from '../helpers/servers';
import { RawClient, parseReply, type RespNode } from '../helpers/raw';
import { mulberry32 } from '../helpers/gen';

const B = (s: string): Buffer => Buffer.from(s, 'latin1');

/** byte-wise match of latin1 strings */
function m(pattern: string, subject: string, nocase = false): boolean {
  const p = B(pattern);
  const s = B(subject);
  return globMatch(p, 0, p.length, s, 0, s.length, nocase);
}

describe('globMatch: Redis stringmatchlen rules', () => {
  const cases: Array<[string, string, boolean]> = [
    // literals
    ['', '', true],
    ['a', 'a', true],
    ['a', 'b', false],
    ['a', '', false],
    ['', 'a', false],
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['abcd', 'abc', false],
    ['A', 'a', false],
    // *
    ['*', 'anything', true],
    ['*', '', false], // stringmatchlen never matches an empty subject with "*" (KEYS * is special-cased)
    ['**', '', false],
    ['a*', 'a', true],
    ['a**', 'a', true],
    ['a*', 'abc', true],
    ['*c', 'abc', true],
    ['*c', 'abd', false],
    ['a*c', 'ac', true],
    ['a*c', 'abbbc', true],
    ['a*c', 'abbbcd', false],
    ['*a*b*', 'xxaxxbxx', true],
    ['*a*b*', 'xxbxxaxx', false],
    ['h*llo', 'hllo', true],
    ['h*llo', 'heeeello', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    // ?
    ['?', 'a', true],
    ['?', '', false],
    ['?', 'ab', false],
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['??', 'ab', true],
    ['a?*', 'a', false],
    ['a*?', 'ab', true],
    // classes
    ['h[ae]llo', 'hello', true],
    ['h[ae]llo', 'hallo', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[a-b]llo', 'hcllo', false],
    ['h[b-a]llo', 'hallo', true], // reversed range
    ['[a-]', '-', false], // the range a-] (swapped to ]..a), then unterminated
    ['[]', ']', false],
    ['[]]', ']', false], // "[]" is an empty class, then "]" literal
    ['[]]', ']]', false],
    ['[]a]', 'a', false],
    ['[^]', 'a', true], // unterminated negated empty class
    ['[\\]]', ']', true],
    ['[\\-]', '-', true],
    ['[a\\-z]', 'b', false],
    ['[a\\-z]', '-', true],
    ['[abc', 'a', true], // unterminated class: stops at the last byte
    ['[abc', 'b', true],
    ['[abc', 'd', false],
    ['[a-', 'a', true],
    ['[^abc', 'd', true],
    ['x[', 'x', false],
    ['[', 'a', false],
    ['[^', 'a', true],
    ['[a-c]*', 'b123', true],
    ['*[0-9]', 'abc7', true],
    ['*[0-9]', 'abc', false],
    ['[*]', '*', true],
    ['[*]', 'a', false],
    ['[?]', '?', true],
    ['[?]', 'a', false],
    ['[[]', '[', true],
    // escapes
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['\\?', '?', true],
    ['\\?', 'a', false],
    ['\\[a]', '[a]', true],
    ['\\a', 'a', true],
    ['\\', '\\', true], // a trailing backslash is literal
    ['a\\', 'a\\', true],
    ['\\\\', '\\', true],
    ['*\\*', 'abc*', true],
    ['*\\*', 'abc', false],
    // binary
    ['\0', '\0', true],
    ['a\0*', 'a\0bc', true],
    ['?', '\xff', true],
    ['\xff*', '\xff\x80', true],
    ['[\xe9]', '\xe9', true],
    ['*\r\n', 'x\r\n', true],
  ];
  for (const [p, s, want] of cases) {
    it(`${JSON.stringify(p)} vs ${JSON.stringify(s)} -> ${want}`, () => {
      expect(m(p, s)).toBe(want);
    });
  }

  it('respects the pattern and subject ranges (offsets into larger buffers)', () => {
    const p = B('XXa*cYY');
    const s = B('__abbc__');
    expect(globMatch(p, 2, 5, s, 2, 6)).toBe(true);
    expect(globMatch(p, 2, 5, s, 2, 7)).toBe(false);
    expect(globMatch(p, 2, 4, s, 2, 3)).toBe(true); // "a*" vs "a"
  });

  it('globMatchStr encodes both sides as UTF-8', () => {
    expect(globMatchStr('h?llo', 'hello')).toBe(true);
    expect(globMatchStr('caf?', 'café')).toBe(false); // é is two bytes
    expect(globMatchStr('caf??', 'café')).toBe(true);
    expect(globMatchStr('MAXMEM*', 'maxmemory-policy', true)).toBe(true);
    expect(globMatchStr('MAXMEM*', 'maxmemory-policy')).toBe(false);
  });
});

describe('globMatch: nocase', () => {
  const cases: Array<[string, string, boolean]> = [
    ['MAXMEMORY', 'maxmemory', true],
    ['maxmemory', 'MAXMEMORY', true],
    ['max*', 'MAXMEMORY', true],
    ['[M]axmemory', 'maxmemory', true],
    ['[^M]axmemory', 'maxmemory', false],
    ['[a-z]axmemory', 'Maxmemory', true],
    ['[A-Z]axmemory', 'maxmemory', true],
    ['[z-a]axmemory', 'maxmemory', true],
    ['\\Maxmemory', 'maxmemory', true],
    ['[', '[', false],
    ['@', '`', false], // only A-Z fold
    ['[', '{', false],
  ];
  for (const [p, s, want] of cases) {
    it(`${JSON.stringify(p)} vs ${JSON.stringify(s)} (nocase) -> ${want}`, () => {
      expect(m(p, s, true)).toBe(want);
    });
  }

  it('range bounds are lowercased after ordering, like Redis (CONFIG GET [Z-a]axmemory matches nothing)', () => {
    // stringmatchlen swaps start/end first, then applies tolower(): [Z-a] becomes
    // the empty range z..a. Checked with redis-server 7.0.15:
    //   CONFIG GET [Z-a]axmemory -> (empty), CONFIG GET [z-a]axmemory -> maxmemory
    expect(m('[Z-a]axmemory', 'maxmemory', true)).toBe(false);
    expect(m('[z-a]axmemory', 'maxmemory', true)).toBe(true);
  });

  it('an escaped byte inside a class is compared case-sensitively, like Redis', () => {
    // redis-server 7.0.15: CONFIG GET [\M]axmemory -> (empty); CONFIG GET [\m]axmemory -> maxmemory
    expect(m('[\\M]axmemory', 'maxmemory', true)).toBe(false);
    expect(m('[\\m]axmemory', 'maxmemory', true)).toBe(true);
  });
});

describe('globMatch: signed-char ranges (Redis compares range bounds as signed char)', () => {
  // redis-server 7.0.15 on x86-64 (char is signed), keys: \x80 b 0 \xff \x00 a Z z
  const keys = ['\x80', 'b', '0', '\xff', '\x00', 'a', 'Z', 'z'];
  const cases: Array<[string, string[]]> = [
    ['[a-\xff]', ['\xff', '\x00', 'a', 'Z', '0']],
    ['[\x00-\xff]', ['\xff', '\x00']],
    ['[\x80-\xff]', ['\xff', '\x80']],
    ['[^a-\xff]', ['b', 'z', '\x80']],
    ['[a-z]', ['a', 'b', 'z']],
  ];
  for (const [p, want] of cases) {
    it(`KEYS ${JSON.stringify(p)}`, () => {
      const got = keys.filter((k) => m(p, k));
      expect(got.sort()).toEqual(want.slice().sort());
    });
  }
});

describe('globMatch: abusive patterns', () => {
  it('gives up beyond 1000 nested stars, like Redis (no match)', () => {
    // redis-server 7.0.15: KEYS ("*a" x 1001) on key "a" x 1100 -> (empty); x 1000 -> the key
    const s = 'a'.repeat(1100);
    expect(m('*a'.repeat(1000), s)).toBe(true);
    expect(m('*a'.repeat(1001), s)).toBe(false);
  });

  it('a huge pattern of stars does not overflow the stack', () => {
    const s = 'a'.repeat(20000);
    let r: boolean | string;
    try {
      r = m('*a'.repeat(20000), s);
    } catch (e) {
      r = String(e);
    }
    expect(r).toBe(false);
  });

  it('is not exponential in the number of stars (CVE-2022-36021)', () => {
    // A plain backtracking matcher retries every star at every later subject
    // position: ~C(200, 30) = 4e40 retries here (it would never finish).
    // Redis 7.0.9+ gives up on earlier stars once a later one failed, and so
    // does this matcher: a star is retried at most once per subject byte.
    const subject = 'a'.repeat(200);
    const before = globStarRetries();
    expect(m('*a'.repeat(30) + 'b', subject)).toBe(false);
    const retries = globStarRetries() - before;
    expect(retries).toBeGreaterThan(0); // the hook does count this matcher's retries
    expect(retries).toBeLessThanOrEqual(subject.length);
  });

  it('star retries stay linear in the subject for many stars and a late mismatch', () => {
    const subject = 'ab'.repeat(500) + 'c';
    const before = globStarRetries();
    expect(m('*a*b'.repeat(200) + '*d', subject)).toBe(false);
    expect(m('*a*b'.repeat(200) + '*c', subject)).toBe(true);
    expect(globStarRetries() - before).toBeLessThanOrEqual(2 * subject.length);
  });
});

// ---- differential against a real redis-server ---------------------------------

const haveRedis = hasRedisServer();

describe.skipIf(!haveRedis)('globMatch vs redis-server KEYS', () => {
  let server: ServerHandle | null = null;
  let client: RawClient | null = null;

  beforeAll(async () => {
    server = await startRedis();
    client = await RawClient.connect(server!.port);
  }, 30_000);

  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  function bulkStrings(reply: Buffer): string[] {
    const n: RespNode = parseReply(reply).node;
    if (n.type !== '*') throw new Error(`unexpected reply ${reply.toString('latin1')}`);
    return (n.items ?? []).map((x) => x.data!.toString('latin1'));
  }

  async function keysFor(patterns: string[]): Promise<string[][]> {
    const replies = await client!.pipeline(patterns.map((p) => ['KEYS', B(p)]));
    return replies.map(bulkStrings);
  }

  async function fill(keys: string[]): Promise<void> {
    await client!.call('FLUSHALL');
    const cmds = keys.map((k) => ['SET', B(k), '1']);
    await client!.pipeline(cmds);
  }

  function randomString(r: () => number, alphabet: string, min: number, max: number): string {
    const len = min + Math.floor(r() * (max - min + 1));
    let s = '';
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(r() * alphabet.length)];
    return s;
  }

  it('random ASCII patterns over random keys (including high bytes and NUL in keys)', async () => {
    const r = mulberry32(31337);
    const keySet = new Set<string>([
      '', 'a', 'b', 'ab', 'ba', 'abc', 'aXc', 'a*c', 'a?c', 'a[c', 'a]c', 'a\\c', 'a-c', '^', '-', ']', '[', '\\', '*', '?',
      'hello', 'hallo', 'hxllo', 'heeello', 'A', 'B', 'AB', '\xe9', 'a\xe9', '\x80b', 'a\0b', '\0', '\xff',
    ]);
    while (keySet.size < 400) keySet.add(randomString(r, 'abcAB*?[]^-\\xyz\x80\xff0', 0, 8));
    const keys = [...keySet];
    await fill(keys);
    const patterns: string[] = [];
    const alpha = 'ab*?[]^-\\cAB0';
    while (patterns.length < 4000) {
      const p = randomString(r, alpha, 1, 8);
      if (p !== '*') patterns.push(p); // KEYS special-cases exactly "*" (all keys, even "")
    }
    patterns.push('[a-c]*', '*[^a]', '[]a]*', '[\\]]*', 'a\\', '\\', '[a-', '[^', '[', '**', '*?*', 'h?llo', 'h*llo', 'h[ae]llo');
    const results = await keysFor(patterns);
    const mismatches: string[] = [];
    for (let i = 0; i < patterns.length; i++) {
      const p = patterns[i]!;
      const want = new Set(results[i]!);
      for (const k of keys) {
        const got = m(p, k);
        if (got !== want.has(k)) mismatches.push(`pattern ${JSON.stringify(p)} key ${JSON.stringify(k)}: redis ${want.has(k)} sabre ${got}`);
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
  }, 60_000);

  it('the static expectations above agree with redis-server', async () => {
    const subjects = ['a', 'b', '-', ']', ']]', '[', '*', '?', '[a]', '\\', 'a\\', 'abc', 'abbbc', 'ac', '\xe9', '\xff\x80', 'x\r\n'];
    await fill(subjects);
    const patterns = ['[a-]', '[]', '[]]', '[]a]', '[^]', '[\\]]', '[\\-]', '[a\\-z]', '[abc', '[a-', 'x[', '[', '[^', '[*]', '[?]', '[[]', '\\*', '\\?', '\\[a]', '\\', 'a\\', '\\\\', '*\\*', 'a*c', '?', '\xff*', '[\xe9]', '*\r\n'];
    const results = await keysFor(patterns);
    for (let i = 0; i < patterns.length; i++) {
      const got = subjects.filter((s) => m(patterns[i]!, s)).sort();
      expect({ p: patterns[i], keys: got }).toEqual({ p: patterns[i], keys: results[i]!.slice().sort() });
    }
  });

  it('high-byte range bounds behave like Redis (signed char)', async () => {
    const keys = ['\x80', 'b', '0', '\xff', '\x00', 'a', 'Z', 'z', '\xe9', '\x7f'];
    await fill(keys);
    const patterns = ['[a-\xff]', '[\x00-\xff]', '[\x80-\xff]', '[^a-\xff]', '[\x7f-\x80]', '[\xe9-a]'];
    const results = await keysFor(patterns);
    const mismatches: string[] = [];
    for (let i = 0; i < patterns.length; i++) {
      const got = keys.filter((k) => m(patterns[i]!, k)).sort();
      const want = results[i]!.slice().sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${JSON.stringify(patterns[i])}: redis ${JSON.stringify(want)} sabre ${JSON.stringify(got)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('nocase expectations agree with CONFIG GET', async () => {
    const probe = async (p: string): Promise<boolean> => {
      const reply = await client!.call('CONFIG', 'GET', p);
      // an exact (glob-free) name is echoed back as given, so compare case-insensitively
      return bulkStrings(reply).some((x) => x.toLowerCase() === 'maxmemory');
    };
    for (const p of ['MAXMEMORY', '[Z-a]axmemory', '[z-a]axmemory', '[\\M]axmemory', '[\\m]axmemory', '[M]axmemory', '[A-Z]axmemory']) {
      expect({ p, match: m(p, 'maxmemory', true) }).toEqual({ p, match: await probe(p) });
    }
  });
});
