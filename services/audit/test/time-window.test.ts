import { describe, expect, it } from 'vitest';
import { inTimeWindow } from '../src/time-window';

describe("the audit's time window [from, to)", () => {
  it('includes from and excludes to, as replay does', () => {
    const window = { from: 1000, to: 2000 };
    expect(inTimeWindow(999, window)).toBe(false);
    expect(inTimeWindow(1000, window)).toBe(true);
    expect(inTimeWindow(1999, window)).toBe(true);
    expect(inTimeWindow(2000, window)).toBe(false);
  });

  it('is open on a side not given', () => {
    expect(inTimeWindow(0, { to: 1 })).toBe(true);
    expect(inTimeWindow(Number.MAX_SAFE_INTEGER, { from: 1 })).toBe(true);
    expect(inTimeWindow(5, {})).toBe(true);
  });

  it('splits consecutive windows without overlap or gap', () => {
    const day = 86_400_000;
    const first = { from: 0, to: day };
    const second = { from: day, to: 2 * day };
    for (const t of [0, day - 1, day, day + 1, 2 * day - 1]) {
      expect(Number(inTimeWindow(t, first)) + Number(inTimeWindow(t, second))).toBe(1);
    }
  });

  it('is empty when from equals to', () => {
    expect(inTimeWindow(1000, { from: 1000, to: 1000 })).toBe(false);
  });
});
