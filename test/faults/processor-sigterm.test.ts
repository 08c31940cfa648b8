import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { onSharedCluster } from './support/cluster';
import { startLoad } from './support/load';
import { auditRun, groupProgress, spawnProcessor, waitCaughtUp } from './support/processes';

const SHUTDOWN_TIMEOUT_SECONDS = 10;

describe('SIGTERM under load', () => {
  const { cluster, freshTopics } = onSharedCluster();

  it('exits 0 within the deadline with its offsets committed; a successor loses and repeats nothing', async () => {
    const topics = await freshTopics('sigterm');
    const env = { SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_TIMEOUT_SECONDS) };
    const load = await startLoad(cluster, topics.input, { rate: 500, poisonRatio: 0.01, seed: 31 });
    try {
      const first = spawnProcessor(cluster, topics, env);
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && (await groupProgress(cluster, topics)).committed === 0)
        await sleep(250);
      await sleep(8000);

      const signalled = performance.now();
      first.kill('SIGTERM');
      const exit = await first.exited;
      const tookMs = performance.now() - signalled;
      process.stderr.write(`[faults] SIGTERM: exit ${exit.code} after ${tookMs.toFixed(0)} ms\n`);
      expect(exit.code, first.output()).toBe(0);
      expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_SECONDS * 1000);

      // the load goes on while no processor runs, then a successor takes over
      await sleep(3000);
      const second = spawnProcessor(cluster, topics, env);
      await sleep(3000);
      await load.stop();
      await waitCaughtUp(cluster, topics, 120_000, () => second.output());
      second.kill('SIGTERM');
      expect((await second.exited).code, second.output()).toBe(0);

      // committed offsets covered everything the first instance produced: nothing is repeated
      const result = await auditRun('SIGTERM under load', cluster, topics);
      expect(result.failures).toEqual([]);
      expect(result.lost).toBe(0);
      expect(result.capViolations, JSON.stringify(result.report.capViolationRecords.slice(0, 5))).toBe(0);
      expect(result.duplicated).toBe(0);
    } finally {
      await load.stop();
    }
  });
});
