// Settings that shard code reads, kept in a small SharedArrayBuffer so that a
// CONFIG SET on the main thread is seen by every worker without messages.

import type { SharedSettings } from './exec_context';

const S_PROTO_MAX_BULK = 0;
const S_DATABASES = 1;
const S_LFU = 2;
const S_HZ = 3;
const S_SHUTDOWN = 4;
const S_HASH_MAX_LP_ENTRIES = 5;
const S_HASH_MAX_LP_VALUE = 6;
const S_SET_MAX_INTSET = 7;
const S_ZSET_MAX_LP_ENTRIES = 8;
const S_ZSET_MAX_LP_VALUE = 9;
const S_LIST_MAX_LP_SIZE = 10;
const S_LIST_COMPRESS_DEPTH = 11;
/** DEBUG SET-ACTIVE-EXPIRE 0 (zero, the buffer's initial value, keeps it on) */
const S_NO_ACTIVE_EXPIRE = 12;
const SLOTS = 32;

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
  get hashMaxListpackEntries(): number {
    return this.f64[S_HASH_MAX_LP_ENTRIES];
  }
  get hashMaxListpackValue(): number {
    return this.f64[S_HASH_MAX_LP_VALUE];
  }
  get setMaxIntsetEntries(): number {
    return this.f64[S_SET_MAX_INTSET];
  }
  get zsetMaxListpackEntries(): number {
    return this.f64[S_ZSET_MAX_LP_ENTRIES];
  }
  get zsetMaxListpackValue(): number {
    return this.f64[S_ZSET_MAX_LP_VALUE];
  }
  get listMaxListpackSize(): number {
    return this.f64[S_LIST_MAX_LP_SIZE];
  }
  get listCompressDepth(): number {
    return this.f64[S_LIST_COMPRESS_DEPTH];
  }
  /** the shards' active expire cycle runs (DEBUG SET-ACTIVE-EXPIRE) */
  get activeExpire(): boolean {
    return this.f64[S_NO_ACTIVE_EXPIRE] === 0;
  }
  set activeExpire(v: boolean) {
    this.f64[S_NO_ACTIVE_EXPIRE] = v ? 0 : 1;
  }
  /** Copy the encoding thresholds from the config (main thread). */
  setEncodingLimits(get: (name: string) => number): void {
    this.f64[S_HASH_MAX_LP_ENTRIES] = get('hash-max-listpack-entries');
    this.f64[S_HASH_MAX_LP_VALUE] = get('hash-max-listpack-value');
    this.f64[S_SET_MAX_INTSET] = get('set-max-intset-entries');
    this.f64[S_ZSET_MAX_LP_ENTRIES] = get('zset-max-listpack-entries');
    this.f64[S_ZSET_MAX_LP_VALUE] = get('zset-max-listpack-value');
    this.f64[S_LIST_MAX_LP_SIZE] = get('list-max-listpack-size');
    this.f64[S_LIST_COMPRESS_DEPTH] = get('list-compress-depth');
  }
  get shutdown(): boolean {
    return this.f64[S_SHUTDOWN] !== 0;
  }
  set shutdown(v: boolean) {
    this.f64[S_SHUTDOWN] = v ? 1 : 0;
  }
}
