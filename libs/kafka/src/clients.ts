import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { ConnectionSettings } from '@sipflow/config';
import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';

// kafkajs warns about its v2 partitioner change on every producer; sipflow keys by leadId and
// never relied on the legacy partitioner.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

export function createKafka(
  conn: ConnectionSettings,
  opts: { clientId?: string; logCreator?: logCreator } = {},
): Kafka {
  const config: KafkaConfig = {
    clientId: opts.clientId ?? conn.clientId,
    brokers: conn.brokers,
    ssl: conn.ssl === false ? false : { ...conn.ssl },
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    logLevel: logLevel.WARN,
    // kafkajs' own retry covers short broker blips; longer outages surface as a consumer crash,
    // which the processor restarts with its own bounded backoff
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
    ...(opts.logCreator ? { logCreator: opts.logCreator } : {}),
  };
  if (conn.sasl) {
    const { mechanism, username, password } = conn.sasl;
    config.sasl = { mechanism, username, password } as KafkaConfig['sasl'];
  }
  return new Kafka(config);
}

export function createRegistry(conn: ConnectionSettings): SchemaRegistry {
  return new SchemaRegistry({
    host: conn.registry.url,
    clientId: conn.clientId,
    ...(conn.registry.auth ? { auth: conn.registry.auth } : {}),
    retry: { retries: 3, initialRetryTimeInSecs: 0.2, maxRetryTimeInSecs: 2 },
  });
}
