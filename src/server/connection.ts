// One client connection on the main thread: parser state, selected db,
// protocol version, and the ordered reply queue.
//
// Every command gets a sequence number when it is dispatched; replies may come
// back from different shards out of order and are released to the socket
// strictly in sequence. Output is gathered per event-loop turn and written
// with one socket.write.

import type * as net from 'node:net';
import { RequestParser, type ParsedCommandSink } from '../protocol/parser';
import type { BlockedClient } from './blocking';
import { copyBytes, copyWords } from '../util/bytes';
import type { ReplyWriter } from '../protocol/reply';

/** Room a reply written in place starts with (the writer grows the buffer past it, as any reply buffer). */
const DIRECT_MIN_FREE = 4 * 1024;
const EMPTY_OUT = new Uint8Array(0);
const EMPTY_OUT32 = new Int32Array(0);

export const enum ReplyMode {
  On,
  Off,
  Skip,
}

export class Connection {
  readonly parser: RequestParser;
  db = 0;
  resp: 2 | 3 = 2;
  name = '';
  libName = '';
  libVer = '';
  authenticated = false;
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  lastCommand = 'NULL';
  replyMode = ReplyMode.On;
  /** CLIENT REPLY SKIP applies to the next command only */
  skipNext = false;
  noEvict = false;
  noTouch = false;
  closed = false;
  /** close once everything queued so far has been written; run nothing more it sent */
  closeAfterReply = false;
  /**
   * The client sent EOF: what it sent before still runs (commands parked
   * behind a barrier too) and is answered, then the connection closes.
   */
  eof = false;

  /** next sequence number to assign */
  nextSeq = 0;
  /** next sequence number to write to the socket */
  sendSeq = 0;
  /** replies that arrived before their predecessors */
  private stash: Map<number, Uint8Array> | null = null;
  /** sequence numbers whose replies are to be dropped (CLIENT REPLY OFF/SKIP) */
  private silenced: Set<number> | null = null;
  /** commands sent to shards and not answered yet */
  inflight = 0;
  /** a cross-shard command is in flight: later commands wait for it */
  barrier = false;
  /** parsing is paused until inflight reaches 0 */
  waiting = false;
  /** waiting in a blocking command (BLPOP...): nothing else of this client runs meanwhile */
  blocked: BlockedClient | null = null;
  /** reading paused because the client doesn't read its replies */
  throttled = false;
  /** when (unix seconds) the output went over the soft client-output-buffer-limit; 0 while under it */
  softLimitSince = 0;

  private out: Uint8Array = EMPTY_OUT;
  /** out's memory as 32-bit words, for a ReplyWriter that writes into it in place */
  private out32: Int32Array = EMPTY_OUT32;
  private outLen = 0;

  constructor(
    readonly id: number,
    readonly socket: net.Socket,
    readonly sink: ParsedCommandSink & { onResume(conn: Connection): void; onDirty(conn: Connection): void },
    limits: ConstructorParameters<typeof RequestParser>[0],
  ) {
    this.parser = new RequestParser(limits);
  }

