import { describe, expect, it } from 'vitest';
import { CompactTable } from '../src/compact-table';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from '../src/snapshot-file';

function tableOf(entries: [number, number[]][]): CompactTable {
  const table = new CompactTable();
  for (const [key, words] of entries) table.set(key, Uint32Array.from(words));
  return table;
}

function contents(table: CompactTable): [number, number[]][] {
  const out: [number, number[]][] = [];
  table.forEachSlot((slot) => {
    const offset = table.offsetOf(slot);
    out.push([table.keyOf(slot), [...table.words.subarray(offset, offset + table.lengthOf(slot))]]);
  });
  return out.sort((a, b) => a[0] - b[0]);
}

const ENTRIES: [number, number[]][] = [
  [13_055_550_100, [1, 2, 3]],
  [14_155_550_100, [0xffffffff, 0, 7, 8, 9, 10]],
  [442_079_460_000, []],
];

describe('a partition snapshot', () => {
  it('reads back the table it was written from, with its offset and times', () => {
    const table = tableOf(ENTRIES);
    // garbage and deleted slots are not carried over
    table.set(13_055_550_100, Uint32Array.of(1, 2, 3));
    table.set(99, Uint32Array.of(5));
    table.delete(99);
    const snapshot: Snapshot = {
      partition: 4,
      nextOffset: 123_456,
      writtenAt: 1.8e12,
      table,
    };
    const decoded = decodeSnapshot(encodeSnapshot(snapshot));
    if ('unusable' in decoded) throw new Error(decoded.unusable);
    expect(decoded).toMatchObject({
      partition: 4,
      nextOffset: 123_456,
      writtenAt: 1.8e12,
    });
    expect(contents(decoded.table)).toEqual(ENTRIES);
  });

  it('refuses a file that is not one, from another format, torn, or with any byte changed', () => {
    const bytes = encodeSnapshot({
      partition: 0,
      nextOffset: 9,
      writtenAt: 0,
      table: tableOf(ENTRIES),
    });
    expect(decodeSnapshot(Buffer.from('hello'))).toEqual({ unusable: 'not a snapshot' });
    const other = Buffer.from(bytes);
    other.writeUInt32LE(2, 8);
    expect(decodeSnapshot(other)).toEqual({ unusable: 'format 2, not 1' });
    expect(decodeSnapshot(bytes.subarray(0, bytes.length - 10))).toEqual({ unusable: 'checksum mismatch' });
    // partition, nextOffset, writtenAt, the first key, one of its words, the last bytes
    for (const at of [12, 20, 28, 36, 52, bytes.length - 8]) {
      const flipped = Buffer.from(bytes);
      flipped[at]! ^= 0x01;
      expect(decodeSnapshot(flipped)).toEqual({ unusable: 'checksum mismatch' });
    }
  });
});
