import { AvroDecoder, frame, type CallAttempt } from '@sipflow/codec';
import { SIPFLOW_ERROR_CODES } from '@sipflow/errors';
import {
  HEADER,
  offlineEncoders,
  prefixedTopics,
  processBatch,
  topicsFromEnv,
  type PipelineDeps,
} from '@sipflow/pipeline';
import { defaultRules } from '@sipflow/rules';
import { createAttemptGenerator } from '@sipflow/simulator';
import fc from 'fast-check';
import type { KafkaMessage } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
// the known schema id, the reader type, and a registry that knows only that id
import { readerType, registryStub, SCHEMA_ID } from '../../libs/pipeline/test/support/pipeline';

/**
 * Fuzzing the synchronous core of the processor (decode → classify → outputs → encode) with bad
 * and random input: no exception may escape, and every input record must end as outputs or as
 * exactly one dead letter carrying a SIPFLOW_* code.
 */

const MAX_RECORD_BYTES = 4096;
const topics = prefixedTopics(topicsFromEnv({}), 'fuzz');

let deps: PipelineDeps;
beforeAll(async () => {
  const decoder = new AvroDecoder<CallAttempt>(registryStub, readerType);
  await decoder.prepare([frame(SCHEMA_ID, Buffer.alloc(1))]);
  deps = {
    decoder,
    rules: defaultRules(),
    encoders: offlineEncoders(topics),
    topics,
    maxRecordBytes: MAX_RECORD_BYTES,
    replayId: null,
  };
});

const generator = createAttemptGenerator({ seed: 42 });
const validEvents = Array.from({ length: 500 }, () => generator.next());
const validRecord = (i: number) => frame(SCHEMA_ID, readerType.toBuffer(validEvents[i % validEvents.length]));

const asMessages = (values: Array<Buffer | null>): KafkaMessage[] =>
  values.map((value, i) => ({
    key: Buffer.from(`k${i}`),
    value,
    offset: String(i),
    timestamp: '0',
    attributes: 0,
    headers: {},
  }));

/** Runs the pipeline and checks the accounting: one enriched record or one dead letter per input. */
function runAndAccount(values: Array<Buffer | null>) {
  const result = processBatch({ topic: topics.input, partition: 0 }, asMessages(values), deps);
  const byTopic = new Map(result.topicMessages.map((t) => [t.topic, t.messages]));
  const enriched = byTopic.get(topics.enriched) ?? [];
  const dead = byTopic.get(topics.dlq) ?? [];
  const sourceOf = (m: { headers?: Record<string, unknown> }) => String(m.headers?.[HEADER.sourceOffset]);
  const accounted = [...enriched, ...dead].map(sourceOf).sort((a, b) => Number(a) - Number(b));
  expect(accounted).toEqual(values.map((_, i) => String(i)));
  for (const d of dead) {
    const code = String(d.headers?.[HEADER.errorCode]);
    expect(SIPFLOW_ERROR_CODES).toContain(code);
    expect(code).not.toBe('SIPFLOW_INTERNAL_ERROR');
    expect(String(d.headers?.[HEADER.errorMessage]).length).toBeGreaterThan(0);
  }
  for (const topic of [topics.retry, topics.removal, topics.compliance]) {
    for (const m of byTopic.get(topic) ?? []) {
      expect(enriched.map(sourceOf)).toContain(sourceOf(m));
    }
  }
  // the per-record results say the same as the records on the topics, in input order
  expect(result.records.map((r) => r.offset)).toEqual(values.map((_, i) => String(i)));
  expect(result.records.filter((r) => r.outcome.kind === 'dead-letter')).toHaveLength(dead.length);
  return { enriched, dead, result };
}

const RUNS = { numRuns: 300 };

