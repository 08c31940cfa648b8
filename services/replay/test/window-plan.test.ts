import { describe, expect, it } from 'vitest';
import { planWindow, rangeDone, rangeSize } from '../src/window-plan';
import { parseOffsetSpec } from '../src/window-spec';

const watermarks = [
  { partition: 2, low: 0n, high: 300n },
  { partition: 0, low: 10n, high: 100n },
  { partition: 1, low: 0n, high: 200n },
];
const byTime = (entries: Array<[number, bigint]>) => new Map(entries);

describe('planWindow', () => {
  it('starts at the offsets found by timestamp and ends at those of --to, capped by the snapshot', () => {
    const ranges = planWindow({
      watermarks,
      startByTime: byTime([
        [0, 20n],
        [1, 50n],
        [2, 300n], // nothing at or after --from: Kafka answers the end
      ]),
      endByTime: byTime([
        [0, 80n],
        [1, 999n], // looked up after the snapshot: new records arrived since; capped
        [2, 300n],
      ]),
    });
    expect(ranges).toEqual([
      { partition: 0, start: 20n, end: 80n },
      { partition: 1, start: 50n, end: 200n },
      { partition: 2, start: 300n, end: 300n },
    ]);
    expect(rangeSize(ranges)).toBe(210);
  });

  it('without an end, ends at the high watermarks snapshotted at start', () => {
    const ranges = planWindow({
      watermarks,
      startByTime: byTime([
        [0, 10n],
        [1, 0n],
        [2, 0n],
      ]),
    });
    expect(ranges.map((r) => r.end)).toEqual([100n, 200n, 300n]);
  });

  it('treats -1 (no such offset) from a timestamp lookup as the end of the partition', () => {
    const [p0] = planWindow({ watermarks, startByTime: byTime([[0, -1n]]), partitions: [0] });
    expect(p0).toEqual({ partition: 0, start: 100n, end: 100n });
  });

  it('--from-offset P:O replays only the partitions it names; a bare offset applies to all', () => {
    expect(planWindow({ watermarks, fromOffsets: parseOffsetSpec('1:150', '--from-offset') })).toEqual([
      { partition: 1, start: 150n, end: 200n },
    ]);
    expect(
      planWindow({
        watermarks,
        fromOffsets: parseOffsetSpec('50', '--from-offset'),
        toOffsets: parseOffsetSpec('2:60', '--to-offset'),
      }),
    ).toEqual([
      { partition: 0, start: 50n, end: 100n },
      { partition: 1, start: 50n, end: 200n },
      { partition: 2, start: 50n, end: 60n },
    ]);
  });

  it('clamps starts into [low, end]: records removed by retention cannot be replayed', () => {
    const ranges = planWindow({
      watermarks,
      fromOffsets: parseOffsetSpec('0:5,1:500', '--from-offset'),
      toOffsets: parseOffsetSpec('1:120', '--to-offset'),
    });
    expect(ranges).toEqual([
      { partition: 0, start: 10n, end: 100n },
      { partition: 1, start: 120n, end: 120n },
    ]);
  });

  it('--partitions selects partitions', () => {
    expect(planWindow({ watermarks, partitions: [2, 0] }).map((r) => r.partition)).toEqual([0, 2]);
  });

  it('refuses partitions the topic does not have, naming the option', () => {
    expect(() => planWindow({ watermarks, partitions: [3] })).toThrow(
      'invalid --partitions: partition 3 does not exist (the topic has 3)',
    );
    expect(() => planWindow({ watermarks, fromOffsets: parseOffsetSpec('7:1', '--from-offset') })).toThrow(
      /--from-offset: partition 7/,
    );
  });

  it('rangeDone counts the records behind each position', () => {
    const ranges = [
      { partition: 0, start: 10n, end: 20n },
      { partition: 1, start: 0n, end: 5n },
    ];
    expect(rangeDone(ranges, new Map([[0, 15n]]))).toBe(5);
    expect(
      rangeDone(
        ranges,
        new Map([
          [0, 25n],
          [1, 5n],
        ]),
      ),
    ).toBe(15);
  });
});
