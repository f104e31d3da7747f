// scanKeyArgs: the look-ahead that feeds key prefetching. It must find the
// second argument of every complete request and stop, without reading past the
// end, at anything incomplete or unusual (the real parser deals with those).
import { describe, it, expect } from 'vitest';
import { scanKeyArgs } from '../../src/protocol/key_scan';
import { PREFETCH_STRIDE } from '../../src/store/keyspace';

const enc = (...args: string[]): string => `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');

/** argument 1 of each request found (arguments 2 and 3 with all = true, '-' when absent) */
function scan(text: string | Buffer, max = 64, start = 0, all = false): string[] {
  const buf = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const out = new Int32Array(max * PREFETCH_STRIDE);
  const n = scanKeyArgs(buf, start, buf.length, out, max);
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < (all ? 3 : 1); a++) {
      const at = out[i * PREFETCH_STRIDE + a * 2];
      keys.push(at < 0 ? '-' : buf.toString('latin1', at, at + out[i * PREFETCH_STRIDE + a * 2 + 1]));
    }
  }
  return keys;
}

describe('scanKeyArgs', () => {
  it('finds the second argument of each complete request, skipping requests without one', () => {
    const s = enc('SET', 'k1', 'v') + enc('PING') + enc('GET', 'key:000000000042') + enc('MSET', 'a', '1', 'b', '2') + enc('GET', '');
    expect(scan(s)).toEqual(['k1', 'key:000000000042', 'a', '']);
  });

  it('reports arguments 2 and 3 too, and marks absent ones', () => {
    const s = enc('ZADD', 'z', '1.5', 'member') + enc('HSET', 'h', 'f', 'v', 'f2', 'v2') + enc('GET', 'k') + enc('SADD', 's', 'm');
    expect(scan(s, 64, 0, true)).toEqual(['z', '1.5', 'member', 'h', 'f', 'v', 'k', '-', '-', 's', 'm', '-']);
  });

  it('is binary safe (CR LF inside a key)', () => {
    expect(scan(enc('GET', 'a\r\nb') + enc('GET', 'c'))).toEqual(['a\r\nb', 'c']);
  });

  it('stops at a request cut anywhere, and never reports the cut one', () => {
    const whole = enc('SET', 'first', 'v') + enc('SET', 'second', 'value');
    const firstLen = enc('SET', 'first', 'v').length;
    for (let cut = 0; cut < whole.length; cut++) {
      const got = scan(whole.slice(0, cut));
      expect(got).toEqual(cut >= firstLen ? ['first'] : []);
    }
    expect(scan(whole)).toEqual(['first', 'second']);
  });

  it('stops at inline commands, garbage and absurd counts', () => {
    expect(scan('GET foo\r\n' + enc('GET', 'x'))).toEqual([]);
    expect(scan(enc('GET', 'x') + 'PING\r\n' + enc('GET', 'y'))).toEqual(['x']);
    expect(scan(enc('GET', 'x') + '*2\r\n$3\r\nGET\r\n:5\r\n')).toEqual(['x']);
    expect(scan(enc('GET', 'x') + '*2x\r\n')).toEqual(['x']);
    expect(scan(enc('GET', 'x') + '*-1\r\n' + enc('GET', 'y'))).toEqual(['x']);
    expect(scan('*99999\r\n$3\r\nGET\r\n')).toEqual([]);
    expect(scan('*2\r\n$99999999\r\nGET\r\n')).toEqual([]);
  });

  it('gives up on a hot key: the first two requests name the same key', () => {
    expect(scan(enc('SET', 'k', '1') + enc('GET', 'k') + enc('GET', 'j'))).toEqual([]);
    expect(scan(enc('SET', 'k', '1') + enc('GET', 'kk') + enc('GET', 'k'))).toEqual(['k', 'kk', 'k']);
  });

  it('honours max and the start offset', () => {
    const s = enc('GET', 'a') + enc('GET', 'b') + enc('GET', 'c');
    expect(scan(s, 2)).toEqual(['a', 'b']);
    expect(scan(s, 64, enc('GET', 'a').length)).toEqual(['b', 'c']);
  });
});
