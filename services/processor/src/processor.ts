import { AvroDecoder, type CallAttempt } from '@sipflow/codec';
import { SipflowError } from '@sipflow/errors';
import { createKafka, createRegistry, kafkajsPatchesInUse } from '@sipflow/kafka';
import {
  inputPhoneNumberReaderType,
  inputReaderType,
  ledgerTopicsOf,
  stateTopicsOf,
} from '@sipflow/pipeline';
import type { LedgerState, Rules } from '@sipflow/rules';
import type { ProcessorMetrics, ReadinessReport } from '@sipflow/telemetry';
import type { Logger } from 'pino';
import { checkKafkaAccess } from './access-check';
import { createBatchHandler } from './batch-handler';
import type { ProcessorConfig } from './config';
import { superviseConsumer } from './consumer-supervisor';
import { faultHookFromSpec } from './fault-hook';
import { checkInputTopic } from './input-topic';
import { kafkajsLogCreator } from './kafkajs-logger';
import { startLagMonitor } from './lag-monitor';
import { registerOutputSchemasAtStartup } from './output-schemas';
import { processorReadiness } from './readiness';
import { createRulesReloader, type RulesReload } from './rules-reloader';
import { ledgerState } from './state/ledger-state';
import { ProcessorState } from './state/processor-state';
import { ensureStateTopics } from './state/state-setup';
import { SnapshotFiles } from './state/snapshot-files';
import type { PhoneNumberOnly } from './state/repartition';
import { watchRulesFile } from './rules-watch';
import { tracingFromConfig, type Tracing } from './tracing/tracing-from-config';

/**
 * A send to a partition whose leader died waits until the cluster has moved the leadership: the
 * controller fences a broker that stopped heartbeating after broker.session.timeout.ms (9 s by
 * default in KRaft mode; Kafka's broker configuration reference, checked 2026-12-01), later still
 * when the dead node was also the active controller. The clients' default budget (8 retries, about
 * 15 s) ran out before that in the scale-out fault test, and a batch whose send fails is processed
 * again whole, repeating every output that had already landed (1,007 duplicates in one run).
 * Fourteen retries from 25 ms, doubling, capped at 10 s, wait about 60 s: past any failover. Under
 * exactly-once a wait past TRANSACTION_TIMEOUT_MS ends in the broker aborting the transaction, and
 * the batch is processed again whole, which repeats nothing a read_committed reader sees. The first retries are short
 * because the commonest retriable error under exactly-once is CONCURRENT_TRANSACTIONS: the
 * previous transaction's markers are still being written when the next one adds its partitions,
 * which clears in milliseconds (the Java producer retries it after 20 ms, KAFKA-5477); a 300 ms
 * first wait cost that much on almost every batch once the per-number state made two
 * transactions per record's journey.
 */
/**
 * How long the broker lets a transaction stay open before it aborts it. A processor that dies
 * mid-transaction leaves it open, and read_committed readers (the next owner of its partitions
 * among them: the per-number state's repartition topic is written in transactions) see nothing
 * past it until it is aborted. kafkajs' default is 60 s; Kafka Streams uses 10 s under
 * exactly-once (StreamsConfig's producer defaults, checked 2026-12-01), which bounds that stall
 * while leaving a batch far more time than it takes.
 */
const TRANSACTION_TIMEOUT_MS = 10_000;

/**
 * A local snapshot older than this is not used: the changelog's compaction drops a tombstone
 * `delete.retention.ms` (24 h: CHANGELOG_CONFIGS) after writing it, so a snapshot older than that
 * could miss a number's expiry. Half of it, for a changelog whose setting was lowered.
 */
const SNAPSHOT_MAX_AGE_MS = 12 * 3_600_000;

const OUTPUT_SEND_RETRY = { initialRetryTime: 25, retries: 14, maxRetryTime: 10_000 };

export type RunningProcessor = {
  readiness: () => Promise<ReadinessReport>;
  /** stop fetching, finish and commit the batch in hand, leave the group, disconnect */
  stop: () => Promise<void>;
  /** consumer lag per partition, measured now */
  lag: () => Promise<Map<number, number>>;
  /** SIGHUP: reads RULES_FILE again; a good file is used from the next batch on, a bad one changes nothing */
  reloadRules: () => RulesReload;
};

/**
 * `sipflow process`: checks access, registers the output schemas, then runs the consumer-group
 * member whose batches go through the pipeline (batch-handler.ts), with lag measured beside it.
 */
