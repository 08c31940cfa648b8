import { setTimeout as sleep } from 'node:timers/promises';
import { readSchema, registerSchema, type CallAttempt } from '@sipflow/codec';
import { createRegistry } from '@sipflow/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaultTopics, startOwnStack, type OwnStack } from './support/cluster';
import { startLoad } from './support/load';
import {
  auditRun,
  groupProgress,
  killAllProcessors,
  spawnProcessor,
  waitCaughtUp,
} from './support/processes';

/** The raw topic's schema plus one optional field: BACKWARD compatible, and a schema id the processor has not seen. */
function evolvedCallAttemptSchema(): object {
  const schema = readSchema('call-attempt.avsc') as { fields: object[] };
  return {
    ...schema,
    fields: [...schema.fields, { name: 'faultTestNote', type: ['null', 'string'], default: null }],
  };
}

const stage = (what: string) => process.stderr.write(`[faults] broker restart: ${what}\n`);

/**
 * Tests that stop the schema registry or restart the broker run on their own stack (own ports,
 * state and small heaps), never on the shared one.
 */
describe('own stack: registry outage and broker restart under load', () => {
  let stack: OwnStack;

  beforeAll(async () => {
    stack = await startOwnStack();
  }, 240_000);

  afterAll(async () => {
    await killAllProcessors();
    await stack?.destroy();
  }, 120_000);

  it('the schema registry stopped for 30 s, then started: batches needing a new schema wait, 0 lost', async () => {
    const topics = await createFaultTopics(stack, 'registry');
    const load = await startLoad(stack, topics.input, { rate: 200, poisonRatio: 0.01, seed: 41 });
    const processor = spawnProcessor(stack, topics);
    try {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && (await groupProgress(stack, topics)).committed === 0) await sleep(250);
      await sleep(3000);
      // a writer schema the processor has never fetched: what it reads during the outage needs the registry
      const evolved = await registerSchema<CallAttempt>(
        createRegistry(stack.connection),
        `${topics.input}-value`,
        evolvedCallAttemptSchema(),
      );
      await stack.stop('registry');
      const stoppedAt = Date.now();
      load.useSchema(evolved);
      await sleep(30_000 - (Date.now() - stoppedAt));
      expect(processor.exitCode, processor.output()).toBeNull();
      await stack.start();
      await sleep(5000);
      await load.stop();
      await waitCaughtUp(stack, topics, 120_000, () => processor.output());
      expect(processor.output()).toContain('schema registry unavailable; batch waits');
      processor.kill('SIGTERM');
      expect((await processor.exited).code, processor.output()).toBe(0);

      const result = await auditRun('registry stopped 30 s', stack, topics);
      expect(result.failures).toEqual([]);
      expect(result.lost).toBe(0);
      expect(result.capViolations, JSON.stringify(result.report.capViolationRecords.slice(0, 5))).toBe(0);
      expect(result.report.dlqByCode.SIPFLOW_DECODE_UNKNOWN_SCHEMA ?? 0).toBeLessThanOrEqual(
        load.stats().poison,
      );
    } finally {
      await load.stop();
    }
  });

  it('the broker restarted mid-stream: the processor recovers by itself, 0 lost', async () => {
    const topics = await createFaultTopics(stack, 'broker');
    const load = await startLoad(stack, topics.input, { rate: 200, poisonRatio: 0.01, seed: 51 });
    const processor = spawnProcessor(stack, topics);
    try {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && (await groupProgress(stack, topics)).committed === 0) await sleep(250);
      await sleep(5000);
      await stack.stop('kafka');
      await sleep(5000);
      await stack.start();
      await sleep(10_000);
      const produced = load.stats().produced;
      await sleep(5000);
      expect(load.stats().produced, 'the load resumed after the restart').toBeGreaterThan(produced);
      const loadStats = await load.stop();
      stage('load stopped; waiting for the processor to catch up');
      await waitCaughtUp(stack, topics, 150_000, () => processor.output());
      expect(processor.exitCode, processor.output()).toBeNull();
      stage('caught up; SIGTERM');
      processor.kill('SIGTERM');
      const exit = await Promise.race([processor.exited, sleep(45_000).then(() => 'still running' as const)]);
      expect(exit, processor.output()).not.toBe('still running');
      expect(exit !== 'still running' && exit.code, processor.output()).toBe(0);

      const result = await auditRun('broker restarted', stack, topics);
      stage(
        `${loadStats.failedSends} load sends retried, ${loadStats.resent} records sent again after a send left them out`,
      );
      expect(result.failures).toEqual([]);
      expect(result.lost).toBe(0);
      expect(result.capViolations, JSON.stringify(result.report.capViolationRecords.slice(0, 5))).toBe(0);
      expect(result.events).toBeGreaterThanOrEqual(loadStats.produced);
    } finally {
      await load.stop();
    }
  });
});