describe('processBatch under fuzzed input', () => {
  it('random bytes (and null values) all end in the DLQ, none escapes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.uint8Array({ maxLength: 300 }), { nil: null }), { maxLength: 20 }),
        (arrays) => {
          const values = arrays.map((a) => (a === null ? null : Buffer.from(a)));
          runAndAccount(values);
        },
      ),
      RUNS,
    );
  });

  it('Confluent-framed random bodies under the known and unknown ids', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom(SCHEMA_ID, 0, 1, -1, 2 ** 31 - 1), fc.uint8Array({ maxLength: 200 })),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        (records) => {
          runAndAccount(records.map(([id, body]) => frame(id, Buffer.from(body))));
        },
      ),
      RUNS,
    );
  });

  it('valid records truncated, extended, or oversized go to the DLQ with the matching code', () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom('truncate', 'extend', 'oversize'), fc.nat(), (pick, how, n) => {
        const valid = validRecord(pick);
        const value =
          how === 'truncate'
            ? valid.subarray(0, n % valid.length)
            : how === 'extend'
              ? Buffer.concat([valid, Buffer.alloc(1 + (n % 64), n % 256)])
              : Buffer.concat([valid, Buffer.alloc(MAX_RECORD_BYTES)]);
        const { dead } = runAndAccount([value]);
        expect(dead).toHaveLength(1);
        const code = String(dead[0]!.headers?.[HEADER.errorCode]);
        if (how === 'oversize') expect(code).toBe('SIPFLOW_OVERSIZE_RECORD');
        else if (how === 'extend') expect(code).toBe('SIPFLOW_DECODE_CORRUPT_AVRO');
        else expect(code).toMatch(/^SIPFLOW_DECODE_/);
      }),
      RUNS,
    );
  });

  it('bit-flipped valid records: outputs or one dead letter, never an exception', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.array(fc.nat(), { minLength: 1, maxLength: 4 })), {
          minLength: 1,
          maxLength: 20,
        }),
        (flips) => {
          const values = flips.map(([pick, bits]) => {
            const value = Buffer.from(validRecord(pick));
            for (const bit of bits) {
              const at = bit % (value.length * 8);
              value[at >> 3]! ^= 1 << (at & 7);
            }
            return value;
          });
          runAndAccount(values);
        },
      ),
      RUNS,
    );
  });

  it('random field values: classified into outputs, or dead-lettered as invalid input', () => {
    const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    const millis = fc.integer({ min: -8.64e15, max: 8.64e15 });
    const event = fc.record({
      eventId: fc.oneof(fc.uuid(), fc.string()),
      leadId: fc.string(),
      campaignId: fc.oneof(fc.constant('spring-promo'), fc.string()),
      phoneNumber: fc.oneof(fc.constantFrom('+14155550123', '+442079460000'), fc.string()),
      callerId: fc.option(fc.string(), { nil: null }),
      sipCode: fc.oneof(fc.integer({ min: 100, max: 699 }), int32),
      sipReason: fc.option(fc.string(), { nil: null }),
      q850Cause: fc.option(fc.oneof(fc.integer({ min: 0, max: 127 }), int32), { nil: null }),
      retryAfterSeconds: fc.option(int32, { nil: null }),
      attemptNumber: int32,
      startedAt: millis,
      endedAt: millis,
      leadTimezone: fc.option(fc.oneof(fc.constantFrom('America/Chicago', 'Europe/Paris'), fc.string()), {
        nil: null,
      }),
      carrier: fc.option(fc.string(), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 20 }), (events) => {
        const { enriched, dead } = runAndAccount(events.map((e) => frame(SCHEMA_ID, readerType.toBuffer(e))));
        expect(enriched.length + dead.length).toBe(events.length);
      }),
      { numRuns: 500 },
    );
  });

  it('the simulator’s valid events all produce outputs', () => {
    const { enriched, dead } = runAndAccount(validEvents.map((_, i) => validRecord(i)));
    expect(dead).toEqual([]);
    expect(enriched).toHaveLength(validEvents.length);
  });
});
