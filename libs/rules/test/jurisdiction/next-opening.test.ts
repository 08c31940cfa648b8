import { describe, expect, it } from 'vitest';
import { HolidayCalendar } from '../../src/jurisdiction/holidays';
import type { CallingSchedule, DayWindow } from '../../src/jurisdiction/schedule';
import { nextOpening } from '../../src/time/calling-window';
import { zoneClock } from '../../src/time/zones';

const w = (start: string, end: string): DayWindow => ({
  startMinute: Number(start.slice(0, 2)) * 60 + Number(start.slice(3)),
  endMinute: Number(end.slice(0, 2)) * 60 + Number(end.slice(3)),
});

// Mon–Sat 09:00–20:00, Sunday none, Thanksgiving off: the shape of several state laws.
const SCHEDULE: CallingSchedule = {
  name: 'US-XX',
  hours: 'Mon–Sat 09:00–20:00, Sun none',
  source: 'test',
  week: [
    [],
    [w('09:00', '20:00')],
    [w('09:00', '20:00')],
    [w('09:00', '20:00')],
    [w('09:00', '20:00')],
    [w('09:00', '20:00')],
    [w('09:00', '20:00')],
  ],
  holidays: new HolidayCalendar(
    [{ id: 'thanksgiving', rule: { month: 11, weekday: 'thu', nth: 4 } }],
    'none',
  ),
};
const NY = zoneClock('America/New_York')!;

describe('nextOpening of a weekly schedule with holidays', () => {
  it.each([
    // Saturday 2026-11-21 19:59 EST: still open
    ['2026-11-22T00:59:00Z', '2026-11-22T00:59:00Z', null],
    // Saturday 20:00 EST: closed; Sunday none; Monday 09:00 EST
    ['2026-11-22T01:00:00Z', '2026-11-23T14:00:00Z', null],
    // Wednesday 2026-11-25 20:30 EST: Thanksgiving Thursday skipped, Friday 09:00 EST
    ['2026-11-26T01:30:00Z', '2026-11-27T14:00:00Z', 'thanksgiving'],
    // Thanksgiving itself, noon: Friday 09:00
    ['2026-11-26T17:00:00Z', '2026-11-27T14:00:00Z', 'thanksgiving'],
    // Saturday 2026-03-07 21:00 EST, DST starts Sunday 03-08: Monday 09:00 EDT = 13:00Z
    ['2026-03-08T02:00:00Z', '2026-03-09T13:00:00Z', null],
  ])('from %s → %s (skipping %s)', (from, to, holiday) => {
    expect(nextOpening(Date.parse(from), NY, SCHEDULE)).toEqual({
      at: Date.parse(to),
      skippedHoliday: holiday,
    });
  });

  it('gives null for a schedule with no open day', () => {
    const closed: CallingSchedule = { ...SCHEDULE, week: [[], [], [], [], [], [], []] };
    expect(nextOpening(Date.parse('2026-11-22T01:00:00Z'), NY, closed)).toBeNull();
  });

  it('opens the later window of a day with two', () => {
    const split: CallingSchedule = {
      ...SCHEDULE,
      holidays: null,
      week: Array.from({ length: 7 }, () => [w('09:00', '12:00'), w('13:00', '20:00')]),
    };
    // 12:30 EST on a Monday → 13:00 EST
    expect(nextOpening(Date.parse('2026-11-23T17:30:00Z'), NY, split)?.at).toBe(
      Date.parse('2026-11-23T18:00:00Z'),
    );
  });
});
