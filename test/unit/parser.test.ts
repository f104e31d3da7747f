// Unit tests for the RESP request parser (src/protocol/parser.ts).
//
// Expected protocol-error messages and edge-case behaviour were checked against
// redis-server 7.0.15 (processMultibulkBuffer / processInlineBuffer).
import { describe, it, expect } from 'vitest';
import { RequestParser, PROTO_INLINE_MAX_SIZE, type ParsedCommandSink, type ParserLimits } from '../../src/protocol/parser';
import { mulberry32 } from '../helpers/gen';

const MB = 1024 * 1024;

function limits(over: Partial<ParserLimits> = {}): ParserLimits {
  return {
    protoMaxBulkLen: 512 * MB,
    queryBufferLimit: 1024 * MB,
    authRequired: () => false,
    ...over,
  };
}

/** Collects every delivered command as latin1 strings (copied at callback time). */
class Collector implements ParsedCommandSink {
  cmds: string[][] = [];
  errors: string[] = [];
  /** return true to refuse (pause) the command being offered */
  refuse: ((argv: string[]) => boolean) | null = null;
  refused = 0;
  lastBuf: Uint8Array | null = null;

  onCommand(buf: Uint8Array, offs: Int32Array, argc: number): boolean {
    const argv: string[] = [];
    for (let i = 0; i < argc; i++) {
      const s = offs[i * 2]!;
      const l = offs[i * 2 + 1]!;
      argv.push(Buffer.from(buf.subarray(s, s + l)).toString('latin1'));
    }
    if (this.refuse !== null && this.refuse(argv)) {
      this.refused++;
      return false;
    }
    this.lastBuf = buf;
    this.cmds.push(argv);
    return true;
  }

  onProtocolError(message: string): void {
    this.errors.push(message);
  }
}

const L = (s: string): Buffer => Buffer.from(s, 'latin1');

function multibulk(argv: string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return s;
}

/** Feed the whole input at once; returns the collector. */
function parseAll(input: string | Buffer, lim: ParserLimits = limits()): { sink: Collector; parser: RequestParser } {
  const parser = new RequestParser(lim);
  const sink = new Collector();
  const b = typeof input === 'string' ? L(input) : input;
  parser.feed(b, 0, b.length, sink);
  return { sink, parser };
}

/**
 * Feed `data` in chunks of the given sizes through a shared "read buffer" that
 * is overwritten after every feed (as the server's socket read buffer is), at a
 * varying offset, so that anything the parser keeps must have been copied.
 */
function feedChunks(parser: RequestParser, sink: ParsedCommandSink, data: Buffer, sizes: number[]): void {
  const readBuf = new Uint8Array(data.length + 64);
  let pos = 0;
  let k = 0;
  while (pos < data.length) {
    const n = Math.min(sizes[k % sizes.length]!, data.length - pos);
    k++;
    const off = k % 7;
    readBuf.set(data.subarray(pos, pos + n), off);
    parser.feed(readBuf, off, off + n, sink);
    readBuf.fill(0xee); // the next read reuses the buffer
    pos += n;
  }
}

function randomSizes(seed: number, count: number, max: number): number[] {
  const r = mulberry32(seed);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(1 + Math.floor(r() * max));
  return out;
}

// ---- random pipelines -------------------------------------------------------

interface Pipeline {
  data: Buffer;
  expected: string[][];
}

const WORD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-:.';

