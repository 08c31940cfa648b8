import { Q850_CAUSE_MAX, q850CauseName } from '@sipflow/sip';
import type { FrequencyCap } from '../history/frequency-cap';
import { scheduleLabel } from '../jurisdiction/schedule';
import { RETRY_HORIZON_DAYS, type Constraint } from '../retry/lawful-time';
import type { RetryPlan } from '../retry/retry-at';
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

/**
 * "retry in 2 h at <local time> (<zone>)", plus which calling window moved it and why: the binding
 * window's hours, whose they are and the statute, the zone when it is not the one shown, and a
 * holiday skipped on the way.
 */
export function describeRetry(
  delayMs: number,
  retryAfterSeconds: number | null,
  plan: RetryPlan,
  clock: ZoneClock,
  constraints: readonly Constraint[],
): string {
  const retryAt = plan.retryAt!;
  const when = `${formatLocalIso(retryAt, clock.offsetMinutes(retryAt))} (${clock.name})`;
  const wait = plan.heldByRetryAfter
    ? `after Retry-After ${retryAfterSeconds} s`
    : `in ${formatDelay(delayMs)}`;
  const movedBy = plan.lawful?.movedBy ?? null;
  let moved = '';
  if (plan.cappedBy !== null) {
    moved = `, held back by the ${capPhrase(plan.cappedBy)}, counting this number's calls from every lead`;
  }
  if (movedBy !== null) {
    const zone = movedBy.clock === clock ? '' : ` in ${movedBy.clock.name}`;
    moved += `${moved === '' ? ',' : ' and'} moved into the ${scheduleLabel(movedBy.schedule)} calling window${zone}`;
    if (plan.lawful!.skippedHoliday !== null)
      moved += `, skipping the holiday ${plan.lawful!.skippedHoliday}`;
    const others = new Set(constraints.map((c) => c.schedule.name));
    if (others.size > 1 && movedBy.schedule.source !== null) moved += '; it is the strictest that applies';
  }
  return `retry ${wait} at ${when}${moved}.`;
}

/** "US-FL cap of 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))", "campaign cap of 2 calls per 4 h". */
export function capPhrase(cap: FrequencyCap): string {
  return cap.source === null
    ? `campaign cap of ${cap.label}`
    : `${cap.name} cap of ${cap.label} (${cap.source})`;
}

/** Why there is no retry when no instant within the horizon is allowed by every window (and cap). */
export function describeNoLawfulTime(
  constraints: readonly Constraint[],
  caps: readonly FrequencyCap[] = [],
): string {
  const windows = [...new Set(constraints.map((c) => scheduleLabel(c.schedule)))].join('; ');
  const zones = [...new Set(constraints.map((c) => c.clock.name))].join(', ');
  const capped =
    caps.length === 0
      ? ''
      : ` and under every cap on calls to this number (${caps.map(capPhrase).join('; ')})`;
  return `no retry: no time in the next ${RETRY_HORIZON_DAYS} days is inside every calling window that applies (${windows}; zones ${zones})${capped}.`;
}

/** Why `stopAfterUnanswered` ends the retries. */
export function describeUnansweredStop(streak: number, perMs: number): string {
  return `no retry: ${streak} calls in a row to this number went unanswered within ${formatDelay(perMs)}, counting every lead that dialed it (stopAfterUnanswered).`;
}

/** Why a call reported long after a later call to the same number is not retried. */
export function describeTooLate(latenessMs: number): string {
  return `no retry: this call was reported ${formatDelay(latenessMs)} after a later call to the same number, past the period the caps on calls to it look back over, so the calls they count are no longer all known.`;
}
