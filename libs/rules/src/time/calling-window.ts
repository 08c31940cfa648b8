import { SipflowError } from '@sipflow/errors';
import { DAY_MS, MINUTE_MS } from './units';
import type { ZoneClock } from './zone-clock';

/** Local hours when a lead may be called: [start, end) in minutes after local midnight. */
export interface CallingWindow {
  readonly startMinute: number;
  readonly endMinute: number;
  /** "08:00–21:00", for explanations. */
  readonly label: string;
}

// How far past `ts` to look before giving up. A stretch of a day or more with one offset shows
// every wall-clock time, so it holds an opening; offsets change at most once a day (ZoneClock's
// assumption), so within any three days there is such a stretch.
const SEARCH_HORIZON_MS = 3 * DAY_MS;

function isInside(localMsOfDay: number, window: CallingWindow): boolean {
  return localMsOfDay >= window.startMinute * MINUTE_MS && localMsOfDay < window.endMinute * MINUTE_MS;
}

/**
 * The earliest instant at or after `ts` whose local time in the clock's zone is inside the
 * window: `ts` itself when it already is, otherwise the next time the window opens — at its
 * opening wall-clock time, or at an offset change that moves the wall clock into the window.
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
export function placeInWindow(ts: number, clock: ZoneClock, window: CallingWindow): number {
  const openingMs = window.startMinute * MINUTE_MS;
  let from = ts;
  while (from < ts + SEARCH_HORIZON_MS) {
    const offsetMs = clock.offsetMinutes(from) * MINUTE_MS;
    const until = clock.offsetConstantUntil(from);
    const local = from + offsetMs;
    const msOfDay = ((local % DAY_MS) + DAY_MS) % DAY_MS;
    if (isInside(msOfDay, window)) return from;
    // Outside and past the opening means past the close too: the next opening is tomorrow's.
    const opening = local - msOfDay + openingMs + (msOfDay >= openingMs ? DAY_MS : 0) - offsetMs;
    // Go round again rather than return the opening, so a window that is empty (start at or past
    // its end) is never "placed" at an instant outside it but runs out the horizon and throws.
    from = opening < until ? opening : until;
  }
  throw new SipflowError(
    'SIPFLOW_INTERNAL_ERROR',
    `calling window ${window.label} never opens in ${clock.name} within ${SEARCH_HORIZON_MS / DAY_MS} days after ${new Date(ts).toISOString()}`,
    {
      window: window.label,
      startMinute: window.startMinute,
      endMinute: window.endMinute,
      zone: clock.name,
      ts,
    },
  );
}
