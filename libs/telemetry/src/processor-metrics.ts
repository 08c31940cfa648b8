import { collectDefaultMetrics, Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { SIPFLOW_ERROR_CODES, type SipflowErrorCode } from '@sipflow/errors';
import { ChildCache } from './child-cache';
import { createLedgerMetrics, type LedgerMetrics } from './ledger-metrics';
import { createStateMetrics, type StateMetrics } from './state-metrics';
import {
  CLIENT_RESTART_REASONS,
  FENCED_BATCH_REASONS,
  type FencedBatchReason,
  RULES_RELOAD_RESULTS,
  SCHEMA_CACHE_RESULTS,
  type ClientRestartReason,
  type RulesReloadResult,
  type SchemaCacheResult,
} from './label-sets';

export type ProcessorMetricsOptions = {
  /** prom-client's process metrics (CPU, memory, event loop, GC); on unless `false`. */
  defaultMetrics?: boolean;
  /** The `version` label of sipflow_build_info, e.g. the service's package version. */
  version?: string;
};

/**
 * The processor's metrics, registered on the caller's registry. Labelled metrics are reached
 * through accessors that return a bound child, cached per label tuple: call them once per batch
 * and `inc(n)` with the batch count.
 *
 * `D` and `A` close the disposition and action labels: the processor passes the rules' unions
 * (`createProcessorMetrics<Disposition, Action>(registry)`) so a label outside them does not compile.
 */
export type ProcessorMetrics<D extends string = string, A extends string = string> = {
  consumed(topic: string): Counter.Internal;
  produced(topic: string): Counter.Internal;
  disposition(disposition: D, action: A): Counter.Internal;
  dlq(errorCode: SipflowErrorCode): Counter.Internal;
  /** Retries moved later, by what moved them last: a jurisdiction's window, the campaign's, or a cap. */
  retriesMoved(by: 'jurisdiction' | 'campaign' | 'cap'): Counter.Internal;
  clientRestart(reason: ClientRestartReason): Counter.Internal;
  /** batches of a member that may have left its group generation, by what was done (label-sets.ts) */
  fencedBatch(reason: FencedBatchReason): Counter.Internal;
  schemaCacheLookup(result: SchemaCacheResult): Counter.Internal;
  consumerLag(topic: string, partition: number): Gauge.Internal<string>;
  /** Drops a partition's lag series once it is revoked, so a stale value does not hold an alert. */
  forgetConsumerLag(topic: string, partition: number): void;
  /** Records event time (`endedAt`) → output acknowledged, both in epoch milliseconds. */
  observeEventLatency(endedAtMs: number, acknowledgedAtMs: number): void;
  setRulesVersion(rulesVersion: string): void;
  /** Counts one reload attempt and sets sipflow_rules_last_reload_successful from its result. */
  rulesReloaded(result: RulesReloadResult): void;
  batchDuration: Histogram;
  batchSize: Histogram;
  rebalances: Counter;
  inFlight: Gauge;
  /** Output records the client reported written without their partition acknowledging them, sent again. */
  resentRecords: Counter;
  state: StateMetrics;
  /** the abandoned-call ledger's (docs/abandonment.md) */
  ledger: LedgerMetrics;
};

// 0.5 ms (a small batch of cached-schema records) up to 5 s (registry or broker trouble).
const BATCH_DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
// Up to the few thousand records per partition that producing stays linear for (see style.md).
const BATCH_SIZE_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
// Live traffic lands in milliseconds to seconds; dialers that batch-upload outcomes arrive minutes
// to an hour after the call ended, and that tail is what an operator needs to see.
const EVENT_LATENCY_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600,
];

/** The rules_version of sipflow_build_info until the processor has loaded a rule set. */
const NO_RULES_VERSION = 'none';

