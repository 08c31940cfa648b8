import { CONNECT_HEADER_NAMES, HEADER } from '@sipflow/pipeline';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** What the dead-lettering added to the record's headers, taken off again before it goes back. */
const ADDED_BY_DEAD_LETTERING: ReadonlySet<string> = new Set([
  HEADER.errorCode,
  HEADER.errorMessage,
  HEADER.sourceTopic,
  HEADER.sourcePartition,
  HEADER.sourceOffset,
  HEADER.sourceTimestamp,
  HEADER.replayId,
  ...CONNECT_HEADER_NAMES,
]);

/**
 * The raw record a redrive writes for one dead letter: a new record with the original key and
 * value bytes untouched, the original's own headers (trace context and whatever the dialer set),
 * `sipflow-redrive-of` naming the dead letter, and the original's partition, so a lead's records
 * stay on one partition whatever partitioner the dialer used. Its timestamp is the time of the
 * redrive: it is a new record, and the event's own times are in its value.
 */
export function redriveCopy(deadLetterId: string, letter: KafkaMessage, partition: number): Message {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(letter.headers ?? {})) {
    if (value !== undefined && !ADDED_BY_DEAD_LETTERING.has(name)) headers[name] = value;
  }
  // a copy of a copy (a redriven record that failed again) names the newer dead letter
  headers[HEADER.redriveOf] = deadLetterId;
  return { key: letter.key, value: letter.value, headers, partition };
}
