import { AsyncLocalStorage } from 'node:async_hooks';
import { SipflowError } from '@sipflow/errors';
// static imports, so a bundle (npm run build) patches the kafkajs it bundles, not another copy
import { KafkaJSNonRetriableError } from 'kafkajs/src/errors.js';
import RequestQueue from 'kafkajs/src/network/requestQueue/index.js';

/**
 * A last check, made synchronously right before a produce request's bytes go to the socket, for
 * the requests sent inside `withWriteGuard(check, fn)`: `check` returns an error to refuse the
 * write. Other requests (the heartbeat that confirms the member, metadata) are not checked.
 *
 * Why at the socket: between a batch handler's check ("am I still in my group generation?") and
 * the moment kafkajs writes the produce request lie awaits (kafkajs encodes the request, waits its
 * turn on the connection), and a process frozen in between (a stop signal, a long GC pause, a
 * throttled container) resumes straight into the write, however long it was away. At-least-once
 * has no transaction to abort, so such a write lands after the records of the member that took the
 * partition meanwhile: a lead's records out of order. Seen in the paused-member fault test: three
 * leads out of order in one CI run of 15,005 events, from batches of other partitions that were
 * past their check when the process froze.
 *
 * A refused request is taken out of the connection's in-flight set (it holds no correlation id a
 * response could answer) and its caller gets a non-retriable error: kafkajs does not resend it.
 */
const guards = new AsyncLocalStorage<() => Error | undefined>();

export function withWriteGuard<T>(check: () => Error | undefined, fn: () => Promise<T>): Promise<T> {
  return guards.run(check, fn);
}

/** Kafka's API key of Produce: the only requests the guard stops (a heartbeat must get through). */
const PRODUCE_API_KEY = 0;

type PushedRequest = {
  entry: { correlationId: number; apiKey: number; reject: (err: Error) => void };
  sendRequest: () => void;
};
type QueueInternals = {
  inflight: Map<number, unknown>;
  push(request: PushedRequest): void;
  scheduleCheckPendingRequests(): void;
};

const queue = RequestQueue.prototype as unknown as QueueInternals;
if (typeof queue.push !== 'function' || typeof queue.scheduleCheckPendingRequests !== 'function')
  throw new SipflowError(
    'SIPFLOW_INTERNAL_ERROR',
    "kafkajs' RequestQueue has no push/scheduleCheckPendingRequests (the write guard was written for kafkajs 2.2.4)",
  );

const push = queue.push;
queue.push = function guardedPush(this: QueueInternals, request: PushedRequest): void {
  // push runs in the async context of the send that made the request: the guard is the caller's
  const check = guards.getStore();
  // only writes: the heartbeat that confirms the member (sent from the same context) goes through
  if (check !== undefined && request.entry.apiKey === PRODUCE_API_KEY) {
    const write = request.sendRequest;
    request.sendRequest = () => {
      const refusal = check();
      if (refusal === undefined) return write();
      this.inflight.delete(request.entry.correlationId);
      request.entry.reject(
        Object.assign(new KafkaJSNonRetriableError(refusal.message), { cause: refusal, retriable: false }),
      );
      // requests queued behind this one go on
      this.scheduleCheckPendingRequests();
    };
  }
  push.call(this, request);
};
