import { DAY_MS, MINUTE_MS } from './units';
import type { ZoneClock } from './zone-clock';

/** Local hours when a lead may be called: [start, end) in minutes after local midnight. */
export interface CallingWindow {
  readonly startMinute: number;
  readonly endMinute: number;
  /** "08:00–21:00", for explanations. */
  readonly label: string;
}

// An opening inside a DST gap moves to the moment the clocks jump, which may already be past a
// short window; the next day's opening cannot also be in a gap, so three tries always suffice.
const MAX_OPENINGS_TRIED = 3;

function isInside(localMsOfDay: number, window: CallingWindow): boolean {
  return localMsOfDay >= window.startMinute * MINUTE_MS && localMsOfDay < window.endMinute * MINUTE_MS;
}

/**
 * The earliest instant at or after `ts` whose local time in the clock's zone is inside the
 * window: `ts` itself when it already is, otherwise the next opening (today's or tomorrow's).
 */
export function placeInWindow(ts: number, clock: ZoneClock, window: CallingWindow): number {
  let candidate = ts;
  for (let attempt = 0; attempt < MAX_OPENINGS_TRIED; attempt++) {
    const local = candidate + clock.offsetMinutes(candidate) * MINUTE_MS;
    const msOfDay = ((local % DAY_MS) + DAY_MS) % DAY_MS;
    if (isInside(msOfDay, window)) return candidate;
    // Outside and past the opening means past the close too: the next opening is tomorrow's.
    const openingDay = local - msOfDay + (msOfDay >= window.startMinute * MINUTE_MS ? DAY_MS : 0);
    const opening = clock.instantOf(openingDay + window.startMinute * MINUTE_MS, candidate);
    if (opening === null) break;
    candidate = opening;
  }
  throw new Error(`calling window ${window.label} never opens in ${clock.name} after ${ts}`);
}
