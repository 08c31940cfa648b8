import { describe, expect, it } from 'vitest';
import { coordinatorProbeGroups, offsetsPartitionFor } from '../src/group-coordinators';

describe('offsetsPartitionFor (Kafka: abs(groupId.hashCode()) % partitions)', () => {
  it("uses Java's String.hashCode", () => {
    // "hello".hashCode() is 99162322 in Java
    expect(offsetsPartitionFor('hello', 50)).toBe(99162322 % 50);
    // "Aa" and "BB" collide in Java (both 2112)
    expect(offsetsPartitionFor('Aa', 1000)).toBe(2112 % 1000);
    expect(offsetsPartitionFor('BB', 1000)).toBe(2112 % 1000);
  });

  it('maps a negative hash through abs, and Integer.MIN_VALUE to 0 as Kafka Utils.abs does', () => {
    // "sipflow-processor".hashCode() is negative in Java: -356235763
    expect(offsetsPartitionFor('sipflow-processor', 50)).toBe(356235763 % 50);
    // "polygenelubricants".hashCode() is Integer.MIN_VALUE
    expect(offsetsPartitionFor('polygenelubricants', 7)).toBe(0);
  });
});

describe('coordinatorProbeGroups', () => {
  it('names one group for each offsets partition', () => {
    for (const partitions of [1, 8, 50]) {
      const groups = coordinatorProbeGroups(partitions);
      expect(groups).toHaveLength(partitions);
      expect(groups.map((g) => offsetsPartitionFor(g, partitions))).toEqual([...Array(partitions).keys()]);
    }
  });
});
