import { Q850_CAUSE_MAX, q850CauseName } from '@sipflow/sip';
import type { RetryPlan } from '../retry/retry-at';
import type { CampaignPolicy } from '../rules-file/compiled';
import { formatLocalIso } from '../time/local-iso';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../time/units';
import type { ZoneClock } from '../time/zone-clock';

// " with Q.850 cause 34 (No circuit/channel available)", built once per cause value.
const CAUSE_PHRASES: readonly string[] = Array.from(
  { length: Q850_CAUSE_MAX + 1 },
  (_, cause) => ` with Q.850 cause ${cause} (${q850CauseName(cause)})`,
);

/** "SIP 486 Busy Here with Q.850 cause 34 (…) means <meaning>; " — the sentence up to the action. */
export function subjectOf(label: string, q850Cause: number | null, meaning: string): string {
  return `${label}${q850Cause === null ? '' : CAUSE_PHRASES[q850Cause]} means ${meaning}; `;
}

/** "10 min", "2 h", "1 d", "90 s". */
export function formatDelay(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS} d`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS} h`;
  if (ms % MINUTE_MS === 0) return `${ms / MINUTE_MS} min`;
  return `${ms / 1000} s`;
}

export function describeRetry(
  delayMs: number,
  retryAfterSeconds: number | null,
  plan: RetryPlan,
  clock: ZoneClock,
  policy: CampaignPolicy,
): string {
  const when = `${formatLocalIso(plan.retryAt, clock.offsetMinutes(plan.retryAt))} (${clock.name})`;
  const wait = plan.heldByRetryAfter
    ? `after Retry-After ${retryAfterSeconds} s`
    : `in ${formatDelay(delayMs)}`;
  const moved = plan.movedToWindow ? `, moved into the ${policy.window.label} calling window` : '';
  return `retry ${wait} at ${when}${moved}.`;
}
