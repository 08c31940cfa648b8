import { SipflowError } from '@sipflow/errors';
import { isFencedByGroup, type GroupMembership } from '@sipflow/kafka';
import type { ProcessorMetrics } from '@sipflow/telemetry';
import type { Logger } from 'pino';

/**
 * At-least-once has no transaction to abort, so a member that may have been paused past its
 * session timeout asks the group coordinator before it writes. The partitions cannot have moved
 * before the last confirmed heartbeat's start plus the session timeout: the coordinator expires a
 * member that long after the last heartbeat it received, and a rebalance without the member
 * completes only after that. Within half of it nothing is asked, which is every batch of a member
 * that heartbeats as usual; past it, a heartbeat now.
 *
 * The check resolves true when the batch may write, false when the member has re-joined since the
 * batch was fetched (the batch is stale: nothing to ask, nothing to write), and throws kafkajs'
 * error when the coordinator no longer knows the member in that generation (kafkajs' runner
 * re-joins on it).
 */
export function memberCheck(deps: {
  sessionTimeoutMs: number;
  metrics: ProcessorMetrics;
  logger: Logger;
  /** runs the heartbeat; a lost coordinator becomes the error that makes kafkajs re-join */
  toCoordinator: <T>(fn: () => Promise<T>) => Promise<T>;
}): (membership: GroupMembership) => Promise<boolean> {
  const { metrics, logger } = deps;
  return async (membership) => {
    if (!membership.isCurrent()) {
      metrics.fencedBatch('stale_generation').inc();
      return false;
    }
    if (performance.now() - membership.confirmedAt() <= deps.sessionTimeoutMs / 2) return true;
    try {
      await deps.toCoordinator(membership.confirm);
      return true;
    } catch (err) {
      if (isFencedByGroup(err)) {
        metrics.fencedBatch('stale_generation').inc();
        logger.warn(
          { err, generationId: membership.generationId },
          'the member left its group generation while it held this batch (paused past the session timeout?): nothing of it written; re-joining',
        );
      }
      throw err;
    }
  };
}

/** A batch that stopped writing half-way because the member left its generation: kafkajs re-joins. */
export function staleBatchError(
  batch: { topic: string; partition: number },
  membership: Pick<GroupMembership, 'generationId'>,
): Error {
  return Object.assign(
    new SipflowError(
      'SIPFLOW_KAFKA_UNAVAILABLE',
      `the member left generation ${membership.generationId} while writing a batch of ${batch.topic}[${batch.partition}]; its owner processes it again`,
      {},
    ),
    { type: 'ILLEGAL_GENERATION', retriable: false },
  );
}
