import type { Rules } from '../rules-file/compiled';
import { leadLocation } from '../jurisdiction/lead-location';
import type { CallAttempt } from '../types';
import { checkCallAttempt } from '../validation/validate-call-attempt';
import { eventKey } from './event-key';
import { callsInFullestPeriod, capLabel, otherCallTimes, type FrequencyCap } from './frequency-cap';
import type { NumberHistory } from './number-history';

export interface CapViolation {
  /** The cap a call at retryAt would break, as retryMovedBy names caps. */
  readonly cap: string;
  /** The most calls to the number one period around retryAt holds, the retry included. */
  readonly calls: number;
  readonly limit: number;
}

/** The start times of the calls to the number, `event` (keyed `key`) included, ascending. */
export function callTimesWith(
  history: NumberHistory,
  event: CallAttempt,
  key = eventKey(event.eventId),
): number[] {
  const times = otherCallTimes(history, key);
  let i = times.length;
  while (i > 0 && times[i - 1]! > event.startedAt) i--;
  times.splice(i, 0, event.startedAt);
  return times;
}

/** The caps that apply to the event's number under these rules (the campaign's and its regions'). */
export function capsFor(event: CallAttempt, rules: Rules): readonly FrequencyCap[] {
  const policy = rules.campaigns.get(event.campaignId) ?? rules.defaults;
  return leadLocation(event, checkCallAttempt(event), policy).caps;
}

/**
 * Whether a retry at `retryAt` breaks a cap, given the calls to the number (`history`, from any
 * source: the audit rebuilds it from the raw topic). The first broken cap, or null. For checking
 * a decision after the fact; classify never makes one that this refuses.
 */
export function capViolation(
  event: CallAttempt,
  retryAt: number,
  rules: Rules,
  history: NumberHistory,
): CapViolation | null {
  const times = callTimesWith(history, event);
  for (const cap of capsFor(event, rules)) {
    // the fullest period, not every call within `per` on either side: those need not share one
    const calls = callsInFullestPeriod(retryAt, times, cap);
    if (calls > cap.count) return { cap: capLabel(cap), calls, limit: cap.count };
  }
  return null;
}
