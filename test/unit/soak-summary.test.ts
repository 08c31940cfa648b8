import { describe, expect, it } from 'vitest';
import type { SoakSample } from '../../bench/soak/sample';
import { summarise } from '../../bench/soak/summary';

const sample = (t: number, over: Partial<SoakSample> = {}): SoakSample => ({
  t,
  at: new Date(1_764_000_000_000 + t * 1000).toISOString(),
  phase: 'load',
  offered: t * 1700,
  rssMB: 200,
  cpuPercent: 20,
  heapUsedMB: 60,
  loopP50Ms: 10,
  loopP99Ms: 13,
  loopMaxMs: 20,
  consumed: t * 1700,
  produced: t * 2750,
  lag: 0,
  ...over,
});

describe('summarise', () => {
  it('judges only the samples under load after the warm-up', () => {
    const samples = [
      // start-up: memory climbing, a slow event loop: not judged
      ...[5, 10, 55].map((t) => sample(t, { rssMB: 120 + t, loopMaxMs: 900, lag: 5000 })),
      ...Array.from({ length: 20 }, (_, i) => sample(60 + i * 5)),
      // after the load: at rest, memory returned: not judged either
      sample(165, { phase: 'catch-up', rssMB: 150, loopMaxMs: 400 }),
    ];
    const s = summarise(samples, { warmUpSeconds: 60, peakRssMB: 210, rssBudgetMB: 300 });
    expect(s.window).toEqual({ fromSeconds: 60, toSeconds: 155, samples: 20 });
    expect(s.rss.growth).toBe(0);
    expect(s.flat.flat).toBe(true);
    expect(s.loopLag).toEqual({ p50Ms: 10, p99Ms: 13, p99WorstMs: 13, maxMs: 20 });
    expect(s.medianCpuPercent).toBe(20);
    expect(s.medianHeapUsedMB).toBe(60);
    // the largest lag is the whole run's, start-up included: falling behind counts at any time
    expect(s.maxLag).toBe(5000);
  });

  it('holds the peak to the budget', () => {
    const samples = Array.from({ length: 12 }, (_, i) => sample(60 + i * 5));
    expect(summarise(samples, { warmUpSeconds: 60, peakRssMB: 300, rssBudgetMB: 300 }).withinBudget).toBe(
      true,
    );
    expect(summarise(samples, { warmUpSeconds: 60, peakRssMB: 301, rssBudgetMB: 300 }).withinBudget).toBe(
      false,
    );
  });

  it('leaves failed scrapes out of the event-loop and heap figures', () => {
    const samples = Array.from({ length: 12 }, (_, i) =>
      sample(
        60 + i * 5,
        i % 3 === 0 ? { heapUsedMB: null, loopP50Ms: null, loopP99Ms: null, loopMaxMs: null } : {},
      ),
    );
    const s = summarise(samples, { warmUpSeconds: 60, peakRssMB: 210, rssBudgetMB: 300 });
    expect(s.loopLag.maxMs).toBe(20);
    expect(s.medianHeapUsedMB).toBe(60);
    expect(s.window.samples).toBe(12);
  });
});
