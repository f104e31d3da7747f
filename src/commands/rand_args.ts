// The count form of HRANDFIELD and ZRANDMEMBER: `key count [WITHVALUES|WITHSCORES]`,
// checked in Redis's order with its errors (hrandfieldWithCountCommand,
// zrandmemberWithCountCommand).

import type { ExecContext } from '../shard/exec_context';
import { E } from './errors';

const LONG_MAX = 9223372036854775807n;
/** C's LONG_MAX / 2: with pairs the reply holds 2 × count elements */
const HALF_LONG_MAX = 4611686018427387903n;

/**
 * The count of argument 2 (a JS number: beyond 2^53 it only sizes the reply,
 * which is bounded by the collection or the range check), and whether the
 * pairs modifier follows. Null after replying the error.
 */
export function parseRandCount(c: ExecContext, modifier: string): { count: number; pairs: boolean } | null {
  const v = c.intOrReply(2);
  if (v === null) return null;
  // a number is within ±2^53: only a bigint can be past the limits
  if (typeof v === 'bigint' && (v < -LONG_MAX || v > LONG_MAX)) {
    c.w.error('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
    return null;
  }
  if (c.argc > 4 || (c.argc === 4 && !c.is(3, modifier))) {
    c.w.error(E.syntax);
    return null;
  }
  const pairs = c.argc === 4;
  if (pairs && typeof v === 'bigint' && (v < -HALF_LONG_MAX || v > HALF_LONG_MAX)) {
    c.w.error('ERR value is out of range');
    return null;
  }
  return { count: Number(v), pairs };
}