export async function startProcessor(
  config: ProcessorConfig,
  deps: { rules: Rules; metrics: ProcessorMetrics; logger: Logger; tracing?: Tracing | null },
): Promise<RunningProcessor> {
  const { rules, metrics, logger } = deps;
  const kafka = createKafka(config.connection, {
    client: config.client,
    logCreator: kafkajsLogCreator(
      logger.child({ component: config.client === 'confluent' ? 'librdkafka' : 'kafkajs' }),
    ),
    onUnacknowledged: (write) => {
      metrics.resentRecords.inc(write.messages);
      logger.warn(write, 'send resolved without every partition acknowledging it; sending the rest again');
    },
  });
  const registry = createRegistry(config.connection);
  if (config.client === 'kafkajs') {
    const patches = kafkajsPatchesInUse();
    // without it a member paused past its session timeout commits its transaction anyway
    // (kafkajs-group-fencing.ts): exactly-once would promise what it does not keep
    if (config.guarantee === 'exactly_once' && !patches.groupFencing)
      throw new SipflowError(
        'SIPFLOW_INVALID_CONFIG',
        "PROCESSING_GUARANTEE=exactly_once needs sipflow's group fencing of kafkajs (KIP-447), which is not installed in this build",
        { variable: 'PROCESSING_GUARANTEE' },
      );
    const missing = Object.keys(patches).filter((name) => !patches[name as keyof typeof patches]);
    if (missing.length > 0)
      logger.warn(
        { missing },
        "kafkajs runs without some of sipflow's faster internals (kafkajs was loaded before " +
          '@sipflow/kafka/kafkajs-patches, or is bundled): slower, same results',
      );
  }

  // wrong or missing credentials fail here, at once and clearly, rather than after a minute of
  // client retries
  await checkKafkaAccess(config.connection);
  const encoders = await registerOutputSchemasAtStartup({
    registry,
    topics: config.topics,
    connection: config.connection,
    logger,
  });
  metrics.setRulesVersion(rules.version);
  // Whether the per-number state runs is decided here, from the rules at start: it changes which
  // topics the member reads, so a reload cannot turn it on (it can turn every cap off)
  const stateful = rules.stateWindowMs > 0;
  const reloader = createRulesReloader({
    initial: rules,
    file: config.rulesFile,
    metrics,
    logger,
    refuse: (next) =>
      next.stateWindowMs > 0 && !stateful
        ? 'these rules cap calls per number (maxAttempts { count, per } or stopAfterUnanswered), which needs the per-number state; the processor started without it: restart it to use them'
        : null,
  });

  const decoderEvents = {
    cacheHit: (n: number) => metrics.schemaCacheLookup('hit').inc(n),
    cacheMiss: () => metrics.schemaCacheLookup('miss').inc(),
  };
  const decoder = new AvroDecoder<CallAttempt>(registry, inputReaderType(), decoderEvents);
  const exactlyOnce = config.guarantee === 'exactly_once';
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    retry: OUTPUT_SEND_RETRY,
    ...(exactlyOnce
      ? {
          transactionalId: config.transactionalId,
          idempotent: true,
          maxInFlightRequests: 1,
          transactionTimeout: TRANSACTION_TIMEOUT_MS,
        }
      : {}),
  });
  const admin = kafka.admin();
  const stateTopics = stateTopicsOf(config.topics.input, config.groupId);
  const repartition = stateful && config.statePartitioning === 'repartition';
  const ledgerTopics = ledgerTopicsOf(config.topics.input, config.groupId);
  await admin.connect();
  // a start-up failure from here on must not leave connected clients keeping the process alive
  // (the CLI reports the error and exits when nothing is left running)
  const started = await startConsuming().catch(async (err: unknown) => {
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    throw err;
  });
  async function startConsuming() {
    await checkInputTopic(admin, config.topics.input);
    let state: ProcessorState | undefined;
    if (stateful) {
      await ensureStateTopics(admin, config.topics.input, stateTopics, config.statePartitioning);
      state = new ProcessorState({
        kafka,
        admin,
        topics: stateTopics,
        stateTopic: repartition ? stateTopics.repartition : config.topics.input,
        groupId: config.groupId,
        metrics: metrics.state,
        logger: logger.child({ component: 'state' }),
        ...(config.stateDir === undefined
          ? {}
          : {
              snapshots: {
                files: new SnapshotFiles(
                  config.stateDir,
                  stateTopics.changelog,
                  SNAPSHOT_MAX_AGE_MS,
                  logger.child({ component: 'state' }),
                ),
                everyMs: config.snapshotEveryMs,
              },
            }),
      });
    }
    let ledger: ProcessorState<LedgerState> | undefined;
    if (config.abandonmentLedger) {
      await ensureStateTopics(admin, config.topics.input, ledgerTopics, 'repartition');
      ledger = ledgerState({
        kafka,
        admin,
        topics: ledgerTopics,
        groupId: config.groupId,
        metrics: metrics.ledger,
        logger: logger.child({ component: 'ledger' }),
      });
    }
    const fault = faultHookFromSpec(config.testFault);
    // off by default; deps.tracing lets a test pass its own (an in-memory exporter)
    const tracing = deps.tracing !== undefined ? deps.tracing : await tracingFromConfig(config, { logger });
    const eachBatch = createBatchHandler({
      decoder,
      rules: reloader.current,
      encoders,
      topics: config.topics,
      maxRecordBytes: config.maxRecordBytes,
      replayId: null,
      producer,
      guarantee: config.guarantee,
      groupId: config.groupId,
      sessionTimeoutMs: config.sessionTimeoutMs,
      requireFencing: exactlyOnce && config.client === 'kafkajs',
      metrics,
      logger,
      ...(fault ? { fault } : {}),
      ...(tracing ? { tracer: tracing.tracer } : {}),
      ...(state ? { numberState: state } : {}),
      ...(ledger ? { ledger, ledgerTopic: ledgerTopics.repartition } : {}),
      ...(repartition
        ? {
            repartition: {
              topic: stateTopics.repartition,
              decoder: new AvroDecoder<PhoneNumberOnly>(
                registry,
                inputPhoneNumberReaderType(),
                decoderEvents,
              ),
            },
          }
        : {}),
    });
    await producer.connect();
    const consumer = await superviseConsumer({
      kafka,
      config,
      eachBatch,
      metrics,
      logger,
      alsoTopics: [
        ...(repartition ? [stateTopics.repartition] : []),
        ...(ledger ? [ledgerTopics.repartition] : []),
      ],
    });
    return { state, ledger, tracing, consumer, eachBatch };
  }
  const { state, ledger, tracing, consumer, eachBatch } = started;
  const lagOf = (topic: string) =>
    startLagMonitor({
      admin,
      groupId: config.groupId,
      topic,
      intervalMs: config.lagRefreshMs,
      metrics,
      logger,
    });
  // the stages after the input, each with the lag of its topic and the partitions it owns
  const stages = [
    ...(repartition ? [{ lag: lagOf(stateTopics.repartition), owned: () => state!.owned() }] : []),
    ...(ledger ? [{ lag: lagOf(ledgerTopics.repartition), owned: () => ledger.owned() }] : []),
  ];
  const lags = [lagOf(config.topics.input), ...stages.map((stage) => stage.lag)];
  // work left per input partition: its records not yet read, plus their copies not yet classified
  // on the repartition partition of the same number (the counts pair partitions one to one)
  const lag = {
    refresh: async () => {
      const total = new Map<number, number>();
      for (const monitor of lags) {
        for (const [partition, n] of await monitor.refresh())
          total.set(partition, (total.get(partition) ?? 0) + n);
      }
      return total;
    },
    stop: () => lags.forEach((monitor) => monitor.stop()),
  };
  // Stopping with later stages: records read from the input are classified only once their
  // repartition copy is, and counted in the ledger only once their batch's partials are. Pausing
  // the input and waiting for the copies and partials already written to this member's partitions
  // makes a clean stop leave nothing half done: every input offset committed has its outputs.
  // Bounded: what other members keep writing here is left to the next owner.
  const finishCopies = async () => {
    consumer.pause([config.topics.input]);
    const deadline = Date.now() + config.shutdownTimeoutMs / 2;
    for (;;) {
      // -1: a lag could not be read
      let pending = 0;
      for (const stage of stages) {
        const left = await stage.lag.refresh().catch(() => undefined);
        const owned = stage.owned();
        if (left === undefined) pending = -1;
        else if (pending >= 0)
          pending += [...left].filter(([p]) => owned.has(p)).reduce((n, [, l]) => n + l, 0);
      }
      // a batch in hand may still be writing copies or partials: they are this stop's work too
      if (pending === 0 && eachBatch.forwarding() === 0) return;
      if (Date.now() > deadline) {
        logger.warn(
          { pending },
          'stopping with repartition copies or ledger partials not yet processed; the next owner will',
        );
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const unwatch =
    config.rulesFile !== undefined && config.rulesWatchMs > 0
      ? watchRulesFile(config.rulesFile, config.rulesWatchMs, () => void reloader.reload())
      : () => undefined;
  logger.info(
    {
      input: config.topics.input,
      group: config.groupId,
      guarantee: config.guarantee,
      rulesVersion: rules.version,
      tracing: config.tracing ?? 'off',
      state: stateful
        ? {
            partitioning: config.statePartitioning,
            windowHours: rules.stateWindowMs / 3_600_000,
            snapshots: config.stateDir ?? 'off (STATE_DIR unset)',
            ...stateTopics,
          }
        : 'off (no rule caps calls per number)',
      abandonmentLedger: ledger ? ledgerTopics : 'off (ABANDONMENT_LEDGER=off)',
    },
    'processor running',
  );

  return {
    readiness: () =>
      processorReadiness(
        config.connection,
        config.groupId,
        consumer.joined(),
        (state?.isRestoring() ?? false) || (ledger?.isRestoring() ?? false),
      ),
    lag: lag.refresh,
    reloadRules: reloader.reload,
    stop: async () => {
      unwatch();
      if (stages.length > 0) await finishCopies();
      lag.stop();
      await consumer.stop();
      // every batch is committed and applied: a snapshot of what is held, for the next start
      await state?.close();
      await Promise.all([producer.disconnect(), admin.disconnect()]);
      await tracing
        ?.shutdown()
        .catch((err: unknown) => logger.warn({ err }, 'trace export at shutdown failed'));
      logger.info('processor stopped');
    },
  };
}
