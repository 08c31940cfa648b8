import { frame, readSchema, registerSchema, type CallAttempt, type RegisteredType } from '@sipflow/codec';
import { createRegistry } from '@sipflow/kafka';
import type { RunningProcessor } from '@sipflow/processor';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt } from '../support/attempts';
import {
  createTestTopics,
  deleteTopics,
  header,
  readTopic,
  startInProcess,
  testConnection,
  rawTopicWriter,
} from '../support/processor-harness';
import { type Topics } from '@sipflow/pipeline';

/** One event per route, named so a failure says which. */
const cases = {
  connected: attempt({ sipCode: 200 }),
  busy: attempt({ sipCode: 486, sipReason: 'Busy Here', q850Cause: 17 }),
  congestion: attempt({ sipCode: 486, sipReason: 'Busy Here', q850Cause: 34 }),
  invalidNumber: attempt({ sipCode: 404, sipReason: 'Not Found', q850Cause: 1 }),
  blocked: attempt({ sipCode: 403, sipReason: 'Forbidden', q850Cause: 21 }),
  callerIdFlagged: attempt({ sipCode: 608, sipReason: 'Rejected', q850Cause: null }),
  failedRetryAfter: attempt({
    sipCode: 503,
    sipReason: 'Service Unavailable',
    q850Cause: 38,
    retryAfterSeconds: 600,
  }),
  cancelled: attempt({ sipCode: 487, sipReason: 'Request Terminated', q850Cause: null }),
};

