import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { onSharedCluster, type FaultCluster } from './support/cluster';
import { startLoad } from './support/load';
import { createKafka } from '@sipflow/kafka';
import { auditRun, groupProgress, spawnProcessor, waitCaughtUp } from './support/processes';
import { type Topics } from '@sipflow/pipeline';

/**
 * Large enough that the measured stretch lasts seconds, not one: with 40,000 events (until
 * 2026-12-07) a processor at 30–60k events/s crossed 10 % → 90 % in about a second, a few commits
 * and admin round trips, and one clean run measured 60,506 events/s against its usual 19–35k.
 */
const BACKLOG = 200_000;
/** the load's ceiling (2,000 records per 50 ms tick): the backlog is written in about 5 s */
const BACKLOG_RATE = 40_000;

/** A backlog of `BACKLOG` events (plus a trickle of live load) drained by one processor: events/s. */
async function drainRate(cluster: FaultCluster, topics: Topics, poisonRatio: number) {
  const backlog = await startLoad(cluster, topics.input, { rate: BACKLOG_RATE, poisonRatio, seed: 21 });
  while (backlog.stats().produced < BACKLOG) await sleep(100);
  const preloaded = await backlog.stop();
  const live = await startLoad(cluster, topics.input, { rate: 100, poisonRatio, seed: 22 });
  const processor = spawnProcessor(cluster, topics);
  const admin = createKafka(cluster.connection).admin();
  await admin.connect();
  // the rate of fully processed records (classified, not just forwarded to the repartition
  // topic) over the middle of the drain, 10% → 90% of the backlog: start-up, group join and the
  // tail do not count. Each sample is timed at the middle of its admin round trip.
  let low: { at: number; done: number } | undefined;
  const deadline = Date.now() + 180_000;
  let rate = 0;
  try {
    while (Date.now() < deadline) {
      const asked = performance.now();
      const p = await groupProgress(cluster, topics, admin);
      const at = (asked + performance.now()) / 2;
      if (!low && p.done >= BACKLOG * 0.1) low = { at, done: p.done };
      else if (low && p.done >= BACKLOG * 0.9) {
        rate = ((p.done - low.done) * 1000) / (at - low.at);
        break;
      }
      await sleep(50);
    }
    expect(rate, `the backlog was not drained within 180 s\n${processor.output()}`).toBeGreaterThan(0);
    const liveStats = await live.stop();
    await waitCaughtUp(cluster, topics, 60_000, () => processor.output());
    processor.kill('SIGTERM');
    expect((await processor.exited).code, processor.output()).toBe(0);
    return {
      rate,
      poison: preloaded.poison + liveStats.poison,
      produced: preloaded.produced + liveStats.produced,
    };
  } finally {
    processor.kill('SIGKILL');
    await live.stop();
    await admin.disconnect().catch(() => undefined);
  }
}

describe('poison flood: 10% undecodable or invalid records', () => {
  const { cluster, freshTopics } = onSharedCluster();

  it('all poison in the DLQ with its reason, the rest processed, throughput above half the clean rate', async () => {
    const clean = await freshTopics('clean');
    const flooded = await freshTopics('poison');

    const cleanRun = await drainRate(cluster, clean, 0);
    const poisonRun = await drainRate(cluster, flooded, 0.1);
    process.stderr.write(
      `[faults] poison flood: clean ${cleanRun.rate.toFixed(0)} events/s, 10% poison ${poisonRun.rate.toFixed(0)} events/s\n`,
    );

    const cleanAudit = await auditRun('poison flood, clean baseline', cluster, clean);
    expect(cleanAudit.failures).toEqual([]);
    expect(cleanAudit.dlq).toBe(0);

    const result = await auditRun('poison flood 10%', cluster, flooded);
    expect(result.failures).toEqual([]);
    expect(result.lost).toBe(0);
    expect(result.capViolations, JSON.stringify(result.report.capViolationRecords.slice(0, 5))).toBe(0);
    expect(poisonRun.poison / poisonRun.produced).toBeGreaterThan(0.08);
    expect(result.dlq).toBe(poisonRun.poison);
    expect(result.report.processed).toBe(result.events - poisonRun.poison);
    const codes = Object.keys(result.report.dlqByCode);
    expect(
      codes.every((c) => c.startsWith('SIPFLOW_') && c !== 'SIPFLOW_INTERNAL_ERROR'),
      codes.join(),
    ).toBe(true);
    expect(codes.length).toBeGreaterThanOrEqual(4); // magic byte, unknown schema, corrupt Avro, invalid fields

    expect(poisonRun.rate).toBeGreaterThan(cleanRun.rate / 2);
  });
});
