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
