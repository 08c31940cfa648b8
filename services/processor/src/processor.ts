import { AvroDecoder, type CallAttempt } from '@sipflow/codec';
import { createKafka, createRegistry } from '@sipflow/kafka';
import type { Rules } from '@sipflow/rules';
import type { ProcessorMetrics, ReadinessReport } from '@sipflow/telemetry';
import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import { isSipflowError } from '@sipflow/errors';
import { checkKafkaAccess, explainRegistryAuthError, isRegistryAuthError } from './access-check';
import { backoffDelay, retryWithBackoff } from './backoff';
import { createBatchHandler } from './batch-handler';
import type { ProcessorConfig } from './config';
import { kafkajsLogCreator } from './kafkajs-logger';
import { startLagMonitor } from './lag-monitor';
import { inputReaderType, registerOutputSchemas } from './output-types';

export type RunningProcessor = {
  readiness: () => Promise<ReadinessReport>;
  /** stop fetching, finish and commit the batch in hand, leave the group, disconnect */
  stop: () => Promise<void>;
  /** consumer lag per partition, measured now */
  lag: () => Promise<Map<number, number>>;
};

export async function startProcessor(
  config: ProcessorConfig,
  deps: { rules: Rules; metrics: ProcessorMetrics; logger: Logger },
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
  let stopping = false;

  // wrong or missing credentials fail here, at once and clearly, rather than after a minute of
  // client retries
  await checkKafkaAccess(config.connection);

  // Registering the output schemas is the first thing that needs the registry: wait it out for a
  // while (it may be starting alongside us), then fail with the reason.
  let attempts = 0;
  const encoders = await retryWithBackoff({
    fn: () =>
      registerOutputSchemas(registry, config.topics).catch((err: unknown) => {
        throw isRegistryAuthError(err) ? explainRegistryAuthError(err, config.connection) : err;
      }),
    retryable: (err) => !isSipflowError(err, 'SIPFLOW_REGISTRY_AUTH') && ++attempts < 8,
    keepGoing: () => true, // nothing can ask a processor to stop before it has started
    onRetry: (err, attempt, delayMs) =>
      logger.warn(
        { err: (err as Error).message, attempt, delayMs },
        'cannot register output schemas yet; retrying',
      ),
  });
  metrics.setRulesVersion(rules.version);

  const decoder = new AvroDecoder<CallAttempt>(registry, inputReaderType(), {
    cacheHit: (n) => metrics.schemaCacheLookup('hit').inc(n),
    cacheMiss: () => metrics.schemaCacheLookup('miss').inc(),
  });

  const exactlyOnce = config.guarantee === 'exactly_once';
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    ...(exactlyOnce
      ? { transactionalId: config.transactionalId, idempotent: true, maxInFlightRequests: 1 }
      : {}),
  });
  const handler = createBatchHandler({
    decoder,
    rules,
    encoders,
    topics: config.topics,
    maxRecordBytes: config.maxRecordBytes,
    replayId: null,
    producer,
    guarantee: config.guarantee,
    groupId: config.groupId,
    metrics,
    logger,
  });
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);

  let joined = false;
  let consumer: Consumer;
  let restartTimer: NodeJS.Timeout | undefined;
  let consecutiveCrashes = 0;

  const startConsumer = async (): Promise<void> => {
    consumer = kafka.consumer({
      groupId: config.groupId,
      readUncommitted: false,
      maxBytesPerPartition: config.maxBytesPerPartition,
      maxWaitTimeInMs: config.maxWaitTimeInMs,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      retry: { initialRetryTime: 500, maxRetryTime: 30_000, retries: 10 },
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      joined = true;
      consecutiveCrashes = 0;
      metrics.rebalances.inc();
      const assigned = payload.memberAssignment[config.topics.input] ?? [];
      logger.info(
        { partitions: assigned, memberId: payload.memberId, leader: payload.isLeader },
        'joined the consumer group',
      );
    });
    consumer.on(consumer.events.STOP, () => {
      joined = false;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      joined = false;
      metrics.clientRestart('crash').inc();
      // kafkajs restarts by itself after a retriable error; after any other it stays down, and
      // a processor that stays down silently is worse than one that keeps trying: restart it
      // with a capped backoff (the offsets are where the last acknowledged batch left them)
      if (payload.restart || stopping) {
        logger.warn(
          { err: payload.error.message, restart: payload.restart },
          'consumer crashed; kafkajs restarts it',
        );
        return;
      }
      const delayMs = backoffDelay(consecutiveCrashes++, 1000, 30_000);
      logger.error({ err: payload.error.message, delayMs }, 'consumer crashed; restarting it');
      restartTimer = setTimeout(() => {
        startConsumer().catch((err: Error) => logger.error({ err: err.message }, 'consumer restart failed'));
      }, delayMs);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [config.topics.input], fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
      eachBatchAutoResolve: false,
      // at-least-once: after each batch kafkajs commits the offsets we resolved, i.e. those
      // whose outputs were acknowledged; exactly-once: the transaction commits them
      autoCommit: !exactlyOnce,
      eachBatch: handler,
    });
  };
  await startConsumer();

  const lag = startLagMonitor({
    admin,
    groupId: config.groupId,
    topic: config.topics.input,
    intervalMs: config.lagRefreshMs,
    metrics,
    logger,
  });
  logger.info(
    {
      input: config.topics.input,
      group: config.groupId,
      guarantee: config.guarantee,
      rulesVersion: rules.version,
    },
    'processor running',
  );

  return {
    readiness: async () => {
      const registryOk = await fetch(`${config.connection.registry.url}/subjects`, {
        signal: AbortSignal.timeout(1000),
        headers: config.connection.registry.auth
          ? {
              authorization: `Basic ${Buffer.from(`${config.connection.registry.auth.username}:${config.connection.registry.auth.password}`).toString('base64')}`,
            }
          : {},
      })
        .then((r) => r.ok)
        .catch(() => false);
      return {
        ready: joined && registryOk,
        checks: {
          consumerGroup: { ok: joined, detail: joined ? `member of ${config.groupId}` : 'not in the group' },
          schemaRegistry: { ok: registryOk, ...(registryOk ? {} : { detail: 'not reachable' }) },
        },
      };
    },
    lag: lag.refresh,
    stop: async () => {
      stopping = true;
      clearTimeout(restartTimer);
      lag.stop();
      await consumer.disconnect(); // waits for the batch in hand, commits, leaves the group
      await Promise.all([producer.disconnect(), admin.disconnect()]);
      logger.info('processor stopped');
    },
  };
}
