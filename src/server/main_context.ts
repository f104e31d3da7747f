// What a main-thread (connection/server) command handler sees.

import type { ReplyWriter } from '../protocol/reply';
import type { CommandSpec } from '../commands/table';
import type { Connection } from './connection';
import type { Server } from './server';
import { parseInt64 } from '../util/numbers';
import { argIs, cString } from '../util/strings';

const latin1 = new TextDecoder('latin1');

export class MainContext {
  buf!: Uint8Array;
  offs!: Int32Array;
  argc = 0;
  spec!: CommandSpec;
  conn!: Connection;

  constructor(
    readonly server: Server,
    readonly w: ReplyWriter,
  ) {}

  str(i: number): string {
    const s = this.offs[i * 2];
    return latin1.decode(this.buf.subarray(s, s + this.offs[i * 2 + 1]));
  }

  /** Argument i as an error message quotes it: up to its first NUL byte (Redis formats it with %s). */
  cstr(i: number): string {
    return cString(this.buf, this.offs[i * 2], this.offs[i * 2 + 1]);
  }

  utf8(i: number): string {
    const s = this.offs[i * 2];
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + s, this.offs[i * 2 + 1]).toString('utf8');
  }

  bytes(i: number): Uint8Array {
    const s = this.offs[i * 2];
    return this.buf.subarray(s, s + this.offs[i * 2 + 1]);
  }

  /** Case-insensitive compare of argument i with a lower-case ASCII word. */
  is(i: number, word: string): boolean {
    return argIs(this.buf, this.offs, i, word);
  }

  int(i: number): number | bigint | null {
    const s = this.offs[i * 2];
    return parseInt64(this.buf, s, s + this.offs[i * 2 + 1]);
  }
}
