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

export function yearOf(epochDay: number): number {
  return new Date(epochDay * DAY_MS).getUTCFullYear();
}

/** Days in a month (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
