import { frequencyCap } from '../history/compile-cap';
import type { FrequencyCap } from '../history/frequency-cap';
import type { CampaignPolicy, JurisdictionProfile, RegionRules } from '../rules-file/compiled';
import type { DayHoursFile, JurisdictionProfileFile, RegionRulesFile } from '../rules-file/schema';
import { WEEKDAYS } from '../rules-file/schema';
import { HolidayCalendar } from './holidays';
import { describeWeek, type CallingSchedule, type DayWindow } from './schedule';

function windowsOf(hours: DayHoursFile): DayWindow[] {
  if (hours === 'none') return [];
  const list = Array.isArray(hours) ? hours : [hours];
  return list
    .map((w) => Object.freeze({ startMinute: w.start, endMinute: w.end }))
    .sort((a, b) => a.startMinute - b.startMinute);
}

function compileRegion(name: string, entry: RegionRulesFile, profile: JurisdictionProfileFile): RegionRules {
  const week = WEEKDAYS.map((day) => Object.freeze(windowsOf(entry.days?.[day] ?? entry.hours)));
  const holidays =
    entry.holidays === undefined
      ? null
      : new HolidayCalendar(
          // checkRules has verified that every id is defined
          entry.holidays.dates.map((id) => ({ id, rule: profile.holidays[id]! })),
          entry.holidays.observed,
        );
  const schedule: CallingSchedule = Object.freeze({
    name,
    hours: describeWeek(week),
    source: entry.source,
    week: Object.freeze(week),
    holidays,
  });
  const cap =
    entry.maxAttempts === undefined
      ? null
      : frequencyCap(entry.maxAttempts, name, entry.maxAttempts.source ?? entry.source);
  return Object.freeze({ schedule, appliesTo: entry.appliesTo, cap });
}

/** Builds a profile that passed the schema and checkRules. */
export function compileProfile(name: string, file: JurisdictionProfileFile): JurisdictionProfile {
  const regions = new Map<string, readonly RegionRules[]>();
  for (const [region, entries] of Object.entries(file.regions)) {
    const list = Array.isArray(entries) ? entries : [entries];
    regions.set(region, Object.freeze(list.map((entry) => compileRegion(region, entry, file))));
  }
  return Object.freeze({ name, regions });
}

/** Whether an entry binds the campaign's calls. */
export function binds(entry: RegionRules, policy: CampaignPolicy): boolean {
  switch (entry.appliesTo) {
    case 'all':
      return true;
    case 'solicitation':
      return policy.callPurpose === 'solicitation';
    case 'automated-solicitation':
      return policy.callPurpose === 'solicitation' && policy.automatedDialing;
    case 'prerecorded-solicitation':
      return policy.callPurpose === 'solicitation' && policy.prerecordedMessages;
  }
}

/**
 * The entries of the region's country ("US" for "US-FL") and of the region itself that bind the
 * campaign's calls, country first.
 */
export function regionEntries(
  profile: JurisdictionProfile,
  region: string,
  policy: CampaignPolicy,
): RegionRules[] {
  const found: RegionRules[] = [];
  const keys = region.length > 2 ? [region.slice(0, 2), region] : [region];
  for (const key of keys) {
    for (const entry of profile.regions.get(key) ?? []) if (binds(entry, policy)) found.push(entry);
  }
  return found;
}

/** The calling schedules of regionEntries. */
export function regionSchedules(
  profile: JurisdictionProfile,
  region: string,
  policy: CampaignPolicy,
): CallingSchedule[] {
  return regionEntries(profile, region, policy).map((entry) => entry.schedule);
}

/**
 * The caps of the policy's profile that bind its calls, in whichever region the party is: what
 * `rules explain` lists and how long the state must look back. By region code, so the order is
 * the same whatever order the file lists the regions in.
 */
export function profileCaps(policy: CampaignPolicy): FrequencyCap[] {
  const regions = [...(policy.profile?.regions ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const caps: FrequencyCap[] = [];
  for (const [, entries] of regions) {
    for (const entry of entries) if (entry.cap !== null && binds(entry, policy)) caps.push(entry.cap);
  }
  return caps;
}
