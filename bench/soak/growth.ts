// Pure arithmetic of the soak verdict: is the processor's resident memory flat over the run?
// Kept apart from the I/O so the criterion itself is unit-tested.

/** What "flat" means. Both must hold: a slow leak shows in the slope before it shows in the growth. */
export const FLAT_CRITERION = {
  /** median RSS of the last 20 % of samples over the first 20 %, minus 1 */
  maxGrowth: 0.1,
  /** least-squares slope of RSS over time */
  maxSlopeMBPerMin: 1,
  /** share of the analysed samples at each end that the growth compares */
  edgeShare: 0.2,
  /** fewer samples than this after the warm-up cannot tell a trend from noise */
  minSamples: 10,
} as const;

export type RssPoint = { minutes: number; rssMB: number };

export type RssGrowth = {
  samples: number;
  firstMedianMB: number;
  lastMedianMB: number;
  /** (last − first) / first; negative when memory shrank */
  growth: number;
  slopeMBPerMin: number;
};

export type FlatVerdict = { flat: boolean; reason: string };

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Ordinary least-squares slope of y over x; 0 when x does not vary (nothing to fit). */
export function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

/**
 * Growth between the two ends of the run and the trend across it. Medians of the end windows,
 * not single samples, so one GC cycle caught at its high point does not read as growth.
 */
export function rssGrowth(points: readonly RssPoint[], edgeShare = FLAT_CRITERION.edgeShare): RssGrowth {
  const sorted = [...points].sort((a, b) => a.minutes - b.minutes);
  const edge = Math.max(1, Math.floor(sorted.length * edgeShare));
  const firstMedianMB = median(sorted.slice(0, edge).map((p) => p.rssMB));
  const lastMedianMB = median(sorted.slice(-edge).map((p) => p.rssMB));
  return {
    samples: sorted.length,
    firstMedianMB,
    lastMedianMB,
    growth: (lastMedianMB - firstMedianMB) / firstMedianMB,
    slopeMBPerMin: slope(sorted.map((p) => ({ x: p.minutes, y: p.rssMB }))),
  };
}

/** Shrinking memory passes: the criterion is about leaks, and a leak only grows. */
export function flatVerdict(g: RssGrowth, c: typeof FLAT_CRITERION = FLAT_CRITERION): FlatVerdict {
  if (g.samples < c.minSamples)
    return { flat: false, reason: `${g.samples} samples after the warm-up; at least ${c.minSamples} needed` };
  const problems: string[] = [];
  if (!(g.growth < c.maxGrowth))
    problems.push(`growth ${(g.growth * 100).toFixed(1)} % ≥ ${(c.maxGrowth * 100).toFixed(0)} %`);
  if (!(g.slopeMBPerMin < c.maxSlopeMBPerMin))
    problems.push(`slope ${g.slopeMBPerMin.toFixed(2)} MB/min ≥ ${c.maxSlopeMBPerMin} MB/min`);
  return problems.length === 0
    ? {
        flat: true,
        reason: `growth ${(g.growth * 100).toFixed(1)} % < ${(c.maxGrowth * 100).toFixed(0)} % and slope ${g.slopeMBPerMin.toFixed(2)} MB/min < ${c.maxSlopeMBPerMin} MB/min`,
      }
    : { flat: false, reason: problems.join('; ') };
}

export type LoopLagInterval = { p50Ms: number; p99Ms: number; maxMs: number };

export type LoopLagSummary = {
  /** median over the sample intervals of each interval's p50 */
  p50Ms: number;
  /** median over the sample intervals of each interval's p99 */
  p99Ms: number;
  /** the worst interval's p99 */
  p99WorstMs: number;
  /** the longest single delay seen */
  maxMs: number;
};

/**
 * prom-client resets its event-loop histogram on every scrape, so each sample holds the
 * percentiles of its own interval; percentiles of different intervals cannot be merged exactly,
 * hence the typical interval (median) and the worst one.
 */
export function loopLagSummary(intervals: readonly LoopLagInterval[]): LoopLagSummary {
  if (intervals.length === 0) return { p50Ms: NaN, p99Ms: NaN, p99WorstMs: NaN, maxMs: NaN };
  return {
    p50Ms: median(intervals.map((i) => i.p50Ms)),
    p99Ms: median(intervals.map((i) => i.p99Ms)),
    p99WorstMs: Math.max(...intervals.map((i) => i.p99Ms)),
    maxMs: Math.max(...intervals.map((i) => i.maxMs)),
  };
}
