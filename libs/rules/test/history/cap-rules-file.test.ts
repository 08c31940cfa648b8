import { describe, expect, it } from 'vitest';
import { defaultRules, MAX_ENTRIES_PER_NUMBER } from '@sipflow/rules';
import { rulesErrorWith, rulesWith } from '../fixtures/rules-file';

const HOUR = 3_600_000;

describe('maxAttempts and stopAfterUnanswered in a rules file', () => {
  it.each([
    ['a count of 0', { count: 0, per: '24h' }, 'defaults.maxAttempts.count: Too small'],
    ['a period without a unit', { count: 3, per: '24' }, 'defaults.maxAttempts.per: expected a duration'],
    [
      `a count the state cannot hold (${MAX_ENTRIES_PER_NUMBER})`,
      { count: MAX_ENTRIES_PER_NUMBER, per: '24h' },
      `defaults.maxAttempts.count: Too big: expected number to be <=${MAX_ENTRIES_PER_NUMBER - 1}`,
    ],
  ])('refuses %s, naming the field', (_what, cap, expected) => {
    expect(
      rulesErrorWith((data) => {
        data.defaults.maxAttempts = cap;
      }),
    ).toContain(expected);
  });

  it('names the list entry and the campaign of a bad cap, and checks profile and stop caps too', () => {
    expect(
      rulesErrorWith((data) => {
        data.campaigns = { short: { maxAttempts: [6, { count: 2, per: '4' }] } };
      }),
    ).toContain('campaigns.short.maxAttempts[1].per: expected a duration');
    expect(
      rulesErrorWith((data) => {
        data.defaults.stopAfterUnanswered = { count: 0, per: '7d' };
      }),
    ).toContain('defaults.stopAfterUnanswered.count: Too small');
    expect(
      rulesErrorWith((data) => {
        data.jurisdictionProfiles = {
          mine: {
            regions: {
              'US-FL': {
                source: 's',
                hours: { start: '08:00', end: '20:00' },
                maxAttempts: { count: 0, per: '1h' },
              },
            },
          },
        };
      }),
    ).toContain('jurisdictionProfiles.mine.regions.US-FL.maxAttempts.count: Too small');
  });

  it(`accepts the largest count the state holds (${MAX_ENTRIES_PER_NUMBER - 1})`, () => {
    const rules = rulesWith((data) => {
      data.defaults.maxAttempts = { count: MAX_ENTRIES_PER_NUMBER - 1, per: '1h' };
    });
    expect(rules.defaults.caps[0]!.count).toBe(MAX_ENTRIES_PER_NUMBER - 1);
  });

  it('gives a campaign with maxAttempts [6, { count: 2, per: 4h }] both the lead limit and the cap', () => {
    const rules = rulesWith((data) => {
      data.campaigns = { both: { maxAttempts: [6, { count: 2, per: '4h' }] } };
    });
    const policy = rules.campaigns.get('both')!;
    expect(policy.maxAttempts).toBe(6);
    expect(policy.caps).toEqual([
      { count: 2, perMs: 4 * HOUR, name: 'campaign', source: null, label: '2 calls per 4 h' },
    ]);
  });

  it.each([
    ['8h', '1 call per 8 h', 1],
    ['2d', '3 calls per 48 h', 3],
    ['7d', '5 calls per 7 d', 5],
    ['30m', '2 calls per 30 min', 2],
  ])('labels a cap per %s as "%s"', (per, label, count) => {
    const rules = rulesWith((data) => {
      data.defaults.maxAttempts = { count, per };
    });
    expect(rules.defaults.caps[0]!.label).toBe(label);
  });

  it('reads maxAttempts: { count: 2, per: 4h } alone as no lead limit', () => {
    const rules = rulesWith((data) => {
      data.campaigns = { capped: { maxAttempts: { count: 2, per: '4h' } } };
    });
    expect(rules.campaigns.get('capped')!.maxAttempts).toBe(Infinity);
    expect(rules.campaigns.get('capped')!.caps).toHaveLength(1);
    // the defaults keep their own limit
    expect(rules.defaults.maxAttempts).toBe(6);
  });
});

describe('rules.stateWindowMs', () => {
  it('is 24 h for the default rules: the US profile’s 3 per 24 h caps are the longest', () => {
    expect(defaultRules().stateWindowMs).toBe(24 * HOUR);
  });

  it('is 0 with jurisdictionProfile: none and no caps: no state is kept', () => {
    const rules = rulesWith((data) => {
      data.defaults.jurisdictionProfile = 'none';
    });
    expect(rules.stateWindowMs).toBe(0);
  });

  it('is the longest period of any campaign’s caps or stop', () => {
    const rules = rulesWith((data) => {
      data.defaults.jurisdictionProfile = 'none';
      data.campaigns = {
        capped: { maxAttempts: [6, { count: 2, per: '36h' }] },
        stopping: { stopAfterUnanswered: { count: 5, per: '3d' } },
      };
    });
    expect(rules.stateWindowMs).toBe(72 * HOUR);
  });

  it('leaves out profile caps that do not bind the campaign’s calls (Maine’s binds automated ones)', () => {
    const rules = rulesWith((data) => {
      data.defaults.callPurpose = 'other';
    });
    expect(rules.stateWindowMs).toBe(0);
  });
});
