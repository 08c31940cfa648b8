import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { CallAttempt, RegisteredType } from '@sipflow/codec';
import { createRegistry } from '@sipflow/kafka';
import { ledgerTopicsOf, type Topics } from '@sipflow/pipeline';
import { otelBatchTracer } from '@sipflow/processor';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt } from '../support/attempts';
import {
  createTestTopics,
  deleteTopics,
  header,
  readTopic,
  spawnProcessor,
  startInProcess,
  testConnection,
  rawTopicWriter,
} from '../support/processor-harness';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const traceparent = (i: number) => `00-${TRACE_ID}-${(0x1000 + i).toString(16).padStart(16, '0')}-01`;

describe('tracing against a real broker', () => {
  let topics: Topics;
  let producer: Producer;
  let input: RegisteredType<CallAttempt>;
  const registry = createRegistry(testConnection());

  beforeAll(async () => {
    topics = await createTestTopics('tracing');
    ({ input, producer } = await rawTopicWriter(registry, topics));
  });
  afterAll(async () => {
    await producer?.disconnect();
    await deleteTopics(topics);
  });

  it("continues each input's trace: every output carries the context of a span whose parent is the input's", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const processor = await startInProcess(
      topics,
      {},
      {
        tracing: {
          tracer: otelBatchTracer({
            tracer: provider.getTracer('test'),
            propagator: new W3CTraceContextPropagator(),
            groupId: `${topics.input}-group`,
            spans: 'record',
          }),
          // flush, not shut down: the in-memory exporter forgets its spans on shutdown
          shutdown: () => provider.forceFlush(),
        },
      },
    );
    const n = 30;
    try {
      await producer.send({
        topic: topics.input,
        messages: Array.from({ length: n }, (_, i) => {
          const a = attempt({ sipCode: i % 2 === 0 ? 486 : 200, q850Cause: i % 2 === 0 ? 17 : 16 });
          return { key: a.leadId, value: input.encode(a), headers: { traceparent: traceparent(i) } };
        }),
      });
      const enriched = await readTopic(topics.enriched, n);
      expect(enriched).toHaveLength(n);
      await provider.forceFlush();
      const spans = exporter.getFinishedSpans();
      const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
      const parents = new Set(Array.from({ length: n }, (_, i) => traceparent(i).split('-')[2]));
      for (const m of enriched) {
        const [, traceId, spanId] = header(m, 'traceparent')!.split('-');
        expect(traceId).toBe(TRACE_ID);
        expect(parents.has(spanId!), 'a copy of the input traceparent').toBe(false);
        const span = byId.get(spanId!)!;
        expect(span, 'the span the output names was exported').toBeDefined();
        expect(parents.has(span.parentSpanContext!.spanId)).toBe(true);
        expect(span.attributes['messaging.destination.name']).toBe(topics.input);
        expect(String(span.attributes['kafka.offset'])).toBe(header(m, 'sipflow-source-offset'));
        expect(String(span.attributes['messaging.destination.partition.id'])).toBe(
          header(m, 'sipflow-source-partition'),
        );
        expect(['BUSY', 'CONNECTED']).toContain(span.attributes['sipflow.disposition']);
      }
      const sends = spans.filter((s) => s.name.startsWith('send '));
      // the outputs, and the abandonment ledger's partials the classified batches wrote with them
      const partials = ledgerTopicsOf(topics.input, `${topics.input}-group`).repartition;
      expect(new Set(sends.map((s) => s.attributes['messaging.destination.name']))).toEqual(
        new Set([topics.enriched, topics.retry, partials]),
      );
    } finally {
      await processor.stop();
    }
  });

  it('exports over OTLP/HTTP from `sipflow process` when the standard OTEL_* variables say so', async () => {
    const posts: { url: string; type: string; body: Buffer }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts.push({
          url: req.url ?? '',
          type: req.headers['content-type'] ?? '',
          body: Buffer.concat(chunks),
        });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const child = spawnProcessor(topics, {
      CONSUMER_GROUP: `${topics.input}-otlp`,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}/v1/traces`,
      OTEL_SERVICE_NAME: 'sipflow-under-test',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      // a span per record, child of the incoming traceparent, is what this test follows over the
      // wire (the default is batch spans, linked to each record's context)
      TRACE_SPANS: 'record',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const a = attempt({ sipCode: 200 });
      await producer.send({
        topic: topics.input,
        messages: [{ key: a.leadId, value: input.encode(a), headers: { traceparent: traceparent(99) } }],
      });
      // OTLP/HTTP with JSON bodies (this exporter package's encoding; OTLP spec, "OTLP/HTTP")
      type OtlpSpan = { name: string; traceId: string; parentSpanId?: string; kind: number };
      type OtlpBody = {
        resourceSpans: {
          resource: { attributes: { key: string; value: { stringValue?: string } }[] };
          scopeSpans: { spans: OtlpSpan[] }[];
        }[];
      };
      const exported = () => posts.flatMap((p) => (JSON.parse(p.body.toString()) as OtlpBody).resourceSpans);
      const spans = () => exported().flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
      // the group is new, so the first test's records are processed again too: look for this one's
      const inputSpan = traceparent(99).split('-')[2];
      await expect
        .poll(() => spans().some((s) => s.parentSpanId === inputSpan), { timeout: 60_000, interval: 200 })
        .toBe(true);
      expect(posts[0]!.url).toBe('/v1/traces');
      expect(posts[0]!.type).toBe('application/json');
      const serviceNames = exported().flatMap((r) =>
        r.resource.attributes.filter((a) => a.key === 'service.name').map((a) => a.value.stringValue),
      );
      expect(new Set(serviceNames)).toEqual(new Set(['sipflow-under-test']));
      const record = spans().find((s) => s.parentSpanId === inputSpan)!;
      expect(record.name).toBe(`process ${topics.input}`);
      expect(record.traceId).toBe(TRACE_ID);
      expect(record.kind).toBe(5); // SPAN_KIND_CONSUMER in OTLP's enum
      child.kill('SIGTERM');
      expect(await exited, child.output()).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      server.close();
    }
  });
});
