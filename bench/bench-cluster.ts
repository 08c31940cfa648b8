import { connectionFromEnv, type ConnectionSettings } from '@sipflow/config';
import { createKafka, createRegistry } from '@sipflow/kafka';
import { stackUp } from '@sipflow/stack';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Admin, Kafka } from 'kafkajs';

/** A bench's progress line on stderr, stamped with the time of day. */
export const benchLog = (line: string): void => {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
};

export type BenchCluster = {
  endpoints: Awaited<ReturnType<typeof stackUp>>;
  /** KAFKA_BROKERS and SCHEMA_REGISTRY_URL, for the processes a bench starts */
  env: { KAFKA_BROKERS: string; SCHEMA_REGISTRY_URL: string };
  conn: ConnectionSettings;
  kafka: Kafka;
  registry: SchemaRegistry;
  /** connected */
  admin: Admin;
};

/**
 * The broker and registry every bench runs against: the ones KAFKA_BROKERS / SCHEMA_REGISTRY_URL
 * name, or the local stack (started when it is not up), with the clients a bench needs.
 */
export async function benchCluster(clientId: string): Promise<BenchCluster> {
  const endpoints = await stackUp(benchLog);
  const env = { KAFKA_BROKERS: endpoints.brokers.join(','), SCHEMA_REGISTRY_URL: endpoints.registryUrl };
  const conn = connectionFromEnv({ ...process.env, ...env });
  const kafka = createKafka(conn, { clientId });
  const admin = kafka.admin();
  await admin.connect();
  return { endpoints, env, conn, kafka, registry: createRegistry(conn), admin };
}
