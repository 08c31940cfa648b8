// Dead letters people can work with: `sipflow dlq inspect` (what is in the DLQ, decoded as far as
// it goes) and `sipflow dlq redrive` (selected dead letters back to the input topic, each once).
export { runInspect, type InspectOptions, type InspectReport, type CodeCount, type Sample } from './inspect';
export {
  runRedrive,
  type RedriveOptions,
  type RedriveSummary,
  type PlannedCopy,
  type SkipReason,
} from './redrive';
export { redriveCopy } from './redrive-copy';
export { readDeadLetter, deadLetterId, type DeadLetterRecord } from './dead-letter-record';
export { selects, type Selection } from './selection';
export { decodeSample, type DecodedSample } from './decode-sample';
export { formatInspect, formatRedrive, formatPlanned } from './format';
