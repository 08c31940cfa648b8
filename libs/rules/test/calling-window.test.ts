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

  // Transition instants from the IANA tz database (checked 2026-12-01): Europe/London follows
  // Rule EU (file `europe`: back at 01:00 UTC on the last Sunday of October), America/New_York
  // Rule US (file `northamerica`: forward on the second Sunday of March, back on the first Sunday
  // of November, at 02:00 local), Australia/Sydney Rule AN (file `australasia`: back on the first
  // Sunday of April, forward on the first Sunday of October, at 02:00 standard time). Expected
  // instants were found independently by scanning luxon's local times and cross-checked with Intl.
  it('repeated hour at fall-back: 00:00–01:01 Europe/London at 2026-10-25T00:01Z → 01:00 GMT the same night', () => {
    // fast-check seed 1161872079: at 01:01 BST the window has closed, but the clocks go back at
    // 02:00 BST to 01:00 GMT, which is inside again; the next midnight is 23 hours later.
    const placed = placeInWindow(
      Date.parse('2026-10-25T00:01:00Z'),
      zoneClock('Europe/London')!,
      windowOf(0, 61),
    );
    expect(placed).toBe(Date.parse('2026-10-25T01:00:00Z'));
  });

  it.each([
    // 01:30 EDT, window 00:30–01:15 closed; the clocks go back to 01:00 EST, inside again.
    ['fall-back', 'America/New_York', '2026-11-01T05:30:00Z', 30, 75, '2026-11-01T06:00:00Z'],
    // 01:45 EDT, window 01:30–01:40 closed; its opening wall time 01:30 comes again at 01:30 EST.
    ['fall-back', 'America/New_York', '2026-11-01T05:45:00Z', 90, 100, '2026-11-01T06:30:00Z'],
    // 02:45 AEDT, window 02:00–02:30 closed; the clocks go back at 03:00 AEDT to 02:00 AEST.
    ['fall-back', 'Australia/Sydney', '2026-04-04T15:45:00Z', 120, 150, '2026-04-04T16:00:00Z'],
    // 01:00 AEST, window 02:15–03:30 opens inside the gap: at the jump to 03:00 AEDT.
    ['spring-forward', 'Australia/Sydney', '2026-10-03T15:00:00Z', 135, 210, '2026-10-03T16:00:00Z'],
    // 01:00 AEST, window 02:15–02:45 lies wholly in the gap: next day's 02:15 AEDT.
    ['spring-forward', 'Australia/Sydney', '2026-10-03T15:00:00Z', 135, 165, '2026-10-04T15:15:00Z'],
    // 01:30 EST, window 02:00–02:59 lies wholly in the gap: next day's 02:00 EDT.
    ['spring-forward', 'America/New_York', '2026-03-08T06:30:00Z', 120, 179, '2026-03-09T06:00:00Z'],
  ] as const)('%s in %s: %s, window %i–%i minutes → %s', (_edge, zone, from, start, end, to) => {
    expect(placeInWindow(Date.parse(from), zoneClock(zone)!, windowOf(start, end))).toBe(Date.parse(to));
  });

  it('throws a coded error for a window that never opens', () => {
    expect(() =>
      placeInWindow(Date.parse('2026-06-10T13:00:00Z'), zoneClock('Europe/London')!, windowOf(600, 600)),
    ).toThrow(expect.objectContaining({ name: 'SipflowError', code: 'SIPFLOW_INTERNAL_ERROR' }));
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
