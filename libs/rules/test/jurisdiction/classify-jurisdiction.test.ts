import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { classify, defaultRules } from '@sipflow/rules';
import { attempt } from '../../../../test/support/call-attempt';
import { rulesErrorWith, rulesWith } from '../fixtures/rules-file';

const local = (ts: number | null, zone: string) => DateTime.fromMillis(ts!, { zone }).toISO();
// Jitter off, so retry times are exact.
const RULES = rulesWith((data) => {
  data.retry.jitter = 0;
  data.campaigns = { informational: { callPurpose: 'other' }, 'no-profile': { jurisdictionProfile: 'none' } };
});

// A no-answer (480, retry in 2 h) ending at a given instant.
function noAnswer(endedAtIso: string, overrides: Parameters<typeof attempt>[0] = {}) {
  const endedAt = Date.parse(endedAtIso);
  return attempt({ sipCode: 480, startedAt: endedAt - 30_000, endedAt, ...overrides });
}

describe('jurisdiction windows in classify', () => {
  it('moves a Florida no-answer at 18:30 local past the 20:00 close to 08:00 next day (Fla. Stat. § 501.616(6)(a))', () => {
    // 18:30 EDT; +2 h = 20:30, after Florida's close but inside the federal 21:00
    const result = classify(
      noAnswer('2026-06-10T22:30:00Z', {
        phoneNumber: '+13055550123',
        leadTimezone: 'America/New_York',
        leadRegion: 'US-FL',
      }),
      RULES,
    );
    expect(local(result.retryAt, 'America/New_York')).toBe('2026-06-11T08:00:00.000-04:00');
    expect(result.jurisdiction).toBe('US-FL');
    expect(result.retryMovedBy).toBe('US-FL 08:00–20:00 (Fla. Stat. § 501.616(6)(a))');
    expect(result.explanation).toContain(
      'moved into the US-FL 08:00–20:00 (Fla. Stat. § 501.616(6)(a)) calling window',
    );
  });

  it('derives Florida and its zone from the area code when the event has neither', () => {
    const result = classify(
      noAnswer('2026-06-10T22:30:00Z', { phoneNumber: '+13055550123', leadTimezone: null }),
      RULES,
    );
    expect(result.jurisdiction).toBe('US-FL');
    expect(local(result.retryAt, 'America/New_York')).toBe('2026-06-11T08:00:00.000-04:00');
    expect(result.explanation).toContain('(America/New_York)');
  });

  it('satisfies every zone of an area code that spans two (850: Central and Eastern)', () => {
    // 06:30 CDT / 07:30 EDT + 2 h → 08:30 CDT / 09:30 EDT: inside both
    const early = classify(
      noAnswer('2026-06-10T11:30:00Z', { phoneNumber: '+18505550123', leadTimezone: null }),
      RULES,
    );
    expect(early.retryAt).toBe(Date.parse('2026-06-10T13:30:00Z'));
    // 17:30 CDT / 18:30 EDT + 2 h → 19:30 CDT = 20:30 EDT: past Florida's 20:00 in the Eastern part
    const late = classify(
      noAnswer('2026-06-10T22:30:00Z', { phoneNumber: '+18505550123', leadTimezone: null }),
      RULES,
    );
    expect(local(late.retryAt, 'America/Chicago')).toBe('2026-06-11T08:00:00.000-05:00');
  });

  it('satisfies both the event zone and the area code zone when they disagree', () => {
    // a 212 (New York) number whose lead says Los Angeles: 08:00 in LA is 11:00 in NY
    const result = classify(
      noAnswer('2026-06-11T04:00:00Z', { phoneNumber: '+12125550123', leadTimezone: 'America/Los_Angeles' }),
      RULES,
    );
    expect(local(result.retryAt, 'America/Los_Angeles')).toBe('2026-06-11T08:00:00.000-07:00');
  });

  it('applies the stricter of leadRegion and the area code region', () => {
    // a 212 number whose lead lives in Florida: Florida's 20:00 close applies
    const result = classify(
      noAnswer('2026-06-10T22:30:00Z', {
        phoneNumber: '+12125550123',
        leadTimezone: 'America/New_York',
        leadRegion: 'US-FL',
      }),
      RULES,
    );
    expect(local(result.retryAt, 'America/New_York')).toBe('2026-06-11T08:00:00.000-04:00');
  });

  it('keeps the federal window for a region without stricter rules', () => {
    const result = classify(
      noAnswer('2026-06-10T22:30:00Z', { phoneNumber: '+12125550123', leadTimezone: 'America/New_York' }),
      RULES,
    );
    expect(local(result.retryAt, 'America/New_York')).toBe('2026-06-10T20:30:00.000-04:00');
    expect(result.retryMovedBy).toBeNull();
  });

  it('skips solicitation-only entries for a campaign whose calls are not solicitations', () => {
    const event = noAnswer('2026-06-10T22:30:00Z', {
      campaignId: 'informational',
      phoneNumber: '+13055550123',
      leadTimezone: 'America/New_York',
    });
    expect(local(classify(event, RULES).retryAt, 'America/New_York')).toBe('2026-06-10T20:30:00.000-04:00');
  });

  it('applies only the campaign window when the campaign opts out (jurisdictionProfile: none)', () => {
    const event = noAnswer('2026-06-10T22:30:00Z', {
      campaignId: 'no-profile',
      phoneNumber: '+13055550123',
      leadTimezone: 'America/New_York',
    });
    expect(local(classify(event, RULES).retryAt, 'America/New_York')).toBe('2026-06-10T20:30:00.000-04:00');
  });

  it('gives no retry, and says why, when no time within the horizon is allowed', () => {
    const rules = rulesWith((data) => {
      data.retry.jitter = 0;
      data.defaults.jurisdictionProfile = 'closed';
      data.jurisdictionProfiles = {
        closed: {
          regions: {
            'US-NY': {
              source: 'test',
              hours: { start: '08:00', end: '09:00' },
              days: { mon: 'none', tue: 'none', wed: 'none', thu: 'none', fri: 'none', sat: 'none' },
            },
          },
        },
      };
      // Sunday 08:00–09:00 in New York only, and a campaign window that closes before it opens
      data.defaults.callingWindow = { start: '10:00', end: '21:00' };
    });
    const result = classify(noAnswer('2026-06-10T16:00:00Z', { phoneNumber: '+12125550123' }), rules);
    expect(result).toMatchObject({ action: 'NONE', retryAt: null });
    expect(result.explanation).toMatch(
      /no retry: no time in the next 14 days is inside every calling window/,
    );
  });

  it('is the shipped default: a rules file that says nothing gets the us profile', () => {
    expect(defaultRules().defaults.profile?.name).toBe('us');
  });
});

