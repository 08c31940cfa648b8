import { randomUUID } from 'node:crypto';
import { readRanges } from '@sipflow/kafka';
import type { NumberHistory } from '@sipflow/rules';
import type { Admin, Kafka } from 'kafkajs';
import { decodeHistory } from './history-codec';

export type RestoreResult = {
  /** numbers per restored partition */
  numbers: Map<number, Map<string, NumberHistory>>;
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
}): Promise<RestoreResult> {
  const started = performance.now();
  const numbers = new Map<number, Map<string, NumberHistory>>(opts.partitions.map((p) => [p, new Map()]));
  const offsets = await opts.admin.fetchTopicOffsets(opts.changelog);
  const ranges = offsets
    .filter((o) => numbers.has(o.partition))
    .map((o) => ({ partition: o.partition, start: BigInt(o.low), end: BigInt(o.high) }));
  let records = 0;
  await readRanges({
    kafka: opts.kafka,
    topic: opts.changelog,
    groupId: `${opts.groupId}-restore-${randomUUID()}`,
    ranges,
    positions: new Map(),
    handle: async ({ partition, messages }) => {
      const into = numbers.get(partition)!;
      for (const m of messages) {
        records++;
        if (m.key === null) continue;
        const phoneNumber = m.key.toString('utf8');
        if (m.value === null) into.delete(phoneNumber);
        else into.set(phoneNumber, decodeHistory(m.value, `${opts.changelog}/${partition}/${m.offset}`));
      }
      await opts.heartbeat();
      return true;
    },
  });
  return { numbers, records, seconds: (performance.now() - started) / 1000 };
}
