// first: sipflow's kafkajs patches must be in place before kafkajs loads
import '@sipflow/kafka/kafkajs-patches';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { inject } from 'vitest';

/** Clients for the cluster the global setup provided; every test names its own topics. */
export function testKafka(clientId = 'sipflow-test'): Kafka {
  return new Kafka({ clientId, brokers: inject('kafkaBrokers'), logLevel: logLevel.ERROR });
}

export function testRegistry(): SchemaRegistry {
  return new SchemaRegistry({ host: inject('schemaRegistryUrl') });
}

/**
 * `<prefix>-<run token>-<6 hex>`: unique, and marked as this run's, so the global teardown
 * deletes the topics, subjects and groups named with it (test/setup/test-run.ts).
 */
export function uniqueName(prefix: string, token: string = inject('testRunToken')): string {
  return `${prefix}-${token}-${randomBytes(3).toString('hex')}`;
}
