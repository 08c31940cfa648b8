import { describe, expect, it } from 'vitest';
import { parseInstant, parseOffsetSpec, parsePartitionList } from '../src/window-spec';

describe('parseOffsetSpec', () => {
  it('reads PARTITION:OFFSET lists and a bare offset for every partition', () => {
    expect(parseOffsetSpec('0:100,1:250', '--from-offset')).toEqual({
      kind: 'partitions',
      offsets: new Map([
        [0, 100n],
        [1, 250n],
      ]),
    });
    expect(parseOffsetSpec(' 42 ', '--to-offset')).toEqual({ kind: 'all', offset: 42n });
  });

  it.each(['', '0:', ':5', '0:1,x', '0:-1', '0:1,0:2'])('refuses %j, naming the option', (text) => {
    expect(() => parseOffsetSpec(text, '--from-offset')).toThrow(/invalid --from-offset/);
  });
});

describe('parsePartitionList', () => {
  it('reads numbers and ranges, sorted and unique', () => {
    expect(parsePartitionList('3,0-2,1')).toEqual([0, 1, 2, 3]);
  });
  it.each(['a', '2-1', '1,,2'])('refuses %j', (text) => {
    expect(() => parsePartitionList(text)).toThrow(/invalid --partitions/);
  });
});

describe('parseInstant', () => {
  it('reads zoned ISO 8601, dates (UTC) and epoch milliseconds', () => {
    expect(parseInstant('2026-03-01T10:00:00Z', '--from')).toBe(Date.UTC(2026, 2, 1, 10));
    expect(parseInstant('2026-03-01T11:00+01:00', '--from')).toBe(Date.UTC(2026, 2, 1, 10));
    expect(parseInstant('2026-03-01', '--from')).toBe(Date.UTC(2026, 2, 1));
    expect(parseInstant('1772359200000', '--from')).toBe(1772359200000);
  });
  it('refuses a date-time without a zone: it would mean a different instant on every machine', () => {
    expect(() => parseInstant('2026-03-01T10:00:00', '--to')).toThrow(/invalid --to: .*with a zone/);
    expect(() => parseInstant('yesterday', '--to')).toThrow(/invalid --to/);
    expect(() => parseInstant('2026-13-45', '--to')).toThrow(/not a valid date/);
  });
});
