import { nanpGeography, type NanpGeography } from '../geography/nanp';
import type { FrequencyCap } from '../history/frequency-cap';
import type { CampaignPolicy } from '../rules-file/compiled';
import { constraintsFor, mergedByClock, type Constraint } from '../retry/lawful-time';
import { regionEntries } from './compile-profile';
import type { ZoneClock } from '../time/zone-clock';
import { zoneClock } from '../time/zones';
import type { CallAttempt } from '../types';

/** Where the called party is, as far as the rules can tell. */
export interface LeadLocation {
  /** The regions whose rules apply: leadRegion and the area code's region, when they differ both. */
  readonly regions: readonly string[];
  /** Every zone the party may be in: leadTimezone and the area code's zones; a retry satisfies all. */
  readonly clocks: readonly ZoneClock[];
  /** Every calling window that applies, in every one of those zones. */
  readonly constraints: readonly Constraint[];
  /** The same, merged into one per zone: what the lawful-time search walks. */
  readonly merged: readonly Constraint[];
  /** Every cap on calls to the number that applies: the campaign's, then each region's. */
  readonly caps: readonly FrequencyCap[];
}

function capsFor(regions: readonly string[], policy: CampaignPolicy): FrequencyCap[] {
  const caps = [...policy.caps];
  if (policy.profile === null) return caps;
  for (const region of regions) {
    for (const entry of regionEntries(policy.profile, region, policy)) {
      if (entry.cap !== null && !caps.includes(entry.cap)) caps.push(entry.cap);
    }
  }
  return caps;
}

/**
 * The called party's regions and zones. The event's own fields come first; a NANP number adds
 * what its area code says, because a number keeps its area code when its owner moves or ports it,
 * and state laws are written for the party's location: when the two disagree, a retry must be
 * lawful in both (the most restrictive reading). With neither, the campaign's zone is all there is.
 */
function locate(
  given: string | null,
  geo: NanpGeography | null,
  leadClock: ZoneClock | null,
  policy: CampaignPolicy,
): LeadLocation {
  const regions: string[] = [];
  if (given !== null) regions.push(given);
  if (geo !== null && geo.region !== given) regions.push(geo.region);
  const clocks: ZoneClock[] = [];
  if (leadClock !== null) clocks.push(leadClock);
  for (const zone of geo?.zones ?? []) {
    const clock = zoneClock(zone);
    if (clock !== undefined && !clocks.includes(clock)) clocks.push(clock);
  }
  if (clocks.length === 0) clocks.push(policy.clock);
  const constraints = Object.freeze(constraintsFor({ regions, clocks }, policy));
  return Object.freeze({
    regions,
    clocks,
    constraints,
    merged: Object.freeze(mergedByClock(constraints)),
    caps: Object.freeze(capsFor(regions, policy)),
  });
}

// The same few (region, area code, zone) combinations recur on every batch, and building their
// constraints allocated more than all of classify's other work: keep them per campaign policy,
// keyed by identity (area codes and zone clocks are singletons). A region is any ISO 3166-2 string
// an event names, so each level is bounded: past the bound it starts again, which costs only time.
type ByClock = Map<ZoneClock | null, LeadLocation>;
type ByRegion = Map<string | null, ByClock>;
const cache = new WeakMap<CampaignPolicy, Map<NanpGeography | null, ByRegion>>();
const MAX_ENTRIES = 512;

/** The party's location and the calling windows that apply to it, for one event. */
export function leadLocation(
  event: CallAttempt,
  leadClock: ZoneClock | null,
  policy: CampaignPolicy,
): LeadLocation {
  const geo = nanpGeography(event.phoneNumber);
  const given = event.leadRegion ?? null;
  // Three map levels written out rather than through a function taking a factory: a closure per
  // level per event showed in the profile.
  let byGeo = cache.get(policy);
  if (byGeo === undefined) cache.set(policy, (byGeo = new Map()));
  let byRegion = byGeo.get(geo);
  if (byRegion === undefined) {
    if (byGeo.size >= MAX_ENTRIES) byGeo.clear();
    byGeo.set(geo, (byRegion = new Map()));
  }
  let byClock = byRegion.get(given);
  if (byClock === undefined) {
    if (byRegion.size >= MAX_ENTRIES) byRegion.clear();
    byRegion.set(given, (byClock = new Map()));
  }
  let location = byClock.get(leadClock);
  if (location === undefined) {
    if (byClock.size >= MAX_ENTRIES) byClock.clear();
    byClock.set(leadClock, (location = locate(given, geo, leadClock, policy)));
  }
  return location;
}
