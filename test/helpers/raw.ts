// A raw TCP RESP client: encodes commands as RESP multibulk and returns the
// exact bytes of each reply (no parsing into JS values), so that replies can be
// compared byte-for-byte with redis-server.
import * as net from 'node:net';

export type Arg = string | Buffer | number;

export function encodeCommand(args: Arg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

function findCRLF(buf: Buffer, from: number): number {
  let i = from;
  for (;;) {
    const j = buf.indexOf(13, i);
    if (j < 0 || j + 1 >= buf.length) return -1;
    if (buf[j + 1] === 10) return j;
    i = j + 1;
  }
}

/**
 * RESP reply framer. Returns the offset just past one complete reply starting
 * at `start`, or -1 if the buffer does not yet hold a complete reply.
 * Handles RESP2 (+ - : $ *) and RESP3 (_ , # ! = ( % ~ > |) types.
 * Throws on a byte that cannot start a reply.
 */
export function frameReply(buf: Buffer, start = 0): number {
  if (start >= buf.length) return -1;
  const type = String.fromCharCode(buf[start]!);
  const eol = findCRLF(buf, start + 1);
  if (eol < 0) return -1;
  const afterLine = eol + 2;
  switch (type) {
    case '+':
    case '-':
    case ':':
    case '_':
    case ',':
    case '#':
    case '(':
      return afterLine;
    case '$':
    case '!':
    case '=': {
      const len = parseLen(buf, start, eol);
      if (len < 0) return afterLine; // $-1 null bulk
      const end = afterLine + len + 2;
      return end <= buf.length ? end : -1;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      const n = parseLen(buf, start, eol);
      if (n < 0) return afterLine; // *-1 null array
      const elems = type === '%' || type === '|' ? n * 2 : n;
      let pos = afterLine;
      for (let i = 0; i < elems; i++) {
        pos = frameReply(buf, pos);
        if (pos < 0) return -1;
      }
      // an attribute is followed by the reply it annotates
      if (type === '|') return frameReply(buf, pos);
      return pos;
    }
    default:
      throw new Error(
        `RESP framer: unexpected type byte 0x${buf[start]!.toString(16)} at ${start}: ${escapeBytes(
          buf.subarray(start, start + 40),
        )}`,
      );
  }
}

function parseLen(buf: Buffer, start: number, eol: number): number {
  const s = buf.toString('latin1', start + 1, eol);
  if (s === '?') throw new Error('RESP framer: streamed aggregates are not supported');
  const n = Number(s);
  if (!Number.isInteger(n)) throw new Error(`RESP framer: bad length "${s}"`);
  return n;
}

/** Printable, unambiguous rendering of bytes: \r \n \t \\ \" and \xNN for others. */
export function escapeBytes(b: Buffer | string, max = 2000): string {
  const buf = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  let s = '';
  const n = Math.min(buf.length, max);
  for (let i = 0; i < n; i++) {
    const c = buf[i]!;
    if (c === 13) s += '\\r';
    else if (c === 10) s += '\\n';
    else if (c === 9) s += '\\t';
    else if (c === 92) s += '\\\\';
    else if (c === 34) s += '\\"';
    else if (c >= 32 && c < 127) s += String.fromCharCode(c);
    else s += '\\x' + c.toString(16).padStart(2, '0');
  }
  if (buf.length > max) s += `...(${buf.length - max} more bytes)`;
  return `"${s}"`;
}

interface Waiter {
  resolve: (b: Buffer) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class ConnectionClosedError extends Error {
  constructor(
    msg: string,
    public readonly pending: Buffer,
  ) {
    super(msg);
  }
}

export class RawClient {
  readonly socket: net.Socket;
  private buf: Buffer = Buffer.alloc(0);
  private waiters: Waiter[] = [];
  private closeWaiters: Array<() => void> = [];
  private dataWaiters: Array<() => void> = [];
  closed = false;
  error: Error | null = null;
  /** default timeout for reading one reply */
  timeoutMs = 10_000;

  private constructor(
    socket: net.Socket,
    readonly label: string,
  ) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
      this.drain();
      const dw = this.dataWaiters;
      this.dataWaiters = [];
      for (const w of dw) w();
    });
    socket.on('error', (err) => {
      this.error = err;
    });
    socket.on('close', () => {
      this.closed = true;
      const ws = this.waiters;
      this.waiters = [];
      for (const w of ws) {
        clearTimeout(w.timer);
        w.reject(
          new ConnectionClosedError(
            `${this.label}: connection closed while waiting for a reply (unparsed: ${escapeBytes(this.buf)})`,
            this.buf,
          ),
        );
      }
      for (const c of this.closeWaiters) c();
      this.closeWaiters = [];
      const dw = this.dataWaiters;
      this.dataWaiters = [];
      for (const w of dw) w();
    });
  }

  static connect(port: number, host = '127.0.0.1', label?: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ port, host });
      const onErr = (e: Error) => reject(e);
      s.once('error', onErr);
      s.once('connect', () => {
        s.off('error', onErr);
        resolve(new RawClient(s, label ?? `${host}:${port}`));
      });
    });
  }

  private drain(): void {
    while (this.waiters.length > 0 && this.buf.length > 0) {
      let end: number;
      try {
        end = frameReply(this.buf, 0);
      } catch (e) {
        const w = this.waiters.shift()!;
        clearTimeout(w.timer);
        w.reject(e as Error);
        continue;
      }
      if (end < 0) return;
      const reply = Buffer.from(this.buf.subarray(0, end));
      this.buf = this.buf.subarray(end);
      const w = this.waiters.shift()!;
      clearTimeout(w.timer);
      w.resolve(reply);
    }
  }

  /** Write raw bytes as-is. */
  writeRaw(data: Buffer | string): void {
    this.socket.write(data);
  }

  /** Write raw bytes and wait until they are flushed to the kernel. */
  writeRawAsync(data: Buffer | string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.write(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Send one command (multibulk encoded) without waiting. */
  send(...args: Arg[]): void {
    this.socket.write(encodeCommand(args));
  }

  /** Read exactly one complete raw reply. */
  readReply(timeoutMs = this.timeoutMs): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      if (this.closed && this.waiters.length === 0) {
        const end = this.buf.length > 0 ? safeFrame(this.buf) : -1;
        if (end > 0) {
          const reply = Buffer.from(this.buf.subarray(0, end));
          this.buf = this.buf.subarray(end);
          resolve(reply);
          return;
        }
        reject(
          new ConnectionClosedError(
            `${this.label}: connection is closed (unparsed: ${escapeBytes(this.buf)})`,
            this.buf,
          ),
        );
        return;
      }
      const timer = setTimeout(() => {
        const i = this.waiters.findIndex((w) => w.timer === timer);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(
          new Error(`${this.label}: timeout after ${timeoutMs} ms waiting for a reply (buffered: ${escapeBytes(this.buf)})`),
        );
      }, timeoutMs);
      this.waiters.push({ resolve, reject, timer });
      this.drain();
    });
  }

  /** Send a command and read its raw reply. */
  async call(...args: Arg[]): Promise<Buffer> {
    const p = this.readReply();
    this.send(...args);
    return p;
  }

  /** call() and return the reply as a latin1 string (handy for assertions). */
  async callStr(...args: Arg[]): Promise<string> {
    return (await this.call(...args)).toString('latin1');
  }

  /** Send all commands in one write and return their raw replies in order. */
  async pipeline(cmds: Arg[][], timeoutMs = 30_000): Promise<Buffer[]> {
    const ps = cmds.map(() => this.readReply(timeoutMs));
    this.socket.write(Buffer.concat(cmds.map((c) => encodeCommand(c))));
    return Promise.all(ps);
  }

  /**
   * Read whatever arrives until the connection closes or nothing new arrived
   * for `idleMs`. With `until`, keep waiting (up to `maxMs`) until at least
   * `minBytes` arrived and, if `closed` is set, the peer closed, before
   * applying the idle rule (robust against a slow server).
   * Returns the bytes (not framed) and whether the peer closed.
   * Must not be mixed with pending readReply() calls.
   */
  async readUntilIdleOrClose(
    idleMs = 300,
    maxMs = 10_000,
    until: { minBytes?: number; closed?: boolean } = {},
  ): Promise<{ data: Buffer; closed: boolean }> {
    const started = Date.now();
    for (;;) {
      if (this.closed) break;
      const satisfied = this.buf.length >= (until.minBytes ?? 0) && !until.closed;
      const remaining = maxMs - (Date.now() - started);
      if (remaining <= 0) break;
      const before = this.buf.length;
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, satisfied ? idleMs : Math.min(remaining, 250));
        function done() {
          clearTimeout(t);
          resolve();
        }
        this.dataWaiters.push(done);
      });
      if (this.closed) break;
      if (satisfied && this.buf.length === before) break; // idle
    }
    const data = this.buf;
    this.buf = Buffer.alloc(0);
    return { data, closed: this.closed };
  }

  /** Resolves true if the peer closes within `ms`, false otherwise. */
  waitClosed(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      this.closeWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /** Bytes received but not consumed by readReply(). */
  pendingBytes(): Buffer {
    return this.buf;
  }

  close(): void {
    this.socket.destroy();
  }
}

