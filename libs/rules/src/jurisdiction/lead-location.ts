import { nanpGeography } from '../geography/nanp';
import type { CampaignPolicy } from '../rules-file/compiled';
import type { ZoneClock } from '../time/zone-clock';
import { zoneClock } from '../time/zones';
import type { CallAttempt } from '../types';

/** Where the called party is, as far as the rules can tell. */
export interface LeadLocation {
  /** The regions whose rules apply: leadRegion and the area code's region, when they differ both. */
  readonly regions: readonly string[];
  /** Every zone the party may be in: leadTimezone and the area code's zones; a retry satisfies all. */
  readonly clocks: readonly ZoneClock[];
}

/**
 * The called party's regions and zones. The event's own fields come first; a NANP number adds
 * what its area code says, because a number keeps its area code when its owner moves or ports it,
 * and state laws are written for the party's location: when the two disagree, a retry must be
 * lawful in both (the most restrictive reading). With neither, the campaign's zone is all there is.
 */
export function leadLocation(
  event: CallAttempt,
  leadClock: ZoneClock | null,
  policy: CampaignPolicy,
): LeadLocation {
  const geo = nanpGeography(event.phoneNumber);
  const regions: string[] = [];
  const given = event.leadRegion ?? null;
  if (given !== null) regions.push(given);
  if (geo !== null && geo.region !== given) regions.push(geo.region);
  const clocks: ZoneClock[] = [];
  if (leadClock !== null) clocks.push(leadClock);
  for (const zone of geo?.zones ?? []) {
    const clock = zoneClock(zone);
    if (clock !== undefined && !clocks.includes(clock)) clocks.push(clock);
  }
  if (clocks.length === 0) clocks.push(policy.clock);
  return { regions, clocks };
}
