/**
 * What tracing costs the processor: the real batch handler (decode → classify → outputs → encode,
 * then the send) over the same batches with tracing off, with a span per record, and with batch
 * spans only. The spans go through the production path: the batch span processor and the
 * OTLP/HTTP exporter, to a sink in a child process on loopback (its work is not counted).
 * The send itself resolves at once: a broker's time does not change with tracing, so leaving it
 * out shows the CPU that tracing adds per record, the part that lowers throughput when the
 * processor is CPU-bound (it is, on 2 cores: docs/performance.md).
 *
 *   npx tsx bench/tracing.bench.ts [events=60000] [batch=500] [runs=5]
 *
 * Prints events/s per mode and writes bench/results/tracing-<date>.json.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { arch, cpus, platform, release } from 'node:os';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AvroDecoder, frame, type CallAttempt } from '@sipflow/codec';
import { inputReaderType, offlineEncoders, prefixedTopics, topicsFromEnv } from '@sipflow/pipeline';
import {
  createBatchHandler,
  otelBatchTracer,
  type BatchPayload,
  type OutputProducer,
} from '@sipflow/processor';
import { defaultRules } from '@sipflow/rules';
import { createProcessorMetrics } from '@sipflow/telemetry';
import type { KafkaMessage, ProducerBatch } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';

const EVENTS = Number(process.argv[2] ?? 60_000);
const BATCH = Number(process.argv[3] ?? 500);
const RUNS = Number(process.argv[4] ?? 5);
const MODES = ['off', 'record', 'batch'] as const;
type Mode = (typeof MODES)[number];

const SCHEMA_ID = 1;
const readerType = inputReaderType();
const topics = prefixedTopics(topicsFromEnv({}), 'bench');
const CODES: [number, number | null][] = [
  [200, 16],
  [480, 19],
  [486, 17],
  [486, 34],
  [404, 1],
  [503, 41],
  [603, 21],
  [487, null],
];

// every input carries a traceparent, as from a dialer that traces: the costlier, continuing path
const batches: KafkaMessage[][] = [];
for (let b = 0; b * BATCH < EVENTS; b++) {
  batches.push(
    Array.from({ length: BATCH }, (_, i) => {
      const n = b * BATCH + i;
      const [sipCode, q850Cause] = CODES[n % CODES.length]!;
      const event: CallAttempt = {
        eventId: `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`,
        leadId: `lead-${n % 9973}`,
        campaignId: 'campaign-1',
        phoneNumber: '+14155550123',
        callerId: '+14155550100',
        sipCode,
        sipReason: null,
        q850Cause,
        retryAfterSeconds: null,
        attemptNumber: 1 + (n % 3),
        startedAt: 1_764_000_000_000,
        endedAt: 1_764_000_030_000,
        leadTimezone: 'America/New_York',
        carrier: 'carrier-a',
        reasonHeader: null,
        leadRegion: null,
        answeredBy: null,
        answeredAt: null,
        agentConnectedAt: null,
        abandoned: null,
        abandonMessagePlayed: null,
        ringingAt: null,
      };
      const traceId = n.toString(16).padStart(32, 'a');
      return {
        key: Buffer.from(event.leadId),
        value: frame(SCHEMA_ID, readerType.toBuffer(event)),
        offset: String(i),
        timestamp: '0',
        attributes: 0,
        headers: { traceparent: Buffer.from(`00-${traceId}-00f067aa0ba902b7-01`) },
      };
    }),
  );
}

/** An OTLP/HTTP receiver that accepts and forgets, in its own process so its work is not ours. */
async function startSink(): Promise<{ url: string; stop: () => void }> {
  const code = `require('node:http').createServer((q,s)=>{q.resume();q.on('end',()=>s.end('{}'))}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  return { url: `http://127.0.0.1:${port}/v1/traces`, stop: () => child.kill() };
}

const producer = {
  sendBatch: async (_b: ProducerBatch) => [],
  transaction: async () => {
    throw new Error('at-least-once only');
  },
} as unknown as OutputProducer;

const registry = { getSchema: async () => readerType } as unknown as SchemaRegistry;

