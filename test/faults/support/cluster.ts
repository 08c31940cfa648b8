import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { connectionFromEnv, type ConnectionSettings } from '@sipflow/config';
import { ledgerTopicsOf, stateTopicsOf } from '@sipflow/pipeline';
import { createKafka, provisionTopicsAndSchemas } from '@sipflow/kafka';
import {
  freePort,
  NODE_PORT_STEP,
  portIsFree,
  repoRoot,
  stackComponentPid,
  stackDown,
  stackUp,
  type StackComponent,
} from '@sipflow/stack';
import { afterAll, inject } from 'vitest';
import { topicNames } from '../../support/processor-harness';
import { killAllProcessors } from './processes';
import { type Topics } from '@sipflow/pipeline';

/** A Kafka cluster and registry the fault tests talk to, as the environment a command gets. */
export type FaultCluster = {
  /** KAFKA_BROKERS, SCHEMA_REGISTRY_URL and, for a secure stack, its TLS/SASL/registry credentials */
  env: { KAFKA_BROKERS: string; SCHEMA_REGISTRY_URL: string } & Record<string, string>;
  connection: ConnectionSettings;
};

function clusterOf(env: FaultCluster['env']): FaultCluster {
  return { env, connection: connectionFromEnv(env) };
}

/** The cluster the global setup provides (shared with other tests: never stopped here). */
export function sharedCluster(): FaultCluster {
  return clusterOf({
    KAFKA_BROKERS: inject('kafkaBrokers').join(','),
    SCHEMA_REGISTRY_URL: inject('schemaRegistryUrl'),
  });
}

/**
 * The shared cluster for one describe block, and fresh topics for its tests. After the block,
 * processors still running are killed and the topics deleted.
 */
export function onSharedCluster(): {
  cluster: FaultCluster;
  freshTopics: (prefix: string, opts?: { partitions?: number }) => Promise<Topics>;
} {
  const cluster = sharedCluster();
  const created: Topics[] = [];
  afterAll(async () => {
    await killAllProcessors();
    for (const t of created) await deleteFaultTopics(cluster, t);
  });
  return {
    cluster,
    freshTopics: async (prefix, opts) => {
      const topics = await createFaultTopics(cluster, prefix, opts);
      created.push(topics);
      return topics;
    },
  };
}

/**
 * A free port p such that p + 10·i is free too for each of `count` nodes (the stack's port
 * layout for several Kafka nodes).
 */
async function freePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = await freePort();
    const others = Array.from({ length: count - 1 }, (_, i) => base + NODE_PORT_STEP * (i + 1));
    if (others.every((p) => p < 65536) && (await Promise.all(others.map(portIsFree))).every(Boolean)) {
      return base;
    }
  }
  throw new Error(`no run of ${count} free loopback ports found`);
}

export type OwnStack = FaultCluster & {
  /** the stack's own environment, for stackUp/stackDown */
  stackEnv: NodeJS.ProcessEnv;
  stop: (only?: StackComponent) => Promise<void>;
  /** SIGKILL one part (a crash, not a shutdown); `start` brings it back */
  kill: (part: StackComponent) => Promise<void>;
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
export async function startOwnStack(layout: { brokers?: number; secure?: boolean } = {}): Promise<OwnStack> {
  const brokers = layout.brokers ?? 1;
  const home = mkdtempSync(join(tmpdir(), 'sipflow-faults-'));
  const cache =
    process.env.SIPFLOW_CACHE ?? join(process.env.SIPFLOW_HOME ?? join(repoRoot, '.sipflow'), 'cache');
  const stackEnv: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: '',
    SCHEMA_REGISTRY_URL: '',
    SIPFLOW_HOME: home,
    SIPFLOW_CACHE: cache,
    SIPFLOW_KAFKA_PORT: String(await freePortRun(brokers)),
    SIPFLOW_KAFKA_CONTROLLER_PORT: String(await freePortRun(brokers)),
    SIPFLOW_REGISTRY_PORT: String(await freePort()),
    SIPFLOW_STACK_BROKERS: String(brokers),
    SIPFLOW_STACK_SECURE: String(layout.secure ?? false),
    // three nodes must fit beside the shared stack on a small machine
    SIPFLOW_KAFKA_HEAP: brokers > 1 ? '320m' : '512m',
    SIPFLOW_REGISTRY_HEAP: '256m',
  };
  delete stackEnv.KAFKA_BROKERS;
  delete stackEnv.SCHEMA_REGISTRY_URL;
  const endpoints = await stackUp(report, stackEnv);
  return {
    ...clusterOf(endpoints.env as FaultCluster['env']),
    stackEnv,
    stop: (only) => stackDown(report, stackEnv, only ? { only } : {}),
    kill: async (part) => {
      const pid = stackComponentPid(part, stackEnv);
      if (pid === undefined) throw new Error(`${part} is not running`);
      process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 100 && stackComponentPid(part, stackEnv) !== undefined; i++) await sleep(100);
      report(`${part}: killed (pid ${pid})`);
    },
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
  await provisionTopicsAndSchemas(cluster.connection, topics, {
    partitions: opts.partitions ?? 3,
    replicationFactor: opts.replicationFactor ?? 1,
    ...(opts.minInsyncReplicas ? { minInsyncReplicas: opts.minInsyncReplicas } : {}),
  });
  return topics;
}

export async function deleteFaultTopics(cluster: FaultCluster, topics: Topics): Promise<void> {
  // kept for a look afterwards when asked (debugging a failure)
  if (process.env.SIPFLOW_FAULTS_KEEP_TOPICS === '1') return;
  const admin = createKafka(cluster.connection).admin();
  // the processor's per-number state topics (named from the input and the group) go too
  const state = stateTopicsOf(topics.input, `${topics.input}-group`);
  const ledger = ledgerTopicsOf(topics.input, `${topics.input}-group`);
  try {
    await admin.connect();
    await admin.deleteTopics({
      topics: [
        ...Object.values(topics),
        state.repartition,
        state.changelog,
        ledger.repartition,
        ledger.changelog,
      ],
      timeout: 10_000,
    });
  } catch {
    // best effort: the topic names are unique per run
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
