export { runSimulator } from './run-simulator';
export type { SimulatorOptions, SimulatorStats } from './options';
export {
  createAttemptGenerator,
  type AttemptGenerator,
  type AttemptGeneratorOptions,
} from './attempt-generator';
export {
  createRecordSource,
  type RecordSource,
  type RecordSourceOptions,
  type SimulatedRecord,
} from './record-source';
export { POISON_KINDS, UNKNOWN_SCHEMA_ID, type PoisonKind } from './poison';
export { recordsDue } from './pacing';
export { DRIFTING_CAMPAIGN } from './abandonment-timing';
