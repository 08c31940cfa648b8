import { ensureTopics, stateTopicSpecs } from '@sipflow/kafka';
import type { StateTopics } from '@sipflow/pipeline';
import type { Admin } from 'kafkajs';

/**
 * Creates the state's internal topics when missing, as Kafka Streams creates its own at start-up:
 * `sipflow setup` creates them too (given the group), and a processor started without it still
 * works. Both get the input's partition count, so partition p of the state topic pairs with
 * changelog partition p, and its replication factor.
 */
export async function ensureStateTopics(
  admin: Admin,
  input: string,
  topics: StateTopics,
  mode: 'repartition' | 'input',
): Promise<void> {
  const [meta] = (await admin.fetchTopicMetadata({ topics: [input] })).topics;
  const partitions = meta?.partitions.length ?? 0;
  if (partitions === 0) throw new Error(`input topic ${input} has no partitions`);
  const replicationFactor = meta!.partitions[0]!.replicas.length;
  const results = await ensureTopics(
    admin,
    stateTopicSpecs(topics, { partitions, replicationFactor, repartition: mode === 'repartition' }),
  );
  const short = results.find((r) => r.partitions !== partitions);
  if (short !== undefined) {
    throw new Error(
      `${short.topic} has ${short.partitions} partitions but the input ${input} has ${partitions}: the state pairs partitions one to one; delete it (the state is rebuilt from the input's retention) or match the counts`,
    );
  }
}
