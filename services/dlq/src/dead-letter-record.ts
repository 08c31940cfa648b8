import { CONNECT_HEADER, HEADER } from '@sipflow/pipeline';
import type { IHeaders, KafkaMessage } from 'kafkajs';

/** One record of the DLQ topic, with what its headers say about the record it stands for. */
export type DeadLetterRecord = {
  /** `<dlq topic>/<partition>/<offset>`: what a redriven copy's `sipflow-redrive-of` names */
  id: string;
  partition: number;
  offset: string;
  /** when it was dead-lettered (the DLQ record's timestamp) */
  timestamp: number;
  code: string | undefined;
  message: string | undefined;
  /** where the original record was; undefined when the headers do not say */
  source: { topic: string; partition: number; offset: bigint } | undefined;
  /** the original record's timestamp: what `--from`/`--to` select by */
  sourceTimestamp: number;
  /** set on a replay's dead letters: the live processor wrote its own for the same record */
  replayId: string | undefined;
  /** set when the original was itself a redriven copy */
  redriveOf: string | undefined;
};

export const deadLetterId = (topic: string, partition: number, offset: string) =>
  `${topic}/${partition}/${offset}`;

/**
 * Reads a dead letter's headers: sipflow's own first, Kafka Connect's names where sipflow's are
 * missing (a dead letter written before sipflow wrote both, or by another Connect-style writer).
 */
export function readDeadLetter(topic: string, partition: number, m: KafkaMessage): DeadLetterRecord {
  const h = (name: string) => headerText(m.headers, name);
  const sourceTopic = h(HEADER.sourceTopic) ?? h(CONNECT_HEADER.topic);
  const sourcePartition = h(HEADER.sourcePartition) ?? h(CONNECT_HEADER.partition);
  const sourceOffset = h(HEADER.sourceOffset) ?? h(CONNECT_HEADER.offset);
  const source =
    sourceTopic !== undefined &&
    sourcePartition !== undefined &&
    /^\d+$/.test(sourcePartition) &&
    sourceOffset !== undefined &&
    /^\d+$/.test(sourceOffset)
      ? { topic: sourceTopic, partition: Number(sourcePartition), offset: BigInt(sourceOffset) }
      : undefined;
  const timestamp = Number(m.timestamp);
  const sourceTs = Number(h(HEADER.sourceTimestamp));
  return {
    id: deadLetterId(topic, partition, m.offset),
    partition,
    offset: m.offset,
    timestamp,
    code: h(HEADER.errorCode) ?? codeFromConnectMessage(h(CONNECT_HEADER.exceptionMessage)),
    message: h(HEADER.errorMessage) ?? h(CONNECT_HEADER.exceptionMessage),
    source,
    sourceTimestamp: Number.isFinite(sourceTs) && sourceTs > 0 ? sourceTs : timestamp,
    replayId: h(HEADER.replayId),
    redriveOf: h(HEADER.redriveOf),
  };
}

function codeFromConnectMessage(message: string | undefined): string | undefined {
  return message?.match(/^(SIPFLOW_[A-Z0-9_]+): /)?.[1];
}

export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const v = headers?.[name];
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v[0]?.toString() : v.toString();
}
