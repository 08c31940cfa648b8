import { SipflowError } from '@sipflow/errors';
import { isKafkaUnreachable } from '@sipflow/kafka';

/**
 * kafkajs 2.2.4 finds the group coordinator only when it joins the group: heartbeats and offset
 * commits go to the broker found then (consumerGroup.js `this.coordinator`; offsetManager.js
 * `getCoordinator` looks the same node id up again). When that broker dies, every heartbeat and
 * commit fails with a connection error or "Broker N not found in the cached metadata", which
 * kafkajs retries as plain errors: its fetch loop goes on fetching, and the handler processing and
 * resolving, batches that cannot be committed, until the retries run out (about 67 s in the
 * scale-out fault test) and the consumer restarts from the last commit that succeeded. Everything
 * in between was produced again: about 10,000 duplicate outputs per such run. kafkajs re-joins, and
 * so finds the new coordinator, only on a rebalance-type error (runner.js, errors.js
 * `isRebalancing`: the error's `type`).
 */
/** The group coordinator this member talks to is gone, or is no longer the coordinator. */
export function isCoordinatorLost(err: unknown): boolean {
  const e = err as { name?: string; type?: string } | null;
  if (!e) return false;
  return (
    isKafkaUnreachable(err) ||
    e.name === 'KafkaJSGroupCoordinatorNotFound' ||
    e.type === 'GROUP_COORDINATOR_NOT_AVAILABLE' ||
    e.type === 'NOT_COORDINATOR_FOR_GROUP'
  );
}

/**
 * The error to throw from eachBatch so that kafkajs' runner re-joins the group at once (its
 * `isRebalancing` check looks at `type` only: FindCoordinator, then JoinGroup and SyncGroup)
 * rather than retrying against the dead coordinator. Needs autoCommit off: with it on, the
 * runner's own commit after a failed batch would throw the connection error in its place.
 */
export function rejoinToFindCoordinator(cause: unknown): SipflowError {
  const first = isRejoin(cause) ? (cause.cause as unknown) : cause;
  const message = first instanceof Error ? first.message : String(first);
  return Object.assign(
    new SipflowError(
      'SIPFLOW_KAFKA_UNAVAILABLE',
      `group coordinator lost (${message}); re-joining the group to find the new one`,
      {},
      { cause: first },
    ),
    { type: 'NOT_COORDINATOR_FOR_GROUP', retriable: true },
  );
}

const isRejoin = (err: unknown): err is SipflowError =>
  err instanceof SipflowError && (err as { type?: string }).type === 'NOT_COORDINATOR_FOR_GROUP';

/** Runs a heartbeat or a commit; a lost coordinator becomes the error that makes kafkajs re-join. */
export async function withCoordinator<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw isCoordinatorLost(err) && !isRejoin(err) ? rejoinToFindCoordinator(err) : err;
  }
}
