import { describe, expect, it } from 'vitest';
import {
  callVerdict,
  defaultRules,
  LedgerBook,
  periodBounds,
  periodOf,
  type CallAttempt,
  type PeriodReport,
} from '@sipflow/rules';
import { attempt } from '../../../../test/support/call-attempt';
import { rulesErrorWith, rulesWith } from '../fixtures/rules-file';

const DAY = 86_400_000;
const START = '2026-11-02';
const T0 = Date.parse(`${START}T15:00:00Z`);

/** A call answered by `answeredBy` at `at`, connected to a representative `connectAfterMs` later (null: never). */
function answered(
  answeredBy: CallAttempt['answeredBy'],
  connectAfterMs: number | null,
  fields: Partial<CallAttempt> = {},
): CallAttempt {
  const at = fields.endedAt ?? T0;
  return attempt({
    sipCode: 200,
    answeredBy,
    answeredAt: at,
    agentConnectedAt: connectAfterMs === null ? null : at + connectAfterMs,
    endedAt: at,
    startedAt: at - 20_000,
    ...fields,
  });
}

const grouped = () =>
  rulesWith((data) => {
    data.abandonment = { groups: { solar: { campaigns: ['cmp-a', 'cmp-b'], start: START } } };
  });

describe('callVerdict: what one call adds to the ledger', () => {
  it('measures the 2 seconds from the answer: 2,000 ms is connected in time, 2,001 ms is abandoned', () => {
    expect(callVerdict(answered('HUMAN', 2_000)).abandonment).toBe('NOT_ABANDONED');
    expect(callVerdict(answered('HUMAN', 2_001)).abandonment).toBe('CONNECTED_LATE');
  });

  it('an answered call never connected is abandoned; the dialer saying so is too', () => {
    expect(callVerdict(answered('HUMAN', null)).abandonment).toBe('NEVER_CONNECTED');
    expect(callVerdict(answered('HUMAN', 500, { abandoned: true })).abandonment).toBe('BY_DIALER');
    // without the answer's time, only the dialer's verdict can say
    expect(callVerdict(answered('HUMAN', null, { answeredAt: null })).abandonment).toBe('NOT_ABANDONED');
  });

  it('a machine or fax answer is outside the rate, whatever the dialer did after it', () => {
    expect(callVerdict(answered('MACHINE', null, { abandoned: true }))).toMatchObject({
      answer: 'MACHINE',
      abandonment: null,
    });
    expect(callVerdict(answered('FAX', null)).answer).toBe('FAX');
  });

  it('no detection result: UNKNOWN when the dialer reports on abandonment, else UNDETECTED', () => {
    expect(callVerdict(answered(null, null)).answer).toBe('UNKNOWN');
    expect(callVerdict(attempt({ sipCode: 200 })).answer).toBe('UNDETECTED');
  });

  it('the missing message is counted only when the dialer says it was not played', () => {
    expect(callVerdict(answered('HUMAN', null, { abandonMessagePlayed: false })).withoutMessage).toBe(true);
    expect(callVerdict(answered('HUMAN', null, { abandonMessagePlayed: null })).withoutMessage).toBe(false);
    expect(callVerdict(answered('HUMAN', 1_000, { abandonMessagePlayed: false })).withoutMessage).toBe(false);
  });

  it('a 487 after less than 15 s of ringing is a short ring; 15 s is not', () => {
    const cancelled = (ringMs: number) =>
      attempt({ sipCode: 487, endedAt: T0, ringingAt: T0 - ringMs, startedAt: T0 - ringMs - 2_000 });
    expect(callVerdict(cancelled(14_999)).shortRing).toBe(true);
    expect(callVerdict(cancelled(15_000)).shortRing).toBe(false);
    expect(callVerdict(attempt({ sipCode: 487, ringingAt: null })).shortRing).toBe(false);
  });
});

describe('periods', () => {
  it('numbers 30-day periods from the start date (00:00 UTC): 1 for the first 30 days', () => {
    const group = grouped().abandonment.groupOf('cmp-a');
    const start = Date.parse(`${START}T00:00:00Z`);
    expect(periodOf(group, start)).toBe(1);
    expect(periodOf(group, start + 30 * DAY - 1)).toBe(1);
    expect(periodOf(group, start + 30 * DAY)).toBe(2);
    expect(periodOf(group, start - 1)).toBe(0);
    expect(periodBounds(group, 2)).toEqual({ fromMs: start + 30 * DAY, toMs: start + 60 * DAY });
  });

  it('a campaign in no group is its own group, numbered from periodsFrom', () => {
    const group = defaultRules().abandonment.groupOf('cmp-other');
    expect(group).toMatchObject({ name: 'cmp-other', start: '2026-01-01', configured: false });
  });
});

/** A campaign's period: `answeredCalls` person-answered calls of which `abandonedCalls` abandoned. */
function campaign(answeredCalls: number, abandonedCalls: number, campaignId = 'cmp-a'): CallAttempt[] {
  return Array.from({ length: answeredCalls }, (_, i) =>
    answered('HUMAN', i < abandonedCalls ? null : 800, {
      eventId: `e-${campaignId}-${i}`,
      campaignId,
      endedAt: T0 + i * 60_000,
    }),
  );
}

function only(book: LedgerBook, asOfMs = T0 + DAY): PeriodReport {
  const periods = book.report(asOfMs);
  expect(periods).toHaveLength(1);
  return periods[0]!;
}

