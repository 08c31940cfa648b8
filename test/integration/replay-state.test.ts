import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSchema, registerSchema, type CallAttempt } from '@sipflow/codec';
import { createKafka, createRegistry } from '@sipflow/kafka';
import { runReplay } from '@sipflow/replay';
import { classify, defaultRules } from '@sipflow/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt } from '../support/attempts';
import { uniqueName } from '../support/cluster';
import { createTestTopics, deleteTopics, readTopic, testConnection } from '../support/processor-harness';
import type { Topics } from '@sipflow/pipeline';

const HOUR = 3_600_000;
const FIRST = Date.parse('2026-06-10T14:00:00Z'); // 10:00 in Florida: inside its calling window
// record times: three calls in the hours before the window, the fourth just inside it
const WINDOW_FROM = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
const FLORIDA = '+13055550123'; // at most 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))

const calls: Array<{ attempt: CallAttempt; timestamp: number }> = [0, 1, 2, 3].map((i) => ({
  attempt: attempt({
    phoneNumber: FLORIDA,
    sipCode: 486,
    sipReason: 'Busy Here',
    q850Cause: 17,
    attemptNumber: 1,
    leadTimezone: 'America/New_York',
    startedAt: FIRST + i * HOUR,
    endedAt: FIRST + i * HOUR + 30_000,
  }),
  timestamp: WINDOW_FROM + (i - 3) * HOUR + 60_000,
}));

describe('sipflow replay: the per-number state is rebuilt from the raw topic before the window', () => {
  const conn = testConnection();
  let topics: Topics;
  const checkpoints = mkdtempSync(join(tmpdir(), 'sipflow-replay-state-'));

  beforeAll(async () => {
    topics = await createTestTopics('replaystate');
    const registry = createRegistry(conn);
    const input = await registerSchema<CallAttempt>(
      registry,
      `${topics.input}-value`,
      readSchema('call-attempt.avsc'),
    );
    const producer = createKafka(conn).producer();
    await producer.connect();
    // each call from its own lead, so on whichever partitions the keys send them
    await producer.send({
      topic: topics.input,
      messages: calls.map((c) => ({
        key: c.attempt.leadId,
        value: input.encode(c.attempt),
        timestamp: String(c.timestamp),
      })),
    });
    await producer.disconnect();
  });

  afterAll(async () => {
    if (topics) await deleteTopics(topics);
    rmSync(checkpoints, { recursive: true, force: true });
  });

  it("the window's call gets its retry moved by the cap the three calls before the window fill", async () => {
    const fourth = calls[3]!.attempt;
    // classified alone, the retry would come within minutes: what a replay without state would do
    const alone = classify(fourth, defaultRules());
    expect(alone.retryMovedBy).toBeNull();
    expect(alone.retryAt!).toBeLessThan(FIRST + 4 * HOUR);

    const summary = await runReplay({
      connection: conn,
      topics,
      replayId: uniqueName('state'),
      from: WINDOW_FROM,
      target: 'live',
      maxRecordBytes: 1024 * 1024,
      checkpointDir: checkpoints,
    });
    expect(summary.counts).toMatchObject({ scanned: 1, replayed: 1 });
    expect(summary.state).toEqual({
      calls: 3,
      numbers: 1,
      // twice the 24 h cap period: as far back as the processor's state keeps a number's calls
      from: WINDOW_FROM - 48 * HOUR,
      to: WINDOW_FROM,
      windowMs: 48 * HOUR,
    });

    const [retry] = await readTopic(topics.retry, 1);
    const value = (await createRegistry(conn).decode(retry!.value!)) as { eventId: string; retryAt: number };
    expect(value.eventId).toBe(fourth.eventId);
    // four calls from 14:00 to 17:00: the retry may only be a third call in any 24 h, so it waits
    // until the 14:00 and 15:00 calls have left the period, at 15:00 the next day
    expect(Number(value.retryAt)).toBe(FIRST + 25 * HOUR);

    // and the dry run sees the same state
    const dry = await runReplay({
      connection: conn,
      topics,
      from: WINDOW_FROM,
      dryRun: true,
      maxRecordBytes: 1024 * 1024,
      checkpointDir: checkpoints,
    });
    expect(dry.state).toMatchObject({ calls: 3, numbers: 1 });
  });
});
