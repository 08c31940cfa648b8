import { spawn, type ChildProcess } from 'node:child_process';
import { connectionFromEnv, type ConnectionSettings } from '@sipflow/config';
import { createKafka, provisionTopicsAndSchemas } from '@sipflow/kafka';
import {
  processorConfigFromEnv,
  startProcessor,
  type RunningProcessor,
  type Tracing,
} from '@sipflow/processor';
import { defaultRules, loadRules } from '@sipflow/rules';
import { createLogger, createProcessorMetrics } from '@sipflow/telemetry';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { readSchema, registerSchema, type CallAttempt, type RegisteredType } from '@sipflow/codec';
import type { KafkaMessage, Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { inject } from 'vitest';
import { uniqueName } from './cluster';
import { OUTPUT_KINDS, topicsToEnv, type Topics } from '@sipflow/pipeline';

/** Environment pointing at the cluster the global setup provided, with this run's own topics. */
export function testEnv(topics: Topics, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    KAFKA_BROKERS: inject('kafkaBrokers').join(','),
    SCHEMA_REGISTRY_URL: inject('schemaRegistryUrl'),
    ...topicsToEnv(topics),
    CONSUMER_GROUP: `${topics.input}-group`,
    // one process unless a test asks for workers: kill and signal tests mean that one process
    PROCESSOR_WORKERS: '1',
    METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

export function testConnection(): ConnectionSettings {
  return connectionFromEnv({
    KAFKA_BROKERS: inject('kafkaBrokers').join(','),
    SCHEMA_REGISTRY_URL: inject('schemaRegistryUrl'),
  });
}

/** sipflow's seven topics under one base name: `<base>.raw`, `<base>.enriched`, ... */
export function topicNames(base: string): Topics {
  return {
    input: `${base}.raw`,
    ...Object.fromEntries(OUTPUT_KINDS.map((k) => [k, `${base}.${k}`])),
  } as Topics;
}

/**
 * What a test needs to feed the raw topic: the input value schema registered under its subject
 * (so `input.encode` writes the wire format) and a connected producer; disconnect it after.
 */
export async function rawTopicWriter(
  registry: SchemaRegistry,
  topics: Topics,
): Promise<{ input: RegisteredType<CallAttempt>; producer: Producer }> {
  const input = await registerSchema<CallAttempt>(
    registry,
    `${topics.input}-value`,
    readSchema('call-attempt.avsc'),
  );
  const producer = createKafka(testConnection()).producer();
  await producer.connect();
  return { input, producer };
}

/** A fresh set of sipflow topics (and their schemas) for one test file. */
export async function createTestTopics(prefix: string, partitions = 3): Promise<Topics> {
  const topics = topicNames(uniqueName(prefix));
  await provisionTopicsAndSchemas(testConnection(), topics, { partitions, replicationFactor: 1 });
  return topics;
}

export async function deleteTopics(topics: Topics): Promise<void> {
  const admin = createKafka(testConnection()).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  await admin.disconnect();
}

/** The processor in this process, with its own metrics registry; RULES_FILE in `extra` is loaded. */
export async function startInProcess(
  topics: Topics,
  extra: Record<string, string> = {},
  opts: { tracing?: Tracing } = {},
): Promise<RunningProcessor & { metrics: Registry }> {
  const config = processorConfigFromEnv(testEnv(topics, extra));
  const registry = new Registry();
  const processor = await startProcessor(config, {
    rules: config.rulesFile ? loadRules(config.rulesFile) : defaultRules(),
    metrics: createProcessorMetrics(registry, { defaultMetrics: false }),
    logger: createLogger({ level: 'warn', name: 'test-processor' }),
    ...(opts.tracing ? { tracing: opts.tracing } : {}),
  });
  return { ...processor, metrics: registry };
}

export type ChildProcessor = ChildProcess & { output: () => string };

/**
 * `sipflow process` as a real child process (for kill and signal tests). Its output is drained
 * (an unread pipe would block it) and kept for the failure message.
 */
export function spawnProcessor(topics: Topics, extra: Record<string, string> = {}): ChildProcessor {
  const child = spawn(process.execPath, ['services/cli/bin/sipflow.mjs', 'process'], {
    env: { ...process.env, ...testEnv(topics, extra) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 200));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return Object.assign(child, { output: () => lines.join('\n') });
}

export type ReadRecord = KafkaMessage & { topic: string; partition: number };

/**
 * Reads a topic from the beginning until `count` records arrived (or `timeoutMs` passed, then
 * returns what it has). read_committed by default, as downstream consumers should.
 */
export async function readTopic(
  topic: string,
  count: number,
  opts: { timeoutMs?: number; settleMs?: number } = {},
): Promise<ReadRecord[]> {
  const consumer = createKafka(testConnection()).consumer({
    groupId: uniqueName('reader'),
    readUncommitted: false,
  });
  const records: ReadRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    let settle: NodeJS.Timeout | undefined;
    const done = setTimeout(resolve, opts.timeoutMs ?? 30_000);
    void consumer.run({
      eachMessage: async ({ message, partition }) => {
        records.push({ ...message, topic, partition });
        if (records.length >= count && !settle) {
          // wait a little longer: more records than expected (duplicates) must be seen too
          settle = setTimeout(() => {
            clearTimeout(done);
            resolve();
          }, opts.settleMs ?? 500);
        }
      },
    });
  });
  await consumer.disconnect();
  return records;
}

export const header = (m: KafkaMessage, name: string) => m.headers?.[name]?.toString();

/**
 * `sipflow ARGS` as a child process on the test cluster's `topics`: its exit status and output.
 * Killed after 90 s, so a test that hangs it still ends.
 */
export function sipflowCli(
  topics: Topics,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['services/cli/bin/sipflow.mjs', ...args], {
      env: { ...process.env, ...testEnv(topics) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('error', reject);
    // 'close', not 'exit': 'exit' can come before the last of stdout is read, and a test then saw
    // an exit status with empty output
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
