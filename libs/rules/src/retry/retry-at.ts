import { firstAllowedByCaps, type FrequencyCap } from '../history/frequency-cap';
import { DAY_MS, SECOND_MS } from '../time/units';
import type { CallAttempt } from '../types';
import { unitHash } from './jitter';
import { lawfulTime, RETRY_HORIZON_DAYS, type Constraint, type LawfulTime } from './lawful-time';

export interface RetryPlan {
  /** Null when no instant within the retry horizon is allowed by every calling window and cap. */
  readonly retryAt: number | null;
  /** Before any calling window: endedAt + delay + jitter, or Retry-After when later. */
  readonly earliest: number;
  /** The Retry-After header pushed the retry later than the rule's delay. */
  readonly heldByRetryAfter: boolean;
  /** Which window moved the retry later (and any holiday skipped), or null when none did. */
  readonly lawful: LawfulTime | null;
  /** The cap that held the retry back (the last to, when several did), or null. */
  readonly cappedBy: FrequencyCap | null;
  /** Which moved the retry last, so sets its time: a calling window, a cap, or neither. */
  readonly binding: 'window' | 'cap' | null;
  /** When retryAt is null: what left no time, the windows alone or a cap with them. */
  readonly blockedBy: 'windows' | 'cap' | null;
}

/** What a retry must respect about the number's recent calls. */
export interface CallHistoryLimits {
  readonly caps: readonly FrequencyCap[];
  /** Start times of the calls the caps count, this attempt included, ascending. */
  readonly callTimes: readonly number[];
}

const NO_LIMITS: CallHistoryLimits = { caps: [], callTimes: [] };
// Each round moves the time later to a cap's or a window's next allowed instant, and both sets are
// finite within the horizon: a few rounds end it. The bound guards against a bug becoming a hang.
const MAX_ROUNDS = 64;

/**
 * When to call again: `endedAt` + the delay + jitter (up to `jitter` × delay, seeded from the
 * event id), no earlier than `endedAt` + Retry-After, then moved to the first instant that every
 * calling window that applies allows and that no cap on calls to the number forbids, given the
 * calls already made. Within RETRY_HORIZON_DAYS of that earliest time, or no retry.
 */
export function planRetry(
  event: CallAttempt,
  delayMs: number,
  jitter: number,
  constraints: readonly Constraint[],
  /** The same constraints merged per zone (LeadLocation.merged): what the search walks. */
  merged: readonly Constraint[],
  limits: CallHistoryLimits = NO_LIMITS,
): RetryPlan {
  const jitterMs = jitter === 0 ? 0 : Math.floor(unitHash(event.eventId) * jitter * delayMs);
  const afterDelay = event.endedAt + delayMs + jitterMs;
  const afterRetryAfter =
    event.retryAfterSeconds === null ? afterDelay : event.endedAt + event.retryAfterSeconds * SECOND_MS;
  const earliest = Math.max(afterDelay, afterRetryAfter);
  const heldByRetryAfter = afterRetryAfter > afterDelay;
  const limit = earliest + RETRY_HORIZON_DAYS * DAY_MS;
  const none = (blockedBy: 'windows' | 'cap'): RetryPlan => ({
    retryAt: null,
    earliest,
    heldByRetryAfter,
    lawful: null,
    cappedBy: null,
    binding: null,
    blockedBy,
  });

  let at = earliest;
  let lawful: LawfulTime | null = null;
  let cappedBy: FrequencyCap | null = null;
  let binding: RetryPlan['binding'] = null;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const allowed = firstAllowedByCaps(at, limits.callTimes, limits.caps);
    if (allowed.at > limit) return none('cap');
    if (allowed.at !== at) {
      cappedBy = allowed.movedBy;
      binding = 'cap';
    }
    const found = lawfulTime(allowed.at, merged, constraints, limit);
    if (found === null) return none(cappedBy === null ? 'windows' : 'cap');
    if (found.at !== allowed.at) {
      lawful = found;
      binding = 'window';
    }
    // done when the caps allow the time the windows chose; else the caps move it again
    if (
      found.at === allowed.at ||
      firstAllowedByCaps(found.at, limits.callTimes, limits.caps).at === found.at
    )
      return { retryAt: found.at, earliest, heldByRetryAfter, lawful, cappedBy, binding, blockedBy: null };
    at = found.at;
  }
  return none(cappedBy === null ? 'windows' : 'cap');
}