function randomPipeline(seed: number, commands: number): Pipeline {
  const r = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  let s = '';
  const expected: string[][] = [];
  for (let c = 0; c < commands; c++) {
    const kind = r();
    if (kind < 0.6) {
      // multibulk with arbitrary bytes, CRLFs inside, empty args, sometimes long args
      const argc = int(1, 6);
      const argv: string[] = [];
      for (let i = 0; i < argc; i++) {
        const len = r() < 0.05 ? int(200, 600) : int(0, 24);
        let a = '';
        for (let j = 0; j < len; j++) {
          const x = r();
          a += x < 0.1 ? '\r\n' : x < 0.15 ? '*' : x < 0.2 ? '$' : String.fromCharCode(int(0, 255));
        }
        argv.push(a);
      }
      s += multibulk(argv);
      expected.push(argv);
    } else if (kind < 0.8) {
      // inline command: plain words, one of them maybe quoted
      const argc = int(1, 5);
      const words: string[] = [];
      const argv: string[] = [];
      for (let i = 0; i < argc; i++) {
        const len = int(1, 10);
        let w = '';
        for (let j = 0; j < len; j++) w += WORD[int(0, WORD.length - 1)];
        const q = r();
        if (q < 0.15) {
          words.push(`"${w} \\x41\\n"`);
          argv.push(`${w} A\n`);
        } else if (q < 0.25) {
          words.push(`'${w} \\'x'`);
          argv.push(`${w} 'x`);
        } else {
          words.push(w);
          argv.push(w);
        }
      }
      const sep = r() < 0.5 ? ' ' : ' \t ';
      s += (r() < 0.3 ? '  ' : '') + words.join(sep) + (r() < 0.5 ? '\r\n' : '\n');
      expected.push(argv);
    } else if (kind < 0.87) {
      s += r() < 0.5 ? '*0\r\n' : '*-1\r\n'; // ignored
    } else if (kind < 0.92) {
      s += r() < 0.5 ? '\r\n' : '   \n'; // empty inline line: ignored
    } else {
      // "Redis does not check the trailing CRLF of a bulk": any two bytes are skipped
      const argv = ['SET', 'k', 'v'];
      s += '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nvXY';
      expected.push(argv);
    }
  }
  return { data: L(s), expected };
}

describe('RequestParser: multibulk basics', () => {
  it('parses a single command', () => {
    const { sink } = parseAll('*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n');
    expect(sink.cmds).toEqual([['SET', 'key', 'value']]);
    expect(sink.errors).toEqual([]);
  });

  it('hands out arguments as views into the chunk when the command is complete in it', () => {
    const b = L('*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n');
    const parser = new RequestParser(limits());
    const sink = new Collector();
    parser.feed(b, 0, b.length, sink);
    expect(sink.cmds).toEqual([['ECHO', 'hi']]);
    expect(sink.lastBuf).toBe(b);
    expect(parser.bufferedBytes).toBe(0);
  });

  it('respects start/end of the chunk', () => {
    const cmd = '*1\r\n$4\r\nPING\r\n';
    const b = L('garbage' + cmd + cmd + 'junk');
    const parser = new RequestParser(limits());
    const sink = new Collector();
    parser.feed(b, 7, 7 + cmd.length * 2, sink);
    expect(sink.cmds).toEqual([['PING'], ['PING']]);
    expect(sink.errors).toEqual([]);
  });

  it('parses binary-safe bulk payloads (CR, LF, NUL, high bytes) and empty args', () => {
    const argv = ['SET', 'a\r\nb\0c', '', '\xff\x80\r', '*1\r\n$4\r\nPING\r\n'];
    const { sink } = parseAll(multibulk(argv));
    expect(sink.cmds).toEqual([argv]);
  });

  it('parses a pipeline of many commands in one chunk', () => {
    const argvs = Array.from({ length: 500 }, (_, i) => ['SET', `key:${i}`, 'x'.repeat(i % 37)]);
    const { sink } = parseAll(argvs.map(multibulk).join(''));
    expect(sink.cmds).toEqual(argvs);
  });

  it('ignores *0 and *-N (empty multibulk) and keeps parsing', () => {
    const { sink } = parseAll('*0\r\n*-1\r\n*-5\r\n*1\r\n$4\r\nPING\r\n*0\r\n');
    expect(sink.cmds).toEqual([['PING']]);
    expect(sink.errors).toEqual([]);
  });

  it('does not check the CRLF after a bulk payload (skips any two bytes, like Redis)', () => {
    const { sink } = parseAll('*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n');
    expect(sink.cmds).toEqual([['PING'], ['PING']]);
    expect(sink.errors).toEqual([]);
  });

  it('accepts a multibulk count of INT_MAX (waits for the arguments)', () => {
    const { sink, parser } = parseAll('*2147483647\r\n$1\r\na\r\n');
    expect(sink.errors).toEqual([]);
    expect(sink.cmds).toEqual([]);
    expect(parser.isStopped).toBe(false);
  });

  it('handles commands with more arguments than the initial offsets array', () => {
    const argv = Array.from({ length: 5000 }, (_, i) => `arg${i}`);
    const { sink } = parseAll(multibulk(argv));
    expect(sink.cmds).toEqual([argv]);
  });

  it('keeps every argument of a command with more than 2^20 arguments', () => {
    // Redis accepts multibulk counts up to INT_MAX (e.g. a huge MSET/SADD).
    const n = (1 << 20) + 3;
    const data = L(`*${n}\r\n$5\r\nFIRST\r\n` + '$1\r\nx\r\n'.repeat(n - 2) + '$4\r\nLAST\r\n');
    const parser = new RequestParser(limits());
    let got: string[] | null = null;
    parser.feed(data, 0, data.length, {
      onCommand(buf, offs, argc) {
        const pick = (i: number): string => Buffer.from(buf.subarray(offs[i * 2]!, offs[i * 2]! + offs[i * 2 + 1]!)).toString();
        got = [String(argc), pick(0), pick(1), pick((1 << 20) - 1), pick(1 << 20), pick(argc - 1)];
        return true;
      },
      onProtocolError(m) {
        throw new Error(m);
      },
    });
    expect(got).toEqual([String(n), 'FIRST', 'x', 'x', 'x', 'LAST']);
  });
});

