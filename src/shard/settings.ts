// Settings that shard code reads, kept in a small SharedArrayBuffer so that a
// CONFIG SET on the main thread is seen by every worker without messages.

import type { SharedSettings } from './exec_context';

const S_PROTO_MAX_BULK = 0;
const S_DATABASES = 1;
const S_LFU = 2;
const S_HZ = 3;
const S_SHUTDOWN = 4;
const SLOTS = 16;

export class SettingsView implements SharedSettings {
  readonly f64: Float64Array;
  constructor(readonly sab: SharedArrayBuffer) {
    this.f64 = new Float64Array(sab);
  }
  static create(): SharedArrayBuffer {
    return new SharedArrayBuffer(SLOTS * 8);
  }
  get protoMaxBulkLen(): number {
    return this.f64[S_PROTO_MAX_BULK];
  }
  set protoMaxBulkLen(v: number) {
    this.f64[S_PROTO_MAX_BULK] = v;
  }
  get databases(): number {
    return this.f64[S_DATABASES];
  }
  set databases(v: number) {
    this.f64[S_DATABASES] = v;
  }
  get lfu(): boolean {
    return this.f64[S_LFU] !== 0;
  }
  set lfu(v: boolean) {
    this.f64[S_LFU] = v ? 1 : 0;
  }
  get hz(): number {
    return this.f64[S_HZ];
  }
  set hz(v: number) {
    this.f64[S_HZ] = v;
  }
  get shutdown(): boolean {
    return this.f64[S_SHUTDOWN] !== 0;
  }
  set shutdown(v: boolean) {
    this.f64[S_SHUTDOWN] = v ? 1 : 0;
  }
}
