import { z } from 'zod';
import { envVar, parseEnv } from './env-spec';

export const KAFKA_CLIENTS = ['kafkajs', 'confluent'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

/**
 * Which Kafka client library `sipflow process` runs on. Separate from the connection settings:
 * only the processor's hot path offers the choice, the other commands stay on kafkajs.
 */
export const kafkaClientEnv = {
  KAFKA_CLIENT: envVar(
    z.enum(KAFKA_CLIENTS).default('kafkajs'),
    'Kafka client of the processor: kafkajs (pure JavaScript), or confluent ' +
      '(@confluentinc/kafka-javascript over librdkafka; install it with npm run peer:install)',
  ),
};

export function kafkaClientFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaClientName {
  return parseEnv(kafkaClientEnv, env).KAFKA_CLIENT;
}