describe('the ledger', () => {
  it('reports the exact numerator and denominator of a campaign abandoning 4 %: OVER', () => {
    const book = new LedgerBook(grouped().abandonment);
    for (const call of campaign(1_000, 40)) book.add(call);
    const period = only(book);
    expect(period).toMatchObject({
      group: 'solar',
      period: 1,
      numerator: 40,
      denominator: 1_000,
      status: 'OVER',
    });
    expect(period.rate).toBeCloseTo(0.04, 12);
    expect(period.counts.neverConnected).toBe(40);
    expect(period.closed).toBe(false);
  });

  it('warns at warnAt (2.5 %) and not below it; 3 % itself is not over the limit', () => {
    const status = (abandonedCalls: number) => {
      const book = new LedgerBook(grouped().abandonment);
      for (const call of campaign(1_000, abandonedCalls)) book.add(call);
      return only(book).status;
    };
    expect(status(24)).toBe('OK');
    expect(status(25)).toBe('WARNING');
    expect(status(30)).toBe('WARNING');
    expect(status(31)).toBe('OVER');
  });

  it('says nothing of a running period under minAnswered calls; a closed one is judged on what it holds', () => {
    const book = new LedgerBook(grouped().abandonment);
    for (const call of campaign(50, 5)) book.add(call);
    expect(only(book).status).toBe('OK');
    const closed = only(book, Date.parse(`${START}T00:00:00Z`) + 30 * DAY);
    expect(closed).toMatchObject({ closed: true, status: 'OVER', numerator: 5, denominator: 50 });
  });

  it('counts the campaigns of a group in one ledger, and machine answers in neither part of the rate', () => {
    const book = new LedgerBook(grouped().abandonment);
    for (const call of [...campaign(600, 10, 'cmp-a'), ...campaign(400, 10, 'cmp-b')]) book.add(call);
    book.add(answered('MACHINE', null, { campaignId: 'cmp-a', abandoned: true }));
    const period = only(book);
    expect(period).toMatchObject({ numerator: 20, denominator: 1_000 });
    expect(period.counts).toMatchObject({ calls: 1_001, machineAnswered: 1 });
  });

  it('conservative mode counts UNKNOWN answers in both parts of the rate', () => {
    const calls = [
      ...campaign(100, 2),
      answered('UNKNOWN', null, { campaignId: 'cmp-a' }),
      answered('UNKNOWN', 500, { campaignId: 'cmp-a' }),
    ];
    const plain = new LedgerBook(grouped().abandonment);
    const conservative = new LedgerBook(
      rulesWith((data) => {
        data.abandonment = {
          unknownCountsAsPerson: true,
          groups: { solar: { campaigns: ['cmp-a'], start: START } },
        };
      }).abandonment,
    );
    for (const call of calls) {
      plain.add(call);
      conservative.add(call);
    }
    expect(only(plain)).toMatchObject({ numerator: 2, denominator: 100, unknownCountsAsPerson: false });
    expect(only(conservative)).toMatchObject({ numerator: 3, denominator: 102, unknownCountsAsPerson: true });
  });

  it('gives the same ledger for the same calls in any order (partitions interleave freely)', () => {
    const calls = [
      ...campaign(300, 9, 'cmp-a'),
      ...campaign(200, 3, 'cmp-b'),
      ...campaign(100, 1, 'cmp-c'),
      answered('UNKNOWN', null, { campaignId: 'cmp-b', endedAt: T0 + 31 * DAY }),
      attempt({ sipCode: 487, campaignId: 'cmp-c', ringingAt: T0 - 5_000, endedAt: T0 }),
    ];
    const reference = new LedgerBook(grouped().abandonment);
    for (const call of calls) reference.add(call);
    let seed = 7;
    for (let round = 0; round < 20; round++) {
      const shuffled = [...calls];
      for (let i = shuffled.length - 1; i > 0; i--) {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        const j = seed % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      const book = new LedgerBook(grouped().abandonment);
      for (const call of shuffled) book.add(call);
      expect(book.report(T0 + 40 * DAY)).toEqual(reference.report(T0 + 40 * DAY));
    }
    // cmp-a and cmp-b share solar's periods 1 and 2; cmp-c is its own group
    expect(reference.report(T0 + 40 * DAY).map((p) => [p.group, p.period])).toEqual([
      ['cmp-c', 11],
      ['solar', 1],
      ['solar', 2],
    ]);
  });
});

describe('the abandonment section of the rules file', () => {
  it('refuses a campaign in two groups, naming both', () => {
    expect(
      rulesErrorWith((data) => {
        data.abandonment = {
          groups: {
            a: { campaigns: ['cmp-1'], start: START },
            b: { campaigns: ['cmp-2', 'cmp-1'], start: START },
          },
        };
      }),
    ).toMatch(
      /abandonment\.groups\.b\.campaigns\[1\].*campaign "cmp-1" is already in abandonment group "a"/s,
    );
  });

  it('refuses a start date that does not exist and a warning level above the limit', () => {
    expect(
      rulesErrorWith((data) => {
        data.abandonment = { groups: { a: { campaigns: ['cmp-1'], start: '2026-02-30' } } };
      }),
    ).toMatch(/abandonment\.groups\.a\.start.*calendar date that exists/s);
    expect(
      rulesErrorWith((data) => {
        data.abandonment = { warnAt: 0.05 };
      }),
    ).toMatch(/abandonment\.warnAt/);
  });

  it('defaults every setting when the section is left out', () => {
    const rules = rulesWith((data) => {
      delete data.abandonment;
    });
    expect(rules.abandonment).toMatchObject({
      warnAt: 0.025,
      minAnswered: 100,
      unknownCountsAsPerson: false,
      periodsFrom: '2026-01-01',
    });
    expect(rules.digest).toBe(defaultRules().digest);
  });
});