describe('RequestParser: inline commands', () => {
  const cases: Array<[string, string[]]> = [
    ['PING\r\n', ['PING']],
    ['PING\n', ['PING']],
    ['  SET   key\t value  \r\n', ['SET', 'key', 'value']],
    ['ECHO "a b"\r\n', ['ECHO', 'a b']],
    ["ECHO 'x'\r\n", ['ECHO', 'x']],
    ['ECHO "\\x41\\x42"\r\n', ['ECHO', 'AB']],
    ['ECHO "\\x4"\r\n', ['ECHO', 'x4']], // incomplete hex escape: backslash escapes the x
    ['ECHO "\\x41\\x4g\\n"\r\n', ['ECHO', 'Ax4g\n']],
    ['ECHO "\\a\\b\\t\\r\\n\\z\\"\\\\"\r\n', ['ECHO', '\x07\x08\t\r\nz"\\']],
    ["ECHO 'a\\'b'\r\n", ['ECHO', "a'b"]],
    ["ECHO 'a\\nb'\r\n", ['ECHO', 'a\\nb']], // no escapes in single quotes except \'
    ['ECHO ""\r\n', ['ECHO', '']],
    ["ECHO ''\r\n", ['ECHO', '']],
    ['ECHO ab"c d" e\r\n', ['ECHO', 'abc d', 'e']], // a quote may start mid-word
    ['ECHO a\x0bb\r\n', ['ECHO', 'a\x0bb']], // \v separates only between words
    ['ECHO "x"\t"y"\r\n', ['ECHO', 'x', 'y']],
    ['ECHO "\\xff\\x00"\r\n', ['ECHO', '\xff\x00']],
  ];
  for (const [line, argv] of cases) {
    it(`splits ${JSON.stringify(line)}`, () => {
      const { sink } = parseAll(line);
      expect(sink.errors).toEqual([]);
      expect(sink.cmds).toEqual([argv]);
    });
  }

  const unbalanced = ['ECHO "abc\r\n', "ECHO 'abc\r\n", 'ECHO "ab"c\r\n', "ECHO 'ab'c\r\n", 'ECHO "abc\\"\r\n', 'ECHO ab"c d"e\r\n'];
  for (const line of unbalanced) {
    it(`rejects ${JSON.stringify(line)} with "unbalanced quotes"`, () => {
      const { sink, parser } = parseAll('PING\r\n' + line + 'PING\r\n');
      expect(sink.cmds).toEqual([['PING']]);
      expect(sink.errors).toEqual(['ERR Protocol error: unbalanced quotes in request']);
      expect(parser.isStopped).toBe(true);
    });
  }

  it('ignores empty and blank lines', () => {
    const { sink } = parseAll('\r\n\n   \r\n\t\nPING\r\n');
    expect(sink.cmds).toEqual([['PING']]);
    expect(sink.errors).toEqual([]);
  });

  it('keeps every argument of an inline command with many arguments', () => {
    // e.g. "MSET k1 v1 k2 v2 ..." typed into telnet / redis-cli pipes
    const argv = ['MSET'];
    for (let i = 0; i < 40; i++) argv.push(`a${i}`);
    const { sink } = parseAll(argv.join(' ') + '\r\n');
    expect(sink.cmds).toEqual([argv]);
  });

  it('inline commands and multibulk commands can be mixed in a pipeline', () => {
    const { sink } = parseAll('PING\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO "y z"\r\n');
    expect(sink.cmds).toEqual([['PING'], ['ECHO', 'x'], ['ECHO', 'y z']]);
  });

  it('waits for the newline of an incomplete inline command', () => {
    const parser = new RequestParser(limits());
    const sink = new Collector();
    parser.feed(L('SET a'), 0, 5, sink);
    expect(sink.cmds).toEqual([]);
    expect(parser.bufferedBytes).toBe(5);
    parser.feed(L(' b\r'), 0, 3, sink);
    expect(sink.cmds).toEqual([]);
    parser.feed(L('\n'), 0, 1, sink);
    expect(sink.cmds).toEqual([['SET', 'a', 'b']]);
    expect(parser.bufferedBytes).toBe(0);
  });

  it('an inline line containing NUL is not complete (Redis: strchr stops at NUL, the request waits)', () => {
    // redis-server 7.0.15: "PING\0x\r\nPING\r\n" gets no reply at all (the
    // query buffer waits for a newline until PROTO_INLINE_MAX_SIZE is exceeded).
    const { sink } = parseAll('PING\0x\r\nPING\r\n');
    expect(sink.cmds).toEqual([]);
    expect(sink.errors).toEqual([]);
  });
});