describe('sipflow process: routing, DLQ and schema evolution against a real broker', () => {
  let topics: Topics;
  let processor: RunningProcessor;
  let producer: Producer;
  let input: RegisteredType<CallAttempt>;
  const registry = createRegistry(testConnection());

  beforeAll(async () => {
    topics = await createTestTopics('routing');
    ({ input, producer } = await rawTopicWriter(registry, topics));
    processor = await startInProcess(topics, { MAX_RECORD_BYTES: '4096' });
  });
  afterAll(async () => {
    await processor?.stop();
    await producer?.disconnect();
    await deleteTopics(topics);
  });

  it('sends every event to the enriched topic and each action to its own topic, keyed by lead', async () => {
    await producer.send({
      topic: topics.input,
      messages: Object.values(cases).map((a, i) => ({
        key: a.leadId,
        value: input.encode(a),
        headers: i === 0 ? { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } : {},
      })),
    });
    const decode = async (m: { value: Buffer | null }) =>
      (await registry.decode(m.value!)) as Record<string, unknown>;

    const enriched = await readTopic(topics.enriched, Object.keys(cases).length);
    expect(enriched).toHaveLength(Object.keys(cases).length);
    const byEvent = new Map<string, Record<string, unknown>>();
    for (const m of enriched) {
      const value = await decode(m);
      byEvent.set(value.eventId as string, value);
      expect(m.key?.toString()).toBe(value.leadId);
      expect(header(m, 'sipflow-event-id')).toBe(value.eventId);
      expect(header(m, 'sipflow-source-topic')).toBe(topics.input);
      expect(Number(header(m, 'sipflow-source-partition'))).toBeGreaterThanOrEqual(0);
      expect(header(m, 'sipflow-source-offset')).toMatch(/^\d+$/);
    }
    const outcome = (a: CallAttempt) => {
      const v = byEvent.get(a.eventId)!;
      return `${v.disposition} ${v.action}`;
    };
    expect(outcome(cases.connected)).toBe('CONNECTED NONE');
    expect(outcome(cases.busy)).toBe('BUSY RETRY');
    expect(outcome(cases.congestion)).toBe('CONGESTION RETRY');
    expect(outcome(cases.invalidNumber)).toBe('INVALID_NUMBER REMOVE_LEAD');
    expect(outcome(cases.blocked)).toBe('BLOCKED COMPLIANCE_ALERT');
    expect(outcome(cases.callerIdFlagged)).toBe('CALLER_ID_FLAGGED COMPLIANCE_ALERT');
    expect(outcome(cases.failedRetryAfter)).toBe('FAILED RETRY');
    expect(outcome(cases.cancelled)).toBe('CANCELLED NONE');
    const traced = enriched.find((m) => header(m, 'sipflow-event-id') === cases.connected.eventId)!;
    expect(header(traced, 'traceparent')).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');

    const retry = await Promise.all((await readTopic(topics.retry, 3)).map(decode));
    expect(retry.map((r) => r.eventId).sort()).toEqual(
      [cases.busy.eventId, cases.congestion.eventId, cases.failedRetryAfter.eventId].sort(),
    );
    const honoured = retry.find((r) => r.eventId === cases.failedRetryAfter.eventId)!;
    expect(honoured.retryAt as number).toBeGreaterThanOrEqual(cases.failedRetryAfter.endedAt + 600_000);
    expect(honoured.nextAttemptNumber).toBe(2);

    const removal = await Promise.all((await readTopic(topics.removal, 1)).map(decode));
    expect(removal.map((r) => r.eventId)).toEqual([cases.invalidNumber.eventId]);

    const compliance = await Promise.all((await readTopic(topics.compliance, 2)).map(decode));
    expect(compliance.map((r) => r.eventId).sort()).toEqual(
      [cases.blocked.eventId, cases.callerIdFlagged.eventId].sort(),
    );
  });

  it('routes each kind of bad record to the DLQ with its reason and the original bytes, and goes on', async () => {
    const body = input.type.toBuffer(attempt());
    const bad: Record<string, Buffer> = {
      SIPFLOW_DECODE_MAGIC_BYTE: Buffer.from('{"sipCode": 486}'),
      SIPFLOW_DECODE_UNKNOWN_SCHEMA: frame(1_999_999_999, body),
      SIPFLOW_DECODE_CORRUPT_AVRO: frame(input.id, body.subarray(0, body.length - 7)),
      SIPFLOW_INVALID_SIP_CODE: input.encode(attempt({ sipCode: 42 })),
      SIPFLOW_INVALID_PHONE_NUMBER: input.encode(attempt({ phoneNumber: '4155550123' })),
      SIPFLOW_INVALID_TIMESTAMPS: input.encode(
        attempt({ endedAt: Date.UTC(2026, 0, 1), startedAt: Date.UTC(2026, 0, 2) }),
      ),
      SIPFLOW_OVERSIZE_RECORD: Buffer.concat([Buffer.from([0]), Buffer.alloc(5000, 1)]),
    };
    const good = attempt({ sipCode: 480, sipReason: 'Temporarily Unavailable' });
    await producer.send({
      topic: topics.input,
      messages: [
        ...Object.entries(bad).map(([code, value]) => ({ key: `poison-${code}`, value })),
        { key: good.leadId, value: input.encode(good) },
      ],
    });

    const dlq = await readTopic(topics.dlq, Object.keys(bad).length);
    expect(dlq).toHaveLength(Object.keys(bad).length);
    for (const m of dlq) {
      const code = header(m, 'sipflow-error-code')!;
      expect(m.key?.toString()).toBe(`poison-${code}`);
      expect(Buffer.compare(m.value!, bad[code]!), `${code}: original bytes kept`).toBe(0);
      expect(header(m, 'sipflow-error-message')!.length).toBeGreaterThan(10);
      expect(header(m, 'sipflow-source-topic')).toBe(topics.input);
      expect(header(m, 'sipflow-source-offset')).toMatch(/^\d+$/);
      expect(header(m, 'sipflow-source-timestamp')).toMatch(/^\d+$/);
    }
    // the good record behind the poison ones still went through
    const enriched = await readTopic(topics.enriched, Object.keys(cases).length + 1);
    expect(enriched.map((m) => header(m, 'sipflow-event-id'))).toContain(good.eventId);
  });

  it('reads a newer producer schema (v2 adds an optional field) without a restart', async () => {
    const v2Schema = readSchema('call-attempt.avsc') as { fields: object[] };
    const v2 = await registerSchema<CallAttempt & { dialerVersion: string | null }>(
      registry,
      `${topics.input}-value`,
      {
        ...v2Schema,
        fields: [
          ...v2Schema.fields,
          { name: 'dialerVersion', type: ['null', 'string'], default: null, doc: 'v2 field' },
        ],
      },
    );
    expect(v2.id).not.toBe(input.id);
    const event = attempt({ sipCode: 486, q850Cause: 17 });
    await producer.send({
      topic: topics.input,
      messages: [{ key: event.leadId, value: v2.encode({ ...event, dialerVersion: '7.1' }) }],
    });

    const enriched = await readTopic(topics.enriched, Object.keys(cases).length + 2);
    const record = enriched.find((m) => header(m, 'sipflow-event-id') === event.eventId);
    expect(record, 'v2 record processed').toBeDefined();
    const value = (await registry.decode(record!.value!)) as Record<string, unknown>;
    expect(value.disposition).toBe('BUSY');
    expect(value).not.toHaveProperty('dialerVersion'); // read through our reader schema
  });
});
