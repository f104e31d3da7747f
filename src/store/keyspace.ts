// A shard's keyspace: its databases, each a HashTable of key entries, all in the
// shard's arena.
//
// Key entry layout (one arena block):
//   +0  next    u32   hash chain
//   +4  hash    u32
//   +8  keyLen  u32
//   +12 meta    u32   bits 0-3 type, 4-7 encoding, 8 HAS_EXPIRE, 9 EXTERNAL value,
//                     16-31 reserved for the LFU counter (eviction, later)
//   +16 lru     u32   access clock in seconds (OBJECT IDLETIME; LRU eviction later)
//   +20 val     u32   embedded value length, or the address of an external value
//   +24 key bytes, then the embedded value bytes,
//   then, 8-aligned and only with HAS_EXPIRE, the expiry time (f64, unix ms).
//
// Strings of up to 44 bytes ("embstr") and integers ("int") are embedded;
// longer ones and strings changed in place (APPEND, SETRANGE: "raw") live in an
// external block [capacity u32][length u32][bytes] that grows geometrically.
//
// Store root (first block of the arena): [dbCount u32][db header address]*
// [lazy-free queue state]; SWAPDB swaps two addresses. A db header is a hash
// table header followed by [expires count u32][active-expire cursor u32]
// [avg ttl f64].
//
// Deleting a big collection (DEL, UNLINK, overwrite, expiry, FLUSHALL ASYNC)
// unlinks the key at once and queues the value for lazy freeing
// (lazy_free.ts); the shard frees the queue in bounded slices (lazyFreeStep).

import { copyBytes, copyToWords, equalBytes } from '../util/bytes';
import { Allocator, ARENA_DATA_START, blockSize } from './allocator';
import { HashTable, HT_HEADER_BYTES, E_HASH, hashBytes } from './hashtable';
import { SkipList } from './skiplist';
import { LazyFreeQueue, LAZY_STATE_BYTES, LAZYFREE_THRESHOLD } from './lazy_free';

/** Keyspace.prefetch: requests looked at per call, and ints per request in its offsets */
export const PREFETCH_MAX = 32;
export const PREFETCH_STRIDE = 6;
/**
 * Tables smaller than this are left alone: their slots are likely cached, and
 * the look-ahead (a scan and a hash per request) would cost ~6 % for nothing.
 */
const PREFETCH_MIN_ENTRIES = 65536;

/**
 * The first two requests of a look-ahead (offsets in Keyspace.prefetch's
 * layout) name the same key: a hot key (a benchmark's fixed key), whose slot
 * is cached anyway; only its members may miss (Keyspace.lookAhead).
 */
export function sameFirstKeys(buf: Uint8Array, offs: Int32Array): boolean {
  return equalBytes(buf, offs[0], offs[1], buf, offs[PREFETCH_STRIDE], offs[PREFETCH_STRIDE + 1]);
}

/** A look-ahead's question after its first two requests: go on scanning? (Keyspace.lookAhead) */
export type LookAheadGate = (buf: Uint8Array, offs: Int32Array) => boolean;

export const enum ObjType {
  String = 0,
  List = 1,
  Set = 2,
  ZSet = 3,
  Hash = 4,
  Stream = 5,
}

export const enum Enc {
  Raw = 0,
  Int = 1,
  Embstr = 2,
  Listpack = 3,
  Quicklist = 4,
  Hashtable = 5,
  Intset = 6,
  Skiplist = 7,
}

export const TYPE_NAMES = ['string', 'list', 'set', 'zset', 'hash', 'stream'];
export const ENC_NAMES = ['raw', 'int', 'embstr', 'listpack', 'quicklist', 'hashtable', 'intset', 'skiplist'];

/**
 * How the keyspace handles the value object of a collection type (list, set,
 * zset, hash...). Each type module registers its ops; the object itself is an
 * arena block (or a structure of blocks) whose address the key entry holds.
 */
export interface ValueOps {
  /** free every block of the object */
  free(a: Allocator, ptr: number, enc: number): void;
  /**
   * Free part of the object, about `budget` blocks; true once all of it is
   * freed. In between the object is only good for more freeStep calls. With
   * freeEffort, lets a big object be freed lazily.
   */
  freeStep?(a: Allocator, ptr: number, enc: number, budget: number): boolean;
  /** roughly how many blocks freeing the object takes (Redis lazyfreeGetFreeEffort) */
  freeEffort?(a: Allocator, ptr: number, enc: number): number;
  /** deep-copy the object from one arena to another (may be the same); returns the new address */
  copy(from: Allocator, ptr: number, enc: number, to: Allocator): number;
  /** bytes used by the object (MEMORY USAGE) */
  memory(a: Allocator, ptr: number, enc: number): number;
}

export const valueOps: (ValueOps | undefined)[] = [];

export function registerValueOps(type: ObjType, ops: ValueOps): void {
  valueOps[type] = ops;
}

export const EMBSTR_MAX = 44;

const M_EXPIRE = 1 << 8;
const M_EXTERNAL = 1 << 9;
/** the value is a private copy (COPY dups even Redis's shared small integers) */
const M_UNSHARED = 1 << 10;

