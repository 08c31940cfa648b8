// first: sipflow's kafkajs patches must be in place before kafkajs loads
import '@sipflow/kafka/kafkajs-patches';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaConfig } from 'kafkajs';
import { groupCoordinatorsReady, OFFSETS_TOPIC_PARTITIONS } from './group-coordinators';
import { probeAdmin } from './probe-admin';
import { ensureKafkaInstalled, type Report } from './install';
import type { KafkaNode } from './layout';
import type { StackOptions } from './options';
import { kafkaLog4j, type StackPaths } from './paths';
import { assertPortsFree } from './ports';
import { livePid, runLogged, spawnDetached, tail } from './processes';
import { SCRAM_MECHANISM, type StackSecrets } from './secrets';
import { waitUntil } from './wait';

export const kafkaMarker = (node: { id: number }) => `-Dsipflow.stack=kafka-${node.id}`;

export function kafkaFiles(paths: StackPaths, dataDir: string, node: { id: number }) {
  return {
    pidFile: join(paths.run, `kafka-${node.id}.pid`),
    logFile: join(paths.logs, `kafka-${node.id}.log`),
    dataDir: join(dataDir, `kafka-${node.id}`),
    propsFile: join(paths.run, `kafka-${node.id}.properties`),
    clusterIdFile: join(dataDir, 'kafka-cluster-id'),
  };
}

/**
 * One KRaft node (broker and controller in one JVM) on loopback, tuned for a laptop or a CI box:
 * small internal topics, no initial rebalance delay, nothing auto-created (topics are `sipflow
 * setup`'s job, so a missing setup shows up as an error rather than a silent default). With three
 * nodes the internal topics are replicated three ways and need two in sync, like production.
 *
 * Secure layouts serve clients and the other brokers on one SASL_SSL listener (SCRAM-SHA-512,
 * the self-signed certificate); the controller quorum stays on a loopback-only PLAINTEXT
 * listener, which no client ever uses.
 */
