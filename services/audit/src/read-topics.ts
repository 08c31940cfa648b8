import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

export type ReadResult = {
  /** false when the timeout came before every partition reached its snapshotted end */
  complete: boolean;
  /** partitions not read to the end, as `topic/partition` */
  unfinished: string[];
};

/**
 * Reads `topics` from the beginning up to their end offsets as they are when the read starts
 * (read_committed: the last stable offsets), so a running producer cannot keep the read going.
 * `handle` gets each batch's records below the snapshotted end, in order per partition.
 */
export async function readTopicsToEnd(
  kafka: Kafka,
  topics: string[],
  handle: (topic: string, partition: number, messages: KafkaMessage[]) => Promise<void> | void,
  opts: { timeoutMs: number },
): Promise<ReadResult> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `sipflow-audit-${randomUUID()}`;
  try {
    const ends = new Map<string, bigint>(); // topic/partition → end offset (exclusive)
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(p.high) > BigInt(p.low)) ends.set(`${topic}/${p.partition}`, BigInt(p.high));
      }
    }
    if (ends.size === 0) return { complete: true, unfinished: [] };
    const pending = new Set(ends.keys());
    const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 250 });
    await consumer.connect();
    try {
      let finished!: () => void;
      const allRead = new Promise<void>((resolve) => (finished = resolve));
      // emitted after every batch, also for one holding only transaction markers or aborted
      // records (which eachBatch never sees): lastOffset then still moves past them
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const key = `${payload.topic}/${payload.partition}`;
        const end = ends.get(key);
        if (end !== undefined && BigInt(payload.lastOffset) >= end - 1n) pending.delete(key);
        if (pending.size === 0) finished();
      });
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        eachBatch: async ({ batch }) => {
          const end = ends.get(`${batch.topic}/${batch.partition}`) ?? 0n;
          const within = batch.messages.filter((m) => BigInt(m.offset) < end);
          if (within.length > 0) await handle(batch.topic, batch.partition, within);
        },
      });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), opts.timeoutMs);
      });
      const outcome = await Promise.race([allRead, timedOut]);
      clearTimeout(timer);
      return { complete: outcome !== 'timeout', unfinished: [...pending] };
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