const KEY_OFF = 24;
const DB_HEADER_BYTES = HT_HEADER_BYTES + 16;
const DB_EXPIRES = HT_HEADER_BYTES >>> 2; // u32 offset within the db header
const DB_EXPIRE_CURSOR = DB_EXPIRES + 1;
const DB_AVG_TTL_BYTE = HT_HEADER_BYTES + 8; // f64

/** lazy-free queue kind of a flushed db's key table (value kinds are type | enc << 4) */
const KIND_DB = 0x100;

const align8 = (n: number): number => (n + 7) & ~7;

/** Where a value's bytes are: set by valueOf() (avoids allocating a tuple). */
export class ValueRef {
  start = 0;
  len = 0;
}

export class Keyspace {
  readonly a: Allocator;
  readonly ht: HashTable;
  /** the command's notion of "now" (unix ms), set by the executor per command */
  now = Date.now();
  /** result slot of valueOf() */
  readonly v = new ValueRef();
  /**
   * Called after setObject() stores a list or sorted set under a key (new key,
   * RENAME/COPY/MOVE target, SORT STORE...): blocked clients may be served.
   */
  onCollectionSet: ((db: number, e: number) => void) | null = null;
  /**
   * Keys this thread found expired on access and deleted (lazy expiry), for
   * INFO expired_keys. Per thread object, not in the arena: the total over
   * every thread's views is the shards' total.
   */
  expiredLazily = 0;
  /**
   * INFO keyspace_hits/keyspace_misses: lookup() counts while countStats is
   * set, which the executor does for read-only commands (Redis counts its
   * read lookups). Per thread object, totalled like expiredLazily.
   */
  countStats = false;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  private readonly lazy: LazyFreeQueue;
  /** operator for the key tables of flushed dbs being freed */
  private readonly drainHt: HashTable;

  constructor(sab: SharedArrayBuffer) {
    this.a = new Allocator(sab);
    this.ht = new HashTable(this.a, KEY_OFF);
    this.memberTable = new HashTable(this.a, KEY_OFF);
    this.drainHt = new HashTable(this.a, KEY_OFF);
    this.lazy = new LazyFreeQueue(this.a, lazyStateAddress(this.dbCount), this.freeQueued);
  }

  static create(dbCount: number, maxBytes: number): SharedArrayBuffer {
    const a = Allocator.create(16 * 1024 * 1024, maxBytes);
    const root = a.alloc(lazyStateAddress(dbCount) + LAZY_STATE_BYTES - ARENA_DATA_START);
    if (root !== ARENA_DATA_START) throw new Error('store root must be the first block');
    a.u32[root >>> 2] = dbCount;
    LazyFreeQueue.init(a, lazyStateAddress(dbCount));
    const ks = new Keyspace(a.sab);
    for (let i = 0; i < dbCount; i++) {
      const h = ks.a.allocZeroed(DB_HEADER_BYTES);
      ks.ht.init(h);
      ks.a.u32[(root >>> 2) + 1 + i] = h;
    }
    return a.sab;
  }

  get dbCount(): number {
    return this.a.u32[ARENA_DATA_START >>> 2];
  }

  dbHeader(db: number): number {
    return this.a.u32[(ARENA_DATA_START >>> 2) + 1 + db];
  }

  swapDb(x: number, y: number): void {
    const u32 = this.a.u32;
    const base = (ARENA_DATA_START >>> 2) + 1;
    const t = u32[base + x];
    u32[base + x] = u32[base + y];
    u32[base + y] = t;
  }

  private table(db: number): HashTable {
    return this.ht.at(this.dbHeader(db));
  }

  private readonly touchHashes = new Uint32Array(PREFETCH_MAX);
  private readonly touchHeads = new Int32Array(2 * PREFETCH_MAX);
  private readonly memberHashes = new Uint32Array(2 * PREFETCH_MAX);
  private readonly touchRehashScratch = new Int32Array(PREFETCH_MAX);
  /** an operator for collection tables: touch() reads only the common entry prefix */
  private readonly memberTable: HashTable;
  /** what the prefetch loads read, kept so that they are not optimized away */
  private touched = 0;

  /** Is the key table of db big enough for prefetch() to pay? (Callers skip their look-ahead otherwise.) */
  worthPrefetching(db: number): boolean {
    return db >= 0 && db < this.dbCount && this.table(db).count >= PREFETCH_MIN_ENTRIES;
  }

  /**
   * A look-ahead has scanned its first two requests (offs in prefetch()'s
   * layout): is scanning on and calling prefetch() worth it? On one hot key
   * only when it holds a big collection (its member slots miss; the key's own
   * slot is cached); on different keys only when the key table is big.
   */
  lookAhead(db: number, buf: Uint8Array, offs: Int32Array): boolean {
    if (sameFirstKeys(buf, offs)) return this.hotCollection(db, buf, offs[0], offs[1]) !== 0;
    return this.worthPrefetching(db);
  }

