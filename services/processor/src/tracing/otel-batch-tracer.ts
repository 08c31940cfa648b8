import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type TextMapPropagator,
  type Tracer,
} from '@opentelemetry/api';
import { HEADER, type BatchResult } from '@sipflow/pipeline';
import type { IHeaders } from 'kafkajs';
import type { BatchTrace, BatchTracer } from '../batch-tracer';
import { headersGetter, headersSetter } from './kafka-headers';
import { OPERATION, SEMCONV, SIPFLOW_ATTR } from './semconv';

export type OtelBatchTracerOptions = {
  tracer: Tracer;
  /** W3C Trace Context in production (tracing-from-env.ts) */
  propagator: TextMapPropagator;
  groupId: string;
  /**
   * `record`: a span per input record, the child of its incoming traceparent, and the parent of its
   * outputs. `batch`: only the batch span, linked to each record's incoming context, for when a
   * span per record costs too much (docs/operations.md has the figures).
   */
  spans: 'record' | 'batch';
};

const errorName = (error: unknown) =>
  (error as { code?: unknown })?.code !== undefined
    ? String((error as { code: unknown }).code)
    : error instanceof Error
      ? error.name
      : 'Error';

function failed(span: Span, error: unknown): void {
  span.setAttribute(SEMCONV.errorType, errorName(error));
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/** The output's trace headers: this span's context, replacing the copy of the input's. */
function inject(propagator: TextMapPropagator, ctx: Context, headers: IHeaders | undefined): void {
  if (!headers) return;
  delete headers[HEADER.traceparent];
  delete headers[HEADER.tracestate];
  propagator.inject(ctx, headers, headersSetter);
}

/**
 * Spans for consume → process → produce, named and attributed after the messaging conventions
 * (semconv.ts): `process <input topic>` (CONSUMER) for the batch; in `record` mode a `process`
 * span per record, whose parent is the record's incoming traceparent (or the batch span when it
 * has none) and which links to the batch span; `send <output topic>` (PRODUCER) per output topic,
 * children of the batch span. Each output carries a child context of its input's trace, never a
 * copy of it.
 */
export function otelBatchTracer(opts: OtelBatchTracerOptions): BatchTracer {
  const { tracer, propagator, groupId } = opts;
  const perRecord = opts.spans === 'record';

  return {
    startBatch: ({ topic, partition, messages, sources }): BatchTrace => {
      const common: Attributes = {
        [SEMCONV.systemName]: 'kafka',
        [SEMCONV.destinationName]: topic,
        [SEMCONV.partitionId]: String(partition),
        [SEMCONV.consumerGroup]: groupId,
      };
      const incoming = messages.map((m) => propagator.extract(ROOT_CONTEXT, m.headers, headersGetter));
      const links: Link[] = perRecord
        ? []
        : incoming.flatMap((ctx, i) => {
            const sc = trace.getSpanContext(ctx);
            return sc && trace.isSpanContextValid(sc)
              ? [{ context: sc, attributes: { [SEMCONV.kafkaOffset]: Number(messages[i]!.offset) } }]
              : [];
          });
      const startTime = performance.timeOrigin + performance.now();
      const batchSpan = tracer.startSpan(
        `process ${topic}`,
        {
          kind: SpanKind.CONSUMER,
          startTime,
          links,
          attributes: {
            ...common,
            [SEMCONV.operationType]: OPERATION.process,
            [SEMCONV.operationName]: 'process',
            [SEMCONV.batchCount]: messages.length,
          },
        },
        ROOT_CONTEXT,
      );
      const batchCtx = trace.setSpan(ROOT_CONTEXT, batchSpan);
      let outputTopics: string[] = [];

      const recordSpan = (i: number, r: BatchResult['records'][number], rulesVersion: string): Context => {
        const parent = incoming[i]!;
        const remote = trace.getSpanContext(parent);
        const continues = remote !== undefined && trace.isSpanContextValid(remote);
        // a repartition copy's span names the raw record it stands for, as its outputs do
        const source = sources?.[i];
        const attributes: Attributes = {
          ...common,
          ...(source
            ? { [SEMCONV.destinationName]: source.topic, [SEMCONV.partitionId]: String(source.partition) }
            : {}),
          [SEMCONV.operationType]: OPERATION.process,
          [SEMCONV.operationName]: 'process',
          [SEMCONV.kafkaOffset]: Number(r.offset),
          [SIPFLOW_ATTR.rulesVersion]: rulesVersion,
        };
        if (r.event) attributes[SEMCONV.messageId] = r.event.eventId;
        const span = tracer.startSpan(
          `process ${source?.topic ?? topic}`,
          {
            kind: SpanKind.CONSUMER,
            startTime,
            attributes,
            links: continues ? [{ context: batchSpan.spanContext() }] : [],
          },
          continues ? parent : batchCtx,
        );
        const o = r.outcome;
        if (o.kind === 'classified') {
          span.setAttributes({
            [SIPFLOW_ATTR.disposition]: o.disposition,
            [SIPFLOW_ATTR.action]: o.action,
            [SIPFLOW_ATTR.outputs]: [...o.outputs],
          });
        } else if (o.kind === 'dead-letter') {
          span.setAttributes({
            [SIPFLOW_ATTR.errorCode]: o.code,
            [SEMCONV.errorType]: o.code,
            [SIPFLOW_ATTR.outputs]: ['dlq'],
          });
          span.setStatus({ code: SpanStatusCode.ERROR, message: 'reason' in r ? r.reason : o.code });
        }
        span.end();
        return trace.setSpan(ROOT_CONTEXT, span);
      };

      return {
        processed: (result, rulesVersion) => {
          batchSpan.setAttribute(SIPFLOW_ATTR.rulesVersion, rulesVersion);
          outputTopics = result.topicMessages.map((t) => t.topic);
          result.records.forEach((r, i) => {
            if (r.outcome.kind === 'filtered') return;
            const ctx = perRecord ? recordSpan(i, r, rulesVersion) : batchCtx;
            if ('message' in r) inject(propagator, ctx, r.message.headers);
            else if ('messages' in r) {
              // one headers object is shared by an event's outputs; injecting once per object is enough
              let last: IHeaders | undefined;
              for (const m of r.messages) if (m.headers !== last) inject(propagator, ctx, (last = m.headers));
            }
          });
        },
        produce: async (send) => {
          const spans = outputTopics.map((out) =>
            tracer.startSpan(
              `send ${out}`,
              {
                kind: SpanKind.PRODUCER,
                attributes: {
                  [SEMCONV.systemName]: 'kafka',
                  [SEMCONV.destinationName]: out,
                  [SEMCONV.operationType]: OPERATION.send,
                  [SEMCONV.operationName]: 'send',
                },
              },
              batchCtx,
            ),
          );
          try {
            return await send();
          } catch (err) {
            for (const s of spans) failed(s, err);
            throw err;
          } finally {
            for (const s of spans) s.end();
          }
        },
        end: (error) => {
          if (error !== undefined) failed(batchSpan, error);
          batchSpan.end();
        },
      };
    },
  };
}
