import { Kafka, logLevel } from 'kafkajs';
import type { BenchClient } from './types';
import { kafkajsShaped } from './kafkajs';

/** kafkajs 2.2.4 as a user gets it from npm: its own encoder, no acknowledged-write check. */
export function plainKafkajs(brokers: string[]): BenchClient {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  return kafkajsShaped(new Kafka({ clientId: 'clientbench', brokers, logLevel: logLevel.WARN }));
}