describe('rules check on profiles', () => {
  const withProfile = (region: Record<string, unknown>, holidays: Record<string, unknown> = {}) =>
    rulesErrorWith((data) => {
      data.jurisdictionProfiles = {
        mine: {
          holidays,
          regions: { 'US-ZZ': { source: 'test', hours: { start: '08:00', end: '20:00' }, ...region } },
        },
      };
    });

  it('refuses an impossible window, naming the entry', () => {
    expect(withProfile({ hours: { start: '20:00', end: '08:00' } })).toMatch(
      /jurisdictionProfiles\.mine\.regions\.US-ZZ\.hours: impossible window 20:00–08:00/,
    );
  });

  it('refuses overlapping windows on a day', () => {
    expect(
      withProfile({
        days: {
          sun: [
            { start: '09:00', end: '13:00' },
            { start: '12:00', end: '18:00' },
          ],
        },
      }),
    ).toMatch(/regions\.US-ZZ\.days\.sun: overlapping windows 09:00–13:00 and 12:00–18:00/);
  });

  it('refuses a region that is never open', () => {
    const closed = Object.fromEntries(
      ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, 'none']),
    );
    expect(withProfile({ days: closed })).toMatch(/US-ZZ: no day of the week has calling hours/);
  });

  it('refuses an unknown holiday and an impossible date', () => {
    expect(withProfile({ holidays: { dates: ['boxing-day'] } })).toMatch(/unknown holiday "boxing-day"/);
    expect(withProfile({}, { 'feb-30': { month: 2, day: 30 } })).toMatch(
      /holidays\.feb-30: month 2 never has day 30/,
    );
  });

  it('refuses a campaign naming an unknown profile', () => {
    expect(rulesErrorWith((data) => (data.campaigns = { c: { jurisdictionProfile: 'mars' } }))).toMatch(
      /campaigns\.c\.jurisdictionProfile: unknown jurisdiction profile "mars"/,
    );
  });
});