export function createProcessorMetrics<D extends string = string, A extends string = string>(
  registry: Registry,
  opts: ProcessorMetricsOptions = {},
): ProcessorMetrics<D, A> {
  const registers = [registry];
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const consumed = new Counter({
    name: 'sipflow_events_consumed_total',
    help: 'Records fetched from an input topic.',
    labelNames: ['topic'] as const,
    registers,
  });
  const produced = new Counter({
    name: 'sipflow_records_produced_total',
    help: 'Records acknowledged by the broker on an output topic.',
    labelNames: ['topic'] as const,
    registers,
  });
  const dispositions = new Counter({
    name: 'sipflow_dispositions_total',
    help: 'Classified call attempts by disposition and action.',
    labelNames: ['disposition', 'action'] as const,
    registers,
  });
  const retriesMoved = new Counter({
    name: 'sipflow_retries_moved_total',
    help: 'Retries moved later, by what moved them last: by="jurisdiction" (a state or federal calling window of the profile), by="campaign" (its own callingWindow) or by="cap" (a cap on calls to the number, a statute\'s or the campaign\'s maxAttempts { count, per }).',
    labelNames: ['by'] as const,
    registers,
  });
  const retriesMovedChildren = {
    jurisdiction: retriesMoved.labels('jurisdiction'),
    campaign: retriesMoved.labels('campaign'),
    cap: retriesMoved.labels('cap'),
  };
  const dlq = new Counter({
    name: 'sipflow_dlq_records_total',
    help: 'Records routed to the dead-letter topic, by SIPFLOW_* error code.',
    labelNames: ['error_code'] as const,
    registers,
  });
  const clientRestarts = new Counter({
    name: 'sipflow_client_restarts_total',
    help: 'Kafka client restarts after a failure, by reason.',
    labelNames: ['reason'] as const,
    registers,
  });
  const fencedBatches = new Counter({
    name: 'sipflow_fenced_batches_total',
    help: 'Batches of a member that may have left its group generation (a pause past the session timeout), by what was done.',
    labelNames: ['reason'] as const,
    registers,
  });
  const schemaCache = new Counter({
    name: 'sipflow_schema_cache_lookups_total',
    help: 'Writer-schema cache lookups by schema id.',
    labelNames: ['result'] as const,
    registers,
  });
  const consumerLag = new Gauge({
    name: 'sipflow_consumer_lag_records',
    // every worker process measures the whole group's lag: the aggregate is one reading, not a sum
    aggregator: 'max',
    help: 'Records between the committed offset and the log end offset, per assigned partition.',
    labelNames: ['topic', 'partition'] as const,
    registers,
  });
  const buildInfo = new Gauge({
    name: 'sipflow_build_info',
    aggregator: 'max',
    help: 'Always 1; the labels name the running version and rule set.',
    labelNames: ['version', 'rules_version'] as const,
    registers,
  });
  const rulesReloads = new Counter({
    name: 'sipflow_rules_reload_total',
    help: 'Rules reloads (SIGHUP) by result: success (swapped), failure (kept the running rules), unchanged.',
    labelNames: ['result'] as const,
    registers,
  });
  // The name and meaning follow Prometheus' own prometheus_config_last_reload_successful, so the
  // alert on it reads the same way.
  const rulesLastReloadOk = new Gauge({
    name: 'sipflow_rules_last_reload_successful',
    help: '1 unless the last rules reload failed: then the file on disk is not the rule set running.',
    registers,
  });
  const eventLatency = new Histogram({
    name: 'sipflow_event_latency_seconds',
    help: 'Time from the call ending (endedAt) to its outputs being acknowledged.',
    buckets: EVENT_LATENCY_BUCKETS,
    registers,
  });

  const consumedChildren = new ChildCache((topic: string) => consumed.labels(topic));
  const producedChildren = new ChildCache((topic: string) => produced.labels(topic));
  const dispositionChildren = new ChildCache((d: D, a: A) => dispositions.labels(d, a));
  const dlqChildren = new ChildCache((code: SipflowErrorCode) => dlq.labels(code));
  const restartChildren = new ChildCache((reason: ClientRestartReason) => clientRestarts.labels(reason));
  const schemaCacheChildren = new ChildCache((result: SchemaCacheResult) => schemaCache.labels(result));
  const lagChildren = new ChildCache((topic: string, partition: string) =>
    consumerLag.labels(topic, partition),
  );

  // Closed sets start at 0: a series born on its first increment hides that increment from
  // increase() and rate(), and "no DLQ records" should read 0, not "no data".
  for (const code of SIPFLOW_ERROR_CODES) dlqChildren.get(code).inc(0);
  for (const reason of CLIENT_RESTART_REASONS) restartChildren.get(reason).inc(0);
  const fencedChildren = new ChildCache((reason: FencedBatchReason) => fencedBatches.labels(reason));
  for (const reason of FENCED_BATCH_REASONS) fencedChildren.get(reason).inc(0);
  for (const result of SCHEMA_CACHE_RESULTS) schemaCacheChildren.get(result).inc(0);
  const reloadChildren = new ChildCache((result: RulesReloadResult) => rulesReloads.labels(result));
  for (const result of RULES_RELOAD_RESULTS) reloadChildren.get(result).inc(0);
  rulesLastReloadOk.set(1);

  const version = opts.version ?? 'unknown';
  const setRulesVersion = (rulesVersion: string): void => {
    // One series only: the previous rule set's series must disappear, not linger at 1.
    buildInfo.reset();
    buildInfo.labels(version, rulesVersion).set(1);
  };
  setRulesVersion(NO_RULES_VERSION);

  return {
    consumed: (topic) => consumedChildren.get(topic),
    produced: (topic) => producedChildren.get(topic),
    disposition: (disposition, action) => dispositionChildren.get(disposition, action),
    dlq: (code) => dlqChildren.get(code),
    retriesMoved: (by) => retriesMovedChildren[by],
    clientRestart: (reason) => restartChildren.get(reason),
    fencedBatch: (reason) => fencedChildren.get(reason),
    schemaCacheLookup: (result) => schemaCacheChildren.get(result),
    consumerLag: (topic, partition) => lagChildren.get(topic, String(partition)),
    forgetConsumerLag: (topic, partition) => {
      consumerLag.remove(topic, String(partition));
      lagChildren.delete(topic, String(partition));
    },
    observeEventLatency: (endedAtMs, acknowledgedAtMs) =>
      // A dialer clock ahead of ours gives a negative age; count it as immediate rather than
      // letting it pull the histogram's sum below the truth.
      eventLatency.observe(Math.max(0, acknowledgedAtMs - endedAtMs) / 1000),
    setRulesVersion,
    rulesReloaded: (result) => {
      reloadChildren.get(result).inc();
      rulesLastReloadOk.set(result === 'failure' ? 0 : 1);
    },
    batchDuration: new Histogram({
      name: 'sipflow_batch_duration_seconds',
      help: 'Time to process one fetched batch, from decode to outputs acknowledged.',
      buckets: BATCH_DURATION_BUCKETS,
      registers,
    }),
    batchSize: new Histogram({
      name: 'sipflow_batch_size_records',
      help: 'Records per fetched batch.',
      buckets: BATCH_SIZE_BUCKETS,
      registers,
    }),
    rebalances: new Counter({
      name: 'sipflow_consumer_rebalances_total',
      help: 'Consumer group rebalances this member took part in.',
      registers,
    }),
    inFlight: new Gauge({
      name: 'sipflow_in_flight_records',
      help: 'Records fetched whose outputs are not yet acknowledged.',
      registers,
    }),
    resentRecords: new Counter({
      name: 'sipflow_producer_resent_records_total',
      help: 'Output records a send resolved without their partition acknowledging them (kafkajs#1303), sent again.',
      registers,
    }),
    state: createStateMetrics(registry),
    ledger: createLedgerMetrics(registry),
  };
}
