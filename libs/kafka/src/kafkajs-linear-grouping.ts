import type { Message, PartitionerArgs, PartitionMetadata } from 'kafkajs';
import { preloadKafkajsModule } from './kafkajs-module-cache';

type GroupArgs = {
  topic: string;
  partitionMetadata: PartitionMetadata[];
  messages: Message[];
  partitioner: (args: PartitionerArgs) => number;
};

/**
 * kafkajs 2.2.4's src/producer/groupMessagesPerPartition.js, the same result (messages per
 * partition, in send order, as an object keyed by partition) in linear time. kafkajs' own
 * copies the partition's array for every message (`[...current, message]`) and builds an object per
 * message: quadratic in a send's messages per partition, 7.4 % of a stateful processor's self time
 * in a CPU profile of 2026-12-01 (1,000-record sends to 3 partitions).
 */
export function groupMessagesPerPartition({
  topic,
  partitionMetadata,
  messages,
  partitioner,
}: GroupArgs): Record<number, Message[]> {
  const grouped: Record<number, Message[]> = {};
  if (partitionMetadata.length === 0) return grouped;
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    (grouped[partition] ??= []).push(message);
  }
  return grouped;
}

/**
 * Whether the linear grouping went into the module cache before kafkajs' producer (sendMessages.js,
 * which takes it with `require` once) was loaded. clients.ts' kafkajsPatchesInUse also checks that
 * the kafkajs in use is the cached one.
 */
export const linearGroupingInstalled: boolean = preloadKafkajsModule(
  'kafkajs/src/producer/groupMessagesPerPartition',
  groupMessagesPerPartition,
  'kafkajs/src/producer/sendMessages',
);
