import { defaultRules, LedgerBook } from '@sipflow/rules';
import { describe, expect, it } from 'vitest';
import { formatLedger, formatRate, type LedgerRecompute } from '../src';
import { attempt } from '../../../test/support/call-attempt';

const T0 = Date.parse('2026-11-30T15:00:00Z');

function recompute(retainedSinceMs: number | null, complete = true): LedgerRecompute {
  const book = new LedgerBook(defaultRules().abandonment);
  for (let i = 0; i < 200; i++)
    book.add(
      attempt({
        campaignId: 'cmp-a',
        sipCode: 200,
        answeredBy: 'HUMAN',
        endedAt: T0,
        answeredAt: T0 - 60_000,
        agentConnectedAt: i < 7 ? null : T0 - 59_000,
      }),
    );
  const periods = book
    .report(T0)
    .map((p) => ({ ...p, complete: retainedSinceMs === null || p.fromMs >= retainedSinceMs }));
  return {
    periods,
    retainedSinceMs,
    records: 201,
    counted: 200,
    read: { complete, unfinished: complete ? [] : ['raw/2'] },
    asOfMs: T0,
    elapsedMs: 5,
  };
}

describe('formatLedger', () => {
  it('prints one line per group and period: numerator, denominator, rate, status and state', () => {
    const text = formatLedger(recompute(null));
    expect(text).toMatch(/^group\s+period\s+from\s+to \(excl\.\)\s+abandoned\s+answered\s+rate\s+status/);
    expect(text).toMatch(
      /^cmp-a\s+12\s+2026-11-27\s+2026-12-27\s+7\s+200\s+3\.50 %\s+OVER\s+0\s+0\s+0\s+running$/m,
    );
    expect(text).toContain('200 calls counted of 201 raw records; UNKNOWN answers not counted');
  });

  it('marks a period the raw topic no longer holds whole, and an unfinished read', () => {
    const text = formatLedger(recompute(Date.parse('2026-11-28T00:00:00Z'), false));
    expect(text).toMatch(/running, INCOMPLETE$/m);
    expect(text).toContain('the raw topic holds calls since 2026-11-28T00:00:00.000Z');
    expect(text).toContain('read incomplete: raw/2 not read to the end');
  });

  it('says so when no call is in any group', () => {
    const empty = { ...recompute(null), periods: [], counted: 0 };
    expect(formatLedger(empty)).toContain('no calls in any abandonment group');
    expect(formatRate(null)).toBe('-');
  });
});
