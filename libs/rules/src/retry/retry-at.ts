import { SECOND_MS } from '../time/units';
import type { CallAttempt } from '../types';
import { unitHash } from './jitter';
import { lawfulTime, type Constraint, type LawfulTime } from './lawful-time';

export interface RetryPlan {
  /** Null when no instant within the retry horizon is allowed by every calling window. */
  readonly retryAt: number | null;
  /** Before any calling window: endedAt + delay + jitter, or Retry-After when later. */
  readonly earliest: number;
  /** The Retry-After header pushed the retry later than the rule's delay. */
  readonly heldByRetryAfter: boolean;
  /** Which window moved the retry later (and any holiday skipped), or null when none did. */
  readonly lawful: LawfulTime | null;
}

/**
 * When to call again: `endedAt` + the delay + jitter (up to `jitter` × delay, seeded from the
 * event id), no earlier than `endedAt` + Retry-After, then moved to the first instant every
 * calling window that applies allows.
 */
export function planRetry(
  event: CallAttempt,
  delayMs: number,
  jitter: number,
  constraints: readonly Constraint[],
  /** The same constraints merged per zone (LeadLocation.merged): what the search walks. */
  merged: readonly Constraint[],
): RetryPlan {
  const jitterMs = jitter === 0 ? 0 : Math.floor(unitHash(event.eventId) * jitter * delayMs);
  const afterDelay = event.endedAt + delayMs + jitterMs;
  const afterRetryAfter =
    event.retryAfterSeconds === null ? afterDelay : event.endedAt + event.retryAfterSeconds * SECOND_MS;
  const earliest = Math.max(afterDelay, afterRetryAfter);
  const lawful = lawfulTime(earliest, merged, constraints);
  return { retryAt: lawful?.at ?? null, earliest, heldByRetryAfter: afterRetryAfter > afterDelay, lawful };
}
