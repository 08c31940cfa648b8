import type { Admin } from 'kafkajs';
import { invalidOption } from './errors';
import type { PartitionWatermarks } from './window-plan';

/** Low and high watermarks of every partition, now. */
export async function snapshotWatermarks(admin: Admin, topic: string): Promise<PartitionWatermarks[]> {
  const topics = await admin.listTopics();
  if (!topics.includes(topic)) throw invalidOption('topic', `${topic} does not exist`);
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.map((o) => ({ partition: o.partition, low: BigInt(o.low), high: BigInt(o.high) }));
}

/**
 * Per partition, the first offset whose record timestamp is at or after `timestamp` (the high
 * watermark when there is none, as Kafka answers; the window planner caps it at the snapshot).
 */
export async function offsetsAtTime(
  admin: Admin,
  topic: string,
  timestamp: number,
): Promise<Map<number, bigint>> {
  const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, timestamp);
  return new Map(offsets.map((o) => [o.partition, BigInt(o.offset)]));
}
