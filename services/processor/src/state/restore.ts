import { randomUUID } from 'node:crypto';
import { readRanges } from '@sipflow/kafka';
import type { TableLoader } from '@sipflow/state';
import type { Admin, Kafka } from 'kafkajs';

export type RestoreResult<V> = {
  /** the table of each restored partition */
  tables: Map<number, TableLoader<V>>;
  /** per partition, the first changelog offset the table does not reflect (the end read to) */
  ends: Map<number, number>;
  /** partitions restored from a snapshot and the changelog's tail after it */
  resumed: number[];
  /** changelog records read, tombstones included */
  records: number;
  seconds: number;
};

/**
 * Reads the changelog partitions of `partitions` from their start to their end offset at the time
 * of the call (read_committed: under exactly-once, only committed batches' state), keeping each
 * number's latest record; a tombstone removes the number. kafkajs cannot read a partition without
 * a group, so this is readRanges' throwaway group. `heartbeat` keeps the processor's own group
 * membership alive meanwhile: a restore of many numbers can outlast a session timeout.
 */
export async function restoreFromChangelog<V>(opts: {
  kafka: Kafka;
  admin: Admin;
  changelog: string;
  partitions: readonly number[];
  groupId: string;
  heartbeat: () => Promise<void>;
  /** an empty table for one partition's numbers */
  newTable: () => TableLoader<V>;
  /**
   * Partitions to go on from a snapshot: its table, and the first changelog offset it does not
   * reflect. Used only when that offset is still in the changelog (between its start and end);
   * otherwise the partition is read whole, as without one.
   */
  resume?: ReadonlyMap<number, { table: TableLoader<V>; from: number }>;
}): Promise<RestoreResult<V>> {
  const started = performance.now();
  const tables = new Map<number, TableLoader<V>>();
  const offsets = await opts.admin.fetchTopicOffsets(opts.changelog);
  const ranges: { partition: number; start: bigint; end: bigint }[] = [];
  const ends = new Map<number, number>();
  const resumed: number[] = [];
  for (const o of offsets) {
    if (!opts.partitions.includes(o.partition)) continue;
    const [low, high] = [Number(o.low), Number(o.high)];
    const snapshot = opts.resume?.get(o.partition);
    const usable = snapshot !== undefined && snapshot.from >= low && snapshot.from <= high;
    if (usable) resumed.push(o.partition);
    tables.set(o.partition, usable ? snapshot.table : opts.newTable());
    ranges.push({ partition: o.partition, start: BigInt(usable ? snapshot.from : low), end: BigInt(high) });
    ends.set(o.partition, high);
  }
  let records = 0;
  await readRanges({
    kafka: opts.kafka,
    topic: opts.changelog,
    groupId: `${opts.groupId}-restore-${randomUUID()}`,
    ranges,
    positions: new Map(),
    handle: async ({ partition, messages }) => {
      const into = tables.get(partition)!;
      for (const m of messages) {
        records++;
        if (m.key === null) continue;
        into.record(m.key.toString('utf8'), m.value, `${opts.changelog}/${partition}/${m.offset}`);
      }
      await opts.heartbeat();
      return true;
    },
  });
  return { tables, ends, resumed, records, seconds: (performance.now() - started) / 1000 };
}
