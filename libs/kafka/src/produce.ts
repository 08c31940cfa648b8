import type { Message, Producer, RecordMetadata, TopicMessages, Transaction } from 'kafkajs';

/**
 * Large batches are split before they reach the client: kafkajs groups a sendBatch's messages
 * with an O(n²) copy, and the broker refuses a record batch over its max.message.bytes (1 MiB by
 * default), which kafkajs does not split for us. A chunk stays under both limits whatever the
 * partitioner does with it.
 */
export const MAX_MESSAGES_PER_SEND = 4000;
export const MAX_BYTES_PER_SEND = 768 * 1024;

/** Approximate wire size of a message: value, key and headers (the record overhead is small). */
function messageBytes(m: Message): number {
  let n = 16 + (m.value?.length ?? 0) + (m.key?.length ?? 0);
  for (const name in m.headers) n += name.length + String(m.headers[name]).length;
  return n;
}

export function chunkTopicMessages(
  topicMessages: TopicMessages[],
  maxMessages = MAX_MESSAGES_PER_SEND,
  maxBytes = MAX_BYTES_PER_SEND,
): TopicMessages[][] {
  const chunks: TopicMessages[][] = [];
  let current: TopicMessages[] = [];
  let count = 0;
  let bytes = 0;
  const flush = () => {
    if (count > 0) chunks.push(current);
    current = [];
    count = 0;
    bytes = 0;
  };
  for (const { topic, messages } of topicMessages) {
    let open: Message[] | undefined;
    for (const message of messages) {
      const size = messageBytes(message);
      if (count > 0 && (count === maxMessages || bytes + size > maxBytes)) {
        flush();
        open = undefined;
      }
      if (!open) current.push({ topic, messages: (open = []) });
      open.push(message);
      count++;
      bytes += size;
    }
  }
  flush();
  return chunks;
}

/**
 * Every message acknowledged by all in-sync replicas (acks=-1) when this resolves. The chunks go
 * one after another, for the producer and inside a transaction alike. One lead's records can
 * span two chunks. If the chunks were sent concurrently, a retried first chunk could land after
 * the second, and the lead's records would be out of order (the audit checks this). Inside a
 * transaction there is a second reason: kafkajs adds partitions to the transaction per call, and
 * concurrent calls would race on that.
 */
export async function sendAll(
  sender: Pick<Producer, 'sendBatch'> | Pick<Transaction, 'sendBatch'>,
  topicMessages: TopicMessages[],
  /** awaited before each produce request: a check that may throw to stop the rest */
  beforeEachRequest?: () => Promise<unknown>,
  /** each request acknowledged, with where its records landed */
  onSent?: (chunk: TopicMessages[], metadata: RecordMetadata[]) => void,
): Promise<void> {
  for (const chunk of chunkTopicMessages(topicMessages)) {
    if (beforeEachRequest) await beforeEachRequest();
    const metadata = await sender.sendBatch({ topicMessages: chunk, acks: -1 });
    onSent?.(chunk, metadata ?? []);
  }
}
