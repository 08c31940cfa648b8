import { hostname } from 'node:os';
import {
  booleanFlag,
  connectionFromEnv,
  envVar,
  kafkaClientEnv,
  kafkaEnv,
  parseEnv,
  type ConnectionSettings,
  type KafkaClientName,
} from '@sipflow/config';
import { topicsEnv, topicsFromEnv, type Topics } from '@sipflow/pipeline';
import { z } from 'zod';
import { FAULT_SPEC } from './fault-hook';
import { MAX_WORKERS, workerTransactionalId, type WorkerSetting } from './worker-count';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Variables of `sipflow process` beyond the connection and topic ones (see `--help`). */
export const processorEnv = {
  ...kafkaClientEnv,
  CONSUMER_GROUP: envVar(z.string().min(1).default('sipflow-processor'), 'consumer group id'),
  PROCESSING_GUARANTEE: envVar(
    z.enum(['at_least_once', 'exactly_once']).default('at_least_once'),
    'at_least_once, or exactly_once (Kafka transactions; read outputs with read_committed)',
  ),
  TRANSACTIONAL_ID: envVar(
    z.string().min(1).default(`sipflow-processor-${hostname()}`),
    'exactly_once: stable per instance, so a restarted instance fences its previous self',
  ),
  PROCESSOR_WORKERS: envVar(
    z
      .union([z.literal('auto'), int(1, MAX_WORKERS)], {
        error: `expected auto or a whole number from 1 to ${MAX_WORKERS}`,
      })
      .default('auto'),
    'worker processes, each a consumer-group member: auto = one per core, at most one per input partition; 1 = one process',
  ),
  SIPFLOW_WORKER_INDEX: envVar(
    int(0, MAX_WORKERS - 1).optional(),
    'set by sipflow process for each of its worker processes; not for operators',
  ),
  STATE_PARTITIONING: envVar(
    z.enum(['repartition', 'input']).default('repartition'),
    'per-number state (caps): repartition re-keys the input by phone number first (any input keying); input: the input is already keyed by E.164 number',
  ),
  STATE_DIR: envVar(
    z.string().min(1).optional(),
    'per-number state: a directory for local snapshots, so a restart replays only the changelog after them; none when unset',
  ),
  STATE_SNAPSHOT_INTERVAL_SECONDS: envVar(
    int(1, 86_400).default(60),
    'per-number state: how often each partition snapshot is written between batches (with STATE_DIR)',
  ),
  ABANDONMENT_LEDGER: envVar(
    z.enum(['on', 'off']).default('on'),
    'the abandoned-call ledger per campaign and 30-day period (docs/abandonment.md): on keeps it as keyed state and writes ABANDONMENT_TOPIC',
  ),
  RULES_FILE: envVar(z.string().min(1).optional(), 'rules file (YAML/JSON); the shipped defaults when unset'),
  RULES_WATCH_SECONDS: envVar(
    int(0, 3600).default(0),
    'RULES_FILE: check it for changes this often and reload it (0: only on SIGHUP)',
  ),
  MAX_RECORD_BYTES: envVar(
    int(64, 100 * 1024 * 1024).default(1024 * 1024),
    'input records larger than this go to the DLQ',
  ),
  PARTITIONS_CONSUMED_CONCURRENTLY: envVar(
    int(1, 64).default(3),
    'batches of different partitions processed at once (exactly_once: those ready together share a transaction)',
  ),
  CONSUMER_MAX_BYTES_PER_PARTITION: envVar(
    int(1024, 64 * 1024 * 1024).default(1024 * 1024),
    'fetch size per partition: bounds a batch',
  ),
  CONSUMER_MAX_WAIT_MS: envVar(int(0, 10_000).default(100), 'how long a fetch waits for data'),
  SESSION_TIMEOUT_SECONDS: envVar(
    // the broker's group.min.session.timeout.ms and group.max.session.timeout.ms (6 s and 30 min
    // by default: Kafka's broker configuration reference, checked 2026-12-07) bound what it takes
    int(6, 1800).default(30),
    'a member silent this long (paused, stalled, partitioned) loses its partitions to the others; heartbeats go every third of it, at most every 3 s',
  ),
  LAG_REFRESH_SECONDS: envVar(int(1, 3600).default(10), 'how often consumer lag is measured'),
  SHUTDOWN_TIMEOUT_SECONDS: envVar(
    int(1, 600).default(30),
    'SIGTERM/SIGINT: finish the batch, commit, leave, exit within this',
  ),
  METRICS_HOST: envVar(
    z.string().min(1).default('127.0.0.1'),
    'address of /metrics, /healthz, /readyz (0.0.0.0 in containers)',
  ),
  METRICS_PORT: envVar(int(0, 65535).default(9464), 'port of /metrics, /healthz, /readyz (0: any free port)'),
  LOG_LEVEL: envVar(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    'log level',
  ),
  OTEL_TRACES_EXPORTER: envVar(
    z.enum(['none', 'otlp', 'console']).default('none'),
    'tracing: none (off), otlp (OTLP/HTTP to OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT), or console',
  ),
  OTEL_SDK_DISABLED: envVar(booleanFlag.default(false), 'tracing: true turns it off whatever the exporter'),
  TRACE_SPANS: envVar(
    // batch by default: a span per record cost 65-76 % of the throughput (docs/operations.md)
    z.enum(['record', 'batch']).default('batch'),
    'tracing: per batch, linked to each record (default), or a span per record (child of its traceparent)',
  ),
  SIPFLOW_TEST_FAULT: envVar(
    z.string().regex(FAULT_SPEC, 'kill-after-outputs:N or pause:MS:POINT@N[,POINT@N...]').optional(),
    'tests only: kill-after-outputs:N kills the process on its N-th batch between produce and commit; pause:MS:POINT@N freezes it (fault-hook.ts)',
  ),
};

