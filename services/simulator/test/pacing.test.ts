import { describe, expect, it } from 'vitest';
import { MAX_BATCH, recordsDue } from '../src/pacing';

describe('recordsDue', () => {
  it('sends the first record at once, then keeps pace with the rate', () => {
    expect(recordsDue({ elapsedMs: 0, rate: 1000, sent: 0, limit: Infinity })).toBe(1);
    expect(recordsDue({ elapsedMs: 50, rate: 1000, sent: 1, limit: Infinity })).toBe(50);
    expect(recordsDue({ elapsedMs: 1000, rate: 1000, sent: 51, limit: Infinity })).toBe(950);
  });

  it('handles rates below one record per tick without drift', () => {
    const sentAt: number[] = [];
    let sent = 0;
    for (let t = 0; t < 10_000; t += 50) {
      const n = recordsDue({ elapsedMs: t, rate: 3, sent, limit: Infinity });
      for (let i = 0; i < n; i++) sentAt.push(t);
      sent += n;
    }
    expect(sent).toBe(30);
    expect(sentAt.slice(0, 4)).toEqual([0, 350, 700, 1000]);
  });

  it('never passes the limit', () => {
    expect(recordsDue({ elapsedMs: 10_000, rate: 1000, sent: 490, limit: 500 })).toBe(10);
    expect(recordsDue({ elapsedMs: 10_000, rate: 1000, sent: 500, limit: 500 })).toBe(0);
  });

  it('catches up after a stall in batches of at most MAX_BATCH', () => {
    expect(recordsDue({ elapsedMs: 60_000, rate: 1000, sent: 0, limit: Infinity })).toBe(MAX_BATCH);
  });

  it('never asks for a negative count when ahead', () => {
    expect(recordsDue({ elapsedMs: 0, rate: 1, sent: 5, limit: Infinity })).toBe(0);
  });
});
