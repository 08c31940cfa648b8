import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { builtinProfiles, classify } from '@sipflow/rules';
import { attempt } from '../../../../test/support/call-attempt';
import { rulesWith } from '../fixtures/rules-file';

// Jitter off; a no-answer (480) retries 2 h after endedAt, so each case sets that instant.
const RULES = rulesWith((data) => {
  data.retry.jitter = 0;
  data.campaigns = { recorded: { prerecordedMessages: true }, manual: { automatedDialing: false } };
});
const TWO_HOURS = 2 * 3_600_000;

type Case = readonly [
  what: string,
  region: string,
  phone: string,
  zone: string,
  /** endedAt + 2 h, local wall time in `zone` */
  earliest: string,
  /** the expected retryAt, local wall time in `zone` */
  expected: string,
  campaign?: string,
];

// One row per rule of each entry of libs/rules/rules/us-calling-rules.yaml: inside, just outside,
// across a DST change, on a holiday. Weekdays: 2026-06-10 is a Wednesday, 2026-06-13 a Saturday,
// 2026-11-26 Thanksgiving; US DST ends 2026-11-01 and starts 2027-03-14. Expected times worked out
// by hand from the statute quoted beside each entry.
const CASES: readonly Case[] = [
  ['inside', 'US-FL', '+13055550100', 'America/New_York', '2026-06-10T19:59', '2026-06-10T19:59'],
  ['just outside', 'US-FL', '+13055550100', 'America/New_York', '2026-06-10T20:00', '2026-06-11T08:00'],
  ['across fall-back', 'US-FL', '+13055550100', 'America/New_York', '2026-10-31T20:30', '2026-11-01T08:00'],
  ['inside', 'US-RI', '+14015550100', 'America/New_York', '2026-06-10T17:59', '2026-06-10T17:59'],
  [
    'after 18:00 on a weekday',
    'US-RI',
    '+14015550100',
    'America/New_York',
    '2026-06-10T18:00',
    '2026-06-11T09:00',
  ],
  [
    'Friday evening → Saturday 10:00',
    'US-RI',
    '+14015550100',
    'America/New_York',
    '2026-06-12T18:30',
    '2026-06-13T10:00',
  ],
  [
    'Saturday 17:00 → Monday (no Sunday)',
    'US-RI',
    '+14015550100',
    'America/New_York',
    '2026-06-13T17:00',
    '2026-06-15T09:00',
  ],
  ['Thanksgiving', 'US-RI', '+14015550100', 'America/New_York', '2026-11-25T18:30', '2026-11-27T09:00'],
  // 2026-07-04 is a Saturday: Friday 07-03 (federal) and Monday 07-06 (§ 25-1-1) are both off
  [
    'Saturday holiday, both sides',
    'US-RI',
    '+14015550100',
    'America/New_York',
    '2026-07-02T18:30',
    '2026-07-07T09:00',
  ],
  [
    'Saturday night → Monday (no Sunday)',
    'US-UT',
    '+18015550100',
    'America/Denver',
    '2026-06-06T21:00',
    '2026-06-08T08:00',
  ],
  [
    'Pioneer Day (Fri 07-24)',
    'US-UT',
    '+18015550100',
    'America/Denver',
    '2026-07-23T21:30',
    '2026-07-25T08:00',
  ],
  // June 19 2026 is a Friday: the preceding Monday, 06-15, is Utah's holiday (and 06-19 is kept)
  ['Juneteenth Monday', 'US-UT', '+18015550100', 'America/Denver', '2026-06-14T12:00', '2026-06-16T08:00'],
  ['inside', 'US-UT', '+18015550100', 'America/Denver', '2026-06-10T20:59', '2026-06-10T20:59'],
  [
    'before 09:00 (CST reading)',
    'US-MS',
    '+16015550100',
    'America/Chicago',
    '2026-06-10T08:30',
    '2026-06-10T09:00',
  ],
  [
    'Saturday 20:00 → Monday',
    'US-MS',
    '+16015550100',
    'America/Chicago',
    '2026-06-13T20:00',
    '2026-06-15T09:00',
  ],
  [
    'Saturday 20:00 → Monday',
    'US-AL',
    '+12055550100',
    'America/Chicago',
    '2026-06-13T20:00',
    '2026-06-15T08:00',
  ],
  ['Thanksgiving', 'US-AL', '+12055550100', 'America/Chicago', '2026-11-25T20:30', '2026-11-27T08:00'],
  ['inside', 'US-AL', '+12055550100', 'America/Chicago', '2026-06-10T19:59', '2026-06-10T19:59'],
  ['just outside', 'US-MA', '+16175550100', 'America/New_York', '2026-06-10T20:00', '2026-06-11T08:00'],
  [
    'across spring-forward',
    'US-MA',
    '+16175550100',
    'America/New_York',
    '2027-03-13T20:30',
    '2027-03-14T08:00',
  ],
  ['just outside', 'US-WA', '+12065550100', 'America/Los_Angeles', '2026-06-10T20:00', '2026-06-11T08:00'],
  ['just outside', 'US-WY', '+13075550100', 'America/Denver', '2026-06-10T20:00', '2026-06-11T08:00'],
  ['before 09:00', 'US-NM', '+15055550100', 'America/Denver', '2026-06-10T08:30', '2026-06-10T09:00'],
  ['inside', 'US-NM', '+15055550100', 'America/Denver', '2026-06-10T20:59', '2026-06-10T20:59'],
  // automated dialing (the default campaign): SD weekdays only; 605 spans Central and Mountain,
  // so Monday 09:00 Mountain (10:00 Central) is the first instant inside both
  [
    'Friday 21:00 → Monday, both zones',
    'US-SD',
    '+16055550100',
    'America/Chicago',
    '2026-06-12T21:00',
    '2026-06-15T10:00',
  ],
  [
    'manual dialing: federal only',
    'US-SD',
    '+16055550100',
    'America/Chicago',
    '2026-06-13T12:00',
    '2026-06-13T12:00',
    'manual',
  ],
  [
    'Friday 17:00 → Monday 09:00',
    'US-ME',
    '+12075550100',
    'America/New_York',
    '2026-06-12T17:00',
    '2026-06-15T09:00',
  ],
  // inside the window, but Maine's 1 call per 8 h counts the call just placed (14:58:40): the retry
  // waits to 22:58:40, past the 17:00 close, so the next weekday's opening
  [
    'inside the window, held by the 8 h cap',
    'US-ME',
    '+12075550100',
    'America/New_York',
    '2026-06-10T16:59',
    '2026-06-11T09:00',
  ],
  // prerecorded messages only
  [
    'prerecorded before 09:00',
    'US-CA',
    '+14155550100',
    'America/Los_Angeles',
    '2026-06-10T08:30',
    '2026-06-10T09:00',
    'recorded',
  ],
  [
    'live calls: federal only',
    'US-CA',
    '+14155550100',
    'America/Los_Angeles',
    '2026-06-10T08:30',
    '2026-06-10T08:30',
  ],
  [
    'prerecorded before 09:00',
    'US-NV',
    '+17025550100',
    'America/Los_Angeles',
    '2026-06-10T08:30',
    '2026-06-10T09:00',
    'recorded',
  ],
  [
    'prerecorded before 09:00',
    'US-OK',
    '+14055550100',
    'America/Chicago',
    '2026-06-10T08:30',
    '2026-06-10T09:00',
    'recorded',
  ],
  [
    'just outside (general rule)',
    'US-OK',
    '+14055550100',
    'America/Chicago',
    '2026-06-10T20:00',
    '2026-06-11T08:00',
  ],
  ['Sunday before noon', 'US-TX', '+12145550100', 'America/Chicago', '2026-06-14T10:00', '2026-06-14T12:00'],
  [
    'Saturday 21:00 → Sunday noon',
    'US-TX',
    '+12145550100',
    'America/Chicago',
    '2026-06-13T21:00',
    '2026-06-14T12:00',
  ],
  [
    'weekday before 09:00',
    'US-TX',
    '+12145550100',
    'America/Chicago',
    '2026-06-10T08:30',
    '2026-06-10T09:00',
  ],
  ['just outside', 'US-MD', '+14105550100', 'America/New_York', '2026-06-10T20:00', '2026-06-11T08:00'],
  ['before 09:00', 'US-CT', '+12035550100', 'America/New_York', '2026-06-10T08:30', '2026-06-10T09:00'],
  ['after 20:00', 'US-CT', '+12035550100', 'America/New_York', '2026-06-10T20:00', '2026-06-11T09:00'],
  ['before 10:00', 'US-KY', '+15025550100', 'America/New_York', '2026-06-10T09:00', '2026-06-10T10:00'],
  ['just outside', 'US-OR', '+15035550100', 'America/Los_Angeles', '2026-06-10T20:00', '2026-06-11T08:00'],
  // Flag Day 2026-06-14 is a Sunday: Monday 06-15 is blocked too
  [
    'Flag Day on a Sunday',
    'US-PA',
    '+12155550100',
    'America/New_York',
    '2026-06-14T12:00',
    '2026-06-16T08:00',
  ],
  ['Thanksgiving', 'US-PA', '+12155550100', 'America/New_York', '2026-11-26T12:00', '2026-11-27T08:00'],
  [
    'inside (federal hours)',
    'US-PA',
    '+12155550100',
    'America/New_York',
    '2026-06-10T20:59',
    '2026-06-10T20:59',
  ],
];

