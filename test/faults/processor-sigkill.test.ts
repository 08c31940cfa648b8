import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { onSharedCluster } from './support/cluster';
import { startLoad } from './support/load';
import { auditRun, spawnProcessor, waitCaughtUp, type ProcessorChild } from './support/processes';

const KILLS = 5;
const RATE = 300;

/** Partitions restored from a local snapshot, over the processors' logs ('per-number state restored'). */
function restoredFromSnapshot(logFile: string): number {
  let n = 0;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('per-number state restored')) continue;
    try {
      n += ((JSON.parse(line) as { fromSnapshot?: number[] }).fromSnapshot ?? []).length;
    } catch {
      // not a log line of ours
    }
  }
  return n;
}

/**
 * The processor killed with SIGKILL five times under continuous load, restarted each time. Each
 * instance kills itself (SIPFLOW_TEST_FAULT) on a random batch, after that batch's outputs were
 * acknowledged and before its offset was committed: the one moment at which the two guarantees
 * must differ. At-least-once loses nothing and repeats outputs; exactly-once loses nothing and
 * read_committed readers see no duplicate. The per-number state keeps local snapshots (STATE_DIR)
 * through the kills: a kill costs a longer changelog tail, never a wrong state.
 */
describe.each(['at_least_once', 'exactly_once'] as const)(
  'processor SIGKILLed between produce and commit, under load (%s)',
  (guarantee) => {
    const { cluster, freshTopics } = onSharedCluster();

    it(`${KILLS} kills: 0 lost, ${guarantee === 'exactly_once' ? '0 duplicated' : 'duplicates repeated'}`, async () => {
      const topics = await freshTopics(`kill-${guarantee.replaceAll('_', '')}`);
      // a snapshot every second, so the kills land before, during and after writes
      const stateDir = mkdtempSync(join(tmpdir(), 'sipflow-faults-state-'));
      // every instance's whole log, at info: the restores say whether they began from a snapshot
      const logFile = `${stateDir}.log`;
      const env = {
        PROCESSING_GUARANTEE: guarantee,
        TRANSACTIONAL_ID: `${topics.input}-tx`,
        SHUTDOWN_TIMEOUT_SECONDS: '20',
        STATE_DIR: stateDir,
        STATE_SNAPSHOT_INTERVAL_SECONDS: '1',
        LOG_LEVEL: 'info',
      };
      const load = await startLoad(cluster, topics.input, { rate: RATE, poisonRatio: 0.01, seed: 11 });
      const kills: string[] = [];
      let processor: ProcessorChild | undefined;
      try {
        for (let kill = 1; kill <= KILLS; kill++) {
          const batches = 5 + Math.floor(Math.random() * 40);
          processor = spawnProcessor(
            cluster,
            topics,
            { ...env, SIPFLOW_TEST_FAULT: `kill-after-outputs:${batches}` },
            { logFile },
          );
          const exit = await Promise.race([processor.exited, sleep(120_000).then(() => undefined)]);
          expect(exit?.signal, `instance ${kill} did not reach its fault point:\n${processor.output()}`).toBe(
            'SIGKILL',
          );
          kills.push(`kill ${kill} on batch ${batches} at ${load.stats().produced} events`);
        }
        processor = spawnProcessor(cluster, topics, env, { logFile });
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
        // and the restarts went on from local snapshots written by killed instances (a snapshot
        // that held less than its offset claims would show above as a retry beyond a cap)
        expect(restoredFromSnapshot(logFile), processor.output()).toBeGreaterThan(0);
        // the kill lands after the outputs and before the commit: at-least-once must repeat them
        // (else the fault point is not where it claims to be), exactly-once must not
        if (guarantee === 'exactly_once') expect(result.duplicated).toBe(0);
        else expect(result.duplicated).toBeGreaterThan(0);
        expect(result.failures).toEqual([]);
      } finally {
        await load.stop();
        rmSync(stateDir, { recursive: true, force: true });
        rmSync(logFile, { force: true });
      }
    });
  },
);
