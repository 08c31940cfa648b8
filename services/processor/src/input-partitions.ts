import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka } from '@sipflow/kafka';
import type { ProcessorConfig } from './config';

/**
 * The input topic's partition count, for PROCESSOR_WORKERS=auto. Undefined when it cannot be
 * read (the broker not up yet, the topic missing): the caller decides without it, and the
 * processor reports the real problem when it starts.
 */
export async function inputPartitionCount(config: ProcessorConfig): Promise<number | undefined> {
  // the client's retries could wait a minute for a broker that is down; this is only a default
  return Promise.race([lookup(config), sleep(10_000, undefined)]);
}

async function lookup(config: ProcessorConfig): Promise<number | undefined> {
  const admin = createKafka(config.connection, { clientId: `${config.connection.clientId}-workers` }).admin();
  try {
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata({ topics: [config.topics.input] });
    return topics[0]?.partitions.length;
  } catch {
    return undefined;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
