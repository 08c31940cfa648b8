import { describe, expect, it } from 'vitest';
import { parseSoakArgs } from '../../bench/soak/options';

describe('parseSoakArgs', () => {
  it('defaults to a million events at 1,700/s: about ten minutes, at-least-once', () => {
    const s = parseSoakArgs([]);
    expect(s).toMatchObject({
      events: 1_000_000,
      rate: 1700,
      sampleSeconds: 5,
      warmUpSeconds: 60,
      guarantee: 'at_least_once',
      rssBudgetMB: 300,
      readme: true,
      keepTopics: false,
    });
    expect(s.events / s.rate / 60).toBeCloseTo(9.8, 1);
    // the load with a quarter to spare, the catch-up, two minutes of set-up
    expect(s.deadlineSeconds).toBe(Math.ceil((1_000_000 / 1700) * 1.25 + 120 + 120));
  });

  it('takes the flags of a short run', () => {
    const s = parseSoakArgs([
      '--events',
      '30000',
      '--rate',
      '1000',
      '--sample-seconds',
      '2',
      '--warm-up-seconds',
      '0',
      '--guarantee',
      'exactly-once',
      '--no-readme',
    ]);
    expect(s).toMatchObject({
      events: 30_000,
      rate: 1000,
      sampleSeconds: 2,
      warmUpSeconds: 0,
      guarantee: 'exactly_once',
      readme: false,
    });
  });

  it('refuses bad values with the flag named', () => {
    expect(() => parseSoakArgs(['--events', '1.5'])).toThrow(/--events: expected a whole number > 0/);
    expect(() => parseSoakArgs(['--rate', '0'])).toThrow(/--rate/);
    expect(() => parseSoakArgs(['--guarantee', 'maybe'])).toThrow(/--guarantee/);
    expect(() => parseSoakArgs(['--poison-ratio', '2'])).toThrow(/--poison-ratio/);
    expect(() => parseSoakArgs(['--warm-up-seconds', '-1'])).toThrow(/--warm-up-seconds/);
    expect(() => parseSoakArgs(['--bogus'])).toThrow();
  });
});
