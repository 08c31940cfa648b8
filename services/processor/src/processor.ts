import { AvroDecoder, type CallAttempt } from '@sipflow/codec';
import { createKafka, createRegistry } from '@sipflow/kafka';
import { inputReaderType } from '@sipflow/pipeline';
import type { Rules } from '@sipflow/rules';
import type { ProcessorMetrics, ReadinessReport } from '@sipflow/telemetry';
import type { Logger } from 'pino';
import { checkKafkaAccess } from './access-check';
import { createBatchHandler } from './batch-handler';
import type { ProcessorConfig } from './config';
import { superviseConsumer } from './consumer-supervisor';
import { faultHookFromSpec } from './fault-hook';
import { kafkajsLogCreator } from './kafkajs-logger';
import { startLagMonitor } from './lag-monitor';
import { registerOutputSchemasAtStartup } from './output-schemas';
import { processorReadiness } from './readiness';
import { createRulesReloader, type RulesReload } from './rules-reloader';
import { watchRulesFile } from './rules-watch';
import { tracingFromConfig, type Tracing } from './tracing/tracing-from-config';

/**
 * A send to a partition whose leader died waits until the cluster has moved the leadership: the
 * controller fences a broker that stopped heartbeating after broker.session.timeout.ms (9 s by
 * default in KRaft mode; Kafka's broker configuration reference, checked 2026-12-01), later still
 * when the dead node was also the active controller. The clients' default budget (8 retries, about
 * 15 s) ran out before that in the scale-out fault test, and a batch whose send fails is processed
 * again whole, repeating every output that had already landed (1,007 duplicates in one run).
 * Twelve retries capped at 10 s each wait about 50 s: past any failover, and within the 60 s a
 * Kafka transaction may stay open by default.
 */
const OUTPUT_SEND_RETRY = { initialRetryTime: 300, retries: 12, maxRetryTime: 10_000 };

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
  const reloader = createRulesReloader({ initial: rules, file: config.rulesFile, metrics, logger });

  const decoder = new AvroDecoder<CallAttempt>(registry, inputReaderType(), {
    cacheHit: (n) => metrics.schemaCacheLookup('hit').inc(n),
    cacheMiss: () => metrics.schemaCacheLookup('miss').inc(),
  });
  const exactlyOnce = config.guarantee === 'exactly_once';
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    retry: OUTPUT_SEND_RETRY,
    ...(exactlyOnce
      ? { transactionalId: config.transactionalId, idempotent: true, maxInFlightRequests: 1 }
      : {}),
  });
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
    metrics,
    logger,
    ...(fault ? { fault } : {}),
    ...(tracing ? { tracer: tracing.tracer } : {}),
  });
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  const consumer = await superviseConsumer({ kafka, config, eachBatch, metrics, logger });
  const lag = startLagMonitor({
    admin,
    groupId: config.groupId,
    topic: config.topics.input,
    intervalMs: config.lagRefreshMs,
    metrics,
    logger,
  });
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
    },
    'processor running',
  );

  return {
    readiness: () => processorReadiness(config.connection, config.groupId, consumer.joined()),
    lag: lag.refresh,
    reloadRules: reloader.reload,
    stop: async () => {
      unwatch();
      lag.stop();
      await consumer.stop();
      await Promise.all([producer.disconnect(), admin.disconnect()]);
      await tracing
        ?.shutdown()
        .catch((err: unknown) => logger.warn({ err }, 'trace export at shutdown failed'));
      logger.info('processor stopped');
    },
  };
}
