import { describe, expect, it } from 'vitest';
import {
  FLAT_CRITERION,
  flatVerdict,
  loopLagSummary,
  median,
  rssGrowth,
  slope,
  type RssPoint,
} from '../../bench/soak/growth';

/** One point per 5 s for `minutes`, RSS from `rss(minutes)`. */
const series = (minutes: number, rss: (m: number) => number): RssPoint[] =>
  Array.from({ length: Math.round((minutes * 60) / 5) + 1 }, (_, i) => ({
    minutes: (i * 5) / 60,
    rssMB: rss((i * 5) / 60),
  }));

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones, without sorting the input', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('slope', () => {
  it('is the least-squares slope', () => {
    expect(slope([0, 1, 2, 3].map((x) => ({ x, y: 2 * x + 7 })))).toBeCloseTo(2, 12);
    // symmetric noise around a line does not move the fit
    expect(slope([0, 1, 2, 3, 4].map((x, i) => ({ x, y: x + (i % 2 === 0 ? 1 : -1) })))).toBeCloseTo(1, 1);
  });

  it('is 0 when there is nothing to fit', () => {
    expect(slope([])).toBe(0);
    expect(slope([{ x: 1, y: 5 }])).toBe(0);
    expect(
      slope([
        { x: 2, y: 1 },
        { x: 2, y: 9 },
      ]),
    ).toBe(0);
  });
});

describe('rssGrowth', () => {
  it('compares the medians of the first and last 20 % of samples, in time order', () => {
    // 10 points, edges of 2: first {100, 102}, last {116, 118}
    const points = Array.from({ length: 10 }, (_, i) => ({ minutes: i, rssMB: 100 + 2 * i })).reverse();
    const g = rssGrowth(points);
    expect(g.samples).toBe(10);
    expect(g.firstMedianMB).toBe(101);
    expect(g.lastMedianMB).toBe(117);
    expect(g.growth).toBeCloseTo(16 / 101, 12);
    expect(g.slopeMBPerMin).toBeCloseTo(2, 12);
  });

  it('is not fooled by one garbage-collection peak at either end', () => {
    const points = series(9, () => 200);
    points[points.length - 1]!.rssMB = 260;
    points[0]!.rssMB = 150;
    const g = rssGrowth(points);
    expect(g.growth).toBe(0);
  });
});

describe('flatVerdict', () => {
  it('passes a flat, noisy run', () => {
    const v = flatVerdict(rssGrowth(series(9, (m) => 200 + 8 * Math.sin(m * 7))));
    expect(v.flat).toBe(true);
  });

  it('fails a slow leak on the slope even when the growth stays under 10 %', () => {
    // 1.5 MB/min for 9 minutes on 200 MB: ~6 % growth, under the growth limit
    const g = rssGrowth(series(9, (m) => 200 + 1.5 * m));
    expect(g.growth).toBeLessThan(FLAT_CRITERION.maxGrowth);
    const v = flatVerdict(g);
    expect(v.flat).toBe(false);
    expect(v.reason).toMatch(/slope 1\.50 MB\/min ≥ 1 MB\/min/);
    expect(v.reason).not.toMatch(/growth/);
  });

  it('fails a step up in memory on the growth', () => {
    const v = flatVerdict(rssGrowth(series(9, (m) => (m < 4.5 ? 200 : 240))));
    expect(v.flat).toBe(false);
    expect(v.reason).toMatch(/growth 20\.0 % ≥ 10 %/);
  });

  it('passes memory that shrinks: a leak only grows', () => {
    expect(flatVerdict(rssGrowth(series(9, (m) => 240 - 3 * m))).flat).toBe(true);
  });

  it('refuses to judge too few samples', () => {
    const v = flatVerdict(rssGrowth(series(0.5, () => 200)));
    expect(v.flat).toBe(false);
    expect(v.reason).toMatch(/7 samples after the warm-up; at least 10 needed/);
    expect(flatVerdict(rssGrowth([])).flat).toBe(false);
  });
});

describe('loopLagSummary', () => {
  it('gives the typical interval (medians) and the worst one', () => {
    const s = loopLagSummary([
      { p50Ms: 10, p99Ms: 12, maxMs: 15 },
      { p50Ms: 11, p99Ms: 30, maxMs: 80 },
      { p50Ms: 10.5, p99Ms: 14, maxMs: 20 },
    ]);
    expect(s).toEqual({ p50Ms: 10.5, p99Ms: 14, p99WorstMs: 30, maxMs: 80 });
  });

  it('is NaN with nothing scraped, not ±Infinity', () => {
    const s = loopLagSummary([]);
    expect(Object.values(s).every(Number.isNaN)).toBe(true);
  });
});
