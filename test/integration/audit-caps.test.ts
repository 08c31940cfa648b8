import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { auditFailures, runAudit } from '@sipflow/audit';
import { AvroDecoder, readSchema, registerSchema, type CallAttempt } from '@sipflow/codec';
import { createKafka, createRegistry } from '@sipflow/kafka';
import {
  inputReaderType,
  mapState,
  processBatch,
  registerOutputEncoders,
  type PipelineDeps,
  type Topics,
} from '@sipflow/pipeline';
import { defaultRules } from '@sipflow/rules';
import type { KafkaMessage, TopicMessages } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt } from '../support/attempts';
import { createTestTopics, deleteTopics, testConnection, testEnv } from '../support/processor-harness';

const HOUR = 3_600_000;
const FIRST = Date.parse('2026-06-10T14:00:00Z'); // 10:00 in Florida: inside its calling window

/** Three busy calls an hour apart to one Florida number (at most 3 calls per 24 h), one lead each. */
const floridaCalls = (phoneNumber: string): CallAttempt[] =>
  [0, 1, 2].map((i) =>
    attempt({
      phoneNumber,
      sipCode: 486,
      sipReason: 'Busy Here',
      q850Cause: 17,
      attemptNumber: i + 1,
      leadTimezone: 'America/New_York',
      startedAt: FIRST + i * HOUR,
      endedAt: FIRST + i * HOUR + 30_000,
    }),
  );

describe('sipflow audit: retries beyond a frequency cap, against a real broker', () => {
  const conn = testConnection();
  let topics: Topics;
  // the calls of a number whose outputs were made with its history, and of one made without it
  const kept = floridaCalls('+13055550101');
  const forgotten = floridaCalls('+13055550102');

  beforeAll(async () => {
    topics = await createTestTopics('auditcaps');
    const kafka = createKafka(conn);
    const registry = createRegistry(conn);
    const input = await registerSchema<CallAttempt>(
      registry,
      `${topics.input}-value`,
      readSchema('call-attempt.avsc'),
    );
    const producer = kafka.producer();
    await producer.connect();
    try {
      const now = Date.now();
      const raw = (events: CallAttempt[]): KafkaMessage[] =>
        events.map((e, i) => ({
          key: Buffer.from(e.leadId),
          value: input.encode(e),
          timestamp: String(now),
          attributes: 0,
          offset: String(i),
          headers: {},
        }));
      const [keptRaw, forgottenRaw] = [raw(kept), raw(forgotten)];
      await producer.send({
        topic: topics.input,
        messages: [...keptRaw, ...forgottenRaw].map((m) => ({
          key: m.key,
          value: m.value,
          timestamp: m.timestamp,
        })),
      });
      // the outputs a processor writes: with each number's state, and as one that lost it
      const decoder = new AvroDecoder<CallAttempt>(registry, inputReaderType());
      await decoder.prepare([...keptRaw, ...forgottenRaw].map((m) => m.value));
      const deps: PipelineDeps = {
        decoder,
        rules: defaultRules(),
        encoders: await registerOutputEncoders(registry, topics),
        topics,
        maxRecordBytes: 1024 * 1024,
        replayId: null,
      };
      const source = { topic: topics.input, partition: 0 };
      const outputs: TopicMessages[] = [
        ...processBatch(source, keptRaw, { ...deps, state: mapState() }).topicMessages,
        ...processBatch(source, forgottenRaw, deps).topicMessages,
      ];
      await producer.sendBatch({ topicMessages: outputs });
    } finally {
      await producer.disconnect();
    }
  });

  afterAll(async () => {
    if (topics) await deleteTopics(topics);
  });

  it('reports the retry scheduled as a fourth call in 24 h, nothing else, and fails (exit 1)', async () => {
    const report = await runAudit({ connection: conn, topics, rules: defaultRules(), timeoutMs: 60_000 });
    expect(report).toMatchObject({
      inputs: 6,
      processed: 6,
      lost: 0,
      duplicated: 0,
      wrongRouting: 0,
      outOfOrder: 0,
      capViolations: 1,
    });
    expect(report.capViolationRecords).toEqual([
      expect.objectContaining({
        eventId: forgotten[2]!.eventId,
        phoneNumber: '+13055550102',
        cap: 'US-FL 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))',
        calls: 4,
        limit: 3,
      }),
    ]);
    expect(auditFailures(report)).toEqual(['1 retry(ies) beyond a frequency cap']);

    const cli = await promisify(execFile)(process.execPath, ['services/cli/bin/sipflow.mjs', 'audit'], {
      env: { ...process.env, ...testEnv(topics) },
      timeout: 90_000,
    }).then(
      () => {
        throw new Error('the audit passed');
      },
      (error: { code: number; stdout: string }) => error,
    );
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('0 orphans, 1 cap violations');
    expect(cli.stdout).toContain(`cap violation: ${forgotten[2]!.eventId} to +13055550102`);
    expect(cli.stdout).toContain('audit: FAILED: 1 retry(ies) beyond a frequency cap');
  });
});