  get addr(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  get laddr(): string {
    return `${this.socket.localAddress}:${this.socket.localPort}`;
  }

  /** Reserve a place in the reply order for the command being dispatched. */
  takeSeq(): number {
    const seq = this.nextSeq++;
    if (this.skipNext) {
      this.skipNext = false;
      this.silence(seq);
    } else if (this.replyMode === ReplyMode.Off) this.silence(seq);
    return seq;
  }

  /**
   * CLIENT REPLY ON, or RESET (onlyOff): replies flow again, starting with the
   * reply of the command running now (the last sequence number taken), which
   * OFF had silenced. ON also lifts a SKIP aimed at itself; RESET does not,
   * as in Redis.
   */
  replyOn(onlyOff: boolean): void {
    const wasOff = this.replyMode === ReplyMode.Off;
    this.replyMode = ReplyMode.On;
    this.skipNext = false;
    if (this.silenced !== null && (wasOff || !onlyOff)) this.silenced.delete(this.nextSeq - 1);
  }

  private silence(seq: number): void {
    if (this.silenced === null) this.silenced = new Set();
    this.silenced.add(seq);
  }

  /**
   * The reply for `seq` is src[start, end), which may be a view into a shared
   * buffer: it is copied. src32, when given, views the same memory as src from
   * the same start (a reply ring's or reply buffer's views): the copy goes by words.
   */
  deliver(seq: number, src: Uint8Array, start = 0, end = src.length, src32: Int32Array | null = null): void {
    if (this.closed) {
      this.sendSeq = Math.max(this.sendSeq, seq + 1);
      return;
    }
    if (seq !== this.sendSeq) {
      if (this.stash === null) this.stash = new Map();
      this.stash.set(seq, src.slice(start, end));
      return;
    }
    this.emit(seq, src, start, end, src32);
    this.advance();
  }

  /**
   * Write the reply for `seq` in place, into the gathering buffer (the inline
   * layout: one copy fewer than deliver()). True when it may: seq is next in
   * order, nothing is silenced and the connection is open; then w writes from
   * outLen on, and commitDirect() or dropDirect() must follow before anything
   * else is delivered to this connection.
   */
  openDirect(seq: number, w: ReplyWriter): boolean {
    if (seq !== this.sendSeq || this.closed || (this.silenced !== null && this.silenced.size > 0)) return false;
    if (this.out.length - this.outLen < DIRECT_MIN_FREE) this.growOut(DIRECT_MIN_FREE);
    w.attach(this.out, this.out32, this.outLen);
    return true;
  }

  /** The reply written in place by w (from openDirect) is complete: take it, and w's buffer if it grew. */
  commitDirect(w: ReplyWriter): void {
    this.out = w.buf;
    this.out32 = w.buf32;
    if (this.outLen === 0) this.sink.onDirty(this);
    this.outLen = w.pos;
    w.detach();
    this.advance();
  }

  /** What w wrote in place is not a reply (a block marker): leave it. */
  dropDirect(w: ReplyWriter): void {
    w.detach();
  }

  private advance(): void {
    this.sendSeq++;
    if (this.stash !== null && this.stash.size > 0) {
      let next: Uint8Array | undefined;
      while ((next = this.stash.get(this.sendSeq)) !== undefined) {
        this.stash.delete(this.sendSeq);
        this.emit(this.sendSeq, next, 0, next.length, null);
        this.sendSeq++;
      }
    }
  }

  private emit(seq: number, src: Uint8Array, start: number, end: number, src32: Int32Array | null): void {
    if (this.silenced !== null && this.silenced.delete(seq)) return;
    const n = end - start;
    if (this.outLen + n > this.out.length) this.growOut(n);
    if (src32 !== null) copyWords(this.out32, this.out, this.outLen, src32, src, start, end);
    else copyBytes(this.out, this.outLen, src, start, end);
    if (this.outLen === 0) this.sink.onDirty(this);
    this.outLen += n;
  }

  /** Make room for n more bytes after outLen. */
  private growOut(n: number): void {
    let cap = Math.max(this.out.length * 2, 16 * 1024);
    while (cap < this.outLen + n) cap *= 2;
    const nb = new Uint8Array(cap);
    if (this.outLen > 0) nb.set(this.out.subarray(0, this.outLen));
    this.out = nb;
    this.out32 = new Int32Array(nb.buffer);
  }

  /** Write what has been gathered this turn; returns the number of bytes handed to the socket. */
  flush(): number {
    if (this.outLen === 0 || this.closed) {
      if (this.done && !this.closed) this.close();
      return 0;
    }
    const n = this.writeGathered();
    if (this.done) this.close();
    return n;
  }

  /** Time to close: every reply is out and nothing more will run (QUIT, or EOF with nothing parked). */
  private get done(): boolean {
    if (this.sendSeq !== this.nextSeq) return false;
    return this.closeAfterReply || (this.eof && !this.waiting && this.blocked === null);
  }

  /**
   * Hand the gathered bytes to the socket without copying them. Usually the
   * kernel takes them at once and the buffer is ours again; if the stream
   * still holds them (writableLength > 0), gather into a new buffer.
   */
  private writeGathered(): number {
    const n = this.outLen;
    const out = this.out;
    this.outLen = 0;
    this.socket.write(Buffer.from(out.buffer, out.byteOffset, n));
    if (this.socket.writableLength > 0 || out.length > 1024 * 1024) {
      this.out = EMPTY_OUT;
      this.out32 = EMPTY_OUT32;
    }
    return n;
  }

  /** Bytes gathered for the socket and not handed to it yet (CLIENT LIST obl). */
  get gatheredOutput(): number {
    return this.outLen;
  }

  /** Buffer memory this connection holds: its query buffer, its output buffer and what the socket queues (CLIENT LIST tot-mem). */
  get memoryBytes(): number {
    return this.parser.bufferCapacity + this.out.length + this.socket.writableLength;
  }

  /** Bytes waiting for the client (gathered + queued in the socket). */
  get pendingOutput(): number {
    return this.outLen + this.socket.writableLength;
  }

  close(): void {
    if (this.closed) return;
    // replies gathered this turn but not flushed yet (the flush runs after
    // the poll phase) still go out before the FIN
    if (this.outLen > 0) this.writeGathered();
    this.closed = true;
    this.socket.end();
    this.socket.destroySoon?.();
  }
}
