import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionSettings } from '@sipflow/config';
import { provisionTopicsAndSchemas } from '@sipflow/kafka';
import type { Kafka } from 'kafkajs';
import type { ReplayJob } from './job';

/**
 * Sandbox topics like the input (partitions, replication), with their schemas: `P.<topic>` for
 * every topic, the sandbox's own input included (left empty).
 */
export async function createSandbox(kafka: Kafka, conn: ConnectionSettings, job: ReplayJob): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  let partitions: number;
  let replicationFactor: number;
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [job.topics.input] });
    const meta = topics[0]!.partitions;
    partitions = meta.length;
    replicationFactor = meta[0]?.replicas.length ?? 1;
  } finally {
    await admin.disconnect();
  }
  const sandbox = { ...job.topics, input: `${job.prefix}.${job.topics.input}` };
  // provisioning is idempotent; a topic just created can briefly be unknown to a metadata request
  for (let attempt = 1; ; attempt++) {
    try {
      await provisionTopicsAndSchemas(conn, sandbox, { partitions, replicationFactor });
      return;
    } catch (err) {
      if (attempt >= 5 || (err as { retriable?: boolean }).retriable !== true) throw err;
      await sleep(250 * attempt);
    }
  }
}
