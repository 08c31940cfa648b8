import type { AvroDecoder } from '@sipflow/codec';
import {
  deadLetteredRecord,
  failureOf,
  HEADER,
  type BatchResult,
  type RecordResult,
  type Source,
  type Topics,
} from '@sipflow/pipeline';
import type { IHeaders, KafkaMessage, Message, TopicMessages } from 'kafkajs';

/**
 * The raw record's key on its repartition copy (the copy is keyed by phone number): a dead letter
 * written after the repartition carries the key the dialer wrote, as one written before it does.
 */
export const SOURCE_KEY_HEADER = 'sipflow-source-key';

/** What the repartition stage reads of an input record (inputPhoneNumberReaderType). */
export type PhoneNumberOnly = { phoneNumber: string };

const FORWARDING_HEADERS = [
  HEADER.sourceTopic,
  HEADER.sourcePartition,
  HEADER.sourceOffset,
  SOURCE_KEY_HEADER,
];

/**
 * Re-keys a batch of the raw topic by phone number onto the repartition topic, as Kafka Streams'
 * `selectKey` + repartition does: afterwards every call to one number is on one partition, whichever
 * lead's partition it came from, so one member holds that number's state. The value bytes are
 * forwarded untouched (the same schema id, decoded again on the other side), with the record's
 * timestamp and headers, plus where it came from, so outputs and dead letters still name the raw
 * record. What cannot be read to find its number (too large, not framed, an unknown schema, a
 * body that does not parse) goes to the DLQ here, as processBatch would send it; the rest of the
 * event is checked when its copy is classified.
 */
export function forwardBatch(
  source: Source,
  messages: KafkaMessage[],
  deps: {
    /** reads only the phone number (inputPhoneNumberReaderType): the rest is not built here */
    decoder: AvroDecoder<PhoneNumberOnly>;
    topics: Topics;
    repartitionTopic: string;
    maxRecordBytes: number;
  },
): BatchResult {
  const forwarded: Message[] = [];
  const letters: Message[] = [];
  const records: RecordResult[] = [];
  const partition = String(source.partition);
  for (const message of messages) {
    const size = message.value?.length ?? 0;
    let code: Parameters<typeof deadLetteredRecord>[2];
    let reason: string;
    if (size > deps.maxRecordBytes) {
      code = 'SIPFLOW_OVERSIZE_RECORD';
      reason = `record of ${size} bytes exceeds MAX_RECORD_BYTES=${deps.maxRecordBytes}`;
    } else {
      try {
        const { phoneNumber } = deps.decoder.decode(message.value);
        const headers: IHeaders = {
          ...(message.headers ?? {}),
          [HEADER.sourceTopic]: source.topic,
          [HEADER.sourcePartition]: partition,
          [HEADER.sourceOffset]: message.offset,
        };
        if (message.key !== null) headers[SOURCE_KEY_HEADER] = message.key;
        forwarded.push({ key: phoneNumber, value: message.value, timestamp: message.timestamp, headers });
        continue;
      } catch (err) {
        ({ code, reason } = failureOf(err));
      }
    }
    const { letter, result } = deadLetteredRecord(source, message, code, reason);
    letters.push(letter);
    records.push(result);
  }
  const topicMessages: TopicMessages[] = [];
  if (forwarded.length > 0) topicMessages.push({ topic: deps.repartitionTopic, messages: forwarded });
  if (letters.length > 0) topicMessages.push({ topic: deps.topics.dlq, messages: letters });
  return { records, topicMessages };
}

const text = (value: IHeaders[string]): string | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? String(value[0]) : String(value);

/**
 * A repartition record as the raw record it copies: its key, offset and headers, and the raw
 * topic partition it came from. A record without the forwarding headers (not written by
 * forwardBatch) stands for itself.
 */
export function unwrapForwarded(
  message: KafkaMessage,
  self: Source,
): { message: KafkaMessage; source: Source } {
  const headers = message.headers ?? {};
  const topic = text(headers[HEADER.sourceTopic]);
  const partition = text(headers[HEADER.sourcePartition]);
  const offset = text(headers[HEADER.sourceOffset]);
  if (topic === undefined || partition === undefined || offset === undefined)
    return { message, source: self };
  const original: IHeaders = {};
  for (const name in headers) if (!FORWARDING_HEADERS.includes(name as never)) original[name] = headers[name];
  const key = headers[SOURCE_KEY_HEADER];
  return {
    message: {
      ...message,
      key: key === undefined ? null : Buffer.isBuffer(key) ? key : Buffer.from(String(key)),
      offset,
      headers: original,
    } as KafkaMessage,
    source: { topic, partition: Number(partition) },
  };
}
