// A command's arguments as views into the buffer that holds them (a socket
// read buffer, a request ring, a script's argv): argument i is
// buf[offs[2i] .. offs[2i] + offs[2i+1]). The shard-side and the main-thread
// handler contexts both read their arguments through this one class.

import { parseInt64 } from '../util/numbers';
import { argIs, cString } from '../util/strings';

const latin1 = new TextDecoder('latin1');

export class CommandArgs {
  buf!: Uint8Array;
  offs!: Int32Array;
  argc = 0;

  start(i: number): number {
    return this.offs[i * 2];
  }

  len(i: number): number {
    return this.offs[i * 2 + 1];
  }

  /** Argument i as a latin1 string (options, numbers, names). */
  str(i: number): string {
    const s = this.offs[i * 2];
    return latin1.decode(this.buf.subarray(s, s + this.offs[i * 2 + 1]));
  }

  /** Argument i as an error message quotes it: up to its first NUL byte (Redis formats it with %s). */
  cstr(i: number): string {
    return cString(this.buf, this.offs[i * 2], this.offs[i * 2 + 1]);
  }

  /** Argument i decoded as UTF-8 (client names, log text). */
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

  /** Argument i as a signed 64-bit integer (number when safe, bigint beyond), or null. */
  int(i: number): number | bigint | null {
    const s = this.offs[i * 2];
    return parseInt64(this.buf, s, s + this.offs[i * 2 + 1]);
  }
}
