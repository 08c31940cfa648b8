import { frame } from '@sipflow/codec';
import { describe, expect, it } from 'vitest';
import {
  classified,
  deadLettered,
  FILTERED,
  formatOutcome,
  HEADER,
  processBatch,
  tallyBatch,
  type PipelineDeps,
} from '../src/index';
import { attempt, encoded, messages, pipelineDeps, topics } from './support/pipeline';

const source = { topic: topics.input, partition: 2 };
const header = (m: { headers?: Record<string, unknown> }, name: string) => m.headers?.[name]?.toString();

/** One event per action of the default rules. */
const events = {
  connected: attempt({ eventId: 'e-200', leadId: 'lead-a', sipCode: 200 }),
  busy: attempt({ eventId: 'e-486', leadId: 'lead-b', sipCode: 486 }),
  invalid: attempt({ eventId: 'e-404', leadId: 'lead-c', sipCode: 404 }),
  blocked: attempt({ eventId: 'e-403', leadId: 'lead-d', sipCode: 403 }),
};

describe('processBatch: outputs per action', () => {
  it('gives every event an enriched record, and the record kinds its action selects', async () => {
    const deps = await pipelineDeps();
    const list = Object.values(events);
    const result = processBatch(source, messages(list.map(encoded)), deps);

    expect(result.records.map((r) => r.outcome)).toEqual([
      classified('CONNECTED', 'NONE'),
      classified('BUSY', 'RETRY'),
      classified('INVALID_NUMBER', 'REMOVE_LEAD'),
      classified('BLOCKED', 'COMPLIANCE_ALERT'),
    ]);
    const byTopic = Object.fromEntries(result.topicMessages.map((t) => [t.topic, t.messages]));
    expect(Object.keys(byTopic)).toEqual([topics.enriched, topics.retry, topics.removal, topics.compliance]);
    expect(byTopic[topics.enriched]!.map((m) => m.key)).toEqual(['lead-a', 'lead-b', 'lead-c', 'lead-d']);
    expect(byTopic[topics.retry]!.map((m) => m.key)).toEqual(['lead-b']);
    expect(byTopic[topics.removal]!.map((m) => m.key)).toEqual(['lead-c']);
    expect(byTopic[topics.compliance]!.map((m) => m.key)).toEqual(['lead-d']);

    // the records decode with their kinds' schemas and carry the enrichment
    const enriched = deps.encoders.enriched.type.fromBuffer(
      (byTopic[topics.enriched]![1]!.value as Buffer).subarray(5),
    );
    expect(enriched).toMatchObject({
      eventId: 'e-486',
      disposition: 'BUSY',
      action: 'RETRY',
      replayId: null,
    });
    expect(enriched.retryAt).toBeGreaterThan(events.busy.endedAt);
    const retry = deps.encoders.retry.type.fromBuffer(
      (byTopic[topics.retry]![0]!.value as Buffer).subarray(5),
    );
    expect(retry).toMatchObject({ eventId: 'e-486', nextAttemptNumber: 2, retryAt: enriched.retryAt });
  });

  it('returns, per input record, its outputs in the order of its outcome', async () => {
    const result = processBatch(source, messages([encoded(events.invalid)]), await pipelineDeps());
    const [record] = result.records;
    expect(record?.outcome.kind).toBe('classified');
    if (record?.outcome.kind !== 'classified' || !('messages' in record)) throw new Error('not classified');
    expect(record.outcome.outputs).toEqual(['enriched', 'removal']);
    expect(record.messages).toHaveLength(2);
    expect(record.messages[1]).toBe(result.topicMessages[1]!.messages[0]);
    expect(record.event.eventId).toBe('e-404');
    expect(record.offset).toBe('100');
  });
});

