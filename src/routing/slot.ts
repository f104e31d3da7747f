// Key -> hash slot, as Redis Cluster does it: CRC16 (XMODEM) mod 16384, with
// {hash tags} so that related keys can be forced into the same slot.

export const SLOT_COUNT = 16384;

const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let j = 0; j < 8; j++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    t[i] = crc;
  }
  return t;
})();

export function crc16(buf: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ CRC_TABLE[((crc >> 8) ^ buf[i]) & 0xff];
  return crc;
}

/** Hash slot of the key buf[start, start+len). */
export function keyHashSlot(buf: Uint8Array, start: number, len: number): number {
  const end = start + len;
  let open = -1;
  for (let i = start; i < end; i++) {
    if (buf[i] === 123 /* { */) {
      open = i;
      break;
    }
  }
  if (open >= 0) {
    for (let j = open + 1; j < end; j++) {
      if (buf[j] === 125 /* } */) {
        // an empty tag "{}" hashes the whole key
        if (j > open + 1) return crc16(buf, open + 1, j) & (SLOT_COUNT - 1);
        break;
      }
    }
  }
  return crc16(buf, start, end) & (SLOT_COUNT - 1);
}

/** Slot -> shard. Contiguous slot ranges per shard, like a cluster's default layout. */
export function slotToShard(slot: number, shardCount: number): number {
  return shardCount === 1 ? 0 : Math.floor((slot * shardCount) / SLOT_COUNT);
}

export function keyShard(buf: Uint8Array, start: number, len: number, shardCount: number): number {
  return shardCount === 1 ? 0 : slotToShard(keyHashSlot(buf, start, len), shardCount);
}
