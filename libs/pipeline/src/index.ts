// The pure core of sipflow, shared by the processor, replay and the audit: follow one record through
// process-batch.ts (decode → classify → outputs → encode), outputs.ts (which kinds an action
// selects) and output-records.ts (what each record holds).
export {
  OUTPUTS,
  INPUT,
  OUTPUT_KINDS,
  RECORD_KINDS,
  OUTPUTS_BY_ACTION,
  type OutputKind,
  type RecordKind,
  type OutputSpec,
} from './outputs';
export {
  topicsEnv,
  topicsFromEnv,
  topicsToEnv,
  prefixedTopics,
  outputKindsByTopic,
  outputTopics,
  type Topics,
} from './topics';
export {
  classified,
  deadLettered,
  FILTERED,
  formatOutcome,
  type Outcome,
  type Classified,
  type DeadLettered,
  type Filtered,
} from './outcome';
export {
  registerOutputEncoders,
  offlineEncoders,
  inputReaderType,
  inputPhoneNumberReaderType,
  outputReaderType,
  subjectOf,
  schemaFileOf,
  type EncodedKind,
  type OutputEncoders,
  type RecordOf,
} from './encoders';
export { HEADER, sourceHeaders, type Source } from './headers';
export { deadLetter, deadLetteredRecord, failureOf } from './dead-letter';
export {
  CONNECT_HEADER,
  CONNECT_HEADER_NAMES,
  CONNECT_CONNECTOR_NAME,
  connectErrorHeaders,
} from './connect-headers';
export {
  processBatch,
  type PipelineDeps,
  type RecordResult,
  type BatchResult,
  type BatchOptions,
} from './process-batch';
export { tallyBatch, type BatchTally } from './tally';
export { mapState, type NumberStateView } from './number-state';
export {
  stateTopicsOf,
  ledgerTopicsOf,
  CHANGELOG_CONFIGS,
  REPARTITION_CONFIGS,
  type StateTopics,
} from './state-topics';
export { LedgerPartials, decodePartial } from './ledger-partials';
export { ABANDONMENT_ALERT_RULE, abandonmentAlert } from './abandonment-alert';
export {
  ledgerBatch,
  periodKey,
  periodRecord,
  type LedgerBatchResult,
  type LedgerStateView,
} from './ledger-stage';
export type { InputRecord, OutputRecord, RecordHeaders, TopicRecords } from './records';