describe('processBatch: headers', () => {
  it('say where each output came from, and pass the trace context through untouched', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const result = processBatch(
      source,
      messages([encoded(events.busy)], {
        traceparent: Buffer.from(traceparent),
        tracestate: 'k=v',
        other: 'x',
      }),
      await pipelineDeps(),
    );
    for (const { messages: out } of result.topicMessages) {
      const m = out[0]!;
      expect(header(m, HEADER.sourceTopic)).toBe(topics.input);
      expect(header(m, HEADER.sourcePartition)).toBe('2');
      expect(header(m, HEADER.sourceOffset)).toBe('100');
      expect(header(m, HEADER.eventId)).toBe('e-486');
      expect(header(m, HEADER.traceparent)).toBe(traceparent);
      expect(header(m, HEADER.tracestate)).toBe('k=v');
      expect(m.headers?.other).toBeUndefined();
      expect(m.headers?.[HEADER.replayId]).toBeUndefined();
    }
  });

  it('mark every output of a replay, in its header and its records', async () => {
    const deps = await pipelineDeps({ replayId: 'r-20261201-abc123' });
    const result = processBatch(source, messages([encoded(events.blocked), Buffer.from('junk')]), deps);
    for (const { messages: out } of result.topicMessages)
      for (const m of out) expect(header(m, HEADER.replayId)).toBe('r-20261201-abc123');
    const alert = deps.encoders.compliance.type.fromBuffer(
      (result.topicMessages[1]!.messages[0]!.value as Buffer).subarray(5),
    );
    expect(alert.replayId).toBe('r-20261201-abc123');
  });
});

describe('processBatch: dead letters', () => {
  const dlqOf = (deps: PipelineDeps, values: Array<Buffer | null>) => {
    const result = processBatch(source, messages(values, { traceparent: 'tp' }), deps);
    return { result, dead: result.topicMessages.find((t) => t.topic === topics.dlq)?.messages ?? [] };
  };

  it('keep the input bytes, key and headers, and say why, with the code, in headers', async () => {
    const junk = Buffer.from('not avro');
    const { result, dead } = dlqOf(await pipelineDeps(), [junk]);
    expect(result.records[0]!.outcome).toBe(deadLettered('SIPFLOW_DECODE_MAGIC_BYTE'));
    expect(dead).toHaveLength(1);
    expect(dead[0]!.value).toBe(junk);
    expect(dead[0]!.key?.toString()).toBe('key-0');
    expect(header(dead[0]!, 'traceparent')).toBe('tp');
    expect(header(dead[0]!, HEADER.errorCode)).toBe('SIPFLOW_DECODE_MAGIC_BYTE');
    expect(header(dead[0]!, HEADER.errorMessage)!.length).toBeGreaterThan(0);
    expect(header(dead[0]!, HEADER.sourceOffset)).toBe('100');
    expect(header(dead[0]!, HEADER.sourcePartition)).toBe('2');
    expect(header(dead[0]!, HEADER.sourceTimestamp)).toBe('1780000000000');
  });

  it('take oversize records without decoding them, unknown schema ids, and invalid events', async () => {
    const deps = await pipelineDeps({ maxRecordBytes: 64 });
    const big = Buffer.alloc(65);
    const { result } = dlqOf(deps, [big, frame(99, Buffer.alloc(4)), null]);
    expect(result.records.map((r) => r.outcome)).toEqual([
      deadLettered('SIPFLOW_OVERSIZE_RECORD'),
      deadLettered('SIPFLOW_DECODE_UNKNOWN_SCHEMA'),
      deadLettered('SIPFLOW_DECODE_MAGIC_BYTE'),
    ]);
    const invalid = encoded(attempt({ sipCode: 99 }));
    const second = dlqOf(await pipelineDeps(), [invalid]);
    expect(second.result.records[0]!.outcome).toBe(deadLettered('SIPFLOW_INVALID_SIP_CODE'));
    // the event decoded, so the result carries it
    expect(second.result.records[0]!.event?.sipCode).toBe(99);
  });

  it('leave no partial output when one of an event`s records cannot be encoded', async () => {
    const deps = await pipelineDeps();
    const failing = {
      ...deps.encoders,
      retry: {
        ...deps.encoders.retry,
        encode: () => {
          throw new RangeError('the retry schema refuses this record');
        },
      },
    };
    const { result, dead } = dlqOf({ ...deps, encoders: failing }, [
      encoded(events.busy),
      encoded(events.connected),
    ]);
    expect(result.records.map((r) => r.outcome)).toEqual([
      deadLettered('SIPFLOW_INTERNAL_ERROR'),
      classified('CONNECTED', 'NONE'),
    ]);
    expect(dead).toHaveLength(1);
    expect(header(dead[0]!, HEADER.errorMessage)).toBe('the retry schema refuses this record');
    const enriched = result.topicMessages.find((t) => t.topic === topics.enriched)!.messages;
    expect(enriched.map((m) => m.key)).toEqual(['lead-a']);
  });

  it('bound the error message header', async () => {
    const deps = await pipelineDeps();
    const { dead } = dlqOf(
      {
        ...deps,
        encoders: {
          ...deps.encoders,
          enriched: {
            ...deps.encoders.enriched,
            encode: () => {
              throw new Error('x'.repeat(5000));
            },
          },
        },
      },
      [encoded(events.connected)],
    );
    expect(header(dead[0]!, HEADER.errorMessage)!.length).toBe(1001);
  });
});

