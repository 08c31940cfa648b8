import { describe, expect, it } from 'vitest';
import {
  classify,
  defaultRules,
  EMPTY_HISTORY,
  eventKey,
  explainRule,
  recordAttempt,
  type CallAttempt,
  type NumberHistory,
} from '@sipflow/rules';
import { isSipflowError } from '@sipflow/errors';
import { attempt } from '../../../test/support/call-attempt';
import { rulesErrorWith, rulesWith } from './fixtures/rules-file';

const MACHINE_RULE = {
  id: 'answering-machine-2',
  match: { sip: 200, answeredBy: 'MACHINE' },
  disposition: 'ANSWERING_MACHINE',
  action: 'NONE',
  meaning: 'a machine answered',
};

/** Calls to the number before this one, from any lead: the caps count them. */
function historyOf(...startedIsos: string[]): NumberHistory {
  return startedIsos.reduce<NumberHistory>(
    (history, iso) =>
      recordAttempt(
        history,
        { at: Date.parse(iso), eventKey: eventKey(`h-${iso}`), unanswered: false },
        86_400_000,
      ),
    EMPTY_HISTORY,
  );
}

function machineAnswer(startedIso: string, overrides: Partial<CallAttempt> = {}): CallAttempt {
  const startedAt = Date.parse(startedIso);
  return attempt({
    eventId: `e-${startedIso}`,
    sipCode: 200,
    sipReason: 'OK',
    answeredBy: 'MACHINE',
    startedAt,
    endedAt: startedAt + 40_000,
    ...overrides,
  });
}

