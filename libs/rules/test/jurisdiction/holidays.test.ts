import { describe, expect, it } from 'vitest';
import { easterSunday, holidayDate, HolidayCalendar, observedDates } from '../../src/jurisdiction/holidays';
import { epochDayOfDate, yearOf } from '../../src/time/local-date';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe('holiday dates', () => {
  // Each checked against a printed 2026/2027/2028 calendar.
  it.each([
    [{ month: 11, weekday: 'thu', nth: 4 } as const, 2026, '2026-11-26'], // Thanksgiving
    [{ month: 5, weekday: 'mon', nth: 'last' } as const, 2026, '2026-05-25'], // Memorial Day
    [{ month: 9, weekday: 'mon', nth: 1 } as const, 2026, '2026-09-07'], // Labor Day
    [{ month: 1, weekday: 'mon', nth: 3 } as const, 2027, '2027-01-18'], // MLK Day
    [{ month: 11, weekday: 'tue', onOrAfterDay: 2 } as const, 2026, '2026-11-03'], // Election Day
    [{ month: 11, weekday: 'tue', onOrAfterDay: 2 } as const, 2027, '2027-11-02'],
    [{ easter: 0 } as const, 2026, '2026-04-05'],
    [{ easter: -2 } as const, 2027, '2027-03-26'], // Good Friday
    [{ month: 7, day: 4 } as const, 2026, '2026-07-04'],
  ])('%j in %i is %s', (rule, year, iso) => {
    expect(holidayDate(rule, year)).toBe(day(iso));
  });

  it('has no fifth Monday of February 2026 and no February 30', () => {
    expect(holidayDate({ month: 2, weekday: 'mon', nth: 5 }, 2026)).toBeNull();
    expect(holidayDate({ month: 2, day: 30 }, 2026)).toBeNull();
    expect(holidayDate({ month: 2, day: 29 }, 2028)).toBe(day('2028-02-29'));
  });

  it('computes Easter for known years (Meeus)', () => {
    expect(easterSunday(2000)).toBe(epochDayOfDate(2000, 4, 23));
    expect(easterSunday(2019)).toBe(epochDayOfDate(2019, 4, 21));
    expect(easterSunday(2038)).toBe(epochDayOfDate(2038, 4, 25));
  });
});

describe('weekend observance', () => {
  it('moves Saturday to Friday and Sunday to Monday with nearest-weekday', () => {
    expect(observedDates(day('2026-07-04'), 'nearest-weekday')).toEqual([day('2026-07-03')]); // Saturday
    expect(observedDates(day('2027-07-04'), 'nearest-weekday')).toEqual([day('2027-07-05')]); // Sunday
    expect(observedDates(day('2026-07-04'), 'sunday-to-monday')).toEqual([]);
    expect(observedDates(day('2027-07-04'), 'none')).toEqual([]);
    expect(observedDates(day('2026-07-04'), 'saturday-both-sides')).toEqual([
      day('2026-07-03'),
      day('2026-07-06'),
    ]);
    expect(observedDates(day('2027-07-04'), 'saturday-both-sides')).toEqual([day('2027-07-05')]);
  });

  it('counts both the holiday and its observed day, across a year boundary', () => {
    // 2028-01-01 is a Saturday: observed on Friday 2027-12-31.
    const calendar = new HolidayCalendar(
      [{ id: 'new-years-day', rule: { month: 1, day: 1 } }],
      'nearest-weekday',
    );
    expect(calendar.holidayOn(day('2027-12-31'))).toBe('new-years-day');
    expect(calendar.holidayOn(day('2028-01-01'))).toBe('new-years-day');
    expect(calendar.holidayOn(day('2027-12-30'))).toBeUndefined();
  });
});

describe('yearOf (civil_from_days)', () => {
  it('agrees with Date on every day from 1900 to 2100', () => {
    for (let day = epochDayOfDate(1900, 1, 1); day <= epochDayOfDate(2100, 12, 31); day++) {
      if (yearOf(day) !== new Date(day * 86_400_000).getUTCFullYear()) expect.fail(`day ${day}`);
    }
  });
});
