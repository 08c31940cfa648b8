import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLiveSummary } from '../src/live-summary';

describe('the live summary of npm start', () => {
  it("gives the first line's rates since the summary was created, not 0/s", async () => {
    const registry = new Registry();
    const consumed = new Counter({
      name: 'sipflow_events_consumed_total',
      help: 'h',
      labelNames: ['topic'],
      registers: [registry],
    });
    const produced = new Counter({
      name: 'sipflow_records_produced_total',
      help: 'h',
      labelNames: ['topic'],
      registers: [registry],
    });
    const summary = createLiveSummary(registry, 'raw');
    // its baseline is read asynchronously; in npm start traffic begins after it, so here too
    await sleep(20);
    consumed.labels('raw').inc(100);
    produced.labels('enriched').inc(150);
    // the input topic's own records (a replay's) are not outputs
    produced.labels('raw').inc(1000);
    await sleep(200);
    const first = await summary();
    const [, inRate, outRate] = /^in (\d+)\/s, out (\d+)\/s \| 100 events/.exec(first) ?? [];
    // 100 and 150 in a little over 0.2 s
    expect(Number(inRate)).toBeGreaterThan(0);
    expect(Number(inRate)).toBeLessThanOrEqual(500);
    expect(Number(outRate)).toBeGreaterThan(Number(inRate));
    expect(Number(outRate)).toBeLessThanOrEqual(750);
    // nothing since the first line: the second line's rates are 0
    expect(await summary()).toMatch(/^in 0\/s, out 0\/s \| 100 events/);
  });
});

describe('the live summary: the abandoned-call ledger', () => {
  it("ends with the running periods by status when the ledger's metric is there, and says nothing without it", async () => {
    const registry = new Registry();
    const summary = createLiveSummary(registry, 'raw');
    expect(await summary()).not.toContain('abandonment');
    const running = new Gauge({
      name: 'sipflow_abandonment_running_periods',
      help: 'h',
      labelNames: ['status'],
      registers: [registry],
    });
    running.labels('OK').set(4);
    running.labels('WARNING').set(0);
    running.labels('OVER').set(1);
    expect(await summary()).toMatch(/ \| abandonment periods: ok 4, warning 0, over 1$/);
  });
});
