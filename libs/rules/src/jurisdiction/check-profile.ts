import type { RulesIssue } from '../rules-file/check-rules';
import type { DayHoursFile, JurisdictionProfileFile, RegionRulesFile } from '../rules-file/schema';
import { WEEKDAYS } from '../rules-file/schema';
import { hhmm } from './schedule';

// The most days any month has in any year: Feb 29 exists in leap years.
const MAX_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function checkDay(hours: DayHoursFile, path: readonly PropertyKey[], issues: RulesIssue[]): void {
  if (hours === 'none') return;
  const list = (Array.isArray(hours) ? hours : [hours]).slice().sort((a, b) => a.start - b.start);
  for (const w of list) {
    if (w.start >= w.end) {
      issues.push({
        path,
        message: `impossible window ${hhmm(w.start)}–${hhmm(w.end)}: start must be before end`,
      });
    }
  }
  for (let i = 1; i < list.length; i++) {
    if (list[i]!.start < list[i - 1]!.end) {
      issues.push({
        path,
        message: `overlapping windows ${hhmm(list[i - 1]!.start)}–${hhmm(list[i - 1]!.end)} and ${hhmm(list[i]!.start)}–${hhmm(list[i]!.end)}`,
      });
    }
  }
}

/** What the schema cannot say about a profile: windows that never open or overlap, unknown holidays. */
export function checkProfile(
  profile: JurisdictionProfileFile,
  path: readonly PropertyKey[],
  issues: RulesIssue[],
): void {
  for (const [id, holiday] of Object.entries(profile.holidays)) {
    if ('day' in holiday && holiday.day > MAX_DAYS[holiday.month - 1]!) {
      issues.push({
        path: [...path, 'holidays', id],
        message: `month ${holiday.month} never has day ${holiday.day}`,
      });
    }
  }
  for (const [region, entries] of Object.entries(profile.regions)) {
    const list = Array.isArray(entries) ? entries : [entries];
    list.forEach((entry, i) =>
      checkEntry(
        profile,
        entry,
        Array.isArray(entries) ? [...path, 'regions', region, i] : [...path, 'regions', region],
        issues,
      ),
    );
  }
}

function checkEntry(
  profile: JurisdictionProfileFile,
  entry: RegionRulesFile,
  at: readonly PropertyKey[],
  issues: RulesIssue[],
): void {
  checkDay(entry.hours, [...at, 'hours'], issues);
  for (const [day, hours] of Object.entries(entry.days ?? {})) checkDay(hours, [...at, 'days', day], issues);
  const open = WEEKDAYS.some((day) => {
    const hours = entry.days?.[day] ?? entry.hours;
    return hours !== 'none' && (Array.isArray(hours) ? hours : [hours]).some((w) => w.start < w.end);
  });
  if (!open)
    issues.push({ path: at, message: 'no day of the week has calling hours, so no call is ever allowed' });
  for (const [i, id] of (entry.holidays?.dates ?? []).entries()) {
    if (!(id in profile.holidays)) {
      issues.push({
        path: [...at, 'holidays', 'dates', i],
        message: `unknown holiday "${id}": define it under holidays`,
      });
    }
  }
}