  /**
   * The member table of the key buf[off, off+len) when it is a hash or set in
   * a hash table, or a zset in a skip list, of at least PREFETCH_MIN_ENTRIES
   * members; else 0. hotIsZset tells which. Reads only (no expiry, no touch).
   */
  private hotCollection(db: number, buf: Uint8Array, off: number, len: number): number {
    if (!(db >= 0 && db < this.dbCount)) return 0;
    const e = this.table(db).peek(buf, off, len, hashBytes(buf, off, len));
    if (e === 0) return 0;
    const type = this.type(e);
    const enc = this.encoding(e);
    this.hotIsZset = type === ObjType.ZSet && enc === Enc.Skiplist;
    if (!this.hotIsZset && !((type === ObjType.Hash || type === ObjType.Set) && enc === Enc.Hashtable)) return 0;
    const obj = this.objectPtr(e);
    return this.memberTable.at(obj).count >= PREFETCH_MIN_ENTRIES ? obj : 0;
  }

  private hotIsZset = false;

  /**
   * Prefetch for up to PREFETCH_MAX requests about to run: with a large
   * keyspace each lookup's bucket and entry are cache misses, and here they
   * overlap (see HashTable.touch). offs holds PREFETCH_STRIDE ints a request:
   * (start, length) in buf of its arguments 1, 2 and 3, start -1 when absent.
   * Argument 1 is taken for the key; when it names a hash or set in a hash
   * table (or a zset in a skip list), arguments 2 (and 3 for a zset: ZADD's
   * member) are taken for members and their slots in the first such
   * collection are touched too. When the first two requests name one key
   * (lookAhead), only the members of the requests on that key are touched.
   * Guesses: a wrong one costs a load.
   */
  prefetch(db: number, buf: Uint8Array, offs: Int32Array, n: number): void {
    if (n < 2) return;
    if (n > PREFETCH_MAX) n = PREFETCH_MAX;
    if (sameFirstKeys(buf, offs)) {
      const obj = this.hotCollection(db, buf, offs[0], offs[1]);
      if (obj !== 0) this.touchMembers(obj, this.hotIsZset, buf, offs, n, -1);
      return;
    }
    if (!this.worthPrefetching(db)) return;
    const hashes = this.touchHashes;
    const heads = this.touchHeads;
    for (let i = 0; i < n; i++) hashes[i] = hashBytes(buf, offs[i * PREFETCH_STRIDE], offs[i * PREFETCH_STRIDE + 1]);
    const t = this.table(db);
    let acc = t.touch(hashes, n, heads);
    // the next n operations each move one bucket while the table rehashes
    if (t.isRehashing) acc ^= t.touchRehash(n, this.touchRehashScratch);
    this.touched ^= acc;
    // members: of the first collection found at the head of its chain
    const u32 = this.a.u32;
    for (let i = 0; i < n; i++) {
      const e = heads[i];
      if (e === 0 || u32[(e + E_HASH) >>> 2] !== hashes[i]) continue;
      const type = this.type(e);
      const enc = this.encoding(e);
      const isZset = type === ObjType.ZSet && enc === Enc.Skiplist;
      if (!isZset && !((type === ObjType.Hash || type === ObjType.Set) && enc === Enc.Hashtable)) continue;
      const obj = this.objectPtr(e);
      if (this.memberTable.at(obj).count >= PREFETCH_MIN_ENTRIES) this.touchMembers(obj, isZset, buf, offs, n, e);
      return;
    }
  }

  /**
   * Touch the member slots, in the collection obj, of the requests whose key
   * is that collection's: the key entry e's (whose hash is in touchHashes), or
   * with e = -1 the first request's. Requests on a zset with no argument after
   * the key are taken for ZPOPMIN: the slots of the first nodes are touched.
   */
  private touchMembers(obj: number, isZset: boolean, buf: Uint8Array, offs: Int32Array, n: number, e: number): void {
    const mh = this.memberHashes;
    const heads = this.touchHeads;
    const u32 = this.a.u32;
    const hashes = this.touchHashes;
    let m = 0;
    let pops = 0;
    for (let i = 0; i < n; i++) {
      const x = i * PREFETCH_STRIDE;
      if (e < 0 ? !equalBytes(buf, offs[0], offs[1], buf, offs[x], offs[x + 1]) : heads[i] !== e || u32[(e + E_HASH) >>> 2] !== hashes[i]) continue;
      if (offs[x + 2] >= 0) mh[m++] = hashBytes(buf, offs[x + 2], offs[x + 3]);
      else pops++;
      if (isZset && offs[x + 4] >= 0) mh[m++] = hashBytes(buf, offs[x + 4], offs[x + 5]);
    }
    let acc = 0;
    if (m > 0) acc = this.memberTable.at(obj).touch(mh, m, heads);
    if (isZset && pops > 0) acc ^= SkipList.for(this.a).touchFirst(obj, pops, mh, heads);
    this.touched ^= acc;
  }

  size(db: number): number {
    return this.table(db).count;
  }

  /**
   * Bytes of a db's key table that are not keys or values (MEMORY STATS
   * overhead.hashtable.main): the bucket array and each entry's header.
   */
  tableOverhead(db: number): number {
    const t = this.table(db);
    return t.bucketCount * 4 + t.count * KEY_OFF;
  }

  expiresCount(db: number): number {
    return this.a.u32[(this.dbHeader(db) >>> 2) + DB_EXPIRES];
  }

  // ---- entry accessors ---------------------------------------------------

