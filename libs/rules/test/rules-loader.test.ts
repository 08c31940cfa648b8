import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSipflowError } from '@sipflow/errors';
import { classify, defaultRules, explainRule, loadRules, parseRules } from '@sipflow/rules';
import { attempt } from '../../../test/support/call-attempt';
import { defaultRulesData, rulesErrorWith, rulesWith } from './fixtures/rules-file';

function indexOfRule(id: string): number {
  return defaultRulesData().rules.findIndex((rule) => rule.id === id);
}

describe('loading rules', () => {
  it('loads the shipped defaults with their version', () => {
    const rules = defaultRules();
    expect(rules.version).toBe('1.1.0');
    expect(rules.rules.length).toBe(defaultRulesData().rules.length);
    expect(rules.slots).toHaveLength(600);
  });

  it('loads a file from disk and names it in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipflow-rules-'));
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'version: "x"\nrules: []\n');
    expect(() => loadRules(path)).toThrow(`${path}: defaults:`);
    expect(() => loadRules(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml: cannot read/);
  });

  it('digests the content, not the text: layout and key order do not change it, a rule does', () => {
    const data = defaultRulesData();
    const asJson = parseRules(JSON.stringify(data), 'as.json');
    expect(asJson.digest).toBe(defaultRules().digest);
    expect(asJson.digest).toMatch(/^[0-9a-f]{64}$/);
    const reordered = {
      rules: data.rules,
      campaigns: data.campaigns,
      retry: data.retry,
      defaults: data.defaults,
      version: data.version,
    };
    expect(parseRules(JSON.stringify(reordered), 'r.json').digest).toBe(defaultRules().digest);
    const changed = rulesWith((d) => {
      d.retry.jitter = d.retry.jitter === 0 ? 0.1 : 0;
    });
    expect(changed.digest).not.toBe(defaultRules().digest);
  });

  it('throws SIPFLOW_INVALID_RULES listing the issues', () => {
    let thrown: unknown;
    try {
      parseRules('version: 1\nrules: []\n', 'x.yaml');
    } catch (error) {
      thrown = error;
    }
    expect(isSipflowError(thrown, 'SIPFLOW_INVALID_RULES')).toBe(true);
    expect((thrown as Error).message).toContain('x.yaml: version: expected a string; quote it in YAML');
  });

  it('rejects text that is not YAML', () => {
    expect(() => parseRules('rules: [unclosed', 'bad.yaml')).toThrow(/^bad\.yaml: not valid YAML/);
  });

  it('names the bad entry by index and id', () => {
    const i = indexOfRule('busy-congestion');
    const message = rulesErrorWith((data) => {
      data.rules[i]!.match.sip = '7xx';
    });
    expect(message).toContain(
      `rules[${i}] (id "busy-congestion").match.sip: expected a SIP code 100–699, a list of codes, or a class such as "5xx"`,
    );
  });

  it.each([
    [
      'an unknown disposition',
      (r: Record<string, unknown>) => (r.disposition = 'VOICEMAIL'),
      '.disposition: Invalid option',
    ],
    [
      'a misspelt key',
      (r: Record<string, unknown>) => (r.retrydelay = '5m'),
      ': Unrecognized key: "retrydelay"',
    ],
    [
      'a cause out of range',
      (r: Record<string, unknown>) => (r.match = { sip: 486, q850: [34, 200] }),
      '.match.q850',
    ],
    [
      'a bad duration',
      (r: Record<string, unknown>) => (r.retryDelay = '10 minutes'),
      '.retryDelay: expected a duration',
    ],
  ])('rejects %s', (_name, edit, expected) => {
    const i = indexOfRule('busy');
    const message = rulesErrorWith((data) => edit(data.rules[i]!));
    expect(message).toContain(`rules[${i}] (id "busy")${expected}`);
  });

  it.each(['1xx', '2xx', '3xx', '4xx', '5xx', '6xx'])('rejects a file without a %s fallback', (sipClass) => {
    const message = rulesErrorWith((data) => {
      data.rules = data.rules.filter((rule) => rule.match.sip !== sipClass || rule.match.q850 !== undefined);
    });
    expect(message).toContain(`rules: no fallback for ${sipClass}`);
  });

  it('does not count a class rule that needs a Q.850 cause as a fallback', () => {
    const message = rulesErrorWith((data) => {
      const fallback = data.rules.find((rule) => rule.match.sip === '3xx')!;
      fallback.match.q850 = 16;
    });
    expect(message).toContain('no fallback for 3xx');
  });

  it('rejects two rules that tie for the same code and cause', () => {
    const message = rulesErrorWith((data) => {
      data.rules.push({
        id: 'busy-again',
        match: { sip: [486, 487] },
        disposition: 'BUSY',
        action: 'NONE',
        meaning: 'x',
      });
    });
    expect(message).toMatch(
      /rules\[\d+\] \(id "busy-again"\)\.match: ambiguous: matches SIP 486 with the same specificity \(code list\) as rules\[\d+\] \(id "busy"\)/,
    );
  });

  it('rejects overlapping Q.850 rules only when their causes overlap', () => {
    const extra = {
      id: 'busy-circuit',
      match: { sip: [486, 600], q850: [34] },
      disposition: 'FAILED',
      action: 'NONE',
      meaning: 'x',
    };
    expect(rulesErrorWith((data) => data.rules.push(extra))).toContain('matches SIP 486 with Q.850 cause 34');
    expect(() =>
      rulesWith((data) => data.rules.push({ ...extra, match: { sip: [486, 600], q850: [17] } })),
    ).not.toThrow();
  });

  it('rejects duplicate ids', () => {
    const message = rulesErrorWith((data) => {
      data.rules.push({ ...data.rules[indexOfRule('blocked')]!, match: { sip: 402 } });
    });
    expect(message).toMatch(/\(id "blocked"\)\.id: duplicate id, already used by rules\[\d+\]/);
  });

  it('rejects RETRY without a delay, a delay without RETRY, and retrying UNWANTED', () => {
    expect(
      rulesErrorWith((data) => {
        delete data.retry.delays.BUSY;
      }),
    ).toContain(
      '(id "busy").action: action RETRY needs a delay: set retryDelay on the rule or retry.delays.BUSY',
    );
    expect(
      rulesErrorWith((data) => {
        data.rules[indexOfRule('declined')]!.retryDelay = '1h';
      }),
    ).toContain('(id "declined").retryDelay: retryDelay only applies to action RETRY');
    expect(
      rulesErrorWith((data) => {
        Object.assign(data.rules[indexOfRule('unwanted')]!, { action: 'RETRY', retryDelay: '1d' });
      }),
    ).toContain('(id "unwanted").action: an UNWANTED (607) call must never be retried');
  });

  it('rejects unknown time zones and empty calling windows, naming the campaign', () => {
    const message = rulesErrorWith((data) => {
      data.defaults.timeZone = 'Atlantis/Capital';
      data.campaigns = { 'spring-promo': { callingWindow: { start: '21:00', end: '08:00' } } };
    });
    expect(message).toContain('defaults.timeZone: unknown IANA time zone "Atlantis/Capital"');
    expect(message).toContain('campaigns.spring-promo.callingWindow: start must be before end');
  });
});

