import { diag, DiagLogLevel, propagation, trace, type TextMapPropagator } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import type { BatchTracer } from '../batch-tracer';
import type { ProcessorConfig } from '../config';
import { otelBatchTracer } from './otel-batch-tracer';

export type Tracing = {
  tracer: BatchTracer;
  /** ends the batch processor: every finished span exported (or dropped after its timeout) */
  shutdown: () => Promise<void>;
};

/** The SDK's own complaints (a collector that does not answer, spans dropped) into our log. */
function logDiagnostics(logger: Logger): void {
  const log = logger.child({ component: 'opentelemetry' });
  const noop = () => undefined;
  diag.setLogger(
    {
      error: (message, ...args) => log.error({ args }, message),
      warn: (message, ...args) => log.warn({ args }, message),
      info: noop,
      debug: noop,
      verbose: noop,
    },
    DiagLogLevel.WARN,
  );
}

/**
 * The OpenTelemetry SDK for the processor, when `config.tracing` is set (OTEL_TRACES_EXPORTER
 * otlp or console). The standard variables are read by the SDK itself: the exporter's
 * OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, _HEADERS, _TIMEOUT; the resource's OTEL_SERVICE_NAME and
 * OTEL_RESOURCE_ATTRIBUTES; OTEL_TRACES_SAMPLER[_ARG]; OTEL_BSP_* (batching); OTEL_SPAN_*_LIMIT.
 * The service name defaults to sipflow-processor. Spans leave through the batch span processor,
 * off the hot path: a full queue drops spans rather than slowing a batch. The SDK is imported
 * here, and only when tracing is on: every other start-up, and every other CLI verb, skips
 * loading it.
 */
export async function tracingFromConfig(
  config: Pick<ProcessorConfig, 'tracing' | 'groupId'>,
  opts: { exporter?: SpanExporter; version?: string; logger?: Logger } = {},
): Promise<Tracing | null> {
  if (!config.tracing) return null;
  const [{ W3CTraceContextPropagator }, { OTLPTraceExporter }, resources, sdk] = await Promise.all([
    import('@opentelemetry/core'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
  ]);
  if (opts.logger) logDiagnostics(opts.logger);
  const exporter =
    opts.exporter ??
    (config.tracing.exporter === 'console' ? new sdk.ConsoleSpanExporter() : new OTLPTraceExporter());
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ 'service.name': 'sipflow-processor' }))
    // the environment's OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES win over the default name
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new sdk.BasicTracerProvider({
    resource,
    spanProcessors: [new sdk.BatchSpanProcessor(exporter)],
  });
  const propagator: TextMapPropagator = new W3CTraceContextPropagator();
  // registered globally too, so any other OpenTelemetry-aware code in the process agrees
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(propagator);
  return {
    tracer: otelBatchTracer({
      tracer: provider.getTracer('sipflow-processor', opts.version),
      propagator,
      groupId: config.groupId,
      spans: config.tracing.spans,
    }),
    shutdown: () => provider.shutdown(),
  };
}
