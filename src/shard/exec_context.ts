// What a shard-side command handler sees: its arguments (views into a request
// buffer), the reply writer, and the keyspaces it may touch. The same object
// serves a worker thread and the main thread running a shard inline.

import type { Keyspace } from '../store/keyspace';
import type { ReplyWriter } from '../protocol/reply';
import type { CommandSpec } from '../commands/table';
import { keyShard } from '../routing/slot';
import { CommandArgs } from '../protocol/args';
import { E } from '../commands/errors';

const CLOCK_REUSE = 16;

export interface SharedSettings {
  /** live config the shard reads (proto-max-bulk-len etc.) */
  readonly protoMaxBulkLen: number;
  readonly databases: number;
  readonly lfu: boolean;
  readonly hashMaxListpackEntries: number;
  readonly hashMaxListpackValue: number;
  readonly setMaxIntsetEntries: number;
  readonly zsetMaxListpackEntries: number;
  readonly zsetMaxListpackValue: number;
  readonly listMaxListpackSize: number;
  readonly listCompressDepth: number;
}

export class ExecContext extends CommandArgs {
  db = 0;
  spec!: CommandSpec;
  /** shard executing the command */
  self = 0;
  /** shards whose locks are held for this command besides self (bit per shard) */
  mask = 0;
  /**
   * Blocking commands (src/commands/blocking_family.ts): 0 = first execution;
   * > 0 = retry of a blocked client, serving only from the key in that
   * argument (it became ready); -1 = recheck every key after blocking.
   */
  blockRetry = 0;
  /** blocking commands must not block here (MULTI/EXEC, scripts): they reply as on timeout */
  denyBlocking = false;
  /** cancel token of a blocking retry (src/shard/ready_keys.ts), 0 = none */
  retryToken = 0;
  /**
   * Inside a batch (one socket read's commands, or one ring drain) up to
   * CLOCK_REUSE commands share a clock reading: Date.now() per command cost
   * ~2% of a pipelined SET. Outside a batch every command reads the time.
   */
  private batching = false;
  private clock = 0;
  /** the current command's time, set by tick() */
  now = 0;
  /**
   * INFO commandstats failed_calls, by command id: commands whose reply was
   * an error. This thread's counters (a worker's are in shared memory).
   */
  failedCalls: Uint32Array = new Uint32Array(0);
  private clockUses = 0;

  beginBatch(): void {
    this.batching = true;
    this.clock = 0;
  }

  endBatch(): void {
    this.batching = false;
  }

  freshClock(): void {
    this.clock = 0;
  }

  /**
   * Set `now` to the time (unix ms) for the next command: keys expire by it
   * (as Redis's per-call time snapshot). A field, not a return value: a time
   * is not a small integer, and returning it from a function V8 did not
   * inline would box it on the heap once per command.
   */
  tick(): void {
    if (!this.batching) {
      this.now = Date.now();
      return;
    }
    if (this.clock === 0 || ++this.clockUses >= CLOCK_REUSE) {
      this.clock = Date.now();
      this.clockUses = 0;
    }
    this.now = this.clock;
  }

  constructor(
    readonly stores: Keyspace[],
    public w: ReplyWriter,
    readonly settings: SharedSettings,
  ) {
    super();
  }

  get shardCount(): number {
    return this.stores.length;
  }

  /** The keyspace that owns the key in argument i. */
  ks(i: number): Keyspace {
    return this.ksFor(this.buf, this.offs[i * 2], this.offs[i * 2 + 1]);
  }

  /** The keyspace that owns the key buf[start, start+len) (SORT patterns build keys that are not arguments). */
  ksFor(buf: Uint8Array, start: number, len: number): Keyspace {
    const stores = this.stores;
    if (stores.length === 1) return stores[0];
    const s = keyShard(buf, start, len, stores.length);
    // a key on a shard we do not hold would be a data race: the main thread's
    // routing (key positions in the command table) must have included it
    if (s !== this.self && (this.mask & (1 << s)) === 0) throw new Error('key is not on a shard this command holds');
    return stores[s];
  }

  get local(): Keyspace {
    return this.stores[this.self];
  }

  /** Argument i as an integer, replying the standard error when it is not one. */
  intOrReply(i: number, msg: string = E.notInt): number | bigint | null {
    const v = this.int(i);
    if (v === null) this.w.error(msg);
    return v;
  }

  /** Argument i as a C int (getIntFromObjectOrReply), or reply the error. */
  int32OrReply(i: number, msg?: string): number | null {
    const v = this.int(i);
    if (v === null) {
      this.w.error(msg ?? E.notInt);
      return null;
    }
    if (typeof v === 'bigint' || v > 2147483647 || v < -2147483648) {
      this.w.error(msg ?? E.intRange);
      return null;
    }
    return v;
  }

  /**
   * Argument i as a C long, replying the error when it is not one. Values
   * beyond 2^53 come back as the nearest double: enough for clamping ranges,
   * not for arithmetic (use int() there).
   */
  longOrReply(i: number, msg: string = E.notInt): number | null {
    const v = this.int(i);
    if (v === null) {
      this.w.error(msg);
      return null;
    }
    return typeof v === 'bigint' ? Number(v) : v;
  }
}
