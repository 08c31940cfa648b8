import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionFromEnv, type ConnectionSettings, type Topics } from '@sipflow/config';
import { createKafka } from '@sipflow/kafka';
import { setup } from '@sipflow/processor';
import { repoRoot, stackDown, stackUp } from '@sipflow/stack';
import { inject } from 'vitest';
import { topicNames } from '../../support/processor-harness';

/** A Kafka cluster and registry the fault tests talk to, as the environment a command gets. */
export type FaultCluster = {
  env: { KAFKA_BROKERS: string; SCHEMA_REGISTRY_URL: string };
  connection: ConnectionSettings;
};

function clusterOf(brokers: string[], registryUrl: string): FaultCluster {
  const env = { KAFKA_BROKERS: brokers.join(','), SCHEMA_REGISTRY_URL: registryUrl };
  return { env, connection: connectionFromEnv(env) };
}

/** The cluster the global setup provides (shared with other tests: never stopped here). */
export function sharedCluster(): FaultCluster {
  return clusterOf(inject('kafkaBrokers'), inject('schemaRegistryUrl'));
}

/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export type OwnStack = FaultCluster & {
  /** the stack's own environment, for stackUp/stackDown */
  stackEnv: NodeJS.ProcessEnv;
  stop: (only?: 'kafka' | 'registry') => Promise<void>;
  start: () => Promise<void>;
  /** stops everything and removes its state */
  destroy: () => Promise<void>;
};

const report = (line: string) => process.stderr.write(`[faults stack] ${line}\n`);

/**
 * A separate local stack (own state directory and ports, small heaps) for tests that stop the
 * registry or restart the broker: the shared one keeps running for everyone else. The installed
 * releases are reused from the repository's cache.
 */
export async function startOwnStack(): Promise<OwnStack> {
  const home = mkdtempSync(join(tmpdir(), 'sipflow-faults-'));
  const cache =
    process.env.SIPFLOW_CACHE ?? join(process.env.SIPFLOW_HOME ?? join(repoRoot, '.sipflow'), 'cache');
  const stackEnv: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: '',
    SCHEMA_REGISTRY_URL: '',
    SIPFLOW_HOME: home,
    SIPFLOW_CACHE: cache,
    SIPFLOW_KAFKA_PORT: String(await freePort()),
    SIPFLOW_KAFKA_CONTROLLER_PORT: String(await freePort()),
    SIPFLOW_REGISTRY_PORT: String(await freePort()),
    SIPFLOW_KAFKA_HEAP: '512m',
    SIPFLOW_REGISTRY_HEAP: '256m',
  };
  delete stackEnv.KAFKA_BROKERS;
  delete stackEnv.SCHEMA_REGISTRY_URL;
  const endpoints = await stackUp(report, stackEnv);
  return {
    ...clusterOf(endpoints.brokers, endpoints.registryUrl),
    stackEnv,
    stop: (only) => stackDown(report, stackEnv, only ? { only } : {}),
    start: async () => {
      await stackUp(report, stackEnv);
    },
    destroy: async () => {
      await stackDown(report, stackEnv);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Fresh topics (and their schemas) for one test. */
export async function createFaultTopics(
  cluster: FaultCluster,
  prefix: string,
  opts: { partitions?: number; replicationFactor?: number; minInsyncReplicas?: number } = {},
): Promise<Topics> {
  const topics = topicNames(`faults-${prefix}-${randomUUID().slice(0, 8)}`);
  await setup(cluster.connection, topics, {
    partitions: opts.partitions ?? 3,
    replicationFactor: opts.replicationFactor ?? 1,
    ...(opts.minInsyncReplicas ? { minInsyncReplicas: opts.minInsyncReplicas } : {}),
  });
  return topics;
}

export async function deleteFaultTopics(cluster: FaultCluster, topics: Topics): Promise<void> {
  const admin = createKafka(cluster.connection).admin();
  try {
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(topics), timeout: 10_000 });
  } catch {
    // best effort: the topic names are unique per run
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
