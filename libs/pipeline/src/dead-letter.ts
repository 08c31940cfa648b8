import { isSipflowError, type SipflowErrorCode } from '@sipflow/errors';
import { deadLettered } from './outcome';
import type { RecordResult } from './process-batch';
import type { InputRecord, OutputRecord, RecordHeaders } from './records';
import { connectErrorHeaders } from './connect-headers';
import { HEADER, type Source } from './headers';

/** Error messages can quote input; keep the header bounded. */
const MAX_MESSAGE_LENGTH = 1000;

/**
 * A dead-letter record: the original key and value bytes untouched (so the record can be fixed
 * and re-fed as it was), the original headers, and headers that say what went wrong and where
 * the record came from: sipflow's own `sipflow-*` headers, and the same facts under Kafka
 * Connect's names (connect-headers.ts) for tools made for Connect's dead-letter queues.
 */
export function deadLetter(
  source: Source,
  message: InputRecord,
  code: SipflowErrorCode,
  reason: string,
  replayId: string | null,
): OutputRecord {
  const bounded = reason.length > MAX_MESSAGE_LENGTH ? `${reason.slice(0, MAX_MESSAGE_LENGTH)}…` : reason;
  const headers: RecordHeaders = {
    ...(message.headers ?? {}),
    ...connectErrorHeaders(source, message.offset, code, bounded),
    [HEADER.errorCode]: code,
    [HEADER.errorMessage]: bounded,
    [HEADER.sourceTopic]: source.topic,
    [HEADER.sourcePartition]: String(source.partition),
    [HEADER.sourceOffset]: message.offset,
    [HEADER.sourceTimestamp]: message.timestamp,
  };
  if (replayId !== null) headers[HEADER.replayId] = replayId;
  return { key: message.key, value: message.value, headers };
}

/** The code and reason an error gives a dead letter: its SIPFLOW_* code, or an internal error. */
export function failureOf(err: unknown): { code: SipflowErrorCode; reason: string } {
  return {
    code: isSipflowError(err) ? err.code : 'SIPFLOW_INTERNAL_ERROR',
    reason: err instanceof Error ? err.message : String(err),
  };
}

/**
 * A record of a stage that reads no event (a forwarded copy, a ledger partial) that goes to the
 * DLQ: its dead letter, and its result in the batch's records.
 */
export function deadLetteredRecord(
  source: Source,
  message: InputRecord,
  code: SipflowErrorCode,
  reason: string,
): { letter: OutputRecord; result: RecordResult } {
  const letter = deadLetter(source, message, code, reason, null);
  return {
    letter,
    result: {
      outcome: deadLettered(code),
      offset: message.offset,
      event: undefined,
      reason,
      message: letter,
    },
  };
}
