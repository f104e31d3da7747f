// scanFirstKeys: the look-ahead that feeds key prefetching. It must find the
// second argument of every complete request and stop, without reading past the
// end, at anything incomplete or unusual (the real parser deals with those).
import { describe, it, expect } from 'vitest';
import { scanFirstKeys } from '../../src/protocol/key_scan';

const enc = (...args: string[]): string => `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');

function scan(text: string | Buffer, max = 64, start = 0): string[] {
  const buf = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const out = new Int32Array(max * 2);
  const n = scanFirstKeys(buf, start, buf.length, out, max);
  const keys: string[] = [];
  for (let i = 0; i < n; i++) keys.push(buf.toString('latin1', out[i * 2], out[i * 2] + out[i * 2 + 1]));
  return keys;
}

describe('scanFirstKeys', () => {
  it('finds the second argument of each complete request, skipping requests without one', () => {
    const s = enc('SET', 'k1', 'v') + enc('PING') + enc('GET', 'key:000000000042') + enc('MSET', 'a', '1', 'b', '2') + enc('GET', '');
    expect(scan(s)).toEqual(['k1', 'key:000000000042', 'a', '']);
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

  it('honours max and the start offset', () => {
    const s = enc('GET', 'a') + enc('GET', 'b') + enc('GET', 'c');
    expect(scan(s, 2)).toEqual(['a', 'b']);
    expect(scan(s, 64, enc('GET', 'a').length)).toEqual(['b', 'c']);
  });
});
