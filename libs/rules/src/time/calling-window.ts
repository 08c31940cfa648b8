import { SipflowError } from '@sipflow/errors';
import { dailySchedule, type CallingSchedule } from '../jurisdiction/schedule';
import { weekdayOf } from './local-date';
import { DAY_MS, MINUTE_MS } from './units';
import type { ZoneClock } from './zone-clock';

/** Local hours when a lead may be called: [start, end) in minutes after local midnight. */
export interface CallingWindow {
  readonly startMinute: number;
  readonly endMinute: number;
  /** "08:00–21:00", for explanations. */
  readonly label: string;
}

/** Where nextOpening landed, and the holiday it had to skip (the first one), if any. */
export interface Opening {
  readonly at: number;
  readonly skippedHoliday: string | null;
}

// How far ahead of an instant a schedule's next opening is looked for, in local days: a week holds
// every weekday, so a schedule with any window opens within 7 days, plus room for holidays next to
// a closed weekend (a Monday holiday after a no-Sunday weekend, a Friday one before it).
const SEARCH_DAYS = 10;

/**
 * The earliest instant at or after `ts` whose local time in the clock's zone is inside the
 * schedule — `ts` itself when it already is — or null when the schedule does not open within
 * SEARCH_DAYS (every day closed, say).
 *
 * Walks the stretches of constant offset from `ts` on. Within one stretch local time runs at the
 * same rate as UTC, so the first inside instant is the stretch's start when that is inside, else
 * the next wall-clock opening, if the stretch lasts that long. Looking only for the next opening
 * wall-clock time is not enough, because an offset change makes the wall clock jump:
 * - Fall-back repeats an hour. In Europe/London the clocks go back from 02:00 BST to 01:00 GMT at
 *   01:00 UTC on the last Sunday of October (IANA tz database, file `europe`: Zone Europe/London
 *   follows Rule EU, "1996 max Oct lastSun 1:00u"; checked 2026-12-01). At 01:01 BST a window
 *   00:00–01:01 has closed, yet it is open again an hour later at 01:00 GMT, hours before the
 *   next midnight.
 * - Spring-forward skips an hour. An opening inside the gap never shows on the wall clock; the
 *   window opens at the moment the clocks jump, if the jump lands before its close.
 * Both cases are the start of the stretch after the change, which the walk checks first.
 */
export function nextOpening(ts: number, clock: ZoneClock, schedule: CallingSchedule): Opening | null {
  let from = ts;
  let skippedHoliday: string | null = null;
  // Each stretch ends at an offset change (at most one a day) or at a cache edge, so this many
  // stretches always cover SEARCH_DAYS.
  for (let stretch = 0; stretch < 4 * SEARCH_DAYS && from < ts + SEARCH_DAYS * DAY_MS; stretch++) {
    const offsetMs = clock.offsetMinutes(from) * MINUTE_MS;
    const until = clock.offsetConstantUntil(from);
    const local = from + offsetMs;
    const today = Math.floor(local / DAY_MS);
    let candidate: number | null = null;
    for (let day = today; day <= today + SEARCH_DAYS && candidate === null; day++) {
      const holiday = schedule.holidays?.holidayOn(day);
      const windows = schedule.week[weekdayOf(day)]!;
      if (holiday !== undefined) {
        if (windows.length > 0) skippedHoliday ??= holiday;
        continue;
      }
      const midnight = day * DAY_MS;
      for (const window of windows) {
        const first = Math.max(local, midnight + window.startMinute * MINUTE_MS);
        // An empty window (start at or past its end) never holds an instant, so it never opens.
        if (first < midnight + window.endMinute * MINUTE_MS) {
          candidate = first;
          break;
        }
      }
    }
    if (candidate === null) return null;
    const at = candidate - offsetMs;
    // Inside, under this stretch's offset: the answer. Past the stretch: the offset there differs,
    // so look again from the change, whose wall clock may already be inside.
    if (at < until) return { at, skippedHoliday };
    from = until;
  }
  return null;
}

/**
 * The earliest instant at or after `ts` inside a daily window (see nextOpening). Throws when the
 * window never opens (start at or past its end), which checkRules refuses at load.
 */
export function placeInWindow(ts: number, clock: ZoneClock, window: CallingWindow): number {
  const opening = nextOpening(
    ts,
    clock,
    dailySchedule('window', { startMinute: window.startMinute, endMinute: window.endMinute }),
  );
  if (opening !== null) return opening.at;
  throw new SipflowError(
    'SIPFLOW_INTERNAL_ERROR',
    `calling window ${window.label} never opens in ${clock.name} within ${SEARCH_DAYS} days after ${new Date(ts).toISOString()}`,
    {
      window: window.label,
      startMinute: window.startMinute,
      endMinute: window.endMinute,
      zone: clock.name,
      ts,
    },
  );
}
