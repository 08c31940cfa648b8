import { describe, expect, it } from 'vitest';
import {
  attemptOf,
  classify,
  defaultRules,
  EMPTY_HISTORY,
  eventKey,
  recordAttempt,
  type CallAttempt,
  type Enrichment,
  type NumberHistory,
  type Rules,
} from '@sipflow/rules';
import { attempt } from '../../../../test/support/call-attempt';
import { rulesWith } from '../fixtures/rules-file';
import { unansweredStreak } from '../../src/history/unanswered-streak';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const T0 = Date.parse('2026-06-10T14:00:00Z');

const STOP_AFTER_3 = rulesWith((data) => {
  data.defaults.stopAfterUnanswered = { count: 3, per: '7d' };
});

/**
 * Classifies the calls in order and records each in the number's history as the pipeline does;
 * the calls alternate between two leads, which the number's history does not tell apart.
 */
function run(rules: Rules, calls: readonly { sipCode: number; at: number }[]): Enrichment[] {
  let history: NumberHistory = EMPTY_HISTORY;
  return calls.map(({ sipCode, at }, i) => {
    const event: CallAttempt = attempt({
      eventId: `e-${i}`,
      leadId: i % 2 === 0 ? 'lead-1' : 'lead-2',
      sipCode,
      startedAt: at,
      endedAt: at + 20_000,
    });
    const result = classify(event, rules, history);
    history = recordAttempt(history, attemptOf(event, result.disposition), rules.stateWindowMs);
    return result;
  });
}

const hourly = (...codes: number[]) => codes.map((sipCode, i) => ({ sipCode, at: T0 + i * HOUR }));

describe('stopAfterUnanswered', () => {
  it('is off by default: the default rules keep retrying however many calls went unanswered', () => {
    expect(defaultRules().defaults.stopAfterUnanswered).toBeNull();
    const results = run(defaultRules(), hourly(480, 486, 480, 486, 480, 486, 480, 486));
    expect(results.map((r) => r.action)).toEqual(Array(8).fill('RETRY'));
  });

  it('with { count: 3, per: 7d }, stops at the third no-answer or busy in a row, from either lead', () => {
    const results = run(STOP_AFTER_3, hourly(480, 486, 480));
    expect(results.map((r) => r.action)).toEqual(['RETRY', 'RETRY', 'NONE']);
    expect(results[2]!.retryAt).toBeNull();
    expect(results[2]!.explanation).toContain(
      'no retry: 3 calls in a row to this number went unanswered within 7 d, counting every lead that dialed it (stopAfterUnanswered).',
    );
  });

  it('starts again after an answered call (SIP 200)', () => {
    const results = run(STOP_AFTER_3, hourly(480, 486, 200, 480, 486, 480));
    expect(results.map((r) => `${r.disposition} ${r.action}`)).toEqual([
      'NO_ANSWER RETRY',
      'BUSY RETRY',
      'CONNECTED NONE',
      'NO_ANSWER RETRY',
      'BUSY RETRY',
      'NO_ANSWER NONE',
    ]);
  });

  it('does not count calls `per` or more before the call', () => {
    const week = run(STOP_AFTER_3, [
      { sipCode: 480, at: T0 },
      { sipCode: 480, at: T0 + HOUR },
      { sipCode: 480, at: T0 + WEEK },
    ]);
    expect(week[2]!.action).toBe('RETRY');
    const justUnder = run(STOP_AFTER_3, [
      { sipCode: 480, at: T0 },
      { sipCode: 480, at: T0 + HOUR },
      { sipCode: 480, at: T0 + WEEK - 1 },
    ]);
    expect(justUnder[2]!.action).toBe('NONE');
  });

  it('keeps the state for the week the stop looks back over', () => {
    expect(STOP_AFTER_3.stateWindowMs).toBe(WEEK);
  });
});

describe('unansweredStreak', () => {
  const entries = [
    { at: T0, eventKey: eventKey('a'), unanswered: true },
    { at: T0 + HOUR, eventKey: eventKey('b'), unanswered: true },
    { at: T0 + 2 * HOUR, eventKey: eventKey('c'), unanswered: true },
  ];

  it('is 0 for an answered call', () => {
    const answered = { at: T0 + 3 * HOUR, eventKey: eventKey('d'), unanswered: false };
    expect(unansweredStreak(entries, answered, WEEK)).toBe(0);
  });

  it('counts the call itself once, whether or not the history holds it', () => {
    expect(unansweredStreak(entries, entries[2]!, WEEK)).toBe(3);
    expect(unansweredStreak(entries.slice(0, 2), entries[2]!, WEEK)).toBe(3);
  });

  it('ignores calls placed after this one (records that arrived before it)', () => {
    expect(unansweredStreak(entries, entries[0]!, WEEK)).toBe(1);
  });

  it('orders calls placed in the same millisecond by eventKey, as the history does', () => {
    // (the keys happen to order these two the other way round from their eventIds)
    const [first, second] = ['same-1', 'same-2']
      .map((id) => ({ at: T0 + 3 * HOUR, eventKey: eventKey(id), unanswered: true }))
      .sort((a, b) => a.eventKey - b.eventKey);
    const history = [...entries, first!, second!];
    // the lower key is the earlier call: the higher one is after it and not in its streak
    expect(unansweredStreak(history, first!, WEEK)).toBe(4);
    expect(unansweredStreak(history, second!, WEEK)).toBe(5);
  });
});
