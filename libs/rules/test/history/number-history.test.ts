import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attemptOf,
  EMPTY_HISTORY,
  compareEntries,
  entryBefore,
  eventKey,
  isExpired,
  MAX_ENTRIES_PER_NUMBER,
  recordAttempt,
  type AttemptEntry,
  type NumberHistory,
} from '@sipflow/rules';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-06-10T12:00:00Z');

function entry(at: number, eventId: string, unanswered = true): AttemptEntry {
  return { at, eventKey: eventKey(eventId), unanswered };
}

function recordAll(entries: readonly AttemptEntry[], keepMs: number): NumberHistory {
  return entries.reduce<NumberHistory>((history, e) => recordAttempt(history, e, keepMs), EMPTY_HISTORY);
}

/** Calls within two days, on a coarse grid so that equal times (ties on eventKey) come up often. */
const entries = fc.uniqueArray(
  fc
    .record({
      at: fc.integer({ min: 0, max: 48 }).map((h) => T0 + h * HOUR),
      eventId: fc.string({ minLength: 1, maxLength: 3 }),
      unanswered: fc.boolean(),
    })
    .map(({ at, eventId, unanswered }) => entry(at, eventId, unanswered)),
  { selector: (e) => e.eventKey, maxLength: 20 },
);

/** Sorted by (at, eventKey), the order recordAttempt promises (both integers below 2^53: exact). */
function byTimeThenKey(a: AttemptEntry, b: AttemptEntry): number {
  return a.at - b.at || a.eventKey - b.eventKey;
}

describe('recordAttempt', () => {
  it('keeps the calls ordered by (at, eventKey) whatever order they arrive in', () => {
    fc.assert(
      fc.property(
        entries.chain((list) =>
          fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
        ),
        ([list, arrival]) => {
          // a window longer than the calls span: nothing is pruned
          const history = recordAll(arrival, 7 * DAY);
          expect(history).toEqual([...list].sort(byTimeThenKey));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is idempotent on eventKey: a call recorded twice counts once, even with other fields changed', () => {
    fc.assert(
      fc.property(entries, fc.nat(), (list, pick) => {
        fc.pre(list.length > 0);
        const history = recordAll(list, 7 * DAY);
        const again = list[pick % list.length]!;
        expect(recordAttempt(history, again, 7 * DAY)).toBe(history);
        // a redelivered record carries the same eventId, so the same eventKey; the first recording stands
        expect(recordAttempt(history, { ...again, at: again.at + HOUR }, 7 * DAY)).toBe(history);
      }),
      { numRuns: 200 },
    );
  });

  it('drops calls at or before the latest call − keepMs, and keeps one just after', () => {
    const keep = 24 * HOUR;
    const latest = entry(T0 + DAY, 'latest');
    const history = recordAll(
      [entry(T0 - 1, 'before'), entry(T0, 'at-cutoff'), entry(T0 + 1, 'after'), latest],
      keep,
    );
    expect(history).toEqual([entry(T0 + 1, 'after'), latest]);
  });

  it('prunes against the latest call it holds, not the one being recorded (a late arrival)', () => {
    const keep = 24 * HOUR;
    const history = recordAll([entry(T0 + 2 * DAY, 'new'), entry(T0 + DAY + 1, 'late')], keep);
    expect(history).toEqual([entry(T0 + DAY + 1, 'late'), entry(T0 + 2 * DAY, 'new')]);
    // older than latest − keepMs on arrival: not kept at all
    expect(recordAttempt(history, entry(T0 + DAY, 'too-late'), keep)).toEqual(history);
  });

  it(`keeps at most MAX_ENTRIES_PER_NUMBER (${MAX_ENTRIES_PER_NUMBER}) calls: the latest ones`, () => {
    const many = Array.from({ length: MAX_ENTRIES_PER_NUMBER + 7 }, (_, i) =>
      entry(T0 + i * 1000, `e-${String(i).padStart(4, '0')}`),
    );
    const history = recordAll(many, DAY);
    expect(history).toHaveLength(MAX_ENTRIES_PER_NUMBER);
    expect(history[0]).toEqual(many[7]);
    expect(history.at(-1)).toEqual(many.at(-1));
  });

  it('never changes the history passed in, and returns a frozen one', () => {
    fc.assert(
      fc.property(entries, entries, (first, second) => {
        const history = recordAll(first, 12 * HOUR);
        const copy = structuredClone(history);
        let next = history;
        for (const e of second) next = recordAttempt(next, e, 12 * HOUR);
        expect(history).toEqual(copy);
        expect(Object.isFrozen(next)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('entryBefore', () => {
  it('is the order recordAttempt keeps: by at, then eventKey, and strict', () => {
    fc.assert(
      fc.property(entries, (list) => {
        for (const a of list) {
          for (const b of list) expect(entryBefore(a, b)).toBe(byTimeThenKey(a, b) < 0);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('compareEntries sorts by the same order', () => {
    fc.assert(
      fc.property(entries, (list) => {
        for (const a of list)
          for (const b of list) expect(Math.sign(compareEntries(a, b))).toBe(Math.sign(byTimeThenKey(a, b)));
      }),
      { numRuns: 100 },
    );
  });
});

describe('isExpired', () => {
  const keep = 24 * HOUR;
  const history = recordAll([entry(T0 - HOUR, 'a'), entry(T0, 'b')], keep);

  it('is true for an empty history', () => {
    expect(isExpired(EMPTY_HISTORY, T0, keep)).toBe(true);
  });

  it('is true once the latest call is keepMs old, false 1 ms before', () => {
    expect(isExpired(history, T0 + keep, keep)).toBe(true);
    expect(isExpired(history, T0 + keep - 1, keep)).toBe(false);
    expect(isExpired(history, T0, keep)).toBe(false);
  });
});

describe('attemptOf', () => {
  it('marks NO_ANSWER and BUSY unanswered, and records startedAt', () => {
    const event = { startedAt: T0, eventId: 'e-1' };
    expect(attemptOf(event, 'NO_ANSWER')).toEqual({ at: T0, eventKey: eventKey('e-1'), unanswered: true });
    expect(attemptOf(event, 'BUSY').unanswered).toBe(true);
    expect(attemptOf(event, 'CONNECTED').unanswered).toBe(false);
    expect(attemptOf(event, 'CONGESTION').unanswered).toBe(false);
  });
});
