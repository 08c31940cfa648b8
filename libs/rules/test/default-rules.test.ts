import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { classify, defaultRules, type Action, type AnsweredBy, type Disposition } from '@sipflow/rules';
import { attempt } from '../../../test/support/call-attempt';

const MINUTE = 60_000;

interface RuleCase {
  readonly ruleId: string;
  readonly sipCode: number;
  readonly q850Cause?: number;
  readonly sipReason?: string;
  readonly reasonHeader?: string;
  readonly answeredBy?: AnsweredBy;
  readonly disposition: Disposition;
  readonly action: Action;
  /** Base delay of a RETRY (before up to 10 % jitter). */
  readonly delayMinutes?: number;
}

// The design.md "Default rules" table, one or more cases per rule of default-rules.yaml.
const CASES: readonly RuleCase[] = [
  { ruleId: 'success-2xx', sipCode: 200, disposition: 'CONNECTED', action: 'NONE' },
  { ruleId: 'success-2xx', sipCode: 202, disposition: 'CONNECTED', action: 'NONE' },
  { ruleId: 'success-2xx', sipCode: 299, disposition: 'CONNECTED', action: 'NONE' },
  // who answered (answering-machine detection): a person or "cannot tell" stays the seed's row
  { ruleId: 'success-2xx', sipCode: 200, answeredBy: 'HUMAN', disposition: 'CONNECTED', action: 'NONE' },
  { ruleId: 'success-2xx', sipCode: 200, answeredBy: 'UNKNOWN', disposition: 'CONNECTED', action: 'NONE' },
  {
    ruleId: 'answering-machine',
    sipCode: 200,
    answeredBy: 'MACHINE',
    disposition: 'ANSWERING_MACHINE',
    action: 'RETRY',
    delayMinutes: 240,
  },
  { ruleId: 'fax', sipCode: 200, answeredBy: 'FAX', disposition: 'FAX', action: 'REMOVE_LEAD' },
  // a dialer reporting its detection on a call that was not answered: the code decides
  {
    ruleId: 'busy',
    sipCode: 486,
    answeredBy: 'MACHINE',
    disposition: 'BUSY',
    action: 'RETRY',
    delayMinutes: 10,
  },
  { ruleId: 'provisional-1xx', sipCode: 180, disposition: 'RINGING', action: 'NONE' },
  { ruleId: 'provisional-1xx', sipCode: 183, disposition: 'RINGING', action: 'NONE' },
  { ruleId: 'busy', sipCode: 486, disposition: 'BUSY', action: 'RETRY', delayMinutes: 10 },
  { ruleId: 'busy', sipCode: 600, disposition: 'BUSY', action: 'RETRY', delayMinutes: 10 },
  { ruleId: 'busy', sipCode: 486, q850Cause: 17, disposition: 'BUSY', action: 'RETRY', delayMinutes: 10 },
  {
    ruleId: 'busy-congestion',
    sipCode: 486,
    q850Cause: 34,
    disposition: 'CONGESTION',
    action: 'RETRY',
    delayMinutes: 30,
  },
  {
    ruleId: 'busy-congestion',
    sipCode: 486,
    q850Cause: 42,
    disposition: 'CONGESTION',
    action: 'RETRY',
    delayMinutes: 30,
  },
  {
    ruleId: 'busy-congestion',
    sipCode: 600,
    q850Cause: 44,
    disposition: 'CONGESTION',
    action: 'RETRY',
    delayMinutes: 30,
  },
  {
    ruleId: 'busy-congestion',
    sipCode: 600,
    q850Cause: 47,
    disposition: 'CONGESTION',
    action: 'RETRY',
    delayMinutes: 30,
  },
  {
    ruleId: 'server-congestion',
    sipCode: 503,
    q850Cause: 34,
    disposition: 'CONGESTION',
    action: 'RETRY',
    delayMinutes: 30,
  },
  {
    ruleId: 'server-congestion',
    sipCode: 502,
    q850Cause: 47,
    disposition: 'CONGESTION',
    action: 'RETRY',
    delayMinutes: 30,
  },
  { ruleId: 'no-answer', sipCode: 480, disposition: 'NO_ANSWER', action: 'RETRY', delayMinutes: 120 },
  { ruleId: 'no-answer', sipCode: 408, disposition: 'NO_ANSWER', action: 'RETRY', delayMinutes: 120 },
  {
    ruleId: 'no-answer',
    sipCode: 480,
    q850Cause: 34,
    disposition: 'NO_ANSWER',
    action: 'RETRY',
    delayMinutes: 120,
  },
  { ruleId: 'declined', sipCode: 603, disposition: 'DECLINED', action: 'NONE' },
  { ruleId: 'server-error', sipCode: 500, disposition: 'FAILED', action: 'RETRY', delayMinutes: 15 },
  { ruleId: 'server-error', sipCode: 503, disposition: 'FAILED', action: 'RETRY', delayMinutes: 15 },
  {
    ruleId: 'server-error',
    sipCode: 503,
    q850Cause: 41,
    disposition: 'FAILED',
    action: 'RETRY',
    delayMinutes: 15,
  },
  { ruleId: 'server-failure-5xx', sipCode: 502, disposition: 'FAILED', action: 'RETRY', delayMinutes: 15 },
  { ruleId: 'server-failure-5xx', sipCode: 580, disposition: 'FAILED', action: 'RETRY', delayMinutes: 15 },
  { ruleId: 'invalid-number', sipCode: 404, disposition: 'INVALID_NUMBER', action: 'REMOVE_LEAD' },
  { ruleId: 'number-gone', sipCode: 410, disposition: 'INVALID_NUMBER', action: 'REMOVE_LEAD' },
  {
    ruleId: 'number-changed',
    sipCode: 404,
    q850Cause: 22,
    disposition: 'INVALID_NUMBER',
    action: 'REMOVE_LEAD',
  },
  {
    ruleId: 'number-changed',
    sipCode: 410,
    q850Cause: 22,
    disposition: 'INVALID_NUMBER',
    action: 'REMOVE_LEAD',
  },
  // SIP 603+ by either signal (ATIS-1000099): the reason phrase, or the Reason header's analytics text
  {
    ruleId: 'network-blocked',
    sipCode: 603,
    sipReason: 'Network Blocked',
    disposition: 'NETWORK_BLOCKED',
    action: 'COMPLIANCE_ALERT',
  },
  {
    ruleId: 'network-blocked',
    sipCode: 603,
    sipReason: 'Decline',
    reasonHeader: 'SIP;cause=603;text="v=analytics1;url=https://redress.example";location=RLN',
    disposition: 'NETWORK_BLOCKED',
    action: 'COMPLIANCE_ALERT',
  },
  { ruleId: 'declined', sipCode: 603, sipReason: 'Decline', disposition: 'DECLINED', action: 'NONE' },
  { ruleId: 'invalid-number', sipCode: 484, disposition: 'INVALID_NUMBER', action: 'REMOVE_LEAD' },
  { ruleId: 'invalid-number', sipCode: 604, disposition: 'INVALID_NUMBER', action: 'REMOVE_LEAD' },
  { ruleId: 'blocked', sipCode: 403, disposition: 'BLOCKED', action: 'COMPLIANCE_ALERT' },
  { ruleId: 'unwanted', sipCode: 607, disposition: 'UNWANTED', action: 'REMOVE_LEAD' },
  { ruleId: 'unwanted', sipCode: 607, q850Cause: 34, disposition: 'UNWANTED', action: 'REMOVE_LEAD' },
  { ruleId: 'caller-id-flagged', sipCode: 608, disposition: 'CALLER_ID_FLAGGED', action: 'COMPLIANCE_ALERT' },
  { ruleId: 'cancelled', sipCode: 487, disposition: 'CANCELLED', action: 'NONE' },
  { ruleId: 'redirection-3xx', sipCode: 302, disposition: 'FAILED', action: 'NONE' },
  { ruleId: 'client-failure-4xx', sipCode: 401, disposition: 'FAILED', action: 'NONE' },
  { ruleId: 'client-failure-4xx', sipCode: 499, disposition: 'FAILED', action: 'NONE' },
  { ruleId: 'global-failure-6xx', sipCode: 606, disposition: 'FAILED', action: 'NONE' },
  { ruleId: 'global-failure-6xx', sipCode: 699, disposition: 'FAILED', action: 'NONE' },
];