describe('rule precedence', () => {
  // One rule of each specificity for SIP 486, each with its own disposition.
  const rules = rulesWith((data) => {
    data.rules.push(
      {
        id: 'exact-q850',
        match: { sip: 486, q850: 21 },
        disposition: 'DECLINED',
        action: 'NONE',
        meaning: 'a',
      },
      {
        id: 'list-q850',
        match: { sip: [486, 487], q850: [21, 22] },
        disposition: 'FAILED',
        action: 'NONE',
        meaning: 'b',
      },
      {
        id: 'class-q850',
        match: { sip: '4xx', q850: [21, 22, 23] },
        disposition: 'BLOCKED',
        action: 'NONE',
        meaning: 'c',
      },
      { id: 'exact', match: { sip: 486 }, disposition: 'NO_ANSWER', action: 'NONE', meaning: 'd' },
    );
  });

  it.each([
    [486, 21, 'exact-q850', 'exact code + Q.850'],
    [486, 22, 'list-q850', 'code list + Q.850'],
    [486, 23, 'class-q850', 'class + Q.850'],
    [486, null, 'exact', 'exact code'],
    [486, 16, 'exact', 'exact code'],
    [600, null, 'busy', 'code list'],
    [499, null, 'client-failure-4xx', 'class'],
  ])('SIP %i with cause %s → %s (%s)', (sipCode, q850Cause, ruleId, specificity) => {
    const explained = explainRule(rules, sipCode, q850Cause);
    expect(explained.rule).toMatchObject({ id: ruleId, specificity });
    expect(classify(attempt({ sipCode, q850Cause }), rules).ruleId).toBe(ruleId);
  });
});

