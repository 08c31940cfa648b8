import { connectionFromEnv } from '@sipflow/config';
import { createKafka } from '@sipflow/kafka';
import type { BenchClient } from './types';
import { kafkajsShaped } from './kafkajs';

/**
 * The processor's client from `createKafka` (libs/kafka/src/clients.ts): kafkajs with sipflow's
 * single-buffer produce encoder and its acknowledged-write check, or with `confluent` the
 * @confluentinc/kafka-javascript KafkaJS-compatible API behind sipflow's kafkajs interface.
 */
export function sipflowClient(client: 'kafkajs' | 'confluent'): BenchClient {
  return kafkajsShaped(createKafka(connectionFromEnv(), { clientId: 'clientbench', client }));
}
