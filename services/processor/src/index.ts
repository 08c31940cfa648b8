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
export { resolveWorkerCount, machineCpus, MAX_WORKERS, type WorkerSetting } from './worker-count';
export { inputPartitionCount } from './input-partitions';
export { startWorkerPool, type WorkerPool, type WorkerHandle, type WorkerStartFailure } from './worker-pool';
export { forkWorker, isWorkerProcess, workerChannel, WORKER_INDEX_VARIABLE } from './cluster-workers';
export { createRulesReloader, type RulesReload, type RulesReloader } from './rules-reloader';
export type { BatchTrace, BatchTracer } from './batch-tracer';
export { otelBatchTracer, type OtelBatchTracerOptions } from './tracing/otel-batch-tracer';
export { tracingFromConfig, type Tracing } from './tracing/tracing-from-config';
