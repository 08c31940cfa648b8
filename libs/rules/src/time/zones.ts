import { IANAZone } from 'luxon';
import { ZoneClock } from './zone-clock';

// One clock per zone name for the life of the process: building an IANAZone (and its
// Intl.DateTimeFormat) costs far more than a classify call, and the offset cache lives in the clock.
// Only valid names are kept, so hostile input cannot grow the map without bound.
const clocks = new Map<string, ZoneClock>();

/** The clock for an IANA zone name, or undefined when the name is not a zone this runtime knows. */
export function zoneClock(name: string): ZoneClock | undefined {
  const cached = clocks.get(name);
  if (cached !== undefined) return cached;
  if (!IANAZone.isValidZone(name)) return undefined;
  const clock = new ZoneClock(name, IANAZone.create(name));
  clocks.set(name, clock);
  return clock;
}
