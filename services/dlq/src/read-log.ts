import { randomUUID } from 'node:crypto';
import { SipflowError } from '@sipflow/errors';
import { readRanges, type PartitionRange } from '@sipflow/kafka';
import type { Kafka, KafkaMessage } from 'kafkajs';

/** Each partition's first kept offset and high watermark, as they are now. */
export async function watermarks(
  kafka: Kafka,
  topic: string,
  variable: string,
): Promise<Map<number, { low: bigint; high: bigint }>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(topic))
      throw new SipflowError('SIPFLOW_INVALID_CONFIG', `topic ${topic} (${variable}) does not exist`, {
        topic,
        variable,
      });
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((p) => [p.partition, { low: BigInt(p.low), high: BigInt(p.high) }] as const));
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Reads the given ranges once (read_committed, a throwaway group, nothing committed), handing each
 * batch to `handle` in offset order per partition. 'stopped' when the signal fired first.
 */
export function readLog(
  kafka: Kafka,
  topic: string,
  ranges: PartitionRange[],
  handle: (partition: number, messages: KafkaMessage[]) => Promise<void> | void,
  signal?: AbortSignal,
): Promise<'complete' | 'stopped'> {
  return readRanges({
    kafka,
    topic,
    groupId: `sipflow-dlq-${randomUUID()}`,
    ranges,
    positions: new Map(),
    handle: async ({ partition, messages }) => {
      await handle(partition, messages);
      return !signal?.aborted;
    },
    ...(signal ? { signal } : {}),
  });
}

/** The whole of a topic as it is now: [low, high) of every partition that holds records. */
export function wholeTopic(marks: Map<number, { low: bigint; high: bigint }>): PartitionRange[] {
  return [...marks]
    .filter(([, w]) => w.high > w.low)
    .map(([partition, w]) => ({ partition, start: w.low, end: w.high }));
}