  type(e: number): ObjType {
    return this.a.u32[(e + 12) >>> 2] & 0xf;
  }

  encoding(e: number): number {
    return (this.a.u32[(e + 12) >>> 2] >>> 4) & 0xf;
  }

  keyLen(e: number): number {
    return this.a.u32[(e + 8) >>> 2];
  }

  keyStart(e: number): number {
    return e + KEY_OFF;
  }

  isUnshared(e: number): boolean {
    return (this.a.u32[(e + 12) >>> 2] & M_UNSHARED) !== 0;
  }

  markUnshared(e: number): void {
    this.a.u32[(e + 12) >>> 2] |= M_UNSHARED;
  }

  hasExpire(e: number): boolean {
    return (this.a.u32[(e + 12) >>> 2] & M_EXPIRE) !== 0;
  }

  /** Expiry in unix ms, or -1. */
  expireAt(e: number): number {
    const u32 = this.a.u32;
    if ((u32[(e + 12) >>> 2] & M_EXPIRE) === 0) return -1;
    return this.a.f64[this.expireSlot(e) >>> 3];
  }

  private embeddedLen(e: number): number {
    const u32 = this.a.u32;
    return u32[(e + 12) >>> 2] & M_EXTERNAL ? 0 : u32[(e + 20) >>> 2];
  }

  private expireSlot(e: number): number {
    return align8(e + KEY_OFF + this.keyLen(e) + this.embeddedLen(e));
  }

  private entrySize(e: number): number {
    const base = align8(KEY_OFF + this.keyLen(e) + this.embeddedLen(e));
    return this.hasExpire(e) ? base + 8 : base;
  }

  /** Locate a string value's bytes: sets this.v (start, len) in a.u8. */
  valueOf(e: number): ValueRef {
    const u32 = this.a.u32;
    const v = this.v;
    if (u32[(e + 12) >>> 2] & M_EXTERNAL) {
      const p = u32[(e + 20) >>> 2];
      v.start = p + 8;
      v.len = u32[(p + 4) >>> 2];
    } else {
      v.start = e + KEY_OFF + u32[(e + 8) >>> 2];
      v.len = u32[(e + 20) >>> 2];
    }
    return v;
  }

  touch(e: number): void {
    this.a.u32[(e + 16) >>> 2] = Math.floor(this.now / 1000) >>> 0;
  }

  /** Seconds since last access (OBJECT IDLETIME). */
  idleSeconds(e: number): number {
    const t = this.a.u32[(e + 16) >>> 2];
    const now = Math.floor(this.now / 1000) >>> 0;
    return now >= t ? now - t : 0;
  }

  // ---- lookup ------------------------------------------------------------

  /** Raw find, ignoring expiry. Leaves the link for deleteFound/replace. */
  find(db: number, key: Uint8Array, off: number, len: number): number {
    return this.table(db).find(key, off, len, hashBytes(key, off, len));
  }

  /**
   * Find a live key: an expired one is deleted on the spot (lazy expiry) and
   * reported absent. touch=true updates the access clock.
   */
  lookup(db: number, key: Uint8Array, off: number, len: number, touch = true): number {
    const t = this.table(db);
    const e = t.find(key, off, len, hashBytes(key, off, len));
    if (e === 0) {
      if (this.countStats) this.keyspaceMisses++;
      return 0;
    }
    if (this.a.u32[(e + 12) >>> 2] & M_EXPIRE && this.a.f64[this.expireSlot(e) >>> 3] <= this.now) {
      this.expiredLazily++;
      this.deleteFound(db, e);
      if (this.countStats) this.keyspaceMisses++;
      return 0;
    }
    if (this.countStats) this.keyspaceHits++;
    if (touch) this.touch(e);
    return e;
  }

  isExpired(e: number): boolean {
    return this.hasExpire(e) && this.expireAt(e) <= this.now;
  }

  /** Delete the entry just returned by find()/lookup(). A big value is freed lazily. */
  deleteFound(db: number, e: number): void {
    const t = this.table(db);
    t.unlinkFound(e);
    if (this.hasExpire(e)) this.a.u32[(t.h >>> 2) + DB_EXPIRES]--;
    this.freeEntry(e, false);
  }

  /**
   * lookup() that is never a keyspace hit or miss, even inside a command that
   * counts them: a write command's look at its destination (Redis's
   * lookupKeyWrite), a delete (dbDelete).
   */
  lookupWrite(db: number, key: Uint8Array, off: number, len: number, touch = true): number {
    const counting = this.countStats;
    this.countStats = false;
    const e = this.lookup(db, key, off, len, touch);
    this.countStats = counting;
    return e;
  }

  delete(db: number, key: Uint8Array, off: number, len: number): boolean {
    const e = this.lookupWrite(db, key, off, len, false);
    if (e === 0) return false;
    this.deleteFound(db, e);
    return true;
  }

