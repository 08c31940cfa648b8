import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ensureKafkaInstalled, type Report } from './install';
import type { StackOptions } from './options';
import { kafkaLog4j, type StackPaths } from './paths';
import { assertPortsFree } from './ports';
import { livePid, runLogged, spawnDetached, tail } from './processes';
import { waitUntil } from './wait';

const NODE_ID = 1;
export const KAFKA_MARKER = `-Dsipflow.stack=kafka-${NODE_ID}`;

export function kafkaFiles(paths: StackPaths) {
  return {
    pidFile: join(paths.run, `kafka-${NODE_ID}.pid`),
    logFile: join(paths.logs, `kafka-${NODE_ID}.log`),
    dataDir: join(paths.data, `kafka-${NODE_ID}`),
    propsFile: join(paths.run, `kafka-${NODE_ID}.properties`),
    clusterIdFile: join(paths.data, 'kafka-cluster-id'),
  };
}

/**
 * A single-node KRaft cluster (broker and controller in one JVM) on loopback, tuned for a laptop
 * or a CI box: small internal topics, no initial rebalance delay, nothing auto-created (topics are
 * `sipflow setup`'s job, so a missing setup shows up as an error rather than a silent default).
 */
function serverProperties(opts: StackOptions, dataDir: string): string {
  return [
    'process.roles=broker,controller',
    `node.id=${NODE_ID}`,
    `controller.quorum.voters=${NODE_ID}@127.0.0.1:${opts.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${opts.kafkaPort},CONTROLLER://127.0.0.1:${opts.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${opts.kafkaPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${dataDir}`,
    'auto.create.topics.enable=false',
    'num.partitions=3',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=8',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=8',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    '',
  ].join('\n');
}

export async function startKafka(paths: StackPaths, opts: StackOptions, report: Report): Promise<void> {
  const files = kafkaFiles(paths);
  const brokers = [`127.0.0.1:${opts.kafkaPort}`];
  const running = livePid(files.pidFile, KAFKA_MARKER);
  if (running) {
    report(`kafka: already running (pid ${running})`);
  } else {
    await assertPortsFree([
      { port: opts.kafkaPort, variable: 'SIPFLOW_KAFKA_PORT' },
      { port: opts.controllerPort, variable: 'SIPFLOW_KAFKA_CONTROLLER_PORT' },
    ]);
    const { version, libs } = await ensureKafkaInstalled(paths, opts, report);
    const classpath = join(libs, '*');
    mkdirSync(files.dataDir, { recursive: true });
    writeFileSync(files.propsFile, serverProperties(opts, files.dataDir));
    if (!existsSync(join(files.dataDir, 'meta.properties'))) {
      let clusterId = storedClusterId(files.clusterIdFile);
      if (!clusterId) writeFileSync(files.clusterIdFile, (clusterId = kafkaClusterId()));
      await runLogged(
        opts.java,
        ['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', files.propsFile],
        files.logFile,
      );
    }
    const pid = spawnDetached({
      cmd: opts.java,
      args: [
        `-Xms${opts.kafkaHeap}`,
        `-Xmx${opts.kafkaHeap}`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${kafkaLog4j}`,
        KAFKA_MARKER,
        '-cp',
        classpath,
        'kafka.Kafka',
        files.propsFile,
      ],
      logFile: files.logFile,
      pidFile: files.pidFile,
    });
    report(`kafka: started Apache Kafka ${version} (pid ${pid}), log ${files.logFile}`);
  }
  const ms = await waitUntil({
    what: `Kafka on ${brokers[0]}`,
    probe: () => kafkaAnswers(brokers),
    timeoutMs: opts.timeoutMs,
    stillRunning: () => livePid(files.pidFile, KAFKA_MARKER) !== undefined,
    diagnostics: () => `last lines of ${files.logFile}:\n${tail(files.logFile)}`,
  });
  report(`kafka: ready on ${brokers[0]} (${(ms / 1000).toFixed(1)} s)`);
}

/** True once the broker answers metadata requests and lists itself. */
export async function kafkaAnswers(brokers: string[]): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'sipflow-stack-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
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
