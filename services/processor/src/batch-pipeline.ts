import type { AvroDecoder, CallAttempt } from '@sipflow/codec';
import type { Topics } from '@sipflow/config';
import { isSipflowError, type SipflowErrorCode } from '@sipflow/errors';
import { classify, type Rules } from '@sipflow/rules';
import type { KafkaMessage, Message, TopicMessages } from 'kafkajs';
import { deadLetter } from './dead-letter';
import { sourceHeaders, type Source } from './headers';
import type { OutputEncoders } from './output-types';
import { route, type RoutedRecords } from './routing';

export type PipelineDeps = {
  decoder: AvroDecoder<CallAttempt>;
  rules: Rules;
  encoders: OutputEncoders;
  topics: Topics;
  /** larger values go to the DLQ as SIPFLOW_OVERSIZE_RECORD without being decoded */
  maxRecordBytes: number;
  /** set by `sipflow replay`: marks every output */
  replayId: string | null;
};

export type BatchResult = {
  topicMessages: TopicMessages[];
  /** records per output topic */
  produced: Map<string, number>;
  /** "DISPOSITION ACTION" → count */
  outcomes: Map<string, number>;
  dlq: Map<SipflowErrorCode, number>;
  /** endedAt of each classified event, for the event-time latency histogram */
  eventTimes: number[];
};

/**
 * decode → classify → route for one fetched batch, synchronously: no await per record, and no
 * exception escapes for bad data — every input record ends as outputs or as one DLQ record.
 * The caller must have awaited `decoder.prepare()` for these messages.
 */
export function runPipeline(source: Source, messages: KafkaMessage[], deps: PipelineDeps): BatchResult {
  const { topics, encoders, replayId } = deps;
  const enriched: Message[] = [];
  const retry: Message[] = [];
  const removal: Message[] = [];
  const compliance: Message[] = [];
  const dead: Message[] = [];
  const outcomes = new Map<string, number>();
  const dlq = new Map<SipflowErrorCode, number>();
  const eventTimes: number[] = [];

  const toDlq = (message: KafkaMessage, code: SipflowErrorCode, reason: string) => {
    dead.push(deadLetter(source, message, code, reason, replayId));
    dlq.set(code, (dlq.get(code) ?? 0) + 1);
  };

  for (const message of messages) {
    const size = message.value?.length ?? 0;
    if (size > deps.maxRecordBytes) {
      toDlq(
        message,
        'SIPFLOW_OVERSIZE_RECORD',
        `record of ${size} bytes exceeds MAX_RECORD_BYTES=${deps.maxRecordBytes}`,
      );
      continue;
    }
    let event: CallAttempt;
    let encoded: Encoded;
    try {
      event = deps.decoder.decode(message.value);
      encoded = encode(route(event, classify(event, deps.rules), replayId), encoders);
    } catch (err) {
      if (isSipflowError(err)) toDlq(message, err.code, err.message);
      // not one of ours (a bug, e.g. a record the output schema refuses): still this record's
      // problem only, so it goes to the DLQ with the reason and the batch goes on
      else toDlq(message, 'SIPFLOW_INTERNAL_ERROR', err instanceof Error ? err.message : String(err));
      continue;
    }
    const key = event.leadId;
    const headers = sourceHeaders(source, message, event.eventId, replayId);
    enriched.push({ key, value: encoded.enriched, headers });
    if (encoded.retry) retry.push({ key, value: encoded.retry, headers });
    if (encoded.removal) removal.push({ key, value: encoded.removal, headers });
    if (encoded.compliance) compliance.push({ key, value: encoded.compliance, headers });
    outcomes.set(encoded.outcome, (outcomes.get(encoded.outcome) ?? 0) + 1);
    eventTimes.push(event.endedAt);
  }

  const topicMessages: TopicMessages[] = [];
  const produced = new Map<string, number>();
  for (const [topic, list] of [
    [topics.enriched, enriched],
    [topics.retry, retry],
    [topics.removal, removal],
    [topics.compliance, compliance],
    [topics.dlq, dead],
  ] as const) {
    if (list.length === 0) continue;
    topicMessages.push({ topic, messages: list });
    produced.set(topic, list.length);
  }
  return { topicMessages, produced, outcomes, dlq, eventTimes };
}

type Encoded = { enriched: Buffer; retry?: Buffer; removal?: Buffer; compliance?: Buffer; outcome: string };

/** Encodes every record of one event before any is queued, so a failure leaves no partial output. */
function encode(records: RoutedRecords, encoders: OutputEncoders): Encoded {
  return {
    enriched: encoders.enriched.encode(records.enriched),
    ...(records.retry && { retry: encoders.retry.encode(records.retry) }),
    ...(records.removal && { removal: encoders.removal.encode(records.removal) }),
    ...(records.compliance && { compliance: encoders.compliance.encode(records.compliance) }),
    outcome: `${records.enriched.disposition} ${records.enriched.action}`,
  };
}