  /**
   * Free an unlinked entry and its value; a big collection value is queued for
   * lazy freeing unless `eager`. A queued value is a pending object until it
   * is freed (INFO lazyfree_pending_objects); `counted`: it then counts as a
   * freed object, not when its key already counts as part of a whole db
   * flushed asynchronously (Redis counts such a db's keys once).
   */
  private freeEntry(e: number, eager: boolean, counted = true): void {
    const u32 = this.a.u32;
    const meta = u32[(e + 12) >>> 2];
    if (meta & M_EXTERNAL) {
      const p = u32[(e + 20) >>> 2];
      const type = meta & 0xf;
      const enc = (meta >>> 4) & 0xf;
      const ops = valueOps[type];
      if (type === ObjType.String) this.a.free(p, 8 + u32[p >>> 2]);
      else if (!eager && ops!.freeStep !== undefined && ops!.freeEffort !== undefined && ops!.freeEffort(this.a, p, enc) > LAZYFREE_THRESHOLD) {
        this.lazy.push(p, type | (enc << 4), 1, 1, counted);
      } else ops!.free(this.a, p, enc);
    }
    this.a.free(e, this.entrySize(e));
  }

  // ---- lazy freeing -------------------------------------------------------

  /** Objects deleted but not freed yet (INFO lazyfree_pending_objects). Readable without the lock. */
  get lazyFreePending(): number {
    return this.lazy.pending;
  }

  /** Objects freed by the lazy-free queue so far (INFO lazyfreed_objects). Readable without the lock. */
  get lazyFreed(): number {
    return this.lazy.freed;
  }

  get hasLazyFree(): boolean {
    return !this.lazy.isEmpty;
  }

  /** Free queued objects until the queue is empty or performance.now() passes deadline; true while work remains. */
  lazyFreeStep(deadline: number): boolean {
    return this.lazy.step(deadline);
  }

  private readonly freeQueued = (ptr: number, kind: number, budget: number): boolean => {
    if (kind === KIND_DB) {
      if (!this.drainHt.at(ptr).drainStep(budget, this.freeFlushedEntry)) return false;
      this.a.free(ptr, DB_HEADER_BYTES);
      return true;
    }
    return valueOps[kind & 0xf]!.freeStep!(this.a, ptr, kind >>> 4, budget);
  };

  private readonly freeFlushedEntry = (e: number): void => {
    this.freeEntry(e, false, false);
    this.lazy.uncount(1);
  };

  // ---- collection values ----------------------------------------------------

  /**
   * Create or overwrite key with an object value (a collection type). The
   * object at ptr becomes owned by the key; a replaced value is freed.
   * expire: -1 keep the current TTL, 0 none, >0 unix ms. Returns the entry.
   */
  setObject(db: number, key: Uint8Array, koff: number, klen: number, type: ObjType, enc: Enc, ptr: number, expire: number): number {
    const t = this.table(db);
    const hash = hashBytes(key, koff, klen);
    const old = t.find(key, koff, klen, hash);
    expire = this.expireOnReplace(old, expire);
    const base = align8(KEY_OFF + klen);
    const e = this.a.alloc(expire > 0 ? base + 8 : base);
    const u32 = this.a.u32;
    u32[(e + 4) >>> 2] = hash;
    u32[(e + 8) >>> 2] = klen;
    u32[(e + 12) >>> 2] = type | (enc << 4) | (expire > 0 ? M_EXPIRE : 0) | M_EXTERNAL;
    u32[(e + 16) >>> 2] = Math.floor(this.now / 1000) >>> 0;
    u32[(e + 20) >>> 2] = ptr;
    copyBytes(this.a.u8, e + KEY_OFF, key, koff, koff + klen);
    if (expire > 0) this.a.f64[(e + base) >>> 3] = expire;
    this.install(t, old, e, expire > 0);
    if (this.onCollectionSet !== null && (type === ObjType.List || type === ObjType.ZSet)) this.onCollectionSet(db, e);
    return e;
  }

  /**
   * Expiry of a key stored over `old` (0 = none): expire -1 keeps old's TTL
   * (KEEPTTL). An expired old key counts as expired (Redis expires it first).
   */
  private expireOnReplace(old: number, expire: number): number {
    if (old !== 0 && this.isExpired(old)) {
      this.expiredLazily++;
      return expire < 0 ? 0 : expire;
    }
    if (old !== 0 && expire === -1) expire = this.expireAt(old);
    return expire < 0 ? 0 : expire;
  }

  /** Address of a collection's value object. */
  objectPtr(e: number): number {
    return this.a.u32[(e + 20) >>> 2];
  }

  /** Point the entry at a new value object (after the object moved or changed encoding). */
  setObjectPtr(e: number, ptr: number, enc: Enc): void {
    const u32 = this.a.u32;
    u32[(e + 20) >>> 2] = ptr;
    u32[(e + 12) >>> 2] = (u32[(e + 12) >>> 2] & ~0xf0) | (enc << 4);
  }