describe('RequestParser: protocol errors', () => {
  const cases: Array<[string, string, string]> = [
    ['non-numeric multibulk count', '*abc\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['empty multibulk count', '*\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['multibulk count > INT_MAX', '*2147483648\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['multibulk count overflowing 64 bits', '*12345678901234567890\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['leading zero in count', '*01\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['plus sign in count', '*+1\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['"-" count', '*-\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['negative bulk length', '*1\r\n$-1\r\n', 'ERR Protocol error: invalid bulk length'],
    ['-0 bulk length', '*1\r\n$-0\r\n', 'ERR Protocol error: invalid bulk length'],
    ['non-numeric bulk length', '*1\r\n$abc\r\n', 'ERR Protocol error: invalid bulk length'],
    ['leading zero in bulk length', '*1\r\n$04\r\nPING\r\n', 'ERR Protocol error: invalid bulk length'],
    ['21-digit bulk length', '*1\r\n$123456789012345678901\r\n', 'ERR Protocol error: invalid bulk length'],
    ['bulk length over proto-max-bulk-len', '*1\r\n$536870913\r\n', 'ERR Protocol error: invalid bulk length'],
    ['missing $', '*1\r\nxy\r\n', "ERR Protocol error: expected '$', got 'x'"],
    ['missing $ in the second argument', '*2\r\n$1\r\na\r\n:1\r\n', "ERR Protocol error: expected '$', got ':'"],
    // redis-server 7.0.15 replaces CR/LF in error messages with spaces
    ['missing $, header line starts with CR', '*1\r\n\r\n', "ERR Protocol error: expected '$', got ' '"],
    ['missing $, header line starts with LF', '*1\r\n\n\r\n', "ERR Protocol error: expected '$', got ' '"],
  ];
  for (const [title, input, msg] of cases) {
    it(`${title}: ${JSON.stringify(input)}`, () => {
      const { sink, parser } = parseAll('*1\r\n$4\r\nPING\r\n' + input + '*1\r\n$4\r\nPING\r\n');
      expect(sink.cmds).toEqual([['PING']]);
      expect(sink.errors).toEqual([msg]);
      expect(parser.isStopped).toBe(true);
      expect(parser.bufferedBytes).toBe(0);
    });
  }

  it('stops parsing for good after a protocol error', () => {
    const { sink, parser } = parseAll('*x\r\n');
    expect(sink.errors).toHaveLength(1);
    const more = L('*1\r\n$4\r\nPING\r\nPING\r\n');
    parser.feed(more, 0, more.length, sink);
    parser.resume(sink);
    expect(sink.cmds).toEqual([]);
    expect(sink.errors).toHaveLength(1);
  });

  it('reports an error detected in a later chunk', () => {
    const parser = new RequestParser(limits());
    const sink = new Collector();
    feedChunks(parser, sink, L('*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1x\r\n'), [1]);
    expect(sink.cmds).toEqual([['PING']]);
    expect(sink.errors).toEqual(['ERR Protocol error: invalid bulk length']);
  });

  it('too big inline request: more than 64 KiB without a newline', () => {
    const ok = parseAll('a'.repeat(PROTO_INLINE_MAX_SIZE));
    expect(ok.sink.errors).toEqual([]);
    const bad = parseAll('a'.repeat(PROTO_INLINE_MAX_SIZE + 1));
    expect(bad.sink.errors).toEqual(['ERR Protocol error: too big inline request']);
  });

  it('too big inline request when the long line arrives in pieces', () => {
    const parser = new RequestParser(limits());
    const sink = new Collector();
    feedChunks(parser, sink, L('PING\r\n' + 'b'.repeat(70000)), [1000]);
    expect(sink.cmds).toEqual([['PING']]);
    expect(sink.errors).toEqual(['ERR Protocol error: too big inline request']);
  });

  it('too big mbulk count string', () => {
    const { sink } = parseAll('*' + '1'.repeat(70000));
    expect(sink.errors).toEqual(['ERR Protocol error: too big mbulk count string']);
  });

  it('too big bulk count string', () => {
    const { sink } = parseAll('*1\r\n$' + '1'.repeat(70000));
    expect(sink.errors).toEqual(['ERR Protocol error: too big bulk count string']);
  });

  it("waits for a full line before complaining about a missing '$' (as Redis does)", () => {
    // redis-server 7.0.15 only inspects the bulk header once its "\r\n" has
    // arrived: "*1\r\nx" gets no reply; "*1\r\nxy\r\n" gets "expected '$', got 'x'".
    const parser = new RequestParser(limits());
    const sink = new Collector();
    parser.feed(L('*1\r\nx'), 0, 5, sink);
    expect(sink.errors).toEqual([]);
    parser.feed(L('y\r\n'), 0, 3, sink);
    expect(sink.errors).toEqual(["ERR Protocol error: expected '$', got 'x'"]);
  });

  it('a NUL byte before the CR of a header line keeps the command incomplete (Redis: strchr stops at NUL)', () => {
    // redis-server 7.0.15 gives no reply to any of these (it waits for more input)
    for (const input of ['*1\0\r\n$4\r\nPING\r\n', '*1\r\n$\x004\r\nPING\r\n', '*1\r\nx\0y\r\n']) {
      const { sink, parser } = parseAll(input + '*1\r\n$4\r\nPING\r\n');
      expect({ input, cmds: sink.cmds, errors: sink.errors, stopped: parser.isStopped }).toEqual({ input, cmds: [], errors: [], stopped: false });
    }
    // ... until the unfinished header is over 64 KiB: "*1\r\n\0" + "1" x 70000 -> too big bulk count string
    expect(parseAll('*1\r\n\0' + '1'.repeat(70000)).sink.errors).toEqual(['ERR Protocol error: too big bulk count string']);
    expect(parseAll('*\0' + '1'.repeat(70000)).sink.errors).toEqual(['ERR Protocol error: too big mbulk count string']);
  });

  it("a bulk header line without '$' and without CR over 64 KiB is 'too big bulk count string' (as Redis)", () => {
    // redis-server 7.0.15: "*1\r\n" + "1" x 70000 -> "too big bulk count string"
    const { sink } = parseAll('*1\r\n' + '1'.repeat(70000));
    expect(sink.errors).toEqual(['ERR Protocol error: too big bulk count string']);
  });
});

describe('RequestParser: limits', () => {
  it('proto-max-bulk-len bounds the bulk length', () => {
    const lim = limits({ protoMaxBulkLen: 1000 });
    const ok = parseAll(multibulk(['SET', 'k', 'v'.repeat(1000)]), lim);
    expect(ok.sink.errors).toEqual([]);
    expect(ok.sink.cmds[0]![2]).toHaveLength(1000);
    const bad = parseAll(multibulk(['SET', 'k', 'v'.repeat(1001)]), lim);
    expect(bad.sink.cmds).toEqual([]);
    expect(bad.sink.errors).toEqual(['ERR Protocol error: invalid bulk length']);
  });

  it('unauthenticated: multibulk count > 10 is refused', () => {
    const lim = limits({ authRequired: () => true });
    const ten = Array.from({ length: 10 }, () => 'a');
    const ok = parseAll(multibulk(ten), lim);
    expect(ok.sink.errors).toEqual([]);
    expect(ok.sink.cmds).toEqual([ten]);
    const bad = parseAll('*11\r\n', lim);
    expect(bad.sink.errors).toEqual(['ERR Protocol error: unauthenticated multibulk length']);
  });

  it('unauthenticated: bulk length > 16384 is refused', () => {
    const lim = limits({ authRequired: () => true });
    const ok = parseAll(multibulk(['AUTH', 'p'.repeat(16384)]), lim);
    expect(ok.sink.errors).toEqual([]);
    expect(ok.sink.cmds).toHaveLength(1);
    const bad = parseAll('*2\r\n$4\r\nAUTH\r\n$16385\r\n', lim);
    expect(bad.sink.errors).toEqual(['ERR Protocol error: unauthenticated bulk length']);
  });

  it('an invalid count is reported as invalid even when unauthenticated', () => {
    const lim = limits({ authRequired: () => true });
    expect(parseAll('*abc\r\n', lim).sink.errors).toEqual(['ERR Protocol error: invalid multibulk length']);
    expect(parseAll('*1\r\n$-3\r\n', lim).sink.errors).toEqual(['ERR Protocol error: invalid bulk length']);
  });

  it('empty multibulk with a negative count is fine when unauthenticated', () => {
    const lim = limits({ authRequired: () => true });
    const { sink } = parseAll('*-1\r\n*0\r\nPING\r\n', lim);
    expect(sink.errors).toEqual([]);
    expect(sink.cmds).toEqual([['PING']]);
  });

  it('inline commands are not subject to the unauthenticated limits', () => {
    const lim = limits({ authRequired: () => true });
    const argv = ['CMD', ...Array.from({ length: 20 }, (_, i) => `x${i}`), 'y'.repeat(20000)];
    const { sink } = parseAll(argv.join(' ') + '\r\n', lim);
    expect(sink.errors).toEqual([]);
    expect(sink.cmds).toEqual([argv]);
  });

  it('authentication state is evaluated per command (AUTH then a big command in one pipeline)', () => {
    let authed = false;
    const lim = limits({ authRequired: () => !authed });
    const parser = new RequestParser(lim);
    const sink = new Collector();
    const big = Array.from({ length: 20 }, (_, i) => `v${i}`);
    const data = L(multibulk(['AUTH', 'pw']) + multibulk(big));
    sink.refuse = (argv) => {
      if (argv[0] === 'AUTH') authed = true;
      return false;
    };
    parser.feed(data, 0, data.length, sink);
    expect(sink.errors).toEqual([]);
    expect(sink.cmds).toEqual([['AUTH', 'pw'], big]);
  });

  it('bufferedBytes counts the unconsumed tail and query-buffer-limit stops the parser', () => {
    const parser = new RequestParser(limits({ queryBufferLimit: 1000 }));
    const sink = new Collector();
    const part = L('*2\r\n$3\r\nSET\r\n$2000\r\n' + 'x'.repeat(500));
    parser.feed(part, 0, part.length, sink);
    expect(parser.bufferedBytes).toBe(part.length);
    expect(sink.errors).toEqual([]);
    const more = L('x'.repeat(600));
    parser.feed(more, 0, more.length, sink);
    expect(sink.errors).toHaveLength(1);
    expect(sink.errors[0]).toMatch(/^ERR /);
    expect(parser.isStopped).toBe(true);
  });

  it('reset() makes a stopped parser usable again', () => {
    const { sink, parser } = parseAll('*x\r\n');
    expect(parser.isStopped).toBe(true);
    parser.reset();
    const b = L('PING\r\n');
    parser.feed(b, 0, b.length, sink);
    expect(sink.cmds).toEqual([['PING']]);
  });
});

describe('RequestParser: split reads', () => {
  it('every split point of a pipeline gives the same commands', () => {
    const { data, expected } = randomPipeline(1, 60);
    {
      const { sink } = parseAll(data);
      expect(sink.errors).toEqual([]);
      expect(sink.cmds).toEqual(expected);
    }
    const want = JSON.stringify(expected);
    for (let cut = 1; cut < data.length; cut++) {
      const parser = new RequestParser(limits());
      const sink = new Collector();
      feedChunks(parser, sink, data, [cut, data.length]);
      if (sink.errors.length > 0 || JSON.stringify(sink.cmds) !== want) {
        expect({ cut, errors: sink.errors, cmds: sink.cmds }).toEqual({ cut, errors: [], cmds: expected });
      }
    }
    // and two cuts at random places, many times
    const r = mulberry32(99);
    for (let i = 0; i < 2000; i++) {
      const a = 1 + Math.floor(r() * (data.length - 1));
      const b = 1 + Math.floor(r() * (data.length - a));
      const parser = new RequestParser(limits());
      const sink = new Collector();
      feedChunks(parser, sink, data, [a, b, data.length]);
      if (sink.errors.length > 0 || JSON.stringify(sink.cmds) !== want) {
        expect({ a, b, errors: sink.errors, cmds: sink.cmds }).toEqual({ a, b, errors: [], cmds: expected });
      }
    }
  });

  it('byte-by-byte feeding gives the same commands', () => {
    for (const seed of [2, 3, 4]) {
      const { data, expected } = randomPipeline(seed, 200);
      const parser = new RequestParser(limits());
      const sink = new Collector();
      feedChunks(parser, sink, data, [1]);
      expect(sink.errors).toEqual([]);
      expect(sink.cmds).toEqual(expected);
      expect(parser.bufferedBytes).toBe(0);
    }
  });

  it('random chunk sizes (seeded) give the same commands', () => {
    for (let seed = 10; seed < 40; seed++) {
      const { data, expected } = randomPipeline(seed, 300);
      const parser = new RequestParser(limits());
      const sink = new Collector();
      feedChunks(parser, sink, data, randomSizes(seed * 7, 1000, seed % 2 ? 50 : 3000));
      expect(sink.errors).toEqual([]);
      expect(sink.cmds).toEqual(expected);
      expect(parser.bufferedBytes).toBe(0);
    }
  });

  it('a command with 300k small arguments fed in 64-byte reads is parsed once, not once per read', () => {
    // Re-parsing the command from its start on every read would take ~1e10
    // steps here (the test would hit its timeout); resuming takes ~4e6.
    const n = 300_000;
    const parts: string[] = [`*${n + 1}\r\n$5\r\nRPUSH\r\n`];
    for (let i = 0; i < n; i++) {
      const a = String(i);
      parts.push(`$${a.length}\r\n${a}\r\n`);
    }
    const data = Buffer.concat([L(parts.join('')), L('*1\r\n$4\r\nPING\r\n')]);
    const parser = new RequestParser(limits());
    let argc = 0;
    let ok = true;
    const cmds: string[] = [];
    const sink: ParsedCommandSink = {
      onCommand(buf, offs, count) {
        cmds.push(Buffer.from(buf.subarray(offs[0]!, offs[0]! + offs[1]!)).toString('latin1'));
        if (count === n + 1) {
          argc = count;
          for (let i = 1; i < count && ok; i++) {
            const v = Buffer.from(buf.subarray(offs[i * 2]!, offs[i * 2]! + offs[i * 2 + 1]!)).toString('latin1');
            if (v !== String(i - 1)) ok = false;
          }
        }
        return true;
      },
      onProtocolError(m) {
        throw new Error(m);
      },
    };
    feedChunks(parser, sink, data, [64, 61, 67]);
    expect(cmds).toEqual(['RPUSH', 'PING']);
    expect(argc).toBe(n + 1);
    expect(ok).toBe(true);
    expect(parser.bufferedBytes).toBe(0);
  });

  it('a 1 MB bulk split across many feeds arrives intact', () => {
    const r = mulberry32(5);
    const big = Buffer.alloc(MB);
    for (let i = 0; i < big.length; i++) big[i] = (r() * 256) | 0;
    const bigStr = big.toString('latin1');
    const data = Buffer.concat([L(multibulk(['SET', 'big', bigStr])), L('*1\r\n$4\r\nPING\r\n')]);
    for (const sizes of [[1000], [16384], randomSizes(6, 500, 20000), [7, 65536, 3]]) {
      const parser = new RequestParser(limits());
      const sink = new Collector();
      feedChunks(parser, sink, data, sizes);
      expect(sink.errors).toEqual([]);
      expect(sink.cmds).toHaveLength(2);
      expect(sink.cmds[0]![0]).toBe('SET');
      expect(sink.cmds[0]![1]).toBe('big');
      expect(sink.cmds[0]![2] === bigStr).toBe(true);
      expect(sink.cmds[1]).toEqual(['PING']);
      expect(parser.bufferedBytes).toBe(0);
    }
  });
});

describe('RequestParser: pause / resume', () => {
  it('a refused command is kept and re-delivered first by resume()', () => {
    const parser = new RequestParser(limits());
    const sink = new Collector();
    const data = L('*1\r\n$1\r\na\r\n*1\r\n$1\r\nb\r\nc\r\n*1\r\n$1\r\nd\r\n');
    sink.refuse = (argv) => argv[0] === 'b';
    parser.feed(data, 0, data.length, sink);
    expect(sink.cmds).toEqual([['a']]);
    expect(sink.refused).toBe(1);
    expect(parser.bufferedBytes).toBeGreaterThan(0);
    // more bytes arrive while paused
    parser.hold(L('*1\r\n$1\r\ne\r\n'));
    parser.hold(L('*1\r\n$1\r'));
    sink.refuse = null;
    parser.resume(sink);
    expect(sink.cmds).toEqual([['a'], ['b'], ['c'], ['d'], ['e']]);
    parser.feed(L('\nf\r\n'), 0, 4, sink);
    expect(sink.cmds).toEqual([['a'], ['b'], ['c'], ['d'], ['e'], ['f']]);
    expect(parser.bufferedBytes).toBe(0);
  });

  it('the read buffer may be reused while paused', () => {
    const parser = new RequestParser(limits());
    const sink = new Collector();
    const readBuf = L('*1\r\n$1\r\na\r\nPING x\r\nECHO "q"\r\n');
    sink.refuse = () => true;
    parser.feed(readBuf, 0, readBuf.length, sink);
    readBuf.fill(0x2a);
    sink.refuse = null;
    parser.resume(sink);
    expect(sink.cmds).toEqual([['a'], ['PING', 'x'], ['ECHO', 'q']]);
  });

  it('resume() with nothing buffered is a no-op', () => {
    const parser = new RequestParser(limits());
    const sink = new Collector();
    parser.resume(sink);
    expect(sink.cmds).toEqual([]);
  });

  it('random pauses with random chunking keep order and deliver each command exactly once', () => {
    for (let seed = 100; seed < 120; seed++) {
      const { data, expected } = randomPipeline(seed, 300);
      const r = mulberry32(seed + 1);
      const parser = new RequestParser(limits());
      const sink = new Collector();
      let waiting = false;
      sink.refuse = () => {
        if (r() < 0.25) {
          waiting = true;
          return true;
        }
        return false;
      };
      const sizes = randomSizes(seed, 2000, seed % 2 ? 40 : 900);
      const readBuf = new Uint8Array(data.length);
      let pos = 0;
      let k = 0;
      while (pos < data.length) {
        const n = Math.min(sizes[k++ % sizes.length]!, data.length - pos);
        readBuf.set(data.subarray(pos, pos + n), 0);
        if (waiting) parser.hold(readBuf.subarray(0, n));
        else parser.feed(readBuf, 0, n, sink);
        readBuf.fill(0xee);
        pos += n;
        if (waiting && r() < 0.5) {
          waiting = false;
          parser.resume(sink);
        }
      }
      for (let guard = 0; waiting && guard < 100000; guard++) {
        waiting = false;
        parser.resume(sink);
      }
      expect(sink.errors).toEqual([]);
      expect(sink.refused).toBeGreaterThan(10);
      expect(sink.cmds).toEqual(expected);
      expect(parser.bufferedBytes).toBe(0);
    }
  });
});
