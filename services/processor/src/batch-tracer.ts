import type { BatchResult } from '@sipflow/pipeline';
import type { KafkaMessage } from 'kafkajs';

/**
 * What the batch handler tells a tracer, with no tracing library in sight: the handler stays the
 * same code whether tracing is on or off, and the pipeline never learns of it. The OpenTelemetry
 * implementation is tracing/otel-batch-tracer.ts; without a tracer the handler calls nothing.
 */
export type BatchTrace = {
  /** the pipeline's result: per-record spans, and each output's trace headers set to its child context */
  processed: (result: BatchResult, rulesVersion: string) => void;
  /** around the one send of all outputs */
  produce: <T>(send: () => Promise<T>) => Promise<T>;
  /** the batch is done (offsets committed), or failed with `error` */
  end: (error?: unknown) => void;
};

export type BatchTracer = {
  startBatch: (batch: {
    topic: string;
    partition: number;
    messages: KafkaMessage[];
    /** the raw topic partition of each message, in order, when the batch is of repartition copies */
    sources?: readonly { topic: string; partition: number }[];
  }) => BatchTrace;
};