describe('answeredBy (answering-machine detection)', () => {
  it('retries a machine answer in another part of the day, inside the calling window', () => {
    // 19:00 EDT + 4 h is past 21:00: the retry moves to the next morning's window
    const result = classify(machineAnswer('2026-06-10T23:00:00Z'), defaultRules());
    expect(result).toMatchObject({ disposition: 'ANSWERING_MACHINE', action: 'RETRY' });
    expect(result.retryAt).toBeGreaterThanOrEqual(Date.parse('2026-06-11T12:00:00Z'));
    expect(result.retryAt).toBeLessThan(Date.parse('2026-06-11T13:00:00Z'));
    expect(result.explanation).toMatch(/^SIP 200 OK means an answering machine or voicemail answered/);
  });

  it('counts a machine answer by the caps like any call: the fourth call in 24 h to a Florida number waits', () => {
    const rules = rulesWith((data) => {
      data.retry.jitter = 0;
    });
    const event = machineAnswer('2026-06-10T16:00:00Z', { phoneNumber: '+13055550100', leadRegion: 'US-FL' });
    const free = classify(event, rules, historyOf('2026-06-10T14:00:00Z'));
    expect(free.retryAt).toBe(Date.parse('2026-06-10T20:00:40Z'));
    expect(free.retryMovedBy).toBeNull();
    // 10:00 and 11:00 EDT, this call at 12:00: a fourth call in 24 h waits for 10:00 EDT the next day
    const capped = classify(event, rules, historyOf('2026-06-10T14:00:00Z', '2026-06-10T15:00:00Z'));
    expect(capped.retryAt).toBe(Date.parse('2026-06-11T14:00:00Z'));
    expect(capped.retryMovedBy).toBe('US-FL 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))');
  });

  it('removes the number, not the lead, on a fax answer', () => {
    const result = classify(attempt({ sipCode: 200, answeredBy: 'FAX' }), defaultRules());
    expect(result).toMatchObject({ disposition: 'FAX', action: 'REMOVE_LEAD', removalScope: 'NUMBER' });
    expect(result.explanation).toContain('remove this number from the lead');
  });

  it('lets the retry delay of a machine answer be configured', () => {
    const rules = rulesWith((data) => {
      data.retry.jitter = 0;
      data.retry.delays['ANSWERING_MACHINE'] = '6h';
    });
    const event = machineAnswer('2026-06-10T13:00:00Z');
    expect(classify(event, rules).retryAt).toBe(event.endedAt + 6 * 3_600_000);
  });

  it('treats UNKNOWN as a rules file says: a rule for it wins over the 2xx fallback', () => {
    const rules = rulesWith((data) => {
      data.rules.push({
        id: 'amd-unsure',
        match: { sip: '2xx', answeredBy: 'UNKNOWN' },
        disposition: 'NO_ANSWER',
        action: 'RETRY',
        meaning: 'the dialer could not tell who answered',
      });
    });
    expect(classify(attempt({ sipCode: 200, answeredBy: 'UNKNOWN' }), rules)).toMatchObject({
      ruleId: 'amd-unsure',
      action: 'RETRY',
    });
    expect(classify(attempt({ sipCode: 200, answeredBy: 'HUMAN' }), rules).ruleId).toBe('success-2xx');
    expect(classify(attempt({ sipCode: 200 }), rules).ruleId).toBe('success-2xx');
  });

  it('ranks a carrier rule above an answeredBy rule, and an exact code above a class among answeredBy rules', () => {
    const rules = rulesWith((data) => {
      data.rules.push(MACHINE_RULE, {
        id: 'carrier-200',
        match: { sip: 200, carrier: 'odd-carrier' },
        disposition: 'FAILED',
        action: 'NONE',
        meaning: 'this carrier answers with 200 before anyone picks up',
      });
    });
    const machine = { sipCode: 200, answeredBy: 'MACHINE' } as const;
    expect(classify(attempt(machine), rules).ruleId).toBe('answering-machine-2');
    expect(classify(attempt({ ...machine, sipCode: 202 }), rules).ruleId).toBe('answering-machine');
    expect(classify(attempt({ ...machine, carrier: 'Odd-Carrier' }), rules).ruleId).toBe('carrier-200');
  });

  it('refuses two answeredBy rules that match the same answer with the same specificity', () => {
    expect(
      rulesErrorWith((data) => {
        data.rules.push({ ...MACHINE_RULE, match: { sip: '2xx', answeredBy: ['MACHINE', 'UNKNOWN'] } });
      }),
    ).toMatch(
      /ambiguous: matches SIP 200 with the same specificity \(answered-by \+ class\) as rules\[\d+\] \(id "answering-machine"\)/,
    );
    // disjoint answers never meet: accepted
    expect(() =>
      rulesWith((data) => {
        data.rules.push({ ...MACHINE_RULE, match: { sip: '2xx', answeredBy: 'UNKNOWN' } });
      }),
    ).not.toThrow();
  });

  it('refuses an answeredBy value the schema does not know, naming the field', () => {
    expect(
      rulesErrorWith((data) => {
        data.rules.push({ ...MACHINE_RULE, match: { sip: 200, answeredBy: 'VOICEMAIL' } });
      }),
    ).toMatch(/answeredBy.*expected one of HUMAN, MACHINE, FAX, UNKNOWN/s);
    try {
      classify(attempt({ answeredBy: 'ROBOT' as never }), defaultRules());
      expect.unreachable('an unknown answeredBy must be refused');
    } catch (error) {
      expect(isSipflowError(error, 'SIPFLOW_INVALID_FIELD')).toBe(true);
      expect((error as Error).message).toBe(
        'answeredBy must be one of HUMAN, MACHINE, FAX, UNKNOWN, or null, got "ROBOT"',
      );
    }
  });

  it('shows the machine and fax rules as alternatives of a 200 in rules explain', () => {
    const { rule, alternatives } = explainRule(defaultRules(), 200);
    expect(rule.id).toBe('success-2xx');
    expect(alternatives.map((a) => [a.rule.id, a.when])).toEqual([
      ['answering-machine', "the dialer's answering-machine detection says MACHINE (answeredBy)"],
      ['fax', "the dialer's answering-machine detection says FAX (answeredBy)"],
    ]);
  });
});