export function serverProperties(
  node: KafkaNode,
  nodes: KafkaNode[],
  dataDir: string,
  secrets: StackSecrets | undefined,
): string {
  const replicas = Math.min(3, nodes.length);
  const minIsr = replicas > 1 ? 2 : 1;
  const protocol = secrets ? 'SASL_SSL' : 'PLAINTEXT';
  const lines = [
    'process.roles=broker,controller',
    `node.id=${node.id}`,
    `controller.quorum.voters=${nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',')}`,
    `listeners=${protocol}://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    `advertised.listeners=${protocol}://127.0.0.1:${node.port}`,
    'controller.listener.names=CONTROLLER',
    `inter.broker.listener.name=${protocol}`,
    `listener.security.protocol.map=${protocol}:${protocol},CONTROLLER:PLAINTEXT`,
    `log.dirs=${dataDir}`,
    'auto.create.topics.enable=false',
    'num.partitions=3',
    `default.replication.factor=${replicas}`,
    `min.insync.replicas=${minIsr}`,
    `offsets.topic.replication.factor=${replicas}`,
    `offsets.topic.num.partitions=${OFFSETS_TOPIC_PARTITIONS}`,
    `transaction.state.log.replication.factor=${replicas}`,
    `transaction.state.log.min.isr=${minIsr}`,
    'transaction.state.log.num.partitions=8',
    `share.coordinator.state.topic.replication.factor=${replicas}`,
    `share.coordinator.state.topic.min.isr=${minIsr}`,
    'group.initial.rebalance.delay.ms=0',
  ];
  if (secrets) {
    const jaas =
      'org.apache.kafka.common.security.scram.ScramLoginModule required ' +
      `username="${secrets.interBroker.username}" password="${secrets.interBroker.password}";`;
    lines.push(
      `sasl.enabled.mechanisms=${SCRAM_MECHANISM}`,
      `sasl.mechanism.inter.broker.protocol=${SCRAM_MECHANISM}`,
      `listener.name.sasl_ssl.${SCRAM_MECHANISM.toLowerCase()}.sasl.jaas.config=${jaas}`,
      'ssl.keystore.type=PKCS12',
      `ssl.keystore.location=${secrets.keystore}`,
      `ssl.keystore.password=${secrets.storePassword}`,
      'ssl.truststore.type=PKCS12',
      `ssl.truststore.location=${secrets.truststore}`,
      `ssl.truststore.password=${secrets.storePassword}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Formats (first start only) and starts one node; does not wait for it. */
export async function spawnKafkaNode(opts: {
  paths: StackPaths;
  stackOpts: StackOptions;
  node: KafkaNode;
  nodes: KafkaNode[];
  dataDir: string;
  secrets: StackSecrets | undefined;
  report: Report;
}): Promise<void> {
  const { paths, stackOpts, node, report } = opts;
  const files = kafkaFiles(paths, opts.dataDir, node);
  const running = livePid(files.pidFile, kafkaMarker(node));
  if (running) {
    report(`kafka-${node.id}: already running (pid ${running})`);
    return;
  }
  const offset = node.id === 1 ? '' : ` + ${node.port - stackOpts.kafkaPort}`;
  await assertPortsFree([
    { port: node.port, variable: `SIPFLOW_KAFKA_PORT${offset}` },
    { port: node.controllerPort, variable: `SIPFLOW_KAFKA_CONTROLLER_PORT${offset}` },
  ]);
  const { version, libs } = await ensureKafkaInstalled(paths, stackOpts, report);
  const classpath = join(libs, '*');
  mkdirSync(files.dataDir, { recursive: true });
  writeFileSync(files.propsFile, serverProperties(node, opts.nodes, files.dataDir, opts.secrets), {
    mode: 0o600,
  });
  if (!existsSync(join(files.dataDir, 'meta.properties'))) {
    let clusterId = storedClusterId(files.clusterIdFile);
    if (!clusterId) writeFileSync(files.clusterIdFile, (clusterId = kafkaClusterId()));
    // SCRAM users must exist before the first broker starts: they go into the bootstrap metadata
    const scram = opts.secrets
      ? [opts.secrets.interBroker, opts.secrets.client].flatMap((u) => [
          '--add-scram',
          `${SCRAM_MECHANISM}=[name=${u.username},password=${u.password}]`,
        ])
      : [];
    await runLogged(
      stackOpts.java,
      [
        '-cp',
        classpath,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        files.propsFile,
        ...scram,
      ],
      files.logFile,
    );
  }
  const pid = spawnDetached({
    cmd: stackOpts.java,
    args: [
      `-Xms${stackOpts.kafkaHeap}`,
      `-Xmx${stackOpts.kafkaHeap}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${kafkaLog4j}`,
      kafkaMarker(node),
      '-cp',
      classpath,
      'kafka.Kafka',
      files.propsFile,
    ],
    logFile: files.logFile,
    pidFile: files.pidFile,
  });
  report(
    `kafka-${node.id}: started Apache Kafka ${version} (pid ${pid}) on 127.0.0.1:${node.port}, log ${files.logFile}`,
  );
}

/** Waits until every node is up and the cluster lists all of them. */
export async function waitForKafka(opts: {
  paths: StackPaths;
  stackOpts: StackOptions;
  nodes: KafkaNode[];
  dataDir: string;
  client: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  report: Report;
}): Promise<void> {
  const { paths, nodes } = opts;
  const brokers = nodes.map((n) => `127.0.0.1:${n.port}`);
  const files = nodes.map((n) => ({ node: n, ...kafkaFiles(paths, opts.dataDir, n) }));
  const ms = await waitUntil({
    what: `Kafka on ${brokers.join(',')}`,
    unavailable: 'SIPFLOW_KAFKA_UNAVAILABLE',
    probe: async () => (await kafkaBrokerCount(brokers, opts.client)) === nodes.length,
    timeoutMs: opts.stackOpts.timeoutMs,
    stillRunning: () => files.every((f) => livePid(f.pidFile, kafkaMarker(f.node)) !== undefined),
    diagnostics: () => files.map((f) => `last lines of ${f.logFile}:\n${tail(f.logFile)}`).join('\n'),
  });
  // Listing every node is not yet serving consumer groups (groupCoordinatorsReady): without this
  // wait the first consumer after `up` on a fresh cluster crashes once and logs it.
  const groupsMs = await waitUntil({
    what: `Kafka's group coordinators on ${brokers.join(',')}`,
    unavailable: 'SIPFLOW_KAFKA_UNAVAILABLE',
    probe: () => groupCoordinatorsReady(brokers, opts.client),
    timeoutMs: opts.stackOpts.timeoutMs,
    stillRunning: () => files.every((f) => livePid(f.pidFile, kafkaMarker(f.node)) !== undefined),
    diagnostics: () => files.map((f) => `last lines of ${f.logFile}:\n${tail(f.logFile)}`).join('\n'),
  });
  opts.report(`kafka: ready on ${brokers.join(',')} (${((ms + groupsMs) / 1000).toFixed(1)} s)`);
}

/** How many brokers the cluster lists, asking any of `brokers`; throws when none answers. */
export async function kafkaBrokerCount(
  brokers: string[],
  client: Pick<KafkaConfig, 'ssl' | 'sasl'> = {},
): Promise<number> {
  const admin = probeAdmin(brokers, client);
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Kafka cluster ids are 16 random bytes in URL-safe base64 without padding (22 characters). Like
 * Kafka's own Uuid.randomUuid(), never one that starts with '-': the storage tool's argument
 * parser would take it for an option (about one id in 64 did, and the format failed).
 */
export function kafkaClusterId(): string {
  for (;;) {
    const id = Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The id stored by an earlier `up`, unless it is one the storage tool cannot take. */
function storedClusterId(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const id = readFileSync(file, 'utf8').trim();
  return id.length === 22 && !id.startsWith('-') ? id : undefined;
}