describe('default rules', () => {
  it.each(CASES)(
    'rule $ruleId: SIP $sipCode $sipReason (Q.850 $q850Cause, answered by $answeredBy) → $disposition / $action',
    ({
      ruleId,
      sipCode,
      q850Cause,
      sipReason,
      reasonHeader,
      answeredBy,
      disposition,
      action,
      delayMinutes,
    }) => {
      // 14:00 in New York: every default delay lands inside the 08:00–21:00 window.
      const event = attempt({
        sipCode,
        q850Cause: q850Cause ?? null,
        sipReason: sipReason ?? null,
        reasonHeader: reasonHeader ?? null,
        answeredBy: answeredBy ?? null,
      });
      const result = classify(event, defaultRules());
      expect(result).toMatchObject({ ruleId, disposition, action, rulesVersion: '1.1.0' });
      if (delayMinutes === undefined) {
        expect(result.retryAt).toBeNull();
        return;
      }
      const waited = result.retryAt! - event.endedAt;
      expect(waited).toBeGreaterThanOrEqual(delayMinutes * MINUTE);
      expect(waited).toBeLessThan(delayMinutes * MINUTE * 1.1);
    },
  );

  it('has a case above for every rule in default-rules.yaml', () => {
    const covered = new Set(CASES.map((c) => c.ruleId));
    expect(
      defaultRules()
        .rules.map((rule) => rule.id)
        .filter((id) => !covered.has(id)),
    ).toEqual([]);
  });

  it('backs off longer for congestion than for a busy line', () => {
    const busy = classify(attempt({ sipCode: 486 }), defaultRules());
    const congested = classify(attempt({ sipCode: 486, q850Cause: 34 }), defaultRules());
    expect(congested.retryAt! - busy.retryAt!).toBeGreaterThan(15 * MINUTE);
  });

  it('never retries 607 Unwanted, whatever the cause', () => {
    for (let cause = 0; cause <= 127; cause++) {
      expect(classify(attempt({ sipCode: 607, q850Cause: cause }), defaultRules()).action).not.toBe('RETRY');
    }
  });

  it('explains in one sentence naming the code, the cause and the retry time', () => {
    const result = classify(attempt({ sipCode: 486, q850Cause: 34 }), defaultRules());
    expect(result.explanation).toMatch(
      /^SIP 486 Busy Here with Q\.850 cause 34 \(No circuit\/channel available\) means the network is congested, not the callee's line; retry in 30 min at 2026-06-10T14:3\d:\d\d-04:00 \(America\/New_York\)\.$/,
    );
  });
});

