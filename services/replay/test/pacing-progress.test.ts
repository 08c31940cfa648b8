import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { chunkSize, pacingDelayMs } from '../src/pacing';
import { createProgressReporter, formatBar, formatDuration, formatLine } from '../src/progress';

describe('pacing', () => {
  it('chunks a fifth of a second of events, or whole batches without a rate', () => {
    expect(chunkSize(undefined)).toBe(Number.POSITIVE_INFINITY);
    expect(chunkSize(1)).toBe(1);
    expect(chunkSize(20)).toBe(4);
    expect(chunkSize(1_000_000)).toBe(2000);
  });

  it('waits until the next event is due, from the start of the run (no drift)', () => {
    expect(pacingDelayMs({ elapsedMs: 0, done: 0, rate: 10 })).toBe(0);
    expect(pacingDelayMs({ elapsedMs: 250, done: 5, rate: 10 })).toBe(250);
    expect(pacingDelayMs({ elapsedMs: 900, done: 5, rate: 10 })).toBe(0);
  });
});

describe('progress', () => {
  const state = { label: 'replay', done: 1234, total: 2900, rate: 150 };

  it('formats durations', () => {
    expect([0, 42, 725, 11045].map(formatDuration)).toEqual(['0:00', '0:42', '12:05', '3:04:05']);
    expect(formatDuration(NaN)).toBe('--:--');
  });

  it('draws a bar with percentage, rate and ETA for terminals, a line for logs', () => {
    expect(formatBar(state, 10)).toBe('replay [####------] 42% 1,234/2,900 · 150 events/s · ETA 0:11');
    expect(formatLine(state)).toBe('replay: 42% (1,234/2,900 records), 150 events/s, ETA 0:11');
    expect(formatLine({ ...state, done: 0, total: 0, rate: 0 })).toMatch(/^replay: 100% .* ETA 0:00$/);
  });

  it('writes a line every interval when not on a terminal', () => {
    vi.useFakeTimers();
    try {
      const lines: string[] = [];
      const stream = new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      });
      let t = 0;
      const reporter = createProgressReporter({ label: 'replay', total: 100, done: 0, stream, now: () => t });
      t = 2000;
      reporter.update(50);
      vi.advanceTimersByTime(2000);
      reporter.stop();
      vi.advanceTimersByTime(10_000);
      expect(lines).toEqual(['replay: 50% (50/100 records), 25 events/s, ETA 0:02\n']);
    } finally {
      vi.useRealTimers();
    }
  });
});
