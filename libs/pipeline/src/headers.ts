import type { InputRecord, RecordHeaders } from './records';

/** Header names sipflow writes; downstream services may rely on them. */
export const HEADER = {
  sourceTopic: 'sipflow-source-topic',
  sourcePartition: 'sipflow-source-partition',
  sourceOffset: 'sipflow-source-offset',
  sourceTimestamp: 'sipflow-source-timestamp',
  eventId: 'sipflow-event-id',
  errorCode: 'sipflow-error-code',
  errorMessage: 'sipflow-error-message',
  replayId: 'replay-id',
  /** on a raw record `sipflow dlq redrive` wrote: the dead letter it is a copy of, `<topic>/<partition>/<offset>` */
  redriveOf: 'sipflow-redrive-of',
  /**
   * on a compliance alert the abandoned-call ledger raised, not the event's action: `abandonment`
   * (an abandoned call that heard no recorded message; docs/abandonment.md)
   */
  alertSource: 'sipflow-alert-source',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

export type Source = { topic: string; partition: number };

/** Where an output came from, plus the incoming W3C trace context, passed through untouched. */
export function sourceHeaders(
  source: Source,
  message: InputRecord,
  eventId: string,
  replayId: string | null,
): RecordHeaders {
  const headers: RecordHeaders = {
    [HEADER.sourceTopic]: source.topic,
    [HEADER.sourcePartition]: String(source.partition),
    [HEADER.sourceOffset]: message.offset,
    [HEADER.eventId]: eventId,
  };
  const incoming = message.headers;
  if (incoming?.[HEADER.traceparent] !== undefined)
    headers[HEADER.traceparent] = incoming[HEADER.traceparent];
  if (incoming?.[HEADER.tracestate] !== undefined) headers[HEADER.tracestate] = incoming[HEADER.tracestate];
  if (replayId !== null) headers[HEADER.replayId] = replayId;
  return headers;
}