  /**
   * Give the value of key (in srcDb) to nkey (in dstDb) of this same keyspace,
   * removing key: RENAME and MOVE within a shard. A collection changes owner
   * without being copied (O(1), as in Redis); nkey must not exist. Returns the
   * new entry, or 0 when key does not exist.
   */
  renameWithin(srcDb: number, key: Uint8Array, kstart: number, klen: number, dstDb: number, nkey: Uint8Array, nstart: number, nlen: number): number {
    const e = this.find(srcDb, key, kstart, klen);
    if (e === 0) return 0;
    const expire = this.hasExpire(e) ? this.expireAt(e) : 0;
    const type = this.type(e);
    if (type === ObjType.String) {
      const n = this.copyEntryTo(e, this, dstDb, nkey, nstart, nlen, expire);
      this.delete(srcDb, key, kstart, klen);
      return n;
    }
    const ptr = this.objectPtr(e);
    const enc = this.encoding(e) as Enc;
    // unlink and free the source entry alone: its value now belongs to nkey
    const t = this.table(srcDb);
    t.unlinkFound(e);
    if (expire > 0) this.a.u32[(t.h >>> 2) + DB_EXPIRES]--;
    this.a.free(e, this.entrySize(e));
    return this.setObject(dstDb, nkey, nstart, nlen, type, enc, ptr, expire);
  }

  /**
   * Deep-copy entry e of this keyspace to key in `to` (another shard's keyspace
   * or this one), keeping the given expiry and, for a string, whether it is
   * an unshared small integer. Used by RENAME, COPY, MOVE.
   */
  copyEntryTo(e: number, to: Keyspace, db: number, key: Uint8Array, kstart: number, klen: number, expire: number): number {
    const type = this.type(e);
    const enc = this.encoding(e) as Enc;
    if (type === ObjType.String) {
      const v = this.valueOf(e);
      // the value may live in the arena we allocate from: copy it out first
      const bytes = this.a.u8.slice(v.start, v.start + v.len);
      const unshared = this.isUnshared(e);
      const n = to.setString(db, key, kstart, klen, bytes, 0, bytes.length, enc, expire > 0 ? expire : 0);
      // RENAME and MOVE hand Redis's object over as it is: a copy of a shared integer stays unshared
      if (unshared) to.markUnshared(n);
      return n;
    }
    const ptr = valueOps[type]!.copy(this.a, this.objectPtr(e), enc, to.a);
    return to.setObject(db, key, kstart, klen, type, enc, ptr, expire > 0 ? expire : 0);
  }

  // ---- writing strings ---------------------------------------------------

  /**
   * Create or overwrite key with a string value.
   * expire: -1 keep the current TTL (KEEPTTL), 0 none, >0 unix ms.
   * Returns the new entry.
   */
  setString(
    db: number,
    key: Uint8Array,
    koff: number,
    klen: number,
    val: Uint8Array,
    voff: number,
    vlen: number,
    enc: Enc,
    expire: number,
  ): number {
    const t = this.table(db);
    const hash = hashBytes(key, koff, klen);
    const old = t.find(key, koff, klen, hash);
    expire = this.expireOnReplace(old, expire);
    const external = enc === Enc.Raw && vlen > EMBSTR_MAX;
    const embLen = external ? 0 : vlen;
    const base = align8(KEY_OFF + klen + embLen);
    const size = expire > 0 ? base + 8 : base;
    if (old !== 0 && this.hasExpire(old) === expire > 0 && this.rewriteInPlace(old, val, voff, vlen, enc)) {
      if (expire > 0) this.a.f64[(old + base) >>> 3] = expire;
      return old;
    }
    let ext = 0;
    if (external) ext = this.allocExternal(vlen, vlen);
    const e = this.a.alloc(size);
    const u32 = this.a.u32;
    const u8 = this.a.u8;
    u32[(e + 4) >>> 2] = hash;
    u32[(e + 8) >>> 2] = klen;
    u32[(e + 12) >>> 2] = ObjType.String | (enc << 4) | (expire > 0 ? M_EXPIRE : 0) | (external ? M_EXTERNAL : 0);
    u32[(e + 16) >>> 2] = Math.floor(this.now / 1000) >>> 0;
    copyToWords(this.a.i32, u8, e + KEY_OFF, key, koff, koff + klen);
    if (external) {
      u32[(e + 20) >>> 2] = ext;
      copyToWords(this.a.i32, u8, ext + 8, val, voff, voff + vlen);
    } else {
      u32[(e + 20) >>> 2] = vlen;
      copyBytes(u8, e + KEY_OFF + klen, val, voff, voff + vlen);
    }
    if (expire > 0) this.a.f64[(e + base) >>> 3] = expire;
    this.install(t, old, e, expire > 0);
    return e;
  }

  /**
   * Link a new entry e into db table t in place of old (0: a new key; the
   * find() that returned old left its link, and nothing touched t since),
   * free old, and keep the db's count of keys with an expiry.
   */
  private install(t: HashTable, old: number, e: number, expires: boolean): void {
    const u32 = this.a.u32;
    const dbh = t.h >>> 2;
    if (old !== 0) {
      if (this.hasExpire(old)) u32[dbh + DB_EXPIRES]--;
      t.replaceFound(old, e);
      this.freeEntry(old, false);
    } else {
      t.insert(e);
    }
    if (expires) u32[dbh + DB_EXPIRES]++;
  }

