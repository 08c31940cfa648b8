import { describe, expect, it } from 'vitest';
import {
  attemptOf,
  classify,
  EMPTY_HISTORY,
  eventKey,
  recordAttempt,
  type AttemptEntry,
  type CallAttempt,
  type NumberHistory,
} from '@sipflow/rules';
import { attempt } from '../../../../test/support/call-attempt';
import { rulesWith } from '../fixtures/rules-file';

// Jitter off, so each retryAt is worked out by hand: a 480 (NO_ANSWER) retries 2 h after endedAt.
const RULES = rulesWith((data) => {
  data.retry.jitter = 0;
  data.campaigns = { 'fortnight-cap': { maxAttempts: { count: 1, per: '15d' } } };
});
const FL_CAP = 'US-FL 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))';
const FL_CAP_PHRASE = 'held back by the US-FL cap of 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))';

/** A no-answer to a Miami number placed at `startedIso` (UTC), lasting 25 s. */
function floridaCall(startedIso: string, overrides: Partial<CallAttempt> = {}): CallAttempt {
  const startedAt = Date.parse(startedIso);
  return attempt({
    eventId: `e-${startedIso}`,
    phoneNumber: '+13055550100',
    leadRegion: 'US-FL',
    leadTimezone: 'America/New_York',
    sipCode: 480,
    startedAt,
    endedAt: startedAt + 25_000,
    ...overrides,
  });
}

/** Earlier calls to the number, from another lead: the cap counts them all the same. */
function historyOf(...startedIsos: string[]): NumberHistory {
  return startedIsos.reduce<NumberHistory>(
    (history, iso) =>
      recordAttempt(
        history,
        { at: Date.parse(iso), eventKey: eventKey(`h-${iso}`), unanswered: true },
        86_400_000,
      ),
    EMPTY_HISTORY,
  );
}

describe('classify with a frequency cap', () => {
  it('holds the fourth call in 24 h to the next day when the cap binds, and names the cap', () => {
    // 10:00 and 11:00 EDT, this call at 12:00: the retry waits until 10:00 EDT the next day
    const history = historyOf('2026-06-10T14:00:00Z', '2026-06-10T15:00:00Z');
    const result = classify(floridaCall('2026-06-10T16:00:00Z'), RULES, history);
    expect(result.action).toBe('RETRY');
    expect(result.retryAt).toBe(Date.parse('2026-06-11T14:00:00Z'));
    expect(result.retryMovedBy).toBe(FL_CAP);
    expect(result.explanation).toContain(FL_CAP_PHRASE);
    expect(result.explanation).not.toContain('calling window');
  });

  it('moves the capped time into the window, and names the window when it moved the retry last', () => {
    // 20:30 EDT the day before, 10:00 and 12:00: the cap frees 20:30 EDT, after Florida's 20:00
    // close, so the retry is Florida's next opening, 08:00 EDT (the 10:00 call still in its period)
    const history = historyOf('2026-06-10T00:30:00Z', '2026-06-10T14:00:00Z');
    const result = classify(floridaCall('2026-06-10T16:00:00Z'), RULES, history);
    expect(result.retryAt).toBe(Date.parse('2026-06-11T12:00:00Z'));
    expect(result.retryMovedBy).toMatch(/^US-FL .*08:00–20:00.* \(Fla\. Stat\. § 501\.616\(6\)\(a\)\)$/);
    expect(result.explanation).toContain(`${FL_CAP_PHRASE}, counting this number's calls from every lead`);
    expect(result.explanation).toContain('and moved into the');
  });

  it('counts 24 elapsed hours across the end of daylight time, not the same wall-clock time', () => {
    // 19:00, 19:10, 19:20 EDT on 2026-10-31; clocks go back at 02:00 on 11-01, so 24 h after the
    // first call is 18:00 EST, one wall-clock hour earlier than the call
    const history = historyOf('2026-10-31T23:00:00Z', '2026-10-31T23:10:00Z');
    const result = classify(floridaCall('2026-10-31T23:20:00Z'), RULES, history);
    expect(result.retryAt).toBe(Date.parse('2026-11-01T23:00:00Z'));
    expect(result.explanation).toContain('at 2026-11-01T18:00');
    expect(result.retryMovedBy).toBe(FL_CAP);
  });

  it('gives no retry when a cap leaves no time within the 14-day horizon, and says why', () => {
    const event = attempt({ campaignId: 'fortnight-cap', sipCode: 480 });
    const result = classify(event, RULES);
    expect(result.action).toBe('NONE');
    expect(result.retryAt).toBeNull();
    expect(result.retryMovedBy).toBeNull();
    expect(result.explanation).toContain('no retry: no time in the next 14 days');
    expect(result.explanation).toContain('campaign cap of 1 call per 15 d');
  });

  it('counts nothing but the call in hand without a history: the default is unchanged', () => {
    const result = classify(floridaCall('2026-06-10T16:00:00Z'), RULES);
    expect(result.retryAt).toBe(Date.parse('2026-06-10T18:00:25Z'));
    expect(result.retryMovedBy).toBeNull();
  });

  it('gives the same result for a redelivered call (the history already holds it)', () => {
    const event = floridaCall('2026-06-10T16:00:00Z');
    const history = historyOf('2026-06-10T14:00:00Z', '2026-06-10T15:00:00Z');
    const own: AttemptEntry = attemptOf(event, 'NO_ANSWER');
    const redelivered = recordAttempt(history, own, RULES.stateWindowMs);
    expect(redelivered).toHaveLength(3);
    expect(classify(event, RULES, redelivered)).toEqual(classify(event, RULES, history));
  });
});
