export {
  runReplay,
  resumeReplay,
  type ReplayRequest,
  type ResumeRequest,
  type ReplayHooks,
  type StartInfo,
} from './run-replay';
export { formatSummary, describeState, type ReplaySummary, type StateSummary } from './summary';
export {
  createProgressReporter,
  formatBar,
  formatLine,
  formatDuration,
  type ProgressReporter,
} from './progress';
export { parseOffsetSpec, parsePartitionList, parseInstant, type OffsetSpec } from './window-spec';
export { parseSipCodes, parseCampaigns, type SipCodeMatch, type EventFilter } from './event-filter';
export { planWindow, type PartitionRange, type PartitionWatermarks } from './window-plan';
export { OutcomeDiff, type DiffReport, type Transition } from './outcome-diff';
export { readCheckpoint, checkpointPath, type Checkpoint } from './checkpoint';
export { generateReplayId, validateReplayId } from './replay-id';
export type { ReplayCounts } from './counts';
