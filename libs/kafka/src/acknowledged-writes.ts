import { createRequire } from 'node:module';
import type {
  Kafka,
  Message,
  Producer,
  ProducerBatch,
  ProducerConfig,
  ProducerRecord,
  RecordMetadata,
  TopicMessages,
  Transaction,
} from 'kafkajs';
import { JavaCompatiblePartitioner } from './java-partitioner';

// kafkajs spreads its error classes into module.exports, which Node's ESM named-import detection
// cannot see; require gives the real class (a KafkaJSError is what kafkajs' retry logic expects)
const { KafkaJSError } = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');

/**
 * Why this exists: kafkajs 2.2.4 can resolve a send without writing all of it (tulios/kafkajs#1303).
 * A send that spans several leaders keeps each leader's response between retries and skips
 * leaders that already answered. When a broker dies, its partitions move to a leader that already
 * answered for its own partitions; the retry skips that leader, so the moved partitions are never
 * written, yet the send resolves. The scale-out fault test lost 15–22 acknowledged records that
 * way when it killed a broker.
 *
 * The fix here does not depend on how kafkajs goes wrong. The partitioner records which partition
 * it picked for each message, and it gives the same answer if asked again. After a send, any
 * message whose partition is missing from the response is sent again, to that same partition.
 */

/**
 * The messages of `sent` whose partition is not in `acknowledged`. `partitionOf` gives the
 * partition the partitioner chose for a message; a message without one was never placed, so it
 * is missing too. The result is pure: it depends only on its arguments.
 */
export function unacknowledgedMessages(
  sent: TopicMessages[],
  acknowledged: RecordMetadata[],
  partitionOf: (message: Message) => number | undefined,
): TopicMessages[] {
  // per topic, the partitions written: looked up once per topic, then a Set lookup per message
  const written = new Map<string, Set<number>>();
  for (const m of acknowledged) {
    if (m.errorCode !== 0) continue;
    let partitions = written.get(m.topicName);
    if (partitions === undefined) written.set(m.topicName, (partitions = new Set()));
    partitions.add(m.partition);
  }
  const none = new Set<number>();
  const missing: TopicMessages[] = [];
  for (const { topic, messages } of sent) {
    const done = written.get(topic) ?? none;
    const left = messages.filter((m) => {
      const partition = partitionOf(m);
      return partition === undefined || !done.has(partition);
    });
    if (left.length > 0) missing.push({ topic, messages: left });
  }
  return missing;
}

export type UnacknowledgedWrite = { messages: number; partitions: string[]; attempt: number };

/** How many times a send's missing messages are sent again before the send fails. */
const MAX_RESENDS = 5;

type SendBatch = (batch: ProducerBatch) => Promise<RecordMetadata[]>;

function checkedSendBatch(
  send: SendBatch,
  partitionOf: (message: Message) => number | undefined,
  onUnacknowledged: (write: UnacknowledgedWrite) => void,
): SendBatch {
  return async (batch) => {
    // acks=0 asks for no response, so there is nothing to check
    if (batch.acks === 0) return send(batch);
    const results: RecordMetadata[] = [];
    let pending = batch.topicMessages ?? [];
    for (let attempt = 1; ; attempt++) {
      const acknowledged = await send({ ...batch, topicMessages: pending });
      results.push(...acknowledged);
      pending = unacknowledgedMessages(pending, acknowledged, partitionOf);
      if (pending.length === 0) return results;
      const messages = pending.reduce((n, t) => n + t.messages.length, 0);
      const partitions = [
        ...new Set(pending.flatMap((t) => t.messages.map((m) => `${t.topic}[${partitionOf(m)}]`))),
      ];
      if (attempt > MAX_RESENDS) {
        // retriable: the caller's own retry (the consumer's, the load's) may still get it through
        throw new KafkaJSError(
          `${messages} messages to ${partitions.join(', ')} were not acknowledged after ${attempt} sends`,
          { retriable: true },
        );
      }
      onUnacknowledged({ messages, partitions, attempt });
    }
  };
}

/** A message with the partition one producer chose for it, under that producer's own symbol. */
type Placed = Message & { [chosen: symbol]: number | undefined };

/**
 * A partitioner that remembers its choice per message, so a message keeps its partition across
 * kafkajs' retries and ours (a keyless message would otherwise be round-robined again). The choice
 * is a property under a symbol of this producer's, not a WeakMap entry: a WeakMap of every message
 * sent cost a map insert per message and ephemeron work in every GC.
 */
function recordingPartitioner(
  base: NonNullable<ProducerConfig['createPartitioner']>,
  chosen: symbol,
): NonNullable<ProducerConfig['createPartitioner']> {
  return () => {
    const pick = base();
    return (args) => {
      const message = args.message as Placed;
      const known = message[chosen];
      if (known !== undefined) return known;
      const partition = pick(args);
      message[chosen] = partition;
      return partition;
    };
  };
}

/**
 * `kafka` whose producers (and their transactions) only resolve a send once every message's
 * partition has acknowledged it: what kafkajs leaves out is sent again, and reported.
 */
export function withAcknowledgedWrites(
  kafka: Kafka,
  onUnacknowledged: (write: UnacknowledgedWrite) => void = () => undefined,
): Kafka {
  const createProducer = kafka.producer.bind(kafka);
  kafka.producer = (config: ProducerConfig = {}): Producer => {
    const chosen = Symbol('sipflow.partition');
    const partitionOf = (m: Message) => (m as Placed)[chosen];
    const producer = createProducer({
      ...config,
      // kafkajs' DefaultPartitioner places a key where Java's does; this one does too, cheaper
      createPartitioner: recordingPartitioner(config.createPartitioner ?? JavaCompatiblePartitioner, chosen),
    });
    const checked = (send: SendBatch) => checkedSendBatch(send, partitionOf, onUnacknowledged);
    const sendBatch = checked(producer.sendBatch);
    const wrapTransaction = (tx: Transaction): Transaction => {
      const txSendBatch = checked(tx.sendBatch);
      return {
        ...tx,
        sendBatch: txSendBatch,
        send: ({ topic, messages, ...rest }: ProducerRecord) =>
          txSendBatch({ ...rest, topicMessages: [{ topic, messages }] }),
      };
    };
    return {
      ...producer,
      sendBatch,
      send: ({ topic, messages, ...rest }: ProducerRecord) =>
        sendBatch({ ...rest, topicMessages: [{ topic, messages }] }),
      transaction: async () => wrapTransaction(await producer.transaction()),
    };
  };
  return kafka;
}