describe('campaign overrides', () => {
  const rules = rulesWith((data) => {
    data.defaults.timeZone = 'America/Chicago';
    data.campaigns = {
      short: { maxAttempts: 2 },
      london: { timeZone: 'Europe/London', callingWindow: { start: '10:00', end: '16:00' } },
    };
  });

  it('applies a campaign maximum of attempts', () => {
    expect(classify(attempt({ campaignId: 'short', attemptNumber: 2 }), rules).action).toBe('NONE');
    expect(classify(attempt({ campaignId: 'other', attemptNumber: 2 }), rules).action).toBe('RETRY');
  });

  it('uses the campaign zone, then the rules default zone, when the event has none', () => {
    // a UK number: no area code to take a zone from (a NANP one would, see lead-location tests)
    const uk = { phoneNumber: '+442071838750', leadTimezone: null };
    const london = classify(attempt({ campaignId: 'london', ...uk }), rules);
    expect(london.explanation).toContain('(Europe/London)');
    const other = classify(attempt({ campaignId: 'other', ...uk }), rules);
    expect(other.explanation).toContain('(America/Chicago)');
  });

  it('applies a campaign calling window', () => {
    // 18:00 in London is after the campaign's 16:00 close: next opening 10:00 BST = 09:00Z.
    const endedAt = Date.parse('2026-06-10T17:00:00Z');
    const result = classify(
      attempt({
        campaignId: 'london',
        phoneNumber: '+442071838750',
        leadTimezone: 'Europe/London',
        startedAt: endedAt,
        endedAt,
      }),
      rules,
    );
    expect(result.retryAt).toBe(Date.parse('2026-06-11T09:00:00Z'));
    expect(result.explanation).toContain('moved into the 10:00–16:00 calling window');
  });
});

describe('explainRule', () => {
  it('describes the retry policy of the matching rule', () => {
    expect(explainRule(defaultRules(), 486, 34).explanation).toBe(
      "SIP 486 Busy Here with Q.850 cause 34 (No circuit/channel available) means the network is congested, not the callee's line; " +
        'retry after 30 min plus up to 10 % jitter (or Retry-After if later), inside the 08:00–21:00 local calling window ' +
        `and every window of the us jurisdiction profile for the lead's region (${defaultRules().defaults.profile!.regions.size} entries), ` +
        // the US profile's caps (libs/rules/rules/us-calling-rules.yaml), by region code
        'within the caps on calls to one number that US-FL, US-MD, US-ME, US-OK, US-OR set for a party there, ' +
        'while the attempt number is below 6.',
    );
  });

  it('names the campaign caps and the unanswered stop, and no attempt number when maxAttempts sets only caps', () => {
    const rules = rulesWith((data) => {
      data.defaults.maxAttempts = [
        { count: 2, per: '4h' },
        { count: 5, per: '7d' },
      ];
      data.defaults.jurisdictionProfile = 'none';
      data.defaults.stopAfterUnanswered = { count: 4, per: '3d' };
    });
    const { explanation } = explainRule(rules, 486);
    expect(explanation).toMatch(
      /inside the 08:00–21:00 local calling window, at most 2 calls per 4 h and 5 calls per 7 d to the number, until 4 calls in a row to the number go unanswered within 3 d\.$/,
    );
    expect(explanation).not.toContain('attempt number');
    expect(explanation).not.toContain('Infinity');
  });

  it.each([99, 700, 486.5])('rejects SIP code %d with SIPFLOW_INVALID_SIP_CODE', (code) => {
    expect(() => explainRule(defaultRules(), code)).toThrow(
      expect.objectContaining({ code: 'SIPFLOW_INVALID_SIP_CODE' }),
    );
  });

  it('rejects a Q.850 cause outside 0–127', () => {
    expect(() => explainRule(defaultRules(), 486, 300)).toThrow(
      expect.objectContaining({ code: 'SIPFLOW_INVALID_Q850_CAUSE' }),
    );
  });
});