function handlerFor(mode: Mode, url: string) {
  let provider: BasicTracerProvider | undefined;
  let exported = 0;
  if (mode !== 'off') {
    const exporter = new OTLPTraceExporter({ url });
    const counting = {
      export: (
        spans: Parameters<OTLPTraceExporter['export']>[0],
        done: Parameters<OTLPTraceExporter['export']>[1],
      ) => {
        exported += spans.length;
        exporter.export(spans, done);
      },
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush(),
    };
    provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(counting)] });
  }
  const handle = createBatchHandler({
    decoder: new AvroDecoder<CallAttempt>(registry, readerType),
    rules: () => defaultRules(),
    encoders: offlineEncoders(topics),
    topics,
    maxRecordBytes: 1 << 20,
    replayId: null,
    producer,
    guarantee: 'at_least_once',
    groupId: 'bench',
    // a fake consumer's batches carry no group generation: nothing to fence
    sessionTimeoutMs: 30_000,
    requireFencing: false,
    metrics: createProcessorMetrics(new Registry(), { defaultMetrics: false }),
    logger: pino({ level: 'silent' }),
    ...(provider
      ? {
          tracer: otelBatchTracer({
            tracer: provider.getTracer('bench'),
            propagator: new W3CTraceContextPropagator(),
            groupId: 'bench',
            spans: mode === 'batch' ? 'batch' : 'record',
          }),
        }
      : {}),
  });
  return { handle, flush: () => provider?.forceFlush() ?? Promise.resolve(), exported: () => exported };
}

const payload = (messages: KafkaMessage[]): BatchPayload => ({
  batch: { topic: topics.input, partition: 0, messages, lastOffset: () => messages.at(-1)!.offset },
  resolveOffset: () => undefined,
  uncommittedOffsets: () => ({ topics: [] }),
  commitOffsetsIfNecessary: async () => undefined,
  heartbeat: async () => undefined,
  isRunning: () => true,
  isStale: () => false,
});

/** One pass over every batch, the export of its spans included. */
async function pass(mode: Mode, url: string): Promise<{ rate: number; spans: number }> {
  const h = handlerFor(mode, url);
  // the writer schema is resolved once per handler, as in a running processor
  await h.handle(payload(batches[0]!));
  await h.flush();
  const before = h.exported();
  const start = process.hrtime.bigint();
  for (const batch of batches) {
    await h.handle(payload(batch));
    // a running processor waits on the network between batches, where the span processor's timer
    // gets its turn; without this yield it would never export during the pass and drop spans
    await new Promise(setImmediate);
  }
  await h.flush();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { rate: (batches.length * BATCH) / seconds, spans: h.exported() - before };
}

const sink = await startSink();
const results: Record<Mode, { rates: number[]; spans: number }> = {
  off: { rates: [], spans: 0 },
  record: { rates: [], spans: 0 },
  batch: { rates: [], spans: 0 },
};
for (const mode of MODES) await pass(mode, sink.url); // warm-up
// interleaved, so a neighbour's load on the shared machine falls on every mode alike
for (let r = 0; r < RUNS; r++) {
  for (const mode of MODES) {
    const { rate, spans } = await pass(mode, sink.url);
    results[mode].rates.push(rate);
    results[mode].spans = spans;
  }
}
sink.stop();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const off = median(results.off.rates);
const events = batches.length * BATCH;
const rows = MODES.map((mode) => {
  const m = median(results[mode].rates);
  return {
    mode,
    eventsPerSecond: Math.round(m),
    vsOff: mode === 'off' ? 0 : Math.round((1000 * (m - off)) / off) / 10,
    spansPerPass: results[mode].spans,
    microsecondsPerEvent: Math.round(1e7 / m) / 10,
  };
});
for (const r of rows)
  console.log(
    `${r.mode.padEnd(6)} ${r.eventsPerSecond.toLocaleString('en-US').padStart(8)} events/s` +
      `  ${r.microsecondsPerEvent} µs/event` +
      (r.mode === 'off'
        ? ''
        : `  ${r.vsOff > 0 ? '+' : ''}${r.vsOff} % vs off, ${r.spansPerPass} spans exported per pass`),
  );

const date = new Date().toISOString().slice(0, 10);
const report = {
  benchmark: 'tracing',
  date: new Date().toISOString(),
  command: `npx tsx bench/tracing.bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
  },
  settings: { events, batch: BATCH, runs: RUNS },
  results: rows,
  rates: Object.fromEntries(MODES.map((m) => [m, results[m].rates.map(Math.round)])),
};
writeFileSync(
  new URL(`results/tracing-${date}.json`, import.meta.url),
  `${JSON.stringify(report, null, 2)}\n`,
);
