import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isSipflowError } from '@sipflow/errors';
import { DISPOSITIONS, classify, nanpGeography, type CallAttempt, type Rules } from '@sipflow/rules';
import { attempt } from '../../../test/support/call-attempt';
import { callAttempts } from './fixtures/arbitraries';
import { isInsideWindow } from './fixtures/local-time';
import { rulesWith } from './fixtures/rules-file';

// Campaigns with their own zone and window, so the properties cover the fallback chain:
// event zone → campaign zone → rules default zone.
const RULES: Rules = rulesWith((data) => {
  data.campaigns = {
    'campaign-2': {
      timeZone: 'Europe/London',
      callingWindow: { start: '09:30', end: '17:00' },
      maxAttempts: 4,
    },
    'campaign-3': { timeZone: 'Australia/Sydney' },
  };
});

/**
 * Every zone the called party may be in, and the campaign's window. The event's zone, plus the
 * area code's zones for a NANP number (a retry must be lawful in all); the campaign zone, then the
 * rules default zone, only when neither names one.
 */
function zonesAndWindow(event: CallAttempt): { zones: string[]; start: number; end: number } {
  const policy = RULES.campaigns.get(event.campaignId) ?? RULES.defaults;
  const zones = [event.leadTimezone, ...(nanpGeography(event.phoneNumber)?.zones ?? [])].filter(
    (zone, i, all): zone is string => zone !== null && all.indexOf(zone) === i,
  );
  return {
    zones: zones.length > 0 ? zones : [policy.timeZone],
    start: policy.window.startMinute,
    end: policy.window.endMinute,
  };
}

// Thousands of classify calls take under a second alone, but many seconds on a machine whose cores
// are busy with other suites: vitest's 5 s default would fail a run that found nothing.
const PROPERTY_TIMEOUT_MS = 60_000;

describe('classify properties', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it(
    'classifies every code 100–699, with or without a cause, to a known disposition',
    () => {
      fc.assert(
        fc.property(callAttempts(), (event) => {
          const result = classify(event, RULES);
          expect(DISPOSITIONS).toContain(result.disposition);
          expect(RULES.rules.some((rule) => rule.id === result.ruleId)).toBe(true);
          expect(result.rulesVersion).toBe('1.1.0');
          expect(result.explanation).toMatch(new RegExp(`^SIP ${event.sipCode} .+ means .+\\.$`));
        }),
        { numRuns: 2000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'sets retryAt exactly when the action is RETRY, after endedAt and Retry-After',
    () => {
      fc.assert(
        fc.property(callAttempts(), (event) => {
          const result = classify(event, RULES);
          if (result.action !== 'RETRY') {
            expect(result.retryAt).toBeNull();
            return;
          }
          expect(result.retryAt).toBeGreaterThan(event.endedAt);
          expect(result.retryAt).toBeGreaterThanOrEqual(
            event.endedAt + (event.retryAfterSeconds ?? 0) * 1000,
          );
        }),
        { numRuns: 2000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'puts every retry inside the local calling window of the right zone, across DST changes',
    () => {
      fc.assert(
        fc.property(callAttempts(), (event) => {
          const result = classify(event, RULES);
          if (result.action !== 'RETRY') return;
          const { zones, start, end } = zonesAndWindow(event);
          for (const zone of zones) expect(isInsideWindow(result.retryAt!, zone, start, end)).toBe(true);
          expect(result.explanation).toContain(`(${zones[0]})`);
        }),
        { numRuns: 3000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('never retries at or past the maximum attempt number of the campaign', () => {
    fc.assert(
      fc.property(callAttempts(), (event) => {
        const policy = RULES.campaigns.get(event.campaignId) ?? RULES.defaults;
        if (event.attemptNumber >= policy.maxAttempts)
          expect(classify(event, RULES).action).not.toBe('RETRY');
      }),
    );
  });

  it('gives the same output for the same input, whatever the wall clock says', () => {
    fc.assert(
      fc.property(callAttempts(), fc.integer({ min: 0, max: 4_102_444_800_000 }), (event, now) => {
        const first = classify(structuredClone(event), RULES);
        vi.useFakeTimers({ now });
        const second = classify(structuredClone(event), RULES);
        vi.useRealTimers();
        expect(second).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a SIP code outside 100–699 or not an integer with SIPFLOW_INVALID_SIP_CODE', () => {
    const badCodes = fc.oneof(
      fc.integer({ max: 99 }),
      fc.integer({ min: 700 }),
      fc.double({ min: 100, max: 699, noInteger: true }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY),
    );
    fc.assert(
      fc.property(badCodes, (sipCode) => {
        let thrown: unknown;
        try {
          classify(attempt({ sipCode }), RULES);
        } catch (error) {
          thrown = error;
        }
        expect(isSipflowError(thrown, 'SIPFLOW_INVALID_SIP_CODE')).toBe(true);
      }),
    );
  });
});
