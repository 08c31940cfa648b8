import { beforeJoining, handledBatchMembership } from '@sipflow/kafka';
import type { ProcessorMetrics } from '@sipflow/telemetry';
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { backoffDelay } from './backoff';
import type { BatchHandler } from './batch-handler';
import type { ProcessorConfig } from './config';

/** The Java consumer's default, 3 s, and never more than a third of the session (its rule too). */
export const heartbeatIntervalMs = (sessionTimeoutMs: number) =>
  Math.min(3000, Math.floor(sessionTimeoutMs / 3));

export type SupervisedConsumer = {
  /** a member of the group right now (false while rebalancing, crashed or restarting) */
  joined: () => boolean;
  /** stop fetching `topics` (the batch in hand finishes); the rest go on */
  pause: (topics: readonly string[]) => void;
  /** stop fetching, finish the batch in hand, commit, leave the group */
  stop: () => Promise<void>;
};

/**
 * The consumer group member, kept alive: kafkajs restarts its consumer by itself after a retriable
 * error; after any other it stays down, and a processor that stays down silently is worse than one
 * that keeps trying, so it is replaced by a new consumer after a capped backoff. The offsets are
 * where the last acknowledged batch left them, so a restart repeats, never skips.
 */
export async function superviseConsumer(opts: {
  kafka: Kafka;
  config: ProcessorConfig;
  eachBatch: BatchHandler;
  metrics: ProcessorMetrics;
  logger: Logger;
  /** topics read beside the input: the repartition topic of the per-number state */
  alsoTopics?: readonly string[];
}): Promise<SupervisedConsumer> {
  const { kafka, config, metrics, logger } = opts;
  let joined = false;
  let stopping = false;
  let consumer: Consumer;
  let restartTimer: NodeJS.Timeout | undefined;
  let consecutiveCrashes = 0;
  let stopSettling = () => {};

  const start = async (): Promise<void> => {
    consumer = kafka.consumer({
      groupId: config.groupId,
      readUncommitted: false,
      maxBytesPerPartition: config.maxBytesPerPartition,
      maxWaitTimeInMs: config.maxWaitTimeInMs,
      sessionTimeout: config.sessionTimeoutMs,
      heartbeatInterval: heartbeatIntervalMs(config.sessionTimeoutMs),
      retry: { initialRetryTime: 500, maxRetryTime: 30_000, retries: 10 },
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      // kafkajs-group-fencing.ts adds the generation to kafkajs' event
      const { generationId } = payload as typeof payload & { generationId?: number };
      opts.eachBatch.joined(payload.memberAssignment, generationId);
      joined = true;
      consecutiveCrashes = 0;
      metrics.rebalances.inc();
      logger.info(
        {
          partitions: payload.memberAssignment[config.topics.input] ?? [],
          ...(opts.alsoTopics?.length ? { assignment: payload.memberAssignment } : {}),
          memberId: payload.memberId,
          generationId,
          leader: payload.isLeader,
        },
        'joined the consumer group',
      );
    });
    // A fetch of nothing but transaction markers (or aborted records) never reaches eachBatch:
    // kafkajs moves its position past them but, with autoCommit off, commits nothing, so the
    // group's offset stays one marker short (a lag of 1 that never clears) until the next record.
    // The per-number state's repartition topic is written in transactions, so its last marker is
    // always such a fetch. Committing past it is safe: there is nothing to output for a marker.
    // (kafkajs only: the peer client emits no such event)
    if (consumer.events.END_BATCH_PROCESS !== undefined)
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.batchSize !== 0) return;
        // fetched in a generation the member has left since (kafkajs hands out batches of an earlier
        // fetch after a re-join): the commit would carry the new generation and could move the
        // group's offset back behind what the partition's owner meanwhile committed
        if (handledBatchMembership()?.isCurrent() === false) return;
        const offset = (BigInt(payload.lastOffset) + 1n).toString();
        consumer
          .commitOffsets([{ topic: payload.topic, partition: payload.partition, offset }])
          .catch((err: unknown) =>
            logger.debug({ err, ...payload }, 'commit past transaction markers failed'),
          );
      });
    consumer.on(consumer.events.STOP, () => {
      joined = false;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      joined = false;
      metrics.clientRestart('crash').inc();
      if (payload.restart || stopping) {
        logger.warn(
          { err: payload.error, restart: payload.restart },
          'consumer crashed; kafkajs restarts it',
        );
        return;
      }
      const delayMs = backoffDelay(consecutiveCrashes++, 1000, 30_000);
      logger.error({ err: payload.error, delayMs }, 'consumer crashed; restarting it');
      restartTimer = setTimeout(() => {
        start().catch((err: unknown) => logger.error({ err }, 'consumer restart failed'));
      }, delayMs);
    });
    // a re-join waits for the batches in hand, as the Java consumer revokes before it re-joins
    stopSettling();
    stopSettling = beforeJoining(config.groupId, {
      settle: () => opts.eachBatch.settle(config.sessionTimeoutMs),
      joinFailed: (err) => {
        // e.g. COORDINATOR_LOAD_IN_PROGRESS after the coordinator's broker died: kafkajs would fetch
        // on in its generation without joining again; the next batch asks it to
        logger.warn({ err }, 'joining the group failed; joining again before processing anything');
        opts.eachBatch.joinFailed(err);
      },
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: [config.topics.input, ...(opts.alsoTopics ?? [])],
      fromBeginning: true,
    });
    await consumer.run({
      partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
      eachBatchAutoResolve: false,
      // at-least-once: the batch handler commits what it resolved, after the outputs were
      // acknowledged, so that a commit failing for a lost coordinator makes kafkajs re-join
      // (coordinator.ts); exactly-once: the transaction commits the offsets
      autoCommit: false,
      eachBatch: opts.eachBatch,
    });
  };
  await start();

  return {
    joined: () => joined,
    pause: (topics) => consumer.pause(topics.map((topic) => ({ topic }))),
    stop: async () => {
      stopping = true;
      clearTimeout(restartTimer);
      await consumer.disconnect(); // waits for the batch in hand, commits, leaves the group
      stopSettling();
    },
  };
}
