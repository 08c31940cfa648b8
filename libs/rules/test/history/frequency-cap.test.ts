import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frequencyCap } from '../../src/history/compile-cap';
import {
  callsInFullestPeriod,
  capAllows,
  firstAllowedByCaps,
  type FrequencyCap,
} from '../../src/history/frequency-cap';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.parse('2026-06-10T00:00:00Z');

function cap(count: number, perMs: number): FrequencyCap {
  return frequencyCap({ count, per: perMs }, 'US-XX', 'test statute');
}

const THREE_PER_DAY = cap(3, 24 * HOUR);

describe('capAllows', () => {
  it('allows a call exactly `per` after another, and refuses it 1 ms earlier (half-open periods)', () => {
    const once = cap(1, 8 * HOUR);
    expect(capAllows(T0 + 8 * HOUR, [T0], once)).toBe(true);
    expect(capAllows(T0 + 8 * HOUR - 1, [T0], once)).toBe(false);
    // the same before the call: [t, t + per) must not reach it
    expect(capAllows(T0 - 8 * HOUR, [T0], once)).toBe(true);
    expect(capAllows(T0 - 8 * HOUR + 1, [T0], once)).toBe(false);
  });

  it('allows the count-th call in a period and refuses the one after', () => {
    expect(capAllows(T0 + 2 * HOUR, [T0, T0 + HOUR], THREE_PER_DAY)).toBe(true);
    expect(capAllows(T0 + 3 * HOUR, [T0, T0 + HOUR, T0 + 2 * HOUR], THREE_PER_DAY)).toBe(false);
    expect(capAllows(T0 + 24 * HOUR, [T0, T0 + HOUR, T0 + 2 * HOUR], THREE_PER_DAY)).toBe(true);
  });

  it('counts calls after t, in the period that starts at t (a history that arrived out of order)', () => {
    const later = [T0 + 10 * HOUR, T0 + 20 * HOUR, T0 + 23 * HOUR];
    expect(capAllows(T0, later, THREE_PER_DAY)).toBe(false);
    // the period [t, t + 24 h) no longer reaches the last of them
    expect(capAllows(T0 - HOUR, later, THREE_PER_DAY)).toBe(true);
  });

  it('counts calls on both sides of t in one period', () => {
    // a period [T0, T0 + 24 h) holds the earlier call, t and both later ones
    const around = [T0, T0 + 12 * HOUR, T0 + 13 * HOUR];
    expect(capAllows(T0 + 6 * HOUR, around, THREE_PER_DAY)).toBe(false);
    expect(capAllows(T0 + 6 * HOUR, around, cap(4, 24 * HOUR))).toBe(true);
  });
});

// ---- reference: the definition, checked point by point on a 10-minute grid ---------------------
// Every time and every period (whole hours) is a multiple of STEP, so a period starting between two
// grid points holds what one starting at the later point does: checking the grid is checking every
// start. A 10-minute grid rather than minutes: the same argument at a hundredth of the work.
const STEP = 10 * MINUTE;

/**
 * The most calls, one more at `t` included, in any period [s, s + per) that contains t, by the
 * definition: every grid point s.
 */
function fullestByDefinition(t: number, calls: readonly number[], c: FrequencyCap): number {
  let most = 0;
  for (let s = t - c.perMs + STEP; s <= t; s += STEP) {
    let n = 1;
    for (const call of calls) if (call >= s && call < s + c.perMs) n++;
    most = Math.max(most, n);
  }
  return most;
}

function allowedByDefinition(t: number, calls: readonly number[], c: FrequencyCap): boolean {
  return fullestByDefinition(t, calls, c) <= c.count;
}

/** The first grid point at or after `from` that every cap allows, scanning point by point. */
function firstAllowedByScan(from: number, calls: readonly number[], caps: readonly FrequencyCap[]): number {
  // past the last call + the longest period nothing counts, so the scan ends by then
  for (let t = from; ; t += STEP) if (caps.every((c) => allowedByDefinition(t, calls, c))) return t;
}

const pointWithin = (days: number) =>
  fc.integer({ min: 0, max: (days * 24 * HOUR) / STEP }).map((i) => T0 + i * STEP);
const caps = fc.array(
  fc.record({ count: fc.integer({ min: 1, max: 4 }), hours: fc.integer({ min: 1, max: 24 }) }),
  { minLength: 1, maxLength: 3 },
);
const callTimes = fc
  .array(pointWithin(3), { minLength: 1, maxLength: 7 })
  .map((l) => l.sort((a, b) => a - b));

describe('capAllows and firstAllowedByCaps against the definition', () => {
  it('capAllows and callsInFullestPeriod agree with every period, checked on the grid', () => {
    fc.assert(
      fc.property(callTimes, pointWithin(4), caps, (calls, t, list) => {
        for (const { count, hours } of list) {
          const c = cap(count, hours * HOUR);
          expect(callsInFullestPeriod(t, calls, c)).toBe(fullestByDefinition(t, calls, c));
          expect(capAllows(t, calls, c)).toBe(allowedByDefinition(t, calls, c));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('firstAllowedByCaps is the first grid point a scan finds, with several caps at once', () => {
    fc.assert(
      fc.property(callTimes, pointWithin(3), caps, (calls, from, list) => {
        const compiled = list.map(({ count, hours }) => cap(count, hours * HOUR));
        const found = firstAllowedByCaps(from, calls, compiled);
        expect(found.at).toBe(firstAllowedByScan(from, calls, compiled));
        if (found.at === from) expect(found.movedBy).toBeNull();
        // the cap it names refuses the instant just before
        else expect(capAllows(found.at - 1, calls, found.movedBy!)).toBe(false);
      }),
      // each run scans up to a few hundred grid points × a day of period starts
      { numRuns: 150 },
    );
  });
});
