import { DAY_MS } from './units';

/** Days since 1970-01-01 of a local wall-clock reading (local ms taken as if UTC). */
export function epochDayOf(localMs: number): number {
  return Math.floor(localMs / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export function weekdayOf(epochDay: number): number {
  return (((epochDay + 4) % 7) + 7) % 7;
}

/** Epoch day of a calendar date (month 1–12). Pure arithmetic through Date.UTC, no clock. */
export function epochDayOfDate(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/**
 * The Gregorian year of an epoch day, by arithmetic rather than a Date (this runs for every day a
 * calling-window search looks at): Howard Hinnant's civil_from_days, "chrono-Compatible Low-Level
 * Date Algorithms" (2013), the year part.
 */
export function yearOf(epochDay: number): number {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return yoe + era * 400 + (month <= 2 ? 1 : 0);
}

/** Days in a month (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
