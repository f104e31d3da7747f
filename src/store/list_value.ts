// List values: every Redis 7.0 list is a quicklist (OBJECT ENCODING
// "quicklist", even when small: listpack-encoded lists arrived in 7.2).
// Registers the list ValueOps (DEL, FLUSH, RENAME, COPY, MOVE, MEMORY USAGE).

import type { Allocator } from './allocator';
import { Enc, ObjType, registerValueOps } from './keyspace';
import { QuickList } from './quicklist';

export const LIST_ENC = Enc.Quicklist;

/** The thread's quicklist operator. */
export const ql = new QuickList();

registerValueOps(ObjType.List, {
  free(a: Allocator, ptr: number): void {
    ql.free(a, ptr);
  },
  freeStep(a: Allocator, ptr: number, _enc: number, budget: number): boolean {
    return ql.freeStep(a, ptr, budget);
  },
  freeEffort(a: Allocator, ptr: number): number {
    return ql.nodeCount(a, ptr);
  },
  copy(from: Allocator, ptr: number, _enc: number, to: Allocator): number {
    return ql.copy(from, ptr, to);
  },
  memory(a: Allocator, ptr: number): number {
    return ql.memory(a, ptr);
  },
});
