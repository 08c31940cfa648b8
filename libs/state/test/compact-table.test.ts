import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactTable } from '../src/compact-table';

const valueOf = (table: CompactTable, key: number): number[] | undefined => {
  const slot = table.find(key);
  if (slot < 0) return undefined;
  const offset = table.offsetOf(slot);
  return [...table.words.subarray(offset, offset + table.lengthOf(slot))];
};

/** One operation on the table: a key from a small range, so puts replace and deletes hit. */
const operation = fc.oneof(
  fc.record({
    op: fc.constant('put' as const),
    key: fc.integer({ min: 1, max: 300 }),
    // values of 0–12 words, some the same length as before (written in place), some longer
    words: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 12 }),
  }),
  fc.record({ op: fc.constant('delete' as const), key: fc.integer({ min: 1, max: 300 }) }),
);

describe('CompactTable', () => {
  it('holds what a Map would, through growth, deletes, values replaced in place and compaction', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 2000 }), (operations) => {
        const table = new CompactTable();
        const model = new Map<number, number[]>();
        for (const o of operations) {
          if (o.op === 'put') {
            table.set(o.key, Uint32Array.from(o.words));
            model.set(o.key, o.words);
          } else {
            expect(table.delete(o.key)).toBe(model.delete(o.key));
          }
        }
        expect(table.size).toBe(model.size);
        for (let key = 1; key <= 300; key++) expect(valueOf(table, key)).toEqual(model.get(key));
        const seen: number[] = [];
        table.forEachSlot((slot) => seen.push(table.keyOf(slot)));
        expect(seen.sort((a, b) => a - b)).toEqual([...model.keys()].sort((a, b) => a - b));
      }),
      { numRuns: 300 },
    );
  });

  it('keys up to 2^53 - 1, E.164 numbers among them, stay distinct', () => {
    const table = new CompactTable();
    const keys = [1, 2 ** 32, 2 ** 32 + 1, 999_999_999_999_999, Number.MAX_SAFE_INTEGER, 13_055_550_100];
    keys.forEach((key, i) => table.set(key, Uint32Array.of(i)));
    keys.forEach((key, i) => expect(valueOf(table, key)).toEqual([i]));
    expect(() => table.put(0, 1)).toThrow(/positive integer/);
    expect(() => table.put(1.5, 1)).toThrow(/positive integer/);
    expect(() => table.put(2 ** 53, 1)).toThrow(/positive integer/);
    expect(() => table.put(7, 0x10000)).toThrow(/words/);
  });

  it('keeps the garbage of replaced values bounded: at most a quarter over the live words', () => {
    const table = new CompactTable();
    // every key rewritten ten times, longer each time: each rewrite leaves the old value behind
    for (let round = 1; round <= 10; round++)
      for (let key = 1; key <= 10_000; key++) table.set(key, new Uint32Array(round));
    const liveBytes = 10_000 * 10 * 4;
    // the slots: 14 bytes each, at most 1.5 x (keys / 0.8) of them right after a growth
    const slotBytes = (10_000 / 0.8) * 1.5 * 14;
    expect(table.bytes).toBeLessThanOrEqual(liveBytes * 1.25 + slotBytes + 1024);
  });
});
