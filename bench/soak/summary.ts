// From the soak's samples to its verdicts. Pure: the run's I/O hands it samples and the peak.
import {
  flatVerdict,
  loopLagSummary,
  median,
  rssGrowth,
  type FlatVerdict,
  type LoopLagSummary,
  type RssGrowth,
} from './growth';
import type { SoakSample } from './sample';

export type SoakSummary = {
  /** the samples judged: under load, after the warm-up */
  window: { fromSeconds: number; toSeconds: number; samples: number };
  /** the processor's high-water mark of resident memory (VmHWM), start-up included */
  peakRssMB: number;
  rssBudgetMB: number;
  withinBudget: boolean;
  rss: RssGrowth;
  flat: FlatVerdict;
  loopLag: LoopLagSummary;
  medianCpuPercent: number;
  medianHeapUsedMB: number;
  /** the largest consumer lag any sample saw, in records, over the whole run */
  maxLag: number;
};

export function summarise(
  samples: readonly SoakSample[],
  opts: { warmUpSeconds: number; peakRssMB: number; rssBudgetMB: number },
): SoakSummary {
  const judged = samples.filter((s) => s.phase === 'load' && s.t >= opts.warmUpSeconds);
  const rss = rssGrowth(judged.map((s) => ({ minutes: s.t / 60, rssMB: s.rssMB })));
  const loop = judged.flatMap((s) =>
    s.loopP50Ms === null || s.loopP99Ms === null || s.loopMaxMs === null
      ? []
      : [{ p50Ms: s.loopP50Ms, p99Ms: s.loopP99Ms, maxMs: s.loopMaxMs }],
  );
  return {
    window: {
      fromSeconds: judged[0]?.t ?? NaN,
      toSeconds: judged[judged.length - 1]?.t ?? NaN,
      samples: judged.length,
    },
    peakRssMB: opts.peakRssMB,
    rssBudgetMB: opts.rssBudgetMB,
    withinBudget: opts.peakRssMB <= opts.rssBudgetMB,
    rss,
    flat: flatVerdict(rss),
    loopLag: loopLagSummary(loop),
    medianCpuPercent: median(judged.map((s) => s.cpuPercent)),
    medianHeapUsedMB: median(judged.flatMap((s) => (s.heapUsedMB === null ? [] : [s.heapUsedMB]))),
    maxLag: Math.max(0, ...samples.map((s) => s.lag)),
  };
}
