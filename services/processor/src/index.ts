export { startProcessor, type RunningProcessor } from './processor';
export { processorConfigFromEnv, allProcessorEnv, type ProcessorConfig } from './config';
export { setup, type SetupOptions, type SetupResult } from './setup';
export { runPipeline, type PipelineDeps, type BatchResult } from './batch-pipeline';
export { route, type RoutedRecords } from './routing';
export {
  registerOutputSchemas,
  inputReaderType,
  SCHEMA_FILES,
  subjectOf,
  type OutputEncoders,
} from './output-types';
export { HEADER } from './headers';
export { sendAll, chunkTopicMessages } from './produce';
