import { SipflowError } from '@sipflow/errors';
import type { Kafka } from 'kafkajs';

/**
 * Fails fast when the topic is missing. Producing to it would either auto-create it with broker
 * defaults (wrong partition count) or, with auto-creation off, retry for a long while before an
 * obscure "does not host this topic-partition".
 */
export async function assertTopicExists(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      throw new SipflowError(
        'SIPFLOW_INVALID_CONFIG',
        `topic "${topic}" does not exist: create the topics first with \`npx sipflow setup\``,
        { topic },
      );
    }
  } finally {
    await admin.disconnect();
  }
}
