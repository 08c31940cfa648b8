import type { HolidayFile } from '../rules-file/schema';
import { WEEKDAYS } from '../rules-file/schema';
import { daysInMonth, epochDayOfDate, weekdayOf, yearOf } from '../time/local-date';

export type Observance = 'none' | 'nearest-weekday' | 'sunday-to-monday' | 'saturday-both-sides';

export interface HolidayDefinition {
  readonly id: string;
  readonly rule: HolidayFile;
}

/**
 * Western Easter Sunday of a Gregorian year, as an epoch day: the anonymous Gregorian algorithm
 * (Meeus/Jones/Butcher, as in Meeus, "Astronomical Algorithms", ch. 8).
 */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return epochDayOfDate(year, month, day);
}

/** The holiday's date in `year` as an epoch day, or null when the rule has none that year. */
export function holidayDate(rule: HolidayFile, year: number): number | null {
  if ('easter' in rule) return easterSunday(year) + rule.easter;
  if ('onOrAfterDay' in rule) {
    const from = epochDayOfDate(year, rule.month, Math.min(rule.onOrAfterDay, daysInMonth(year, rule.month)));
    return from + ((WEEKDAYS.indexOf(rule.weekday) - weekdayOf(from) + 7) % 7);
  }
  if ('day' in rule) {
    return rule.day <= daysInMonth(year, rule.month) ? epochDayOfDate(year, rule.month, rule.day) : null;
  }
  const wanted = WEEKDAYS.indexOf(rule.weekday);
  if (rule.nth === 'last') {
    const last = epochDayOfDate(year, rule.month, daysInMonth(year, rule.month));
    return last - ((weekdayOf(last) - wanted + 7) % 7);
  }
  const first = epochDayOfDate(year, rule.month, 1);
  const day = first + ((wanted - weekdayOf(first) + 7) % 7) + (rule.nth - 1) * 7;
  return yearOf(day) === year && day < first + daysInMonth(year, rule.month) ? day : null;
}

/**
 * The weekdays a weekend holiday is observed on: nearest-weekday moves Saturday to Friday and
 * Sunday to Monday (5 U.S.C. § 6103(b) for federal holidays; many states copy it);
 * sunday-to-monday moves only Sunday; saturday-both-sides observes a Saturday holiday on the Friday
 * before and the Monday after (a state whose own law moves it to Monday while the federal one moves
 * it to Friday, as Rhode Island's § 25-1-1 does for some) and a Sunday one on Monday.
 */
export function observedDates(day: number, observance: Observance): readonly number[] {
  const weekday = weekdayOf(day);
  if (observance === 'none') return [];
  if (weekday === 0) return [day + 1];
  if (weekday !== 6) return [];
  if (observance === 'nearest-weekday') return [day - 1];
  return observance === 'saturday-both-sides' ? [day - 1, day + 2] : [];
}

/**
 * A region's no-call holidays, looked up by local epoch day. Both the holiday itself and the day
 * it is observed on are no-call days: a statute that names "legal holidays" covers the day the
 * state observes, and calling on the calendar date of a named holiday is what a complaint would
 * cite. The stricter reading of the two is the one a dialer can act on without a lawyer.
 */
export class HolidayCalendar {
  private readonly byYear = new Map<number, ReadonlyMap<number, string>>();

  constructor(
    readonly definitions: readonly HolidayDefinition[],
    readonly observance: Observance,
  ) {}

  /** The id of the holiday on that local day, or undefined. */
  holidayOn(epochDay: number): string | undefined {
    if (this.definitions.length === 0) return undefined;
    return this.daysOf(yearOf(epochDay)).get(epochDay);
  }

  private daysOf(year: number): ReadonlyMap<number, string> {
    let days = this.byYear.get(year);
    if (days !== undefined) return days;
    const found = new Map<number, string>();
    // A New Year's Day on a Saturday is observed on the Friday before, in the previous year.
    for (const y of [year - 1, year, year + 1]) {
      for (const { id, rule } of this.definitions) {
        const date = holidayDate(rule, y);
        if (date === null) continue;
        for (const day of [date, ...observedDates(date, this.observance)]) {
          if (yearOf(day) === year && !found.has(day)) found.set(day, id);
        }
      }
    }
    days = found;
    // Bounded: a classify call touches a year or two; a replay across decades still stays small.
    if (this.byYear.size >= 64) this.byYear.clear();
    this.byYear.set(year, days);
    return days;
  }
}
