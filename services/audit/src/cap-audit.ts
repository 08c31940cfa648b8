import type { CallAttempt } from '@sipflow/codec';
import { capViolation, type Rules } from '@sipflow/rules';
import type { NumberCalls } from './number-calls';
import type { CapViolationEntry } from './types';

/** One record of the retry topic, reduced to what the cap check reads. */
export type AuditRetry = {
  eventId: string;
  retryAt: number;
  /** retryMovedBy names a cap: the cap, not a window or the delay, set retryAt */
  heldByCap: boolean;
};

export type CapCheck = {
  rules: Rules;
  /** the retry topic's live records */
  retries: readonly AuditRetry[];
  /** the audited inputs' events by eventId: a retry of any other event is not checked */
  events: ReadonlyMap<string, CallAttempt>;
  /** every call on the raw topic, the whole topic even when the audit has a window */
  calls: NumberCalls;
};

/**
 * Every retry whose `retryAt` would break a frequency cap, counting the calls to the number that
 * were reported by the time the retry was scheduled (ended before its event, from any lead,
 * partition or campaign) and the event itself. Calls reported later are not the processor's to
 * foresee and are not counted. Each (event, retryAt) is checked once:
 * a repeated retry record is a duplicate, reported as such elsewhere.
 */
export function capViolations(
  check: CapCheck,
  maxListed: number,
): { count: number; entries: CapViolationEntry[]; heldByCap: number } {
  let count = 0;
  let heldByCap = 0;
  const entries: CapViolationEntry[] = [];
  const checked = new Set<string>();
  for (const retry of check.retries) {
    const key = `${retry.eventId}@${retry.retryAt}`;
    if (checked.has(key)) continue;
    checked.add(key);
    if (retry.heldByCap) heldByCap++;
    const event = check.events.get(retry.eventId);
    if (event === undefined) continue;
    const history = check.calls.knownBefore(event.phoneNumber, event);
    const broken = capViolation(event, retry.retryAt, check.rules, history);
    if (broken === null) continue;
    count++;
    if (entries.length < maxListed)
      entries.push({
        eventId: event.eventId,
        phoneNumber: event.phoneNumber,
        retryAt: new Date(retry.retryAt).toISOString(),
        ...broken,
      });
  }
  return { count, entries, heldByCap };
}
