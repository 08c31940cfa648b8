import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { onSharedCluster } from './support/cluster';
import { startLoad } from './support/load';
import { auditRun, spawnProcessor, waitCaughtUp } from './support/processes';

const RATE = 300;

/** The numbers each `per-number state restored` line of a processor's whole log reports. */
function restores(logFile: string): number[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('per-number state restored'))
    .map((l) => (JSON.parse(l) as { numbers: number }).numbers);
}

/**
 * The per-number state moving between two instances under load, exactly-once: a second instance
 * joins (the rebalance moves partitions, and their state, to it), then the first is SIGKILLed (the
 * second takes every partition and restores what the first held from the changelog, its memory
 * gone with it). The audit then checks every retry against the caps, from the raw topic.
 */
describe('per-number state across a rebalance and a SIGKILL (exactly_once)', () => {
  const { cluster, freshTopics } = onSharedCluster();

  it('restores moved partitions from the changelog: 0 lost, 0 duplicated, 0 cap violations', async () => {
    const topics = await freshTopics('state-move');
    const env = (name: string) => ({
      PROCESSING_GUARANTEE: 'exactly_once',
      TRANSACTIONAL_ID: `${topics.input}-tx-${name}`,
      LOG_LEVEL: 'info',
    });
    // whole logs, not the child's last lines: the restore lines come early
    const logs = mkdtempSync(join(tmpdir(), 'sipflow-state-move-'));
    const log = (name: string) =>
      process.env[`SIPFLOW_FAULTS_LOG_${name.toUpperCase()}`] ?? join(logs, `${name}.log`);
    const load = await startLoad(cluster, topics.input, { rate: RATE, poisonRatio: 0.01, seed: 23 });
    try {
      const first = spawnProcessor(cluster, topics, env('a'), { logFile: log('a') });
      await sleep(10_000);
      const second = spawnProcessor(cluster, topics, env('b'), { logFile: log('b') });
      await sleep(10_000);
      first.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      await sleep(8000);
      await load.stop();
      await waitCaughtUp(cluster, topics, 180_000, () => second.output());
      second.kill('SIGTERM');
      expect((await second.exited).code, second.output()).toBe(0);

      // the first restored its partitions (empty at first); the second restored on joining and
      // again once the first was gone, then with the numbers the first had written
      expect(restores(log('a')).length, first.output()).toBeGreaterThan(0);
      const afterKill = restores(log('b'));
      expect(afterKill.length, second.output()).toBeGreaterThanOrEqual(2);
      expect(afterKill.at(-1)!, second.output()).toBeGreaterThan(0);

      const result = await auditRun('state across a rebalance and SIGKILL (exactly_once)', cluster, topics, {
        exactlyOnce: true,
      });
      expect(result.report.incomplete).toBeUndefined();
      expect(result.lost, JSON.stringify(result.report.lostRecords.slice(0, 5))).toBe(0);
      expect(result.duplicated).toBe(0);
      expect(result.capViolations, JSON.stringify(result.report.capViolationRecords.slice(0, 5))).toBe(0);
      expect(result.cappedRetries).toBeGreaterThan(0);
      expect(result.failures).toEqual([]);
    } finally {
      await load.stop();
      rmSync(logs, { recursive: true, force: true });
    }
  });
});
