// Minimal RESP helpers for the benchmark harness (no dependencies).
// - encodeCommand(args): RESP2 multi-bulk request as a string or Buffer
// - skipReply(buf, pos): end offset of one complete reply at pos, or -1 if incomplete
// - readReply(buf, pos): [value, end] or null if incomplete (errors become RespError)
// - command(port, args, {host}): one-shot request/reply over a fresh connection
import net from 'node:net';

const CRLF = '\r\n';

export class RespError extends Error {}

/** Encode one command. Strings are assumed to be mostly ASCII; Buffers are supported. */
export function encodeCommand(args) {
  let hasBuffer = false;
  for (const a of args) if (Buffer.isBuffer(a)) { hasBuffer = true; break; }
  if (!hasBuffer) {
    let s = '*' + args.length + CRLF;
    for (const a0 of args) {
      const a = typeof a0 === 'string' ? a0 : String(a0);
      s += '$' + Buffer.byteLength(a) + CRLF + a + CRLF;
    }
    return s;
  }
  const parts = [Buffer.from('*' + args.length + CRLF)];
  for (const a0 of args) {
    const a = Buffer.isBuffer(a0) ? a0 : Buffer.from(String(a0));
    parts.push(Buffer.from('$' + a.length + CRLF), a, Buffer.from(CRLF));
  }
  return Buffer.concat(parts);
}

function lineEnd(buf, pos) {
  const i = buf.indexOf(13, pos); // '\r'
  if (i < 0 || i + 1 >= buf.length) return -1;
  return i;
}

function parseIntAscii(buf, start, end) {
  let neg = false, i = start, n = 0;
  if (buf[i] === 45) { neg = true; i++; }
  for (; i < end; i++) n = n * 10 + (buf[i] - 48);
  return neg ? -n : n;
}

/** Returns end offset of the reply starting at pos, or -1 if buf does not hold it completely. */
export function skipReply(buf, pos) {
  if (pos >= buf.length) return -1;
  const t = buf[pos];
  const le = lineEnd(buf, pos + 1);
  if (le < 0) return -1;
  switch (t) {
    case 43: case 45: case 58: case 95: case 44: case 35: case 40: // + - : _ , # (
      return le + 2;
    case 36: case 33: case 61: { // $ ! =
      const len = parseIntAscii(buf, pos + 1, le);
      if (len < 0) return le + 2;
      const end = le + 2 + len + 2;
      return end <= buf.length ? end : -1;
    }
    case 42: case 126: case 62: case 37: case 124: { // * ~ > % |
      let n = parseIntAscii(buf, pos + 1, le);
      if (n < 0) return le + 2;
      if (t === 37 || t === 124) n *= 2;
      let p = le + 2;
      for (let k = 0; k < n; k++) {
        p = skipReply(buf, p);
        if (p < 0) return -1;
      }
      if (t === 124) return skipReply(buf, p); // attribute precedes the real reply
      return p;
    }
    default:
      throw new Error(`protocol error: unexpected reply type byte ${t} (${JSON.stringify(String.fromCharCode(t))})`);
  }
}

/** Parse one reply: returns [value, end] or null when incomplete. */
export function readReply(buf, pos) {
  if (pos >= buf.length) return null;
  const t = buf[pos];
  const le = lineEnd(buf, pos + 1);
  if (le < 0) return null;
  const line = () => buf.toString('utf8', pos + 1, le);
  switch (t) {
    case 43: return [line(), le + 2];
    case 45: return [new RespError(line()), le + 2];
    case 58: return [parseIntAscii(buf, pos + 1, le), le + 2];
    case 95: return [null, le + 2];
    case 44: return [Number(line()), le + 2];
    case 35: return [line() === 't', le + 2];
    case 40: return [BigInt(line()), le + 2];
    case 36: case 33: case 61: {
      const len = parseIntAscii(buf, pos + 1, le);
      if (len < 0) return [null, le + 2];
      const end = le + 2 + len;
      if (end + 2 > buf.length) return null;
      const s = buf.toString('utf8', le + 2, end);
      return [t === 33 ? new RespError(s) : s, end + 2];
    }
    case 42: case 126: case 62: case 37: {
      let n = parseIntAscii(buf, pos + 1, le);
      if (n < 0) return [null, le + 2];
      if (t === 37) n *= 2;
      const out = [];
      let p = le + 2;
      for (let k = 0; k < n; k++) {
        const r = readReply(buf, p);
        if (!r) return null;
        out.push(r[0]);
        p = r[1];
      }
      return [out, p];
    }
    default:
      throw new Error(`protocol error: unexpected reply type byte ${t}`);
  }
}

/** Send one command on a fresh connection and resolve with its parsed reply. */
export function command(port, args, { host = '127.0.0.1', timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ host, port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`timeout waiting for reply to ${args[0]}`)); }, timeoutMs);
    const done = (err, val) => { clearTimeout(timer); sock.destroy(); err ? reject(err) : resolve(val); };
    sock.on('connect', () => sock.write(encodeCommand(args)));
    sock.on('data', (d) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      let r;
      try { r = readReply(buf, 0); } catch (e) { return done(e); }
      if (r) done(null, r[0]);
    });
    sock.on('error', (e) => done(e));
    sock.on('close', () => done(new Error('connection closed before reply')));
  });
}

/** Parse the text of an INFO reply into an object of fields. */
export function parseInfo(text) {
  const out = {};
  for (const l of String(text).split(/\r?\n/)) {
    if (!l || l[0] === '#') continue;
    const i = l.indexOf(':');
    if (i > 0) out[l.slice(0, i)] = l.slice(i + 1);
  }
  return out;
}
