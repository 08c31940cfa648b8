import type { CallingSchedule, DayWindow, HolidayLookup } from './schedule';

/** The windows of `a` and `b` both allow, sorted (both lists sorted and non-overlapping). */
function intersect(a: readonly DayWindow[], b: readonly DayWindow[]): DayWindow[] {
  const out: DayWindow[] = [];
  for (const x of a) {
    for (const y of b) {
      const startMinute = Math.max(x.startMinute, y.startMinute);
      const endMinute = Math.min(x.endMinute, y.endMinute);
      if (startMinute < endMinute) out.push({ startMinute, endMinute });
    }
  }
  return out.sort((p, q) => p.startMinute - q.startMinute);
}

/**
 * One schedule that allows exactly the instants all of `schedules` allow (read in one zone): per
 * weekday the intersection of their windows, and a no-call day when any of them has a holiday. A
 * party's campaign, country and state windows in one zone then cost one search instead of one per
 * schedule and a round to confirm; which of them moved a retry is worked out only when one did.
 */
export function mergeSchedules(schedules: readonly CallingSchedule[]): CallingSchedule {
  if (schedules.length === 1) return schedules[0]!;
  const week = schedules[0]!.week.map((_, day) =>
    Object.freeze(schedules.map((s) => s.week[day]!).reduce((a, b) => intersect(a, b))),
  );
  const calendars = schedules.map((s) => s.holidays).filter((h): h is HolidayLookup => h !== null);
  const holidays: HolidayLookup | null =
    calendars.length === 0
      ? null
      : {
          holidayOn(day: number) {
            for (const calendar of calendars) {
              const id = calendar.holidayOn(day);
              if (id !== undefined) return id;
            }
            return undefined;
          },
        };
  return Object.freeze({
    name: schedules.map((s) => s.name).join(' + '),
    hours: 'merged',
    source: null,
    week: Object.freeze(week),
    holidays,
  });
}