describe('processBatch: filters and tallies', () => {
  it('produces nothing for events the filter leaves out, nor for records it cannot judge', async () => {
    const deps = await pipelineDeps({ maxRecordBytes: 1000 });
    const result = processBatch(
      source,
      messages([encoded(events.busy), encoded(events.connected), Buffer.from('junk'), Buffer.alloc(1001)]),
      deps,
      { keep: (e) => e.sipCode === 486 },
    );
    expect(result.records.map((r) => r.outcome)).toEqual([
      classified('BUSY', 'RETRY'),
      FILTERED,
      FILTERED,
      FILTERED,
    ]);
    expect(result.topicMessages.map((t) => t.topic)).toEqual([topics.enriched, topics.retry]);
    expect(tallyBatch(result)).toMatchObject({ filtered: 3, deadLetters: new Map() });
  });

  it('counts outcomes, codes and records per topic', async () => {
    const deps = await pipelineDeps();
    const result = processBatch(
      source,
      messages([encoded(events.busy), encoded(events.busy), Buffer.from('junk'), encoded(events.blocked)]),
      deps,
    );
    const tally = tallyBatch(result);
    expect(tally.classified).toEqual(
      new Map([
        [classified('BUSY', 'RETRY'), 2],
        [classified('BLOCKED', 'COMPLIANCE_ALERT'), 1],
      ]),
    );
    expect(tally.deadLetters).toEqual(new Map([['SIPFLOW_DECODE_MAGIC_BYTE', 1]]));
    expect(tally.produced).toEqual(
      new Map([
        [topics.enriched, 3],
        [topics.retry, 2],
        [topics.compliance, 1],
        [topics.dlq, 1],
      ]),
    );
    expect(tally.eventTimes).toEqual([events.busy.endedAt, events.busy.endedAt, events.blocked.endedAt]);
  });

  it('interns outcomes: the same (disposition, action) is the same object', () => {
    expect(classified('BUSY', 'RETRY')).toBe(classified('BUSY', 'RETRY'));
    expect(deadLettered('SIPFLOW_INVALID_FIELD')).toBe(deadLettered('SIPFLOW_INVALID_FIELD'));
    expect(Object.isFrozen(classified('BUSY', 'RETRY'))).toBe(true);
    expect(formatOutcome(classified('BUSY', 'RETRY'))).toBe('BUSY RETRY');
    expect(formatOutcome(deadLettered('SIPFLOW_INVALID_FIELD'))).toBe('DLQ SIPFLOW_INVALID_FIELD');
    expect(formatOutcome(FILTERED)).toBe('FILTERED');
  });
});