  /**
   * Overwrite the string value of entry e in place when the new one is
   * embedded and fits e's block exactly (SET of an equal-length value, INCR):
   * no alloc/free and no table update. Keeps e's TTL. False: nothing done.
   */
  rewriteInPlace(e: number, val: Uint8Array, voff: number, vlen: number, enc: Enc): boolean {
    const u32 = this.a.u32;
    const meta = u32[(e + 12) >>> 2];
    if ((meta & (M_EXTERNAL | 0xf)) !== ObjType.String || (enc === Enc.Raw && vlen > EMBSTR_MAX)) return false;
    const klen = u32[(e + 8) >>> 2];
    if (align8(KEY_OFF + klen + vlen) !== align8(KEY_OFF + klen + u32[(e + 20) >>> 2])) return false;
    u32[(e + 12) >>> 2] = ObjType.String | (enc << 4) | (meta & M_EXPIRE);
    u32[(e + 16) >>> 2] = Math.floor(this.now / 1000) >>> 0;
    u32[(e + 20) >>> 2] = vlen;
    copyBytes(this.a.u8, e + KEY_OFF + klen, val, voff, voff + vlen);
    return true;
  }

  private allocExternal(cap: number, len: number): number {
    const bs = blockSize(8 + cap);
    const p = this.a.alloc(bs);
    this.a.u32[p >>> 2] = bs - 8;
    this.a.u32[(p + 4) >>> 2] = len;
    return p;
  }

  /**
   * Make the string at e "raw" with room for newLen bytes, keeping its
   * content, zero-filling the extension. Returns the (possibly new) entry;
   * the caller must have just found e (link valid). Value bytes are then at
   * valueOf(result).
   */
  makeRawWithLength(db: number, e: number, newLen: number): number {
    const u32 = this.a.u32;
    const meta = u32[(e + 12) >>> 2];
    const cur = this.valueOf(e);
    const curStart = cur.start;
    const curLen = cur.len;
    if (meta & M_EXTERNAL) {
      const p = u32[(e + 20) >>> 2];
      const cap = u32[p >>> 2];
      if (newLen <= cap) {
        if (newLen > curLen) this.a.u8.fill(0, p + 8 + curLen, p + 8 + newLen);
        u32[(p + 4) >>> 2] = newLen;
        u32[(e + 12) >>> 2] = (meta & ~0xf0) | (Enc.Raw << 4);
        return e;
      }
      // grow geometrically so that repeated APPENDs are amortised O(1)
      const np = this.allocExternal(newLen < 1024 * 1024 ? newLen * 2 : newLen + 1024 * 1024, newLen);
      const u8 = this.a.u8;
      u8.copyWithin(np + 8, p + 8, p + 8 + curLen);
      u8.fill(0, np + 8 + curLen, np + 8 + newLen);
      this.a.free(p, 8 + cap);
      this.a.u32[(e + 20) >>> 2] = np;
      this.a.u32[(e + 12) >>> 2] = (meta & ~0xf0) | (Enc.Raw << 4);
      return e;
    }
    // embedded -> external: build a new entry without the embedded bytes
    const np = this.allocExternal(newLen, newLen);
    const u8 = this.a.u8;
    u8.copyWithin(np + 8, curStart, curStart + curLen);
    u8.fill(0, np + 8 + curLen, np + 8 + newLen);
    const klen = u32[(e + 8) >>> 2];
    const exp = this.expireAt(e);
    const base = align8(KEY_OFF + klen);
    const ne = this.a.alloc(exp > 0 ? base + 8 : base);
    const a = this.a;
    a.u8.copyWithin(ne, e, e + KEY_OFF + klen);
    a.u32[(ne + 12) >>> 2] = (meta & ~0xf0) | (Enc.Raw << 4) | M_EXTERNAL;
    a.u32[(ne + 20) >>> 2] = np;
    if (exp > 0) a.f64[(ne + base) >>> 3] = exp;
    this.table(db).replaceFound(e, ne);
    a.free(e, align8(KEY_OFF + klen + curLen) + (exp > 0 ? 8 : 0));
    return ne;
  }

  /**
   * Set or clear the expiry of the entry just found. Returns the entry (it
   * moves when gaining or losing the expiry slot).
   */
  setExpire(db: number, e: number, at: number): number {
    const had = this.hasExpire(e);
    if (had && at > 0) {
      this.a.f64[this.expireSlot(e) >>> 3] = at;
      return e;
    }
    if (!had && at <= 0) return e;
    const size = this.entrySize(e);
    const base = had ? size - 8 : size;
    const ne = this.a.alloc(had ? base : base + 8);
    const a = this.a;
    a.u8.copyWithin(ne, e, e + base);
    const t = this.table(db);
    if (at > 0) {
      a.u32[(ne + 12) >>> 2] |= M_EXPIRE;
      a.f64[(ne + base) >>> 3] = at;
      a.u32[(t.h >>> 2) + DB_EXPIRES]++;
    } else {
      a.u32[(ne + 12) >>> 2] &= ~M_EXPIRE;
      a.u32[(t.h >>> 2) + DB_EXPIRES]--;
    }
    t.replaceFound(e, ne);
    a.free(e, size);
    return ne;
  }

  /** Change the encoding tag of a string (e.g. int after INCR). */
  setEncoding(e: number, enc: Enc): void {
    const u32 = this.a.u32;
    u32[(e + 12) >>> 2] = (u32[(e + 12) >>> 2] & ~0xf0) | (enc << 4);
  }

