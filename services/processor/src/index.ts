export { startProcessor, type RunningProcessor } from './processor';
export {
  processorConfigFromEnv,
  allProcessorEnv,
  processorEnv,
  type ProcessorConfig,
  type ProcessingGuarantee,
} from './config';
export {
  createBatchHandler,
  type BatchHandlerDeps,
  type BatchPayload,
  type OutputProducer,
} from './batch-handler';
export { createRulesReloader, type RulesReload, type RulesReloader } from './rules-reloader';
export type { BatchTrace, BatchTracer } from './batch-tracer';
export { otelBatchTracer, type OtelBatchTracerOptions } from './tracing/otel-batch-tracer';
export { tracingFromConfig, type Tracing } from './tracing/tracing-from-config';
