// The client's ceiling: consume → produce with the same client, batch shape and acks as the
// processor, and no decode/classify. Run as its own process so its CPU is measured alone.
// KAFKA_CLIENT=confluent runs the same loop on the peer client, configured as the processor
// configures it (createKafka), so the two ceilings compare like for like.
import { connectionFromEnv, kafkaClientFromEnv } from '@sipflow/config';
import { SipflowError } from '@sipflow/errors';
import { createKafka, sendAll, useSingleBufferProduceEncoding } from '@sipflow/kafka';
import { Kafka, logLevel } from 'kafkajs';

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new SipflowError('SIPFLOW_INVALID_CONFIG', `${name} is required`, { variable: name });
  return v;
};
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
// the produce encoding the processor runs with (libs/kafka record-batch-encoding.ts), so the
// ceiling is the client as sipflow uses it
useSingleBufferProduceEncoding();
const client = kafkaClientFromEnv();
const kafka =
  client === 'confluent'
    ? createKafka(connectionFromEnv(), { clientId: 'sipflow-passthrough', client })
    : new Kafka({
        clientId: 'sipflow-passthrough',
        brokers: env('KAFKA_BROKERS').split(','),
        logLevel: logLevel.WARN,
      });
const producer = kafka.producer({ allowAutoTopicCreation: false });
const consumer = kafka.consumer({
  groupId: env('CONSUMER_GROUP'),
  maxBytesPerPartition: 1024 * 1024,
  maxWaitTimeInMs: 100,
});
const output = env('OUTPUT_TOPIC');

await producer.connect();
await consumer.connect();
await consumer.subscribe({ topics: [env('INPUT_TOPIC')], fromBeginning: true });
await consumer.run({
  partitionsConsumedConcurrently: 3,
  eachBatchAutoResolve: false,
  eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
    const messages = batch.messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers }));
    await sendAll(producer, [{ topic: output, messages }]);
    resolveOffset(batch.lastOffset());
    await heartbeat();
  },
});
const stop = async () => {
  await consumer.disconnect();
  await producer.disconnect();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
