import { compatibilityPartitioner, defaultPartitioner } from '@platformatic/kafka';
import { Kafka, logLevel, Partitioners, type PartitionMetadata } from 'kafkajs';
import { withTimeout } from './measure';
import { PARTITIONS } from './topics';

/**
 * Where Java's default partitioner puts a key on PARTITIONS partitions: kafkajs' DefaultPartitioner
 * is its port (toPositive(murmur2(key)) % partitions, kafkajs src/producer/partitioners/default).
 */
export function javaPartition(key: string): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: PARTITIONS }, (_, i) => ({
    partitionId: i,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));
  return partitioner({ topic: 't', partitionMetadata, message: { key, value: null } });
}

export type PlacementCheck = { keys: number; mismatches: number; examples: string[] };

/** Reads a topic a client filled with one record per key and compares each record's partition with Java's. */
export async function checkPlacement(
  brokers: string[],
  topic: string,
  keys: number,
): Promise<PlacementCheck> {
  const consumer = new Kafka({ clientId: 'clientbench-check', brokers, logLevel: logLevel.WARN }).consumer({
    groupId: `${topic}-check`,
    maxWaitTimeInMs: 100,
  });
  const examples: string[] = [];
  let seen = 0;
  let mismatches = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await withTimeout(
      `reading ${topic}`,
      120_000,
      new Promise<void>((resolve) => {
        void consumer.run({
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) {
              const key = m.key?.toString() ?? '';
              const expected = javaPartition(key);
              if (expected !== batch.partition) {
                mismatches++;
                if (examples.length < 5) examples.push(`${key}: on ${batch.partition}, Java ${expected}`);
              }
            }
            seen += batch.messages.length;
            if (seen >= keys) resolve();
          },
        });
      }),
    );
  } finally {
    await consumer.disconnect();
  }
  return { keys: seen, mismatches, examples };
}

/** @platformatic/kafka's two partitioners as functions, against Java's, without a broker. */
export function platformaticPartitioners(keys: string[]) {
  const differ = (p: typeof defaultPartitioner) =>
    keys.filter((k) => p({ topic: 't', value: undefined }, Buffer.from(k)) % PARTITIONS !== javaPartition(k))
      .length;
  return {
    keys: keys.length,
    defaultMismatches: differ(defaultPartitioner),
    compatibilityMismatches: differ(compatibilityPartitioner),
  };
}