describe('the shipped US profile, state by state', () => {
  it.each(CASES.map((row) => ({ row })))(
    '$row.1 $row.0: earliest $row.4 → $row.5',
    ({ row }: { row: Case }) => {
      const [, region, phone, zone, earliest, expected, campaign] = row;
      const endedAt = DateTime.fromISO(earliest, { zone }).toMillis() - TWO_HOURS;
      const event = attempt({
        sipCode: 480,
        q850Cause: null,
        phoneNumber: phone,
        leadRegion: region,
        leadTimezone: zone,
        campaignId: campaign ?? 'campaign-1',
        startedAt: endedAt - 20_000,
        endedAt,
      });
      const result = classify(event, RULES);
      expect(result.action, result.explanation).toBe('RETRY');
      expect(DateTime.fromMillis(result.retryAt!, { zone }).toISO({ suppressMilliseconds: true })).toBe(
        DateTime.fromISO(expected, { zone }).toISO({ suppressMilliseconds: true }),
      );
    },
  );

  it('has a case for every region of the profile', () => {
    const covered = new Set(CASES.map((c) => c[1]));
    const regions = Object.keys(builtinProfiles().us!.regions).filter((r) => r !== 'US');
    expect(regions.filter((r) => !covered.has(r))).toEqual([]);
  });
});
