import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  builtinProfiles,
  classify,
  defaultRules,
  nanpGeography,
  type CallAttempt,
  type JurisdictionProfileFile,
} from '@sipflow/rules';
import { attempt } from '../../../../test/support/call-attempt';

/**
 * The reference: whether a local instant is allowed by one profile entry, computed with luxon
 * alone (weekday, calendar date, holiday dates, weekend observance), not with the code under test.
 */
type Entry = Exclude<JurisdictionProfileFile['regions'][string], unknown[]>;
type Holiday = JurisdictionProfileFile['holidays'][string];
const WEEKDAY = ['', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const; // luxon: 1 = Monday

function holidayIn(rule: Holiday, year: number): DateTime | null {
  const utc = { zone: 'UTC' };
  if ('easter' in rule) {
    // Meeus again would be the code under test: use a table for the years the property covers
    const easter = EASTER[year];
    return easter === undefined ? null : DateTime.fromISO(easter, utc).plus({ days: rule.easter });
  }
  if ('day' in rule) {
    const d = DateTime.fromObject({ year, month: rule.month, day: rule.day }, utc);
    return d.isValid && d.month === rule.month ? d : null;
  }
  const wanted = WEEKDAY.indexOf(rule.weekday);
  if ('onOrAfterDay' in rule) {
    let d = DateTime.fromObject({ year, month: rule.month, day: rule.onOrAfterDay }, utc);
    while (d.weekday !== wanted) d = d.plus({ days: 1 });
    return d;
  }
  const days: DateTime[] = [];
  for (
    let d = DateTime.fromObject({ year, month: rule.month, day: 1 }, utc);
    d.month === rule.month;
    d = d.plus({ days: 1 })
  ) {
    if (d.weekday === wanted) days.push(d);
  }
  return (rule.nth === 'last' ? days.at(-1) : days[rule.nth - 1]) ?? null;
}

// Western Easter Sundays, from published tables.
const EASTER: Record<number, string> = {
  2025: '2025-04-20',
  2026: '2026-04-05',
  2027: '2027-03-28',
  2028: '2028-04-16',
  2029: '2029-04-01',
  2030: '2030-04-21',
};

// luxon date arithmetic is slow; the reference only needs each (holiday, year) once
const holidayCache = new Map<string, DateTime | null>();
function cachedHoliday(id: string, rule: Holiday, year: number): DateTime | null {
  const key = `${id}/${year}`;
  if (!holidayCache.has(key)) holidayCache.set(key, holidayIn(rule, year));
  return holidayCache.get(key)!;
}

function isHoliday(local: DateTime, entry: Entry, profile: JurisdictionProfileFile): boolean {
  for (const id of entry.holidays?.dates ?? []) {
    for (const year of [local.year - 1, local.year, local.year + 1]) {
      const date = cachedHoliday(id, profile.holidays[id]!, year);
      if (date === null) continue;
      const observed = entry.holidays!.observed;
      const shifted: DateTime[] = [];
      if (date.weekday === 7 && observed !== 'none') shifted.push(date.plus({ days: 1 }));
      if (date.weekday === 6 && (observed === 'nearest-weekday' || observed === 'saturday-both-sides'))
        shifted.push(date.minus({ days: 1 }));
      if (date.weekday === 6 && observed === 'saturday-both-sides') shifted.push(date.plus({ days: 2 }));
      for (const d of [date, ...shifted]) if (d.toISODate() === local.toISODate()) return true;
    }
  }
  return false;
}

function allows(ts: number, zone: string, entry: Entry, profile: JurisdictionProfileFile): boolean {
  const local = DateTime.fromMillis(ts, { zone });
  if (isHoliday(local, entry, profile)) return false;
  const hours = entry.days?.[WEEKDAY[local.weekday] as Exclude<(typeof WEEKDAY)[number], ''>] ?? entry.hours;
  if (hours === 'none') return false;
  const minute = local.hour * 60 + local.minute + local.second / 60;
  return (Array.isArray(hours) ? hours : [hours]).some((w) => minute >= w.start && minute < w.end);
}

const US = builtinProfiles().us!;
const REGIONS = Object.keys(US.regions).filter((r) => r.startsWith('US-'));
// A number per area code the table maps to each profiled state, plus a few plain federal ones.
const PHONES = [
  '+13055550123',
  '+18505550123',
  '+12125550123',
  '+14155550123',
  '+12055550123',
  '+14055550123',
  '+18015550123',
  '+14015550123',
  '+12145550123',
];

const events: fc.Arbitrary<CallAttempt> = fc
  .record({
    phoneNumber: fc.constantFrom(...PHONES),
    leadRegion: fc.option(fc.constantFrom(...REGIONS)),
    leadTimezone: fc.option(
      fc.constantFrom('America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'),
    ),
    sipCode: fc.constantFrom(480, 486, 503),
    // 2025–2029, dense around November (Thanksgiving, Election Day, the fall-back change)
    endedAt: fc.oneof(
      fc.integer({ min: Date.parse('2025-01-01'), max: Date.parse('2029-12-31') }),
      fc.integer({ min: Date.parse('2026-10-25'), max: Date.parse('2026-12-31') }),
    ),
    eventId: fc.uuid(),
  })
  .map(({ endedAt, ...rest }) => attempt({ ...rest, startedAt: endedAt - 20_000, endedAt }));

describe('lawful retries under the shipped US profile', () => {
  it('never lands outside any window that applies, in any zone the party may be in', () => {
    const rules = defaultRules();
    fc.assert(
      fc.property(events, (event) => {
        const result = classify(event, rules);
        if (result.action !== 'RETRY') return;
        const geo = nanpGeography(event.phoneNumber);
        const zones = [
          ...new Set([event.leadTimezone, ...(geo?.zones ?? [])].filter((z): z is string => z !== null)),
        ];
        const regions = [...new Set([event.leadRegion, geo?.region].filter((r): r is string => r != null))];
        // the entries that bind a default campaign: solicitation, dialed automatically, no recording
        const entries = ['US', ...regions]
          .flatMap((r): Entry[] => [US.regions[r] ?? []].flat())
          .filter((e) => ['solicitation', 'automated-solicitation', 'all'].includes(e.appliesTo));
        for (const zone of zones) {
          for (const entry of entries) {
            expect(
              allows(result.retryAt!, zone, entry, US),
              `${entry.source} in ${zone}: ${result.explanation}`,
            ).toBe(true);
          }
        }
      }),
      { numRuns: 1500 },
    );
  }, 120_000);
});
