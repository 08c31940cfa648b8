import { placeInWindow, type CallingWindow } from '../time/calling-window';
import { SECOND_MS } from '../time/units';
import type { ZoneClock } from '../time/zone-clock';
import type { CallAttempt } from '../types';
import { unitHash } from './jitter';

export interface RetryPlan {
  readonly retryAt: number;
  /** The Retry-After header pushed the retry later than the rule's delay. */
  readonly heldByRetryAfter: boolean;
  /** The retry was moved to the next opening of the calling window. */
  readonly movedToWindow: boolean;
}

/**
 * When to call again: `endedAt` + the delay + jitter (up to `jitter` × delay, seeded from the
 * event id), no earlier than `endedAt` + Retry-After, then moved into the lead's calling window.
 */
export function planRetry(
  event: CallAttempt,
  delayMs: number,
  jitter: number,
  clock: ZoneClock,
  window: CallingWindow,
): RetryPlan {
  const jitterMs = jitter === 0 ? 0 : Math.floor(unitHash(event.eventId) * jitter * delayMs);
  const afterDelay = event.endedAt + delayMs + jitterMs;
  const afterRetryAfter =
    event.retryAfterSeconds === null ? afterDelay : event.endedAt + event.retryAfterSeconds * SECOND_MS;
  const earliest = Math.max(afterDelay, afterRetryAfter);
  const retryAt = placeInWindow(earliest, clock, window);
  return { retryAt, heldByRetryAfter: afterRetryAfter > afterDelay, movedToWindow: retryAt !== earliest };
}
