import type { Kafka, Message } from 'kafkajs';
import type { BenchRecord } from '../records';
import type { BenchClient, Clock } from './types';

const toMessages = (send: BenchRecord[]): Message[] =>
  send.map((r) => ({ key: r.key, value: r.value, headers: r.headers }));

/**
 * The bench on a kafkajs-shaped `Kafka`: plain kafkajs, kafkajs as sipflow configures it, or the
 * confluent KafkaJS-compatible API behind sipflow's adapter. Producer and consumer options are the
 * processor's (services/processor/src/processor.ts, consumer-supervisor.ts).
 */
export function kafkajsShaped(kafka: Kafka): BenchClient {
  return {
    async produce(topic, sends, clock) {
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      try {
        clock.start();
        for (const send of sends) await producer.send({ topic, acks: -1, messages: toMessages(send) });
        clock.stop();
      } finally {
        await producer.disconnect();
      }
    },

    async consume(topic, expected, clock, groupId) {
      const consumer = kafka.consumer({
        groupId,
        readUncommitted: false,
        maxBytesPerPartition: 1024 * 1024,
        maxWaitTimeInMs: 100,
      });
      await consumer.connect();
      let seen = 0;
      let bytes = 0;
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      try {
        clock.startCpu();
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await consumer.run({
          partitionsConsumedConcurrently: 3,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, resolveOffset }) => {
            clock.start();
            // touch what the processor reads of each record, so lazy decoding is not free
            for (const m of batch.messages)
              bytes += (m.value?.length ?? 0) + Object.keys(m.headers ?? {}).length;
            seen += batch.messages.length;
            resolveOffset(batch.lastOffset());
            if (seen >= expected) {
              clock.stop();
              done();
            }
          },
        });
        await finished;
      } finally {
        await consumer.disconnect();
      }
      // the sum keeps the reads above from being optimized away
      return bytes >= 0 ? seen : -1;
    },

    async transactional(topic, sends, clock: Clock, transactionalId) {
      const producer = kafka.producer({
        allowAutoTopicCreation: false,
        transactionalId,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await producer.connect();
      try {
        clock.start();
        for (const send of sends) {
          const tx = await producer.transaction();
          try {
            await tx.send({ topic, acks: -1, messages: toMessages(send) });
            await tx.commit();
          } catch (err) {
            await tx.abort();
            throw err;
          }
        }
        clock.stop();
      } finally {
        await producer.disconnect();
      }
    },
  };
}
