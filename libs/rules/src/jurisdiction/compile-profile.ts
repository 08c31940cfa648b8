import type { JurisdictionProfile, RegionRules } from '../rules-file/compiled';
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
  return Object.freeze({ schedule, appliesTo: entry.appliesTo });
}

/** Builds a profile that passed the schema and checkRules. */
export function compileProfile(name: string, file: JurisdictionProfileFile): JurisdictionProfile {
  const regions = new Map<string, RegionRules>();
  for (const [region, entry] of Object.entries(file.regions)) {
    regions.set(region, compileRegion(region, entry, file));
  }
  return Object.freeze({ name, regions });
}

/**
 * The region's own entry and its country's ("US" for "US-FL"), in that order of generality
 * reversed (country first), limited to those that apply to the campaign's call purpose.
 */
export function regionSchedules(
  profile: JurisdictionProfile,
  region: string,
  callPurpose: 'solicitation' | 'other',
): CallingSchedule[] {
  const found: CallingSchedule[] = [];
  const country = profile.regions.get(region.slice(0, 2));
  if (country !== undefined && (country.appliesTo === 'all' || callPurpose === 'solicitation')) {
    found.push(country.schedule);
  }
  if (region.length > 2) {
    const own = profile.regions.get(region);
    if (own !== undefined && (own.appliesTo === 'all' || callPurpose === 'solicitation')) {
      found.push(own.schedule);
    }
  }
  return found;
}
