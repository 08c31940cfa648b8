import type { PartitionMetadata } from 'kafkajs';

/** kafkajs' metadata of `partitions` partitions led by broker 1, but those in `leaderless` (-1). */
export const partitionMetadata = (
  partitions: number,
  leaderless: readonly number[] = [],
): PartitionMetadata[] =>
  Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 1,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
    partitionErrorCode: 0,
  }));
