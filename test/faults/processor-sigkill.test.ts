import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { onSharedCluster } from './support/cluster';
import { startLoad } from './support/load';
import { auditRun, spawnProcessor, waitCaughtUp, type ProcessorChild } from './support/processes';

const KILLS = 5;
const RATE = 300;

/**
 * The processor killed with SIGKILL five times under continuous load, restarted each time. Each
 * instance kills itself (SIPFLOW_TEST_FAULT) on a random batch, after that batch's outputs were
 * acknowledged and before its offset was committed: the one moment at which the two guarantees
 * must differ. At-least-once loses nothing and repeats outputs; exactly-once loses nothing and
 * read_committed readers see no duplicate.
 */
describe.each(['at_least_once', 'exactly_once'] as const)(
  'processor SIGKILLed between produce and commit, under load (%s)',
  (guarantee) => {
    const { cluster, freshTopics } = onSharedCluster();

    it(`${KILLS} kills: 0 lost, ${guarantee === 'exactly_once' ? '0 duplicated' : 'duplicates repeated'}`, async () => {
      const topics = await freshTopics(`kill-${guarantee.replaceAll('_', '')}`);
      const env = {
        PROCESSING_GUARANTEE: guarantee,
        TRANSACTIONAL_ID: `${topics.input}-tx`,
        SHUTDOWN_TIMEOUT_SECONDS: '20',
      };
      const load = await startLoad(cluster, topics.input, { rate: RATE, poisonRatio: 0.01, seed: 11 });
      const kills: string[] = [];
      let processor: ProcessorChild | undefined;
      try {
        for (let kill = 1; kill <= KILLS; kill++) {
          const batches = 5 + Math.floor(Math.random() * 40);
          processor = spawnProcessor(cluster, topics, {
            ...env,
            SIPFLOW_TEST_FAULT: `kill-after-outputs:${batches}`,
          });
          const exit = await Promise.race([processor.exited, sleep(120_000).then(() => undefined)]);
          expect(exit?.signal, `instance ${kill} did not reach its fault point:\n${processor.output()}`).toBe(
            'SIGKILL',
          );
          kills.push(`kill ${kill} on batch ${batches} at ${load.stats().produced} events`);
        }
        processor = spawnProcessor(cluster, topics, env);
        await sleep(3000);
        const loadStats = await load.stop();
        await waitCaughtUp(cluster, topics, 180_000, () => processor!.output());
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
        expect(result.capViolations, JSON.stringify(result.report.capViolationRecords.slice(0, 5))).toBe(0);
        // the simulated leads come back within minutes: Florida's and the others' caps must have bitten
        expect(result.cappedRetries).toBeGreaterThan(0);
        // the simulated leads come back within minutes: Florida's and the others' caps must have bitten
        expect(result.cappedRetries).toBeGreaterThan(0);
        // the kill lands after the outputs and before the commit: at-least-once must repeat them
        // (else the fault point is not where it claims to be), exactly-once must not
        if (guarantee === 'exactly_once') expect(result.duplicated).toBe(0);
        else expect(result.duplicated).toBeGreaterThan(0);
        expect(result.failures).toEqual([]);
      } finally {
        await load.stop();
      }
    });
  },
);
