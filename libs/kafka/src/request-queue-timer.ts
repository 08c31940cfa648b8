import { SipflowError } from '@sipflow/errors';
// a static import, so a bundle (npm run build) patches the kafkajs it bundles, not another copy
import RequestQueue from 'kafkajs/src/network/requestQueue/index.js';

/**
 * Why this exists: kafkajs 2.2.4's request queue re-arms a timer after every response, even when
 * no request waits and no throttle is in force. The delay it computes then is
 * `throttledUntil - Date.now()` with `throttledUntil` at -1: minus the epoch in milliseconds.
 * Node has always clamped such a delay to 1 ms, so each connection spins a 1 ms timer for nothing
 * (tulios/kafkajs#1704); since Node 24 it also prints a `TimeoutNegativeWarning` for it
 * (tulios/kafkajs#1751, unfixed in any kafkajs release).
 *
 * The replacement keeps kafkajs' schedule for every case that has something to check — requests
 * waiting (in 10 ms, or when the throttle ends), or a throttle in force — and arms no timer when
 * there is nothing: a request pushed later is sent at once or re-arms the check itself, and a
 * response re-checks the queue (kafkajs' `push` and `fulfillRequest`).
 *
 * kafkajs keeps RequestQueue internal, so it is reached by its file in the package (typed in
 * kafkajs-internals.d.ts). The class is
 * one per process (every kafkajs client shares it), so patching it once covers every client.
 */

/** The kafkajs version whose RequestQueue this replaces (a test fails when the pin moves). */
export const PATCHED_KAFKAJS_VERSION = '2.2.4';

/** kafkajs' own interval for re-checking waiting requests (CHECK_PENDING_REQUESTS_INTERVAL). */
const CHECK_PENDING_MS = 10;

type RequestQueueState = {
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  pending: unknown[];
  checkPendingRequests(): void;
};

/** The delay until the queue needs checking again, or null when nothing needs a check. */
export function pendingCheckDelay(
  queue: Pick<RequestQueueState, 'throttledUntil' | 'pending'>,
  now: number,
): number | null {
  const throttledFor = queue.throttledUntil - now;
  if (throttledFor > 0) return throttledFor;
  return queue.pending.length > 0 ? CHECK_PENDING_MS : null;
}

function scheduleCheckPendingRequests(this: RequestQueueState): void {
  // one check at a time: the one armed re-arms itself if it finds more to wait for (as kafkajs)
  if (this.throttleCheckTimeoutId) return;
  const delay = pendingCheckDelay(this, Date.now());
  if (delay === null) return;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
}

if (typeof RequestQueue.prototype.scheduleCheckPendingRequests !== 'function')
  // loud at start-up rather than silently unpatched: the kafkajs layout is not what this expects
  throw new SipflowError(
    'SIPFLOW_INTERNAL_ERROR',
    `kafkajs' RequestQueue has no scheduleCheckPendingRequests (written for kafkajs ${PATCHED_KAFKAJS_VERSION})`,
    { expectedKafkajs: PATCHED_KAFKAJS_VERSION },
  );
RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