  /** Approximate bytes used by the key (MEMORY USAGE). */
  memoryUsage(e: number): number {
    let n = blockSize(this.entrySize(e)) + 8;
    const meta = this.a.u32[(e + 12) >>> 2];
    if (meta & M_EXTERNAL) {
      const p = this.a.u32[(e + 20) >>> 2];
      const type = meta & 0xf;
      n += type === ObjType.String ? 8 + this.a.u32[p >>> 2] : valueOps[type]!.memory(this.a, p, (meta >>> 4) & 0xf);
    }
    return n;
  }

  // ---- whole-db operations ------------------------------------------------

  /**
   * Remove every key of a db; returns how many there were. async: a big db
   * gets a fresh empty table at once and the old one is freed lazily, big
   * values go lazily too. Otherwise everything is freed before returning.
   */
  flushDb(db: number, async: boolean): number {
    const t = this.table(db);
    const n = t.count;
    if (async && n > LAZYFREE_THRESHOLD) {
      const fresh = this.a.allocZeroed(DB_HEADER_BYTES);
      this.ht.init(fresh);
      this.lazy.push(this.dbHeader(db), KIND_DB, n, 0);
      this.a.u32[(ARENA_DATA_START >>> 2) + 1 + db] = fresh;
      return n;
    }
    const eager = !async;
    t.forEach((e) => this.freeEntry(e, eager, false));
    // as Redis: an asynchronous flush counts the db's keys as lazily freed objects, however small the db
    if (async) this.lazy.countFreed(n);
    t.clear();
    this.a.u32[(t.h >>> 2) + DB_EXPIRES] = 0;
    this.a.u32[(t.h >>> 2) + DB_EXPIRE_CURSOR] = 0;
    this.a.f64[(t.h + DB_AVG_TTL_BYTE) >>> 3] = 0;
    return n;
  }

  /** SCAN step over one db. */
  scan(db: number, cursor: number, visit: (e: number) => void): number {
    return this.table(db).scan(cursor, visit);
  }

  forEach(db: number, visit: (e: number) => void): void {
    this.table(db).forEach(visit);
  }

  randomEntry(db: number): number {
    return this.table(db).randomEntry();
  }

  /**
   * Active expiry for one db: walk buckets from the saved cursor, deleting
   * expired keys, until `budgetBuckets` buckets were visited or the table was
   * fully walked. Returns the number of keys reclaimed.
   */
  activeExpire(db: number, budgetSteps: number): number {
    const t = this.table(db);
    const hi = t.h >>> 2;
    this.expireSampled = 0;
    if (this.a.u32[hi + DB_EXPIRES] === 0) {
      this.a.f64[(t.h + DB_AVG_TTL_BYTE) >>> 3] = 0;
      return 0;
    }
    let cursor = this.a.u32[hi + DB_EXPIRE_CURSOR];
    const victims: number[] = [];
    const now = this.now;
    let steps = 0;
    let ttlSum = 0;
    let ttlCount = 0;
    do {
      cursor = t.scan(cursor, (e) => {
        if (!this.hasExpire(e)) return;
        const at = this.a.f64[this.expireSlot(e) >>> 3];
        if (at <= now) victims.push(e);
        else {
          ttlSum += at - now;
          ttlCount++;
        }
      });
      steps++;
    } while (cursor !== 0 && steps < budgetSteps);
    const h = this.dbHeader(db);
    this.a.u32[(h >>> 2) + DB_EXPIRE_CURSOR] = cursor;
    this.expireSampled = ttlCount + victims.length;
    if (ttlCount > 0) {
      // same smoothing as Redis: each sample moves the estimate 2% of the way
      const slot = (h + DB_AVG_TTL_BYTE) >>> 3;
      const prev = this.a.f64[slot];
      const avg = ttlSum / ttlCount;
      this.a.f64[slot] = prev === 0 ? avg : (prev / 50) * 49 + avg / 50;
    }
    let n = 0;
    const u8 = this.a.u8;
    for (const e of victims) {
      const ks = this.keyStart(e);
      const kl = this.keyLen(e);
      // re-find to get the link (deleting earlier victims may have moved links)
      const f = this.find(db, u8, ks, kl);
      if (f === e) {
        this.deleteFound(db, f);
        n++;
      }
    }
    return n;
  }

  /** Keys with a TTL the last activeExpire() call looked at (expired or not): INFO expired_stale_perc. */
  expireSampled = 0;

  expireCursor(db: number): number {
    return this.a.u32[(this.dbHeader(db) >>> 2) + DB_EXPIRE_CURSOR];
  }

  /** Incremental rehash and shrink work for the cron. */
  cronTables(db: number, steps: number): void {
    const t = this.table(db);
    if (t.isRehashing) t.rehashStep(steps);
    else t.shrinkIfNeeded();
  }

  /** Running estimate of the TTL (ms) of volatile keys, kept by activeExpire (INFO keyspace avg_ttl). */
  avgTtl(db: number): number {
    return this.a.f64[(this.dbHeader(db) + DB_AVG_TTL_BYTE) >>> 3];
  }
}

/** Byte address of the lazy-free queue state in the store root. */
function lazyStateAddress(dbCount: number): number {
  return ARENA_DATA_START + 4 + dbCount * 4;
}
