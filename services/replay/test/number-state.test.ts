import { mapState } from '@sipflow/pipeline';
import { classify, defaultRules, eventKey } from '@sipflow/rules';
import { describe, expect, it } from 'vitest';
import { attempt } from '../../../test/support/call-attempt';
import { recordCall, warmUpRanges } from '../src/number-state';
import { describeState } from '../src/summary';

const HOUR = 3_600_000;
const FIRST = Date.parse('2026-06-10T14:00:00Z');
const call = (i: number, overrides = {}) =>
  attempt({
    eventId: `00000000-0000-4000-8000-00000000000${i}`,
    leadId: `lead-${i}`,
    phoneNumber: '+13055550123', // Florida: at most 3 calls per 24 h
    startedAt: FIRST + i * HOUR,
    endedAt: FIRST + i * HOUR + 25_000,
    ...overrides,
  });

describe('the state a replay rebuilds', () => {
  it('records each valid call under its number, and no call for an invalid event', () => {
    const rules = defaultRules();
    const state = mapState();
    expect(recordCall(state, call(0), rules)).toBe(true);
    expect(recordCall(state, call(1), rules)).toBe(true);
    expect(recordCall(state, call(2, { sipCode: 99 }), rules)).toBe(false);
    expect(recordCall(state, call(1), rules)).toBe(true); // recorded again: still one call
    expect(state.get('+13055550123').map((e) => e.eventKey)).toEqual(
      [call(0), call(1)].map((c) => eventKey(c.eventId)),
    );
    expect(state.get('+13055550123')[0]!.unanswered).toBe(true); // a 486: BUSY

    // the window's first call then sees them: its retry would be the fourth call in 24 h
    const third = call(2);
    expect(classify(third, rules).retryMovedBy).toBeNull();
    const moved = classify(third, rules, state.get(third.phoneNumber));
    expect(moved.retryMovedBy).toBe('US-FL 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))');
    expect(moved.retryAt).toBe(FIRST + 24 * HOUR);
  });

  it('reads every partition before the window, not only the replayed ones, and skips empty ones', () => {
    const watermarks = [
      { partition: 1, low: 0n, high: 50n },
      { partition: 0, low: 0n, high: 100n },
      { partition: 2, low: 0n, high: 10n },
    ];
    const ranges = warmUpRanges(
      watermarks,
      new Map([
        [0, 40n],
        [1, 5n],
        [2, 10n],
      ]),
      new Map([
        [0, 60n],
        [1, 50n],
        [2, 10n],
      ]),
    );
    expect(ranges).toEqual([
      { partition: 0, start: 40n, end: 60n },
      { partition: 1, start: 5n, end: 50n },
    ]);
  });

  it('says what it was rebuilt from, or that a window by offsets starts empty', () => {
    const windowMs = 24 * HOUR;
    expect(describeState({ calls: 1204, numbers: 980, from: 0, to: windowMs, windowMs })).toBe(
      '1,204 calls to 980 numbers from the 24 h before the window (raw topic)',
    );
    expect(describeState({ calls: 0, numbers: 0, from: null, to: null, windowMs })).toMatch(/^none rebuilt/);
  });
});
