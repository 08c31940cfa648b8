import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { AvroDecoder, frame, type CallAttempt } from '@sipflow/codec';
import { SipflowError } from '@sipflow/errors';
import { inputReaderType, offlineEncoders, prefixedTopics, topicsFromEnv } from '@sipflow/pipeline';
import { defaultRules } from '@sipflow/rules';
import { createProcessorMetrics } from '@sipflow/telemetry';
import type { IHeaders, KafkaMessage, Message, ProducerBatch } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { attempt } from '../../../test/support/call-attempt';
import { createBatchHandler, type BatchPayload, type OutputProducer } from '../src/batch-handler';
import type { ProcessingGuarantee } from '../src/config';
import { processorConfigFromEnv } from '../src/config';
import { otelBatchTracer } from '../src/tracing/otel-batch-tracer';
import { tracingFromConfig } from '../src/tracing/tracing-from-config';

/**
 * The OpenTelemetry adapter around the batch handler, with the SDK's in-memory exporter: which
 * spans a batch makes, their parents and links, their attributes, and the trace context each
 * output carries. The producer is faked at its interface, as in batch-handler.test.ts.
 */

const SCHEMA_ID = 3;
const readerType = inputReaderType();
const topics = prefixedTopics(topicsFromEnv({}), 'trace');
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const INPUT_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${INPUT_SPAN}-01`;

const message = (value: Buffer, offset: number, headers: IHeaders = {}): KafkaMessage => ({
  key: null,
  value,
  offset: String(offset),
  timestamp: '0',
  attributes: 0,
  headers,
});
const encoded = (i: number, sipCode: number) =>
  frame(
    SCHEMA_ID,
    readerType.toBuffer(attempt({ eventId: `e-${i}`, leadId: `lead-${i}`, sipCode, callerId: null })),
  );

/** offset 40: busy (RETRY) with a traceparent; 41: junk (DLQ) with one; 42: connected, none. */
const inputs = (): KafkaMessage[] => [
  message(encoded(1, 486), 40, { traceparent: Buffer.from(TRACEPARENT), tracestate: Buffer.from('a=1') }),
  message(Buffer.from('junk'), 41, { traceparent: Buffer.from(TRACEPARENT) }),
  message(encoded(2, 200), 42),
];

function producer(sent: Message[], fail = false): OutputProducer {
  const sendBatch = async (batch: ProducerBatch) => {
    for (const t of batch.topicMessages ?? []) sent.push(...t.messages);
    if (fail) throw new SipflowError('SIPFLOW_KAFKA_UNAVAILABLE' as never, 'broker unreachable');
    return [];
  };
  return {
    sendBatch,
    transaction: async () =>
      ({
        sendBatch,
        sendOffsets: async () => undefined,
        commit: async () => undefined,
        abort: async () => undefined,
      }) as never,
  } as OutputProducer;
}

function payload(messages: KafkaMessage[]): BatchPayload {
  return {
    batch: { topic: topics.input, partition: 1, messages, lastOffset: () => messages.at(-1)!.offset },
    resolveOffset: () => undefined,
    uncommittedOffsets: () => ({ topics: [] }),
    commitOffsetsIfNecessary: async () => undefined,
    heartbeat: async () => undefined,
    isRunning: () => true,
    isStale: () => false,
  };
}

async function run(opts: {
  spans: 'record' | 'batch';
  guarantee?: ProcessingGuarantee;
  fail?: boolean;
}): Promise<{ spans: ReadableSpan[]; sent: Message[]; error: unknown }> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const registry = {
    getSchema: async (id: number) => {
      if (id === SCHEMA_ID) return readerType;
      throw Object.assign(new Error('not found'), { status: 404 });
    },
  } as unknown as SchemaRegistry;
  const sent: Message[] = [];
  const handle = createBatchHandler({
    decoder: new AvroDecoder<CallAttempt>(registry, readerType),
    rules: () => defaultRules(),
    encoders: offlineEncoders(topics),
    topics,
    maxRecordBytes: 4096,
    replayId: null,
    producer: producer(sent, opts.fail),
    guarantee: opts.guarantee ?? 'at_least_once',
    groupId: 'group-1',
    // a fake consumer's batches carry no group generation: nothing to fence
    sessionTimeoutMs: 30_000,
    requireFencing: false,
    metrics: createProcessorMetrics(new Registry(), { defaultMetrics: false }),
    logger: pino({ level: 'silent' }),
    tracer: otelBatchTracer({
      tracer: provider.getTracer('test'),
      propagator: new W3CTraceContextPropagator(),
      groupId: 'group-1',
      spans: opts.spans,
    }),
  });
  let error: unknown;
  await handle(payload(inputs())).catch((err: unknown) => (error = err));
  await provider.forceFlush();
  return { spans: exporter.getFinishedSpans(), sent, error };
}

const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const byOffset = (spans: ReadableSpan[], offset: number) =>
  spans.find(
    (s) =>
      s.attributes['kafka.offset'] === offset && s.attributes['messaging.batch.message_count'] === undefined,
  )!;
const traceparentOf = (m: Message) => (m.headers?.traceparent as string | undefined)?.toString();

describe.each<ProcessingGuarantee>(['at_least_once', 'exactly_once'])(
  'tracing, a span per record (%s)',
  (guarantee) => {
    it('makes a batch span, a span per record and a send span per output topic, with their kinds', async () => {
      const { spans } = await run({ spans: 'record', guarantee });
      const batch = spans.find((s) => s.attributes['messaging.batch.message_count'] === 3)!;
      expect(batch.name).toBe(`process ${topics.input}`);
      expect(batch.kind).toBe(SpanKind.CONSUMER);
      expect(batch.parentSpanContext).toBeUndefined();
      expect(batch.attributes).toMatchObject({
        'messaging.system.name': 'kafka',
        'messaging.destination.name': topics.input,
        'messaging.destination.partition.id': '1',
        'messaging.consumer.group.name': 'group-1',
        'messaging.operation.type': 'process',
        'sipflow.rules_version': '1.1.0',
      });
      const sends = spans.filter((s) => s.kind === SpanKind.PRODUCER);
      expect(sends.map((s) => s.name).sort()).toEqual(
        [topics.enriched, topics.retry, topics.dlq].map((t) => `send ${t}`).sort(),
      );
      for (const s of sends) {
        expect(parentOf(s)).toBe(batch.spanContext().spanId);
        expect(s.attributes['messaging.operation.type']).toBe('send');
      }
      expect(spans.filter((s) => s.kind === SpanKind.CONSUMER)).toHaveLength(4);
    });

    it('continues the incoming traceparent: the record span is its child, and the outputs carry the record span', async () => {
      const { spans, sent } = await run({ spans: 'record', guarantee });
      const busy = byOffset(spans, 40);
      expect(busy.spanContext().traceId).toBe(TRACE_ID);
      expect(parentOf(busy)).toBe(INPUT_SPAN);
      expect(busy.kind).toBe(SpanKind.CONSUMER);
      expect(busy.attributes).toMatchObject({
        'messaging.destination.name': topics.input,
        'messaging.destination.partition.id': '1',
        'kafka.offset': 40,
        'messaging.message.id': 'e-1',
        'sipflow.disposition': 'BUSY',
        'sipflow.action': 'RETRY',
        'sipflow.outputs': ['enriched', 'retry'],
      });
      const batch = spans.find((s) => s.attributes['messaging.batch.message_count'] === 3)!;
      expect(busy.links.map((l) => l.context.spanId)).toEqual([batch.spanContext().spanId]);

      const outputsOfBusy = sent.filter((m) => m.headers?.['sipflow-source-offset'] === '40');
      expect(outputsOfBusy).toHaveLength(2);
      for (const m of outputsOfBusy) {
        expect(traceparentOf(m)).toBe(`00-${TRACE_ID}-${busy.spanContext().spanId}-01`);
        expect(traceparentOf(m)).not.toBe(TRACEPARENT);
        expect(m.headers?.tracestate).toBe('a=1'); // the vendor state travels with the trace
      }
    });

    it("names the dead letter's code on its span, marks it failed, and gives the DLQ record a child context", async () => {
      const { spans, sent } = await run({ spans: 'record', guarantee });
      const junk = byOffset(spans, 41);
      expect(parentOf(junk)).toBe(INPUT_SPAN);
      expect(junk.attributes).toMatchObject({
        'sipflow.error_code': 'SIPFLOW_DECODE_MAGIC_BYTE',
        'error.type': 'SIPFLOW_DECODE_MAGIC_BYTE',
        'kafka.offset': 41,
      });
      expect(junk.status.code).toBe(SpanStatusCode.ERROR);
      const letter = sent.find((m) => m.headers?.['sipflow-error-code'] !== undefined)!;
      expect(traceparentOf(letter)).toBe(`00-${TRACE_ID}-${junk.spanContext().spanId}-01`);
    });

    it('starts a record without a traceparent under the batch span, and gives its outputs that trace', async () => {
      const { spans, sent } = await run({ spans: 'record', guarantee });
      const batch = spans.find((s) => s.attributes['messaging.batch.message_count'] === 3)!;
      const connected = byOffset(spans, 42);
      expect(parentOf(connected)).toBe(batch.spanContext().spanId);
      expect(connected.spanContext().traceId).toBe(batch.spanContext().traceId);
      expect(connected.attributes).toMatchObject({
        'sipflow.disposition': 'CONNECTED',
        'sipflow.action': 'NONE',
      });
      const out = sent.find((m) => m.headers?.['sipflow-source-offset'] === '42')!;
      expect(traceparentOf(out)).toBe(
        `00-${batch.spanContext().traceId}-${connected.spanContext().spanId}-01`,
      );
    });
  },
);

describe('tracing, batch spans only', () => {
  it("links the batch span to each record's incoming context and gives the outputs the batch span", async () => {
    const { spans, sent } = await run({ spans: 'batch' });
    const consumers = spans.filter((s) => s.kind === SpanKind.CONSUMER);
    expect(consumers).toHaveLength(1);
    const batch = consumers[0]!;
    expect(
      batch.links.map((l) => [l.context.traceId, l.context.spanId, l.attributes?.['kafka.offset']]),
    ).toEqual([
      [TRACE_ID, INPUT_SPAN, 40],
      [TRACE_ID, INPUT_SPAN, 41],
    ]);
    for (const m of sent)
      expect(traceparentOf(m)).toBe(`00-${batch.spanContext().traceId}-${batch.spanContext().spanId}-01`);
  });
});

describe('tracing, failures', () => {
  it('marks the send spans and the batch span failed with the error type when the produce fails', async () => {
    const { spans, error } = await run({ spans: 'record', fail: true });
    expect(error).toBeInstanceOf(SipflowError);
    const failed = spans.filter(
      (s) => s.status.code === SpanStatusCode.ERROR && s.kind !== SpanKind.CONSUMER,
    );
    expect(failed.length).toBe(3);
    const batch = spans.find((s) => s.attributes['messaging.batch.message_count'] === 3)!;
    expect(batch.status.code).toBe(SpanStatusCode.ERROR);
    expect(batch.attributes['error.type']).toBe('SIPFLOW_KAFKA_UNAVAILABLE');
  });
});

describe('tracing configuration', () => {
  it('is off by default, and with OTEL_SDK_DISABLED', async () => {
    expect(processorConfigFromEnv({}).tracing).toBeNull();
    expect(await tracingFromConfig(processorConfigFromEnv({}))).toBeNull();
    expect(
      processorConfigFromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' }).tracing,
    ).toBeNull();
  });

  it('is on with OTEL_TRACES_EXPORTER=otlp, batch spans unless TRACE_SPANS=record', () => {
    expect(processorConfigFromEnv({ OTEL_TRACES_EXPORTER: 'otlp' }).tracing).toEqual({
      exporter: 'otlp',
      spans: 'batch',
    });
    expect(
      processorConfigFromEnv({ OTEL_TRACES_EXPORTER: 'console', TRACE_SPANS: 'record' }).tracing,
    ).toEqual({
      exporter: 'console',
      spans: 'record',
    });
    expect(() => processorConfigFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER/);
  });

  it('builds the SDK with the OTLP exporter and shuts it down', async () => {
    const tracing = await tracingFromConfig(processorConfigFromEnv({ OTEL_TRACES_EXPORTER: 'otlp' }));
    expect(tracing).not.toBeNull();
    await tracing!.shutdown();
  });
});

describe('where tracing lives', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );

  it('stays out of the libraries: no OpenTelemetry import under libs/, the pure core among them', () => {
    const offenders = sources('libs').filter(
      (f) => !f.includes('node_modules') && readFileSync(f, 'utf8').includes('@opentelemetry/'),
    );
    expect(offenders).toEqual([]);
  });

  it('and out of the batch handler: only services/processor/src/tracing/ imports it', () => {
    const importing = sources('services/processor/src').filter((f) =>
      readFileSync(f, 'utf8').includes("from '@opentelemetry/"),
    );
    expect(importing.length).toBeGreaterThan(0);
    for (const f of importing) expect(f).toMatch(/services\/processor\/src\/tracing\//);
  });
});
