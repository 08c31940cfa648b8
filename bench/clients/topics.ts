import { Kafka, logLevel, type Admin } from 'kafkajs';
import { withTimeout } from './measure';

export const TOPIC_PREFIX = 'clientbench-';
export const PARTITIONS = 6;

/** An admin on the broker, or a clear error naming the address when it does not answer. */
export async function connectAdmin(brokers: string[]): Promise<Admin> {
  const admin = new Kafka({
    clientId: 'clientbench-admin',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 2 },
  }).admin();
  try {
    await withTimeout('connecting to Kafka', 15_000, admin.connect());
    await withTimeout('describing the cluster', 15_000, admin.describeCluster());
  } catch (err) {
    throw new Error(
      `Kafka is not reachable at ${brokers.join(',')} (KAFKA_BROKERS): ${(err as Error).message}`,
      { cause: err },
    );
  }
  return admin;
}

/** Creates and forgets topics; `deleteAll` removes every one this run created, whatever failed. */
export function topicKeeper(admin: Admin, runId: string) {
  const live = new Set<string>();
  return {
    async create(suffix: string): Promise<string> {
      const topic = `${TOPIC_PREFIX}${runId}-${suffix}`;
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
      });
      live.add(topic);
      return topic;
    },
    async delete(topic: string) {
      await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
      live.delete(topic);
    },
    async deleteAll() {
      if (live.size === 0) return;
      await admin.deleteTopics({ topics: [...live], timeout: 30_000 });
      live.clear();
    },
  };
}