export const allProcessorEnv = { ...kafkaEnv, ...topicsEnv, ...processorEnv };

export type ProcessingGuarantee = 'at_least_once' | 'exactly_once';

/** Parsed once per command from the environment, then frozen. */
export type ProcessorConfig = Readonly<{
  connection: ConnectionSettings;
  client: KafkaClientName;
  topics: Topics;
  groupId: string;
  guarantee: ProcessingGuarantee;
  transactionalId: string;
  /** PROCESSOR_WORKERS as given; `auto` is resolved at start (worker-count.ts) */
  workers: WorkerSetting;
  /** set in a worker process: its index, which its transactional id ends with */
  workerIndex: number | undefined;
  /** where the per-number state lives when the rules use it (state/processor-state.ts) */
  statePartitioning: 'repartition' | 'input';
  /** local snapshots of the per-number state, or none */
  stateDir: string | undefined;
  snapshotEveryMs: number;
  /** the abandoned-call ledger's stage (state/ledger-stage.ts) runs */
  abandonmentLedger: boolean;
  rulesFile: string | undefined;
  rulesWatchMs: number;
  maxRecordBytes: number;
  partitionsConsumedConcurrently: number;
  maxBytesPerPartition: number;
  maxWaitTimeInMs: number;
  lagRefreshMs: number;
  /** the consumer's session timeout; heartbeats every third of it, at most every 3 s */
  sessionTimeoutMs: number;
  shutdownTimeoutMs: number;
  metrics: { host: string; port: number };
  logLevel: string;
  testFault: string | undefined;
  /** null: tracing off (the default) */
  tracing: Readonly<{ exporter: 'otlp' | 'console'; spans: 'record' | 'batch' }> | null;
}>;

export function processorConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ProcessorConfig {
  const connection = connectionFromEnv(env);
  const topics = topicsFromEnv(env);
  const p = parseEnv(processorEnv, env);
  return Object.freeze({
    connection: Object.freeze(connection),
    client: p.KAFKA_CLIENT,
    topics,
    groupId: p.CONSUMER_GROUP,
    guarantee: p.PROCESSING_GUARANTEE,
    transactionalId: workerTransactionalId(p.TRANSACTIONAL_ID, p.SIPFLOW_WORKER_INDEX),
    workers: p.PROCESSOR_WORKERS,
    workerIndex: p.SIPFLOW_WORKER_INDEX,
    statePartitioning: p.STATE_PARTITIONING,
    stateDir: p.STATE_DIR,
    snapshotEveryMs: p.STATE_SNAPSHOT_INTERVAL_SECONDS * 1000,
    abandonmentLedger: p.ABANDONMENT_LEDGER === 'on',
    rulesFile: p.RULES_FILE,
    rulesWatchMs: p.RULES_WATCH_SECONDS * 1000,
    maxRecordBytes: p.MAX_RECORD_BYTES,
    partitionsConsumedConcurrently: p.PARTITIONS_CONSUMED_CONCURRENTLY,
    maxBytesPerPartition: p.CONSUMER_MAX_BYTES_PER_PARTITION,
    maxWaitTimeInMs: p.CONSUMER_MAX_WAIT_MS,
    lagRefreshMs: p.LAG_REFRESH_SECONDS * 1000,
    sessionTimeoutMs: p.SESSION_TIMEOUT_SECONDS * 1000,
    shutdownTimeoutMs: p.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    metrics: Object.freeze({ host: p.METRICS_HOST, port: p.METRICS_PORT }),
    logLevel: p.LOG_LEVEL,
    testFault: p.SIPFLOW_TEST_FAULT,
    tracing:
      p.OTEL_SDK_DISABLED || p.OTEL_TRACES_EXPORTER === 'none'
        ? null
        : Object.freeze({ exporter: p.OTEL_TRACES_EXPORTER, spans: p.TRACE_SPANS }),
  });
}
