import {
  compatibilityPartitioner,
  Consumer,
  ProduceAcks,
  Producer,
  stringDeserializer,
  stringSerializer,
  type MessageToProduce,
} from '@platformatic/kafka';
import type { BenchRecord } from '../records';
import type { BenchClient } from './types';

type Out = MessageToProduce<string, Buffer, string, string>;

const serializers = {
  key: stringSerializer,
  // the value is already Avro bytes: passed through
  value: (v?: Buffer) => v,
  headerKey: stringSerializer,
  headerValue: stringSerializer,
};

/**
 * @platformatic/kafka, configured for sipflow's guarantees. Its default partitioner hashes with
 * murmur2 but keeps the hash as unsigned (`murmur2(key) >>> 0`), while Java masks the sign bit
 * (`& 0x7fffffff`), so keys with a negative hash land elsewhere; `compatibilityPartitioner` is
 * the Java one (dist/clients/producer/partitioners.js, 2.12.1, checked 2026-12-01). Its producer
 * defaults to acks=1 unless idempotent (dist/clients/producer/producer.js), so acks is set here.
 */
export function platformatic(brokers: string[]): BenchClient {
  const base = { clientId: 'clientbench', bootstrapBrokers: brokers, autocreateTopics: false };
  const toMessages = (topic: string, send: BenchRecord[]): Out[] =>
    send.map((r) => ({ topic, key: r.key, value: r.value, headers: r.headers }));
  return {
    async produce(topic, sends, clock) {
      const producer = new Producer<string, Buffer, string, string>({
        ...base,
        acks: ProduceAcks.ALL,
        partitioner: compatibilityPartitioner,
        serializers,
      });
      try {
        // connects and reads metadata, so the measured sends do not
        await producer.metadata({ topics: [topic] });
        clock.start();
        for (const send of sends) await producer.send({ messages: toMessages(topic, send) });
        clock.stop();
      } finally {
        await producer.close();
      }
    },

    async consume(topic, expected, clock, groupId) {
      const consumer = new Consumer<string, Buffer, string, string>({
        ...base,
        groupId,
        autocommit: false,
        maxWaitTime: 100,
        maxBytesPerPartition: 1024 * 1024,
        deserializers: {
          key: stringDeserializer,
          value: (v?: Buffer) => v,
          headerKey: stringDeserializer,
          headerValue: stringDeserializer,
        },
      });
      let seen = 0;
      let bytes = 0;
      try {
        clock.startCpu();
        const stream = await consumer.consume({ topics: [topic], mode: 'earliest' });
        await new Promise<void>((resolve, reject) => {
          stream.on('error', reject);
          stream.on('data', (m) => {
            clock.start();
            bytes += (m.value?.length ?? 0) + m.headers.size;
            if (++seen === expected) {
              clock.stop();
              resolve();
            }
          });
        });
        await stream.close();
      } finally {
        await consumer.close(true);
      }
      // the sum keeps the reads above from being optimized away
      return bytes >= 0 ? seen : -1;
    },

    async transactional(topic, sends, clock, transactionalId) {
      const producer = new Producer<string, Buffer, string, string>({
        ...base,
        idempotent: true,
        transactionalId,
        acks: ProduceAcks.ALL,
        partitioner: compatibilityPartitioner,
        serializers,
      });
      try {
        await producer.metadata({ topics: [topic] });
        clock.start();
        for (const send of sends) {
          const tx = await producer.beginTransaction();
          try {
            await tx.send({ messages: toMessages(topic, send) });
            await tx.commit();
          } catch (err) {
            await tx.abort();
            throw err;
          }
        }
        clock.stop();
      } finally {
        await producer.close();
      }
    },
  };
}
