import { randomUUID } from 'node:crypto';
import { readRanges } from '@sipflow/kafka';
import type { NumberHistory } from '@sipflow/rules';
import type { TableLoader } from '@sipflow/state';
import type { Admin, Kafka } from 'kafkajs';

export type RestoreResult = {
  /** the table of each restored partition */
  tables: Map<number, TableLoader<NumberHistory>>;
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
export async function restoreFromChangelog(opts: {
  kafka: Kafka;
  admin: Admin;
  changelog: string;
  partitions: readonly number[];
  groupId: string;
  heartbeat: () => Promise<void>;
  /** an empty table for one partition's numbers */
  newTable: () => TableLoader<NumberHistory>;
}): Promise<RestoreResult> {
  const started = performance.now();
  const tables = new Map<number, TableLoader<NumberHistory>>(
    opts.partitions.map((p) => [p, opts.newTable()]),
  );
  const offsets = await opts.admin.fetchTopicOffsets(opts.changelog);
  const ranges = offsets
    .filter((o) => tables.has(o.partition))
    .map((o) => ({ partition: o.partition, start: BigInt(o.low), end: BigInt(o.high) }));
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
  return { tables, records, seconds: (performance.now() - started) / 1000 };
}
