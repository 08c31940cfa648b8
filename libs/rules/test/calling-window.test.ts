import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { placeInWindow, type CallingWindow } from '../src/time/calling-window';
import { zoneClock } from '../src/time/zones';
import { nearTransition } from './fixtures/arbitraries';
import { isInsideWindow } from './fixtures/local-time';

const MINUTE = 60_000;

function windowOf(startMinute: number, endMinute: number): CallingWindow {
  return { startMinute, endMinute, label: `${startMinute}-${endMinute}` };
}

// Windows of any size, including ones that open or close inside the 01:00–03:00 DST hours.
const windows = fc
  .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 1440 }))
  .filter(([start, end]) => start < end)
  .map(([start, end]) => windowOf(start, end));

describe('placeInWindow', () => {
  it('returns the earliest instant at or after ts inside the window, checked minute by minute with luxon', () => {
    fc.assert(
      fc.property(nearTransition, windows, ({ zone, ts }, window) => {
        const placed = placeInWindow(ts, zoneClock(zone)!, window);
        expect(placed).toBeGreaterThanOrEqual(ts);
        expect(isInsideWindow(placed, zone, window.startMinute, window.endMinute)).toBe(true);
        // Nothing earlier was inside: the window opens at a whole minute, so minute steps suffice.
        for (let t = ts; t < placed; t += MINUTE) {
          expect(isInsideWindow(t, zone, window.startMinute, window.endMinute)).toBe(false);
        }
        if (placed > ts)
          expect(isInsideWindow(placed - 1, zone, window.startMinute, window.endMinute)).toBe(false);
      }),
      { numRuns: 1000 },
    );
    // up to a day of minute steps for each of 1,000 cases: about 5 s of luxon, over vitest's default
  }, 60_000);

  it.each([
    // 22:00 EDT → 08:00 EDT next day.
    ['America/New_York', '2026-06-11T02:00:00Z', '2026-06-11T12:00:00Z'],
    // 06:00 on the spring-forward day (already EDT) → 08:00 EDT.
    ['America/New_York', '2026-03-08T10:00:00Z', '2026-03-08T12:00:00Z'],
    // 22:00 EDT the evening before fall-back → 08:00 EST.
    ['America/New_York', '2026-11-01T02:00:00Z', '2026-11-01T13:00:00Z'],
    // 23:00 GMT before the spring change → 08:00 BST.
    ['Europe/London', '2026-03-28T23:00:00Z', '2026-03-29T07:00:00Z'],
    // 22:00 AEDT before the April change → 08:00 AEST.
    ['Australia/Sydney', '2026-04-04T11:00:00Z', '2026-04-04T22:00:00Z'],
  ])('in %s moves %s to the next 08:00 opening %s', (zone, from, to) => {
    expect(placeInWindow(Date.parse(from), zoneClock(zone)!, windowOf(8 * 60, 21 * 60))).toBe(Date.parse(to));
  });

  it('keeps an instant already inside the window, and treats the closing time as outside', () => {
    const clock = zoneClock('America/New_York')!;
    const window = windowOf(8 * 60, 21 * 60);
    expect(placeInWindow(Date.parse('2026-06-10T13:00:00Z'), clock, window)).toBe(
      Date.parse('2026-06-10T13:00:00Z'),
    );
    expect(placeInWindow(Date.parse('2026-06-11T01:00:00Z'), clock, window)).toBe(
      Date.parse('2026-06-11T12:00:00Z'),
    );
  });

  it('opens a window that starts inside a DST gap at the moment the clocks jump', () => {
    // 02:30–04:00 on the New York spring-forward night: 02:30 does not exist, the jump to 03:00 EDT opens it.
    const placed = placeInWindow(
      Date.parse('2026-03-08T05:00:00Z'),
      zoneClock('America/New_York')!,
      windowOf(150, 240),
    );
    expect(placed).toBe(Date.parse('2026-03-08T07:00:00Z'));
  });
});
