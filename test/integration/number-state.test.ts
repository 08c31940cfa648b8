import type { CallAttempt, RegisteredType } from '@sipflow/codec';
import { createKafka, createRegistry } from '@sipflow/kafka';
import { stateTopicsOf, type Topics } from '@sipflow/pipeline';
import type { RunningProcessor } from '@sipflow/processor';
import type { Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt } from '../support/attempts';
import {
  createTestTopics,
  deleteTopics,
  readTopic,
  startInProcess,
  testConnection,
  testEnv,
  rawTopicWriter,
} from '../support/processor-harness';

// Four no-answers to one Florida number from two leads on two partitions, 09:00–12:00 EDT: the
// third is the third call in 24 h, so its retry (the fourth call) waits for the first call to be
// 24 h old, 09:00 EDT the next day (Fla. Stat. § 501.616(6)(b): at most 3 per 24 h).
const FL_PHONE = '+13055550142';
const at = (hourEdt: number) => Date.parse(`2026-06-10T${String(hourEdt + 4).padStart(2, '0')}:00:00Z`);
const call = (leadId: string, hourEdt: number) =>
  attempt({
    leadId,
    phoneNumber: FL_PHONE,
    leadRegion: 'US-FL',
    leadTimezone: 'America/New_York',
    sipCode: 480,
    sipReason: 'Temporarily Unavailable',
    q850Cause: null,
    startedAt: at(hourEdt),
    endedAt: at(hourEdt) + 30_000,
  });
const FL_CAP = 'US-FL 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))';

describe.each([
  ['repartition', 'at_least_once', 'no snapshots'],
  ['repartition', 'exactly_once', 'no snapshots'],
  ['input', 'at_least_once', 'no snapshots'],
  ['repartition', 'exactly_once', 'snapshots'],
] as const)('per-number state (STATE_PARTITIONING=%s, %s, %s)', (mode, guarantee, snapshots) => {
  // with STATE_DIR, a clean stop leaves a snapshot per partition, and the restart reads it
  const stateDir = snapshots === 'snapshots' ? mkdtempSync(join(tmpdir(), 'sipflow-state-')) : undefined;
  const env = {
    STATE_PARTITIONING: mode,
    PROCESSING_GUARANTEE: guarantee,
    ...(stateDir ? { STATE_DIR: stateDir } : {}),
  };
  let topics: Topics;
  let processor: (RunningProcessor & { metrics: Registry }) | undefined;
  let producer: Producer;
  let input: RegisteredType<CallAttempt>;
  const registry = createRegistry(testConnection());
  const decode = async (m: { value: Buffer | null }) =>
    (await registry.decode(m.value!)) as Record<string, unknown>;
  const calls = [call('lead-a', 9), call('lead-b', 10), call('lead-a', 11), call('lead-b', 12)];
  // repartition: the leads' own partitions, 0 and 1; input: keyed by number, as that mode asks
  const send = (c: CallAttempt, partition: number) =>
    producer.send({
      topic: topics.input,
      messages: [
        mode === 'repartition'
          ? { key: c.leadId, value: input.encode(c), partition }
          : { key: c.phoneNumber, value: input.encode(c) },
      ],
    });
  const retryOf = async (count: number, eventId: string) => {
    const enriched = await Promise.all((await readTopic(topics.enriched, count)).map(decode));
    return enriched.find((v) => v.eventId === eventId)!;
  };

  beforeAll(async () => {
    topics = await createTestTopics(`state-${mode}-${guarantee.replaceAll('_', '')}`);
    ({ input, producer } = await rawTopicWriter(registry, topics));
    processor = await startInProcess(topics, env);
  });
  afterAll(async () => {
    await processor?.stop();
    await producer?.disconnect();
    const group = testEnv(topics).CONSUMER_GROUP!;
    const state = stateTopicsOf(topics.input, group);
    const admin = createKafka(testConnection()).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [state.changelog, state.repartition] }).catch(() => undefined);
    await admin.disconnect();
    await deleteTopics(topics);
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('counts calls from both leads: the third call in 24 h holds its retry to the next morning', async () => {
    // one at a time, each classified before the next is sent: the order the dialer placed them
    for (const [i, c] of calls.slice(0, 3).entries()) {
      await send(c, i % 2);
      await readTopic(topics.enriched, i + 1, { settleMs: 0 });
    }
    const first = await retryOf(3, calls[0]!.eventId);
    // 2 h after the call ended, plus the default rules' jitter (up to 10 % of the delay)
    expect(first).toMatchObject({ action: 'RETRY', retryMovedBy: null });
    expect(first.retryAt).toBeGreaterThanOrEqual(at(11) + 30_000);
    expect(first.retryAt).toBeLessThanOrEqual(at(11) + 30_000 + 720_000);
    const third = await retryOf(3, calls[2]!.eventId);
    expect(third, String(third.explanation)).toMatchObject({ action: 'RETRY', retryMovedBy: FL_CAP });
    // the first call (09:00 EDT) leaves the 24 h period at 09:00 EDT on 06-11
    expect(third.retryAt).toBe(at(9) + 24 * 3_600_000);
  });

  it('restores the count from the changelog in a new processor (the old one and its memory gone)', async () => {
    await processor!.stop();
    processor = undefined;
    const changelog = stateTopicsOf(topics.input, testEnv(topics).CONSUMER_GROUP!).changelog;
    if (stateDir)
      expect(readdirSync(join(stateDir, changelog)).sort()).toEqual([
        '0.snapshot',
        '1.snapshot',
        '2.snapshot',
      ]);
    processor = await startInProcess(topics, env);
    await send(calls[3]!, 1);
    const fourth = await retryOf(4, calls[3]!.eventId);
    expect(fourth, String(fourth.explanation)).toMatchObject({ action: 'RETRY', retryMovedBy: FL_CAP });
    // calls at 10, 11, 12 and the retry: the 10:00 call must have left the period, 10:00 EDT next day
    expect(fourth.retryAt).toBe(at(10) + 24 * 3_600_000);
    const restored = async (name: string) =>
      (await processor!.metrics.getSingleMetric(name)!.get()).values[0]!.value;
    // the numbers came back; with snapshots, without reading a changelog record (nothing after them)
    expect(await restored('sipflow_state_restored_numbers_total')).toBeGreaterThan(0);
    if (stateDir) expect(await restored('sipflow_state_restored_records_total')).toBe(0);
    else expect(await restored('sipflow_state_restored_records_total')).toBeGreaterThan(0);
    // and the work is done: nothing left unread on the input or its repartition copy
    await expect
      .poll(async () => [...(await processor!.lag()).values()].reduce((a, b) => a + b, 0), {
        timeout: 20_000,
        interval: 500,
      })
      .toBe(0);
  });
});
