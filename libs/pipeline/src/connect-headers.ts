import { ERROR_CATALOGUE, type SipflowErrorCode } from '@sipflow/errors';
import type { RecordHeaders } from './records';
import type { Source } from './headers';

/**
 * The context headers Kafka Connect writes on a dead letter, so that tools built for Connect's
 * dead-letter queues read sipflow's too. Names and values as in KIP-298 ("Error Handling in
 * Connect", https://cwiki.apache.org/confluence/display/KAFKA/KIP-298%3A+Error+Handling+in+Connect)
 * and in the class that writes them, org.apache.kafka.connect.runtime.errors.DeadLetterQueueReporter
 * (apache/kafka, connect/runtime; populateContextHeaders), checked 2026-12-01: the prefix
 * `__connect.errors.`, every value a UTF-8 string (partition and offset as decimal numbers).
 */
export const CONNECT_HEADER = {
  topic: '__connect.errors.topic',
  partition: '__connect.errors.partition',
  offset: '__connect.errors.offset',
  connectorName: '__connect.errors.connector.name',
  taskId: '__connect.errors.task.id',
  stage: '__connect.errors.stage',
  className: '__connect.errors.class.name',
  exceptionClassName: '__connect.errors.exception.class.name',
  exceptionMessage: '__connect.errors.exception.message',
  exceptionStacktrace: '__connect.errors.exception.stacktrace',
} as const;

/** Every name the reporter writes: what a redrive strips before the record goes back in. */
export const CONNECT_HEADER_NAMES: readonly string[] = Object.values(CONNECT_HEADER);

/** What `__connect.errors.connector.name` says: sipflow is the one "connector" writing its DLQ. */
export const CONNECT_CONNECTOR_NAME = 'sipflow';

/**
 * Connect's Stage enum names the step that failed; sipflow's steps map onto two of its values:
 * a value that could not be read (framing, schema, Avro, size) failed where Connect's value
 * converter runs, and an event that decoded but was refused failed in sipflow's own processing,
 * which Connect would call a transformation.
 */
function stageOf(code: SipflowErrorCode): { stage: string; className: string } {
  return ERROR_CATALOGUE[code].area === 'decode'
    ? { stage: 'VALUE_CONVERTER', className: '@sipflow/codec.AvroDecoder' }
    : { stage: 'TRANSFORMATION', className: '@sipflow/pipeline.processBatch' };
}

/**
 * The Connect headers of one dead letter. Two of the reporter's are left out on purpose:
 * `task.id` (sipflow has no tasks; a made-up number would mislead a tool that groups by it) and
 * `exception.stacktrace` (a data error's stack points into the decoder, not at the record, and
 * would add about a kilobyte to every dead letter). The exception class is `SipflowError`, and
 * its message starts with the code, so a tool that shows only Connect's headers shows the code.
 */
export function connectErrorHeaders(
  source: Source,
  offset: string,
  code: SipflowErrorCode,
  message: string,
): RecordHeaders {
  const { stage, className } = stageOf(code);
  return {
    [CONNECT_HEADER.topic]: source.topic,
    [CONNECT_HEADER.partition]: String(source.partition),
    [CONNECT_HEADER.offset]: offset,
    [CONNECT_HEADER.connectorName]: CONNECT_CONNECTOR_NAME,
    [CONNECT_HEADER.stage]: stage,
    [CONNECT_HEADER.className]: className,
    [CONNECT_HEADER.exceptionClassName]: 'SipflowError',
    [CONNECT_HEADER.exceptionMessage]: `${code}: ${message}`,
  };
}
