import { SipflowError } from '@sipflow/errors';
import type { Admin } from 'kafkajs';

/**
 * Fails start-up clearly when the input topic does not exist: kafkajs would only say "This server
 * does not host this topic-partition" from its metadata call, which named neither the topic nor the
 * setting. The processor never creates its input (the dialer's topic, with its retention and
 * partitions, is not ours to invent); `sipflow setup` creates it for a local or test cluster.
 */
export async function checkInputTopic(admin: Admin, input: string): Promise<void> {
  try {
    await admin.fetchTopicMetadata({ topics: [input] });
  } catch (err) {
    if ((err as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw err;
    throw new SipflowError(
      'SIPFLOW_INVALID_CONFIG',
      `the input topic ${input} (INPUT_TOPIC) does not exist on the brokers: create it, or run \`sipflow setup\` for a local or test cluster`,
      { variable: 'INPUT_TOPIC', topic: input },
      { cause: err },
    );
  }
}
