import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attemptOf,
  capsFor,
  capViolation,
  classify,
  EMPTY_HISTORY,
  eventKey,
  recordAttempt,
  type AttemptEntry,
  type NumberHistory,
} from '@sipflow/rules';
import { attempt } from '../../../../test/support/call-attempt';
import { isInsideWindow } from '../fixtures/local-time';
import { defaultRules } from '@sipflow/rules';

const RULES = defaultRules();
const MINUTE = 60_000;
const DAY = 86_400_000;
// two weeks from late October 2026: the end of US daylight time (11-01) falls inside
const FROM = Date.parse('2026-10-25T00:00:00Z');

/** A retrying call (busy, no answer, server error) to a Miami number, some time in those two weeks. */
const floridaCalls = fc
  .record({
    minute: fc.integer({ min: 0, max: 14 * 24 * 60 }),
    sipCode: fc.constantFrom(480, 486, 503),
    seconds: fc.integer({ min: 0, max: 600 }),
    id: fc.integer({ min: 0, max: 9999 }),
  })
  .map(({ minute, sipCode, seconds, id }) =>
    attempt({
      eventId: `e-${id}`,
      phoneNumber: '+13055550100',
      leadRegion: 'US-FL',
      leadTimezone: 'America/New_York',
      sipCode,
      startedAt: FROM + minute * MINUTE,
      endedAt: FROM + minute * MINUTE + seconds * 1000,
    }),
  );

/** Other calls to the number, within two days before the call and a few hours after (late arrivals). */
function historyAround(startedAt: number) {
  return fc.uniqueArray(
    fc.record<AttemptEntry>({
      at: fc.integer({ min: -2 * 24 * 60, max: 6 * 60 }).map((m) => startedAt + m * MINUTE),
      eventKey: fc.integer({ min: 0, max: 999 }).map((n) => eventKey(`h-${n}`)),
      unanswered: fc.boolean(),
    }),
    { selector: (e) => e.eventKey, maxLength: 8 },
  );
}

function recordAll(entries: readonly AttemptEntry[]): NumberHistory {
  return entries.reduce<NumberHistory>(
    (history, entry) => recordAttempt(history, entry, RULES.stateWindowMs),
    EMPTY_HISTORY,
  );
}

const withHistory = floridaCalls.chain((event) =>
  fc.record({ event: fc.constant(event), entries: historyAround(event.startedAt) }),
);

// classify is fast, but the machine is shared: a generous timeout rather than fewer runs
const PROPERTY_TIMEOUT_MS = 60_000;

describe('classify with the Florida cap, over random histories', () => {
  it(
    'never schedules a retry that breaks a cap or falls outside Florida’s 08:00–20:00',
    () => {
      expect(capsFor(attempt({ phoneNumber: '+13055550100', leadRegion: 'US-FL' }), RULES)).toHaveLength(1);
      fc.assert(
        fc.property(withHistory, ({ event, entries }) => {
          const history = recordAll(entries);
          const result = classify(event, RULES, history);
          if (result.retryAt === null) return;
          expect(capViolation(event, result.retryAt, RULES, history)).toBeNull();
          expect(isInsideWindow(result.retryAt, 'America/New_York', 8 * 60, 20 * 60)).toBe(true);
        }),
        { numRuns: 400 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'with 3 calls in the 24 h before the retry, retries no earlier than 24 h after the first',
    () => {
      fc.assert(
        fc.property(
          floridaCalls,
          fc.integer({ min: 1, max: 23 * 60 }),
          fc.integer({ min: 1, max: 23 * 60 }),
          (event, a, b) => {
            const times = [event.startedAt - a * MINUTE, event.startedAt - b * MINUTE];
            const history = recordAll(
              times.map((at, i) => ({ at, eventKey: eventKey(`h-${i}`), unanswered: true })),
            );
            const result = classify(event, RULES, history);
            expect(result.retryAt).not.toBeNull();
            expect(result.retryAt!).toBeGreaterThanOrEqual(Math.min(...times) + DAY);
          },
        ),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'gives the same result whatever order the history arrived in, and for a redelivered call',
    () => {
      fc.assert(
        fc.property(
          withHistory.chain(({ event, entries }) =>
            fc.record({
              event: fc.constant(event),
              entries: fc.constant(entries),
              arrival: fc.shuffledSubarray(entries, { minLength: entries.length }),
            }),
          ),
          ({ event, entries, arrival }) => {
            const history = recordAll(entries);
            const expected = classify(event, RULES, history);
            expect(classify(event, RULES, recordAll(arrival))).toEqual(expected);
            const own = attemptOf(event, expected.disposition);
            expect(classify(event, RULES, recordAttempt(history, own, RULES.stateWindowMs))).toEqual(
              expected,
            );
          },
        ),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