function safeFrame(b: Buffer): number {
  try {
    return frameReply(b, 0);
  } catch {
    return -1;
  }
}

/** One-shot: connect, send all commands pipelined, return raw replies, close. */
export async function rawPipeline(port: number, cmds: Arg[][], host = '127.0.0.1'): Promise<Buffer[]> {
  const c = await RawClient.connect(port, host);
  try {
    return await c.pipeline(cmds);
  } finally {
    c.close();
  }
}

/** One-shot single command. */
export async function rawCall(port: number, ...args: Arg[]): Promise<Buffer> {
  const [r] = await rawPipeline(port, [args]);
  return r!;
}

// ---------------------------------------------------------------------------
// Minimal RESP tree parser/serializer (used by normalizers in diff.ts)

export interface RespNode {
  type: string; // one of + - : $ * _ , # ! = ( % ~ > |
  /** line payload for simple types, or bulk payload; null for $-1 / *-1 */
  data: Buffer | null;
  /** children for aggregates (maps: k1 v1 k2 v2 ...) */
  items?: RespNode[];
  /** attribute annotating this node (RESP3 |) */
  attr?: RespNode;
}

export function parseReply(buf: Buffer, start = 0): { node: RespNode; end: number } {
  const type = String.fromCharCode(buf[start]!);
  const eol = findCRLF(buf, start + 1);
  if (eol < 0) throw new Error('parseReply: incomplete');
  const line = buf.subarray(start + 1, eol);
  const after = eol + 2;
  switch (type) {
    case '$':
    case '!':
    case '=': {
      const len = Number(line.toString('latin1'));
      if (len < 0) return { node: { type, data: null }, end: after };
      return { node: { type, data: Buffer.from(buf.subarray(after, after + len)) }, end: after + len + 2 };
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      const n = Number(line.toString('latin1'));
      if (n < 0) return { node: { type, data: null }, end: after };
      const count = type === '%' || type === '|' ? 2 * n : n;
      const items: RespNode[] = [];
      let pos = after;
      for (let i = 0; i < count; i++) {
        const r = parseReply(buf, pos);
        items.push(r.node);
        pos = r.end;
      }
      if (type === '|') {
        const r = parseReply(buf, pos);
        r.node.attr = { type, data: Buffer.alloc(0), items };
        return { node: r.node, end: r.end };
      }
      return { node: { type, data: Buffer.alloc(0), items }, end: pos };
    }
    default:
      return { node: { type, data: Buffer.from(line) }, end: after };
  }
}

export function serializeReply(n: RespNode): Buffer {
  const parts: Buffer[] = [];
  if (n.attr) parts.push(serializeReply({ ...n.attr, type: '|', attr: undefined }));
  switch (n.type) {
    case '$':
    case '!':
    case '=':
      if (n.data === null) parts.push(Buffer.from(`${n.type}-1\r\n`));
      else parts.push(Buffer.from(`${n.type}${n.data.length}\r\n`), n.data, Buffer.from('\r\n'));
      break;
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      if (n.data === null || !n.items) {
        parts.push(Buffer.from(`${n.type}-1\r\n`));
        break;
      }
      const cnt = n.type === '%' || n.type === '|' ? n.items.length / 2 : n.items.length;
      parts.push(Buffer.from(`${n.type}${cnt}\r\n`));
      for (const it of n.items) parts.push(serializeReply(it));
      break;
    }
    default:
      parts.push(Buffer.from(n.type), n.data ?? Buffer.alloc(0), Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}
