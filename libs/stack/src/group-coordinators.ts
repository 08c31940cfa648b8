import type { KafkaConfig } from 'kafkajs';
import { probeAdmin } from './probe-admin';

/** `offsets.topic.num.partitions` of the stack's brokers (serverProperties). */
export const OFFSETS_TOPIC_PARTITIONS = 8;

/**
 * Which `__consumer_offsets` partition coordinates a group: `Utils.abs(groupId.hashCode()) %
 * numPartitions`, Java's String.hashCode with Kafka's abs (MIN_VALUE → 0). Source: Apache Kafka,
 * group-coordinator GroupCoordinatorService#partitionFor and clients Utils#abs (checked 2026-12-01).
 */
export function offsetsPartitionFor(groupId: string, partitions: number): number {
  let hash = 0;
  for (let i = 0; i < groupId.length; i++) hash = (Math.imul(hash, 31) + groupId.charCodeAt(i)) | 0;
  const abs = hash === -2147483648 ? 0 : Math.abs(hash);
  return abs % partitions;
}

/**
 * One probe group id per offsets partition, so that asking about all of them asks every
 * partition's coordinator, whichever group a client later joins.
 */
export function coordinatorProbeGroups(partitions: number): string[] {
  const byPartition = new Map<number, string>();
  for (let n = 0; byPartition.size < partitions; n++) {
    const id = `sipflow-stack-probe-${n}`;
    const partition = offsetsPartitionFor(id, partitions);
    if (!byPartition.has(partition)) byPartition.set(partition, id);
  }
  return [...byPartition.entries()].sort(([a], [b]) => a - b).map(([, id]) => id);
}

/**
 * Whether every group coordinator serves requests. A fresh cluster has no `__consumer_offsets`
 * yet: the first FindCoordinator creates it and is answered COORDINATOR_NOT_AVAILABLE, then each
 * partition's coordinator answers COORDINATOR_LOAD_IN_PROGRESS until it has loaded. A consumer
 * that starts in that window crashes and is restarted by kafkajs, logging errors on the way;
 * DescribeGroups for a group of every partition succeeds only once all of them are past it.
 * Throws while any is not.
 */
export async function groupCoordinatorsReady(
  brokers: string[],
  client: Pick<KafkaConfig, 'ssl' | 'sasl'> = {},
  partitions: number = OFFSETS_TOPIC_PARTITIONS,
): Promise<true> {
  const admin = probeAdmin(brokers, client);
  try {
    await admin.connect();
    // fills kafkajs' broker pool: without retries, FindCoordinator would find it empty
    await admin.describeCluster();
    await admin.describeGroups(coordinatorProbeGroups(partitions));
    return true;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
