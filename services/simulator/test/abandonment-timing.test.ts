import type { CallAttempt } from '@sipflow/codec';
import { defaultRules, LedgerBook, validateCallAttempt } from '@sipflow/rules';
import { describe, expect, it } from 'vitest';
import { DRIFT_EVENTS, DRIFTING_CAMPAIGN } from '../src/abandonment-timing';
import { createAttemptGenerator } from '../src/attempt-generator';

const FIELDS = ['ringingAt', 'answeredAt', 'agentConnectedAt', 'abandoned', 'abandonMessagePlayed'] as const;

const generate = (
  n: number,
  opts: { seed?: number; amd?: boolean; driftTo?: number } = {},
): CallAttempt[] => {
  const gen = createAttemptGenerator({
    seed: opts.seed ?? 42,
    answeringMachineDetection: opts.amd ?? true,
    ...(opts.driftTo === undefined ? {} : { abandonmentDriftTo: opts.driftTo }),
  });
  return Array.from({ length: n }, () => gen.next());
};

const strip = (e: CallAttempt) => {
  const rest: Record<string, unknown> = { ...e };
  for (const f of FIELDS) delete rest[f];
  return rest;
};

describe('the simulated predictive dialer (abandonmentDriftTo)', () => {
  it('is off by default: the five fields are null', () => {
    for (const e of generate(2_000)) for (const f of FIELDS) expect(e[f]).toBeNull();
  });

  it('changes no other field of any event when turned on (its own PRNG stream)', () => {
    for (const seed of [1, 2, 3]) {
      const off = generate(3_000, { seed });
      const on = generate(3_000, { seed, driftTo: 0.04 });
      expect(on.map(strip)).toEqual(off.map(strip));
    }
  });

  it('reports times in call order, and valid events', () => {
    for (const e of generate(5_000, { driftTo: 0.04 })) {
      expect(() => validateCallAttempt(e)).not.toThrow();
      if (e.ringingAt !== null) {
        expect(e.ringingAt).toBeGreaterThanOrEqual(e.startedAt);
        expect(e.ringingAt).toBeLessThanOrEqual(e.endedAt);
      }
      if (e.answeredAt !== null) {
        expect(e.sipCode).toBe(200);
        expect(e.answeredAt).toBeGreaterThan(e.ringingAt!);
        expect(e.answeredAt).toBeLessThan(e.endedAt);
      }
      if (e.abandoned === true) expect(e.agentConnectedAt).toBeNull();
      if (e.agentConnectedAt !== null) expect(e.agentConnectedAt - e.answeredAt!).toBeLessThanOrEqual(2_000);
    }
  });

  it(`drifts ${DRIFTING_CAMPAIGN} to the share asked for; every other campaign abandons about 1 %`, () => {
    const events = generate(DRIFT_EVENTS * 4, { driftTo: 0.04 }).slice(DRIFT_EVENTS);
    const book = new LedgerBook(defaultRules().abandonment);
    for (const e of events) book.add(e);
    const periods = book.report(0);
    const drifting = periods.filter((p) => p.group === DRIFTING_CAMPAIGN);
    const others = periods.filter((p) => p.group !== DRIFTING_CAMPAIGN);
    const rateOf = (ps: typeof periods) =>
      ps.reduce((n, p) => n + p.numerator, 0) / ps.reduce((n, p) => n + p.denominator, 0);
    expect(drifting.reduce((n, p) => n + p.denominator, 0)).toBeGreaterThan(1_000);
    expect(rateOf(drifting)).toBeGreaterThan(0.03);
    expect(rateOf(drifting)).toBeLessThan(0.05);
    expect(rateOf(others)).toBeGreaterThan(0.005);
    expect(rateOf(others)).toBeLessThan(0.015);
    // some abandoned calls heard no message; some cancelled calls rang under 15 s
    expect(periods.reduce((n, p) => n + p.counts.withoutMessage, 0)).toBeGreaterThan(0);
    expect(periods.reduce((n, p) => n + p.counts.shortRingCancels, 0)).toBeGreaterThan(0);
  });
});
