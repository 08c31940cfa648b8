import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';
import { CompactTable } from './compact-table';

/**
 * A partition's table as a local file: written between batches and on a clean stop, read on
 * assignment so that a restart replays only the changelog's tail after `nextOffset` instead of
 * all of it. Layout (little-endian):
 *
 *   "SIPFLOWS" (8 bytes), format version u32 (1), partition u32, nextOffset f64 (the first changelog
 *   offset the table does not reflect), writtenAt f64 (epoch ms), keys u32,
 *   then per key: key f64, words u32, the words (u32 each); then a CRC-32 of everything before it.
 *
 * Only live values are written (no slots, no garbage): the file is about the state's size, and
 * loading it is one insert per key.
 */
const MAGIC = Buffer.from('SIPFLOWS', 'latin1');
const FORMAT = 1;
/** 36 bytes: every field after it stays 4-byte aligned */
const HEADER = 8 + 4 + 4 + 8 + 8 + 4;
const LITTLE_ENDIAN = endianness() === 'LE';

export type Snapshot = {
  partition: number;
  nextOffset: number;
  writtenAt: number;
  table: CompactTable;
};

export function encodeSnapshot(s: Snapshot): Buffer {
  const { table } = s;
  let words = 0;
  table.forEachSlot((slot) => (words += table.lengthOf(slot)));
  const size = HEADER + table.size * 12 + words * 4 + 4;
  // its own ArrayBuffer at offset 0 (allocUnsafe may hand out a slice of a shared pool)
  const out = Buffer.allocUnsafeSlow(size);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(FORMAT, 8);
  out.writeUInt32LE(s.partition, 12);
  out.writeDoubleLE(s.nextOffset, 16);
  out.writeDoubleLE(s.writtenAt, 24);
  out.writeUInt32LE(table.size, 32);
  let at = HEADER;
  const arena = table.words;
  // typed-array views on a little-endian machine (every platform Node ships for but s390x):
  // the encoding runs between two batches, so its speed is the pause it makes
  const out32 = LITTLE_ENDIAN ? new Uint32Array(out.buffer, out.byteOffset, Math.floor(size / 4)) : undefined;
  const view = new DataView(out.buffer, out.byteOffset, size);
  table.forEachSlot((slot) => {
    const offset = table.offsetOf(slot);
    const length = table.lengthOf(slot);
    view.setFloat64(at, table.keyOf(slot), true);
    view.setUint32(at + 8, length, true);
    at += 12;
    if (out32 !== undefined) {
      const w = at >> 2;
      for (let i = 0; i < length; i++) out32[w + i] = arena[offset + i]!;
      at += length * 4;
    } else for (let i = 0; i < length; i++, at += 4) view.setUint32(at, arena[offset + i]!, true);
  });
  out.writeUInt32LE(crc32(out.subarray(0, at)), at);
  return out;
}

/** The snapshot in `file`, or why it cannot be used (truncated, corrupt, another format). */
export function decodeSnapshot(file: Buffer): Snapshot | { unusable: string } {
  if (file.length < HEADER + 4 || !file.subarray(0, 8).equals(MAGIC)) return { unusable: 'not a snapshot' };
  if (file.readUInt32LE(8) !== FORMAT) return { unusable: `format ${file.readUInt32LE(8)}, not ${FORMAT}` };
  const end = file.length - 4;
  if (crc32(file.subarray(0, end)) !== file.readUInt32LE(end)) return { unusable: 'checksum mismatch' };
  const keys = file.readUInt32LE(32);
  const table = new CompactTable(keys, (end - HEADER - keys * 12) / 4);
  let at = HEADER;
  for (let k = 0; k < keys; k++) {
    if (at + 12 > end) return { unusable: 'truncated' };
    const key = file.readDoubleLE(at);
    const length = file.readUInt32LE(at + 8);
    at += 12;
    if (at + length * 4 > end) return { unusable: 'truncated' };
    const offset = table.put(key, length);
    const words = table.words;
    for (let i = 0; i < length; i++, at += 4) words[offset + i] = file.readUInt32LE(at);
  }
  if (at !== end) return { unusable: 'trailing bytes' };
  return {
    partition: file.readUInt32LE(12),
    nextOffset: file.readDoubleLE(16),
    writtenAt: file.readDoubleLE(24),
    table,
  };
}
