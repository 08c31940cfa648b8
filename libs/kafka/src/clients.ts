// first: sipflow's kafkajs patches must be in place before kafkajs loads
import './kafkajs-patches';
import { createRequire } from 'node:module';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { ConnectionSettings, KafkaClientName } from '@sipflow/config';
import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import { withAcknowledgedWrites, type UnacknowledgedWrite } from './acknowledged-writes';
import { confluentKafka } from './confluent/kafka';
import { useSingleBufferProduceEncoding } from './kafkajs-produce-encoder';
import { linearGroupingInstalled } from './kafkajs-linear-grouping';
import { recordDecoderInstalled } from './kafkajs-record-decoder';
import { groupFencingInstalled } from './kafkajs-group-fencing';

// kafkajs warns about its v2 partitioner change on every producer; sipflow keys by leadId and
// never relied on the legacy partitioner.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

/**
 * A Kafka client from the connection settings: kafkajs, its producers checked for unacknowledged
 * writes; or with `client: 'confluent'` the same settings on @confluentinc/kafka-javascript
 * (loaded only then), behind kafkajs' interface.
 */
export function createKafka(
  conn: ConnectionSettings,
  opts: {
    clientId?: string;
    logCreator?: logCreator;
    client?: KafkaClientName;
    /** a send kafkajs resolved without every partition acknowledging it (sent again); logged by default */
    onUnacknowledged?: (write: UnacknowledgedWrite) => void;
  } = {},
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
  // librdkafka tracks delivery per message; kafkajs needs the check (see acknowledged-writes.ts)
  if (opts.client === 'confluent') return confluentKafka(config);
  // one buffer per produce request instead of kafkajs' allocations per record and header
  useSingleBufferProduceEncoding();
  const kafka = new Kafka(config);
  return withAcknowledgedWrites(
    kafka,
    opts.onUnacknowledged ??
      ((write) =>
        kafka
          .logger()
          .warn('send resolved without every partition acknowledging it; sending the rest again', {
            ...write,
          })),
  );
}

export function createRegistry(conn: ConnectionSettings): SchemaRegistry {
  return new SchemaRegistry({
    host: conn.registry.url,
    clientId: conn.clientId,
    ...(conn.registry.auth ? { auth: conn.registry.auth } : {}),
    retry: { retries: 3, initialRetryTimeInSecs: 0.2, maxRetryTimeInSecs: 2 },
  });
}

/**
 * Which of sipflow's cached kafkajs modules (kafkajs-patches.ts) the kafkajs in use runs with: each
 * went into the module cache before kafkajs loaded, and the kafkajs in use is the one in
 * node_modules whose cache holds them (a bundle carries its own copy, unpatched).
 */
export function kafkajsPatchesInUse(): {
  linearGrouping: boolean;
  recordDecoder: boolean;
  groupFencing: boolean;
} {
  let sameKafkajs = false;
  try {
    sameKafkajs = (createRequire(import.meta.url)('kafkajs') as { Kafka: unknown }).Kafka === Kafka;
  } catch {
    // no kafkajs in node_modules: the bundled one is in use
  }
  return {
    linearGrouping: sameKafkajs && linearGroupingInstalled,
    recordDecoder: sameKafkajs && recordDecoderInstalled,
    // patched on kafkajs' classes through static imports, so a bundle's own kafkajs has it too
    groupFencing: groupFencingInstalled(),
  };
}
