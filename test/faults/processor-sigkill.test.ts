import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { onSharedCluster } from './support/cluster';
import { startLoad } from './support/load';
import {
  auditRun,
  groupProgress,
  spawnProcessor,
  waitCaughtUp,
  type ProcessorChild,
} from './support/processes';

const KILLS = 5;
const RATE = 300;

/**
 * The processor killed with SIGKILL five times at random moments under continuous load, restarted
 * each time: at-least-once loses nothing (duplicates allowed), exactly-once loses nothing and
 * read_committed readers see no duplicate.
 */
describe.each(['at_least_once', 'exactly_once'] as const)(
  'processor SIGKILLed under load (%s)',
  (guarantee) => {
    const { cluster, freshTopics } = onSharedCluster();

    it(`${KILLS} kills at random moments: 0 lost${guarantee === 'exactly_once' ? ', 0 duplicated' : ''}`, async () => {
      const topics = await freshTopics(`kill-${guarantee.replaceAll('_', '')}`);
      const env = {
        PROCESSING_GUARANTEE: guarantee,
        TRANSACTIONAL_ID: `${topics.input}-tx`,
        SHUTDOWN_TIMEOUT_SECONDS: '20',
      };
      const load = await startLoad(cluster, topics.input, { rate: RATE, poisonRatio: 0.01, seed: 11 });
      let processor: ProcessorChild = spawnProcessor(cluster, topics, env);
      const kills: string[] = [];
      try {
        for (let kill = 1; kill <= KILLS; kill++) {
          // wait for the (re)started instance to commit something, then kill it at a random moment
          const before = (await groupProgress(cluster, topics)).committed;
          const deadline = Date.now() + 90_000;
          while (Date.now() < deadline && (await groupProgress(cluster, topics)).committed <= before)
            await sleep(250);
          const delay = Math.round(200 + Math.random() * 4000);
          await sleep(delay);
          processor.kill('SIGKILL');
          await processor.exited;
          kills.push(`kill ${kill} after +${delay} ms at ${load.stats().produced} events`);
          processor = spawnProcessor(cluster, topics, env);
        }
        await sleep(3000);
        const loadStats = await load.stop();
        await waitCaughtUp(cluster, topics, 180_000, () => processor.output());
        processor.kill('SIGTERM');
        expect((await processor.exited).code, processor.output()).toBe(0);

        const result = await auditRun(`SIGKILL x${KILLS} (${guarantee})`, cluster, topics, {
          exactlyOnce: guarantee === 'exactly_once',
        });
        process.stderr.write(`[faults] ${kills.join('; ')}\n`);
        expect(result.events).toBeGreaterThanOrEqual(loadStats.produced);
        expect(result.report.incomplete).toBeUndefined();
        expect(result.lost, JSON.stringify(result.report.lostRecords.slice(0, 5))).toBe(0);
        expect(result.report.wrongRouting).toBe(0);
        if (guarantee === 'exactly_once') expect(result.duplicated).toBe(0);
        expect(result.failures).toEqual([]);
      } finally {
        await load.stop();
      }
    });
  },
);