describe('default retry timing', () => {
  it('honours a Retry-After longer than the delay', () => {
    const event = attempt({ sipCode: 503, retryAfterSeconds: 3 * 3600 });
    const result = classify(event, defaultRules());
    expect(result.retryAt).toBe(event.endedAt + 3 * 3600 * 1000);
    expect(result.explanation).toContain('retry after Retry-After 10800 s at 2026-06-10T17:00:25-04:00');
  });

  it('keeps the rule delay when Retry-After is shorter', () => {
    const event = attempt({ sipCode: 503, retryAfterSeconds: 60 });
    const waited = classify(event, defaultRules()).retryAt! - event.endedAt;
    expect(waited).toBeGreaterThanOrEqual(15 * MINUTE);
  });

  it('stops retrying once the attempt number reaches the maximum', () => {
    expect(classify(attempt({ attemptNumber: 5 }), defaultRules()).action).toBe('RETRY');
    const last = classify(attempt({ attemptNumber: 6 }), defaultRules());
    expect(last).toMatchObject({ disposition: 'BUSY', action: 'NONE', retryAt: null, ruleId: 'busy' });
    expect(last.explanation).toContain('no retry, max attempts reached (attempt 6 of 6)');
  });

  it('moves a retry that would fall after 21:00 local to 08:00 the next morning', () => {
    // 20:55 in New York; a 2 h no-answer delay would land at about 23:00.
    const endedAt = Date.parse('2026-06-11T00:55:00Z');
    const result = classify(attempt({ sipCode: 480, startedAt: endedAt - 30_000, endedAt }), defaultRules());
    expect(DateTime.fromMillis(result.retryAt!, { zone: 'America/New_York' }).toISO()).toBe(
      '2026-06-11T08:00:00.000-04:00',
    );
    expect(result.explanation).toContain('moved into the 08:00–21:00 calling window');
  });

  it('uses the lead time zone, not the default one', () => {
    // 14:00 in New York is 04:00 in Sydney: a busy retry waits for 08:00 Sydney time.
    const result = classify(attempt({ leadTimezone: 'Australia/Sydney' }), defaultRules());
    expect(DateTime.fromMillis(result.retryAt!, { zone: 'Australia/Sydney' }).toFormat('HH:mm')).toBe(
      '08:00',
    );
    expect(result.explanation).toContain('+10:00 (Australia/Sydney)');
  });

  it('spreads retries of simultaneous events with jitter seeded from the event id', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'].map((c) => `${c}0000000-0000-4000-8000-000000000000`);
    const times = new Set(ids.map((eventId) => classify(attempt({ eventId }), defaultRules()).retryAt));
    expect(times.size).toBe(ids.length);
  });
});
