import { describe, expect, it } from 'vitest';
import {
  capViolation,
  defaultRules,
  EMPTY_HISTORY,
  eventKey,
  recordAttempt,
  type NumberHistory,
} from '@sipflow/rules';
import { attempt } from '../../../../test/support/call-attempt';

const RULES = defaultRules();
const HOUR = 3_600_000;
const T = Date.parse('2026-06-10T16:00:00Z');
const event = attempt({
  phoneNumber: '+13055550100',
  leadRegion: 'US-FL',
  sipCode: 480,
  startedAt: T,
  endedAt: T + 25_000,
});

function historyAt(...offsetsHours: number[]): NumberHistory {
  return offsetsHours.reduce<NumberHistory>(
    (history, h, i) =>
      recordAttempt(
        history,
        { at: T + h * HOUR, eventKey: eventKey(`h-${i}`), unanswered: true },
        2 * 24 * HOUR,
      ),
    EMPTY_HISTORY,
  );
}

describe('capViolation', () => {
  it('is null for a retry the caps allow', () => {
    expect(capViolation(event, T + 2 * HOUR, RULES, historyAt(-23))).toBeNull();
    // 24 h after the first of three calls
    expect(capViolation(event, T + HOUR, RULES, historyAt(-23, -22))).toBeNull();
  });

  it('names the cap, and the calls in the fullest period around the retry, the retry included', () => {
    expect(capViolation(event, T + HOUR / 2, RULES, historyAt(-23, -22))).toEqual({
      cap: 'US-FL 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))',
      calls: 4,
      limit: 3,
    });
  });

  it('does not add up calls that no one period holds together with the retry', () => {
    // a call 20 h after this one is in no 24 h period with the two 22–23 h before it
    expect(capViolation(event, T + HOUR / 2, RULES, historyAt(-23, -22, 20))?.calls).toBe(4);
  });

  it('counts nothing for a number no cap applies to', () => {
    const newYork = attempt({ sipCode: 480 });
    expect(capViolation(newYork, newYork.endedAt, RULES, historyAt(-1, -2, -3, -4))).toBeNull();
  });
});
