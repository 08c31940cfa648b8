import { AvroDecoder, type CallAttempt, type EnrichedCallAttempt } from '@sipflow/codec';
import type { ConnectionSettings } from '@sipflow/config';
import { createKafka, createRegistry } from '@sipflow/kafka';
import {
  HEADER,
  inputReaderType,
  offlineEncoders,
  outputKindsByTopic,
  outputReaderType,
  processBatch,
  type Topics,
} from '@sipflow/pipeline';
import type { Rules } from '@sipflow/rules';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { auditRecords } from './audit-core';
import { expectationOf } from './expectation';
import { readTopicsToEnd } from './read-topics';
import { inTimeWindow } from './time-window';
import type { AuditDeadLetter, AuditInput, AuditOutput, AuditReport, OutputKind } from './types';

export type AuditOptions = {
  connection: ConnectionSettings;
  topics: Topics;
  rules: Rules;
  /** record-time window of the raw topic, epoch ms: [from, to), as replay's (time-window.ts) */
  from?: number;
  to?: number;
  /** the processor's MAX_RECORD_BYTES (default 1 MiB) */
  maxRecordBytes?: number;
  /** how long reading may take before the report says it is incomplete (default 120 s) */
  timeoutMs?: number;
  maxListed?: number;
};

export type AuditRun = AuditReport & { elapsedMs: number };

/**
 * Reads the raw topic and every output topic (read_committed, up to the end offsets at start) and
 * accounts for each input. Records written by `sipflow replay` (a replay-id header) are not part of
 * the live run and are skipped.
 */
export async function runAudit(opts: AuditOptions): Promise<AuditRun> {
  const started = Date.now();
  const kafka = createKafka(opts.connection, { clientId: 'sipflow-audit' });
  const registry = createRegistry(opts.connection);
  const inputDecoder = new AvroDecoder<CallAttempt>(registry, inputReaderType());
  const enrichedDecoder = new AvroDecoder<EnrichedCallAttempt>(registry, outputReaderType('enriched'));
  const { topics } = opts;
  const kindOf = outputKindsByTopic(topics);
  // what the processor would have produced, encoded and thrown away: the pipeline's own verdict
  const pipeline = {
    decoder: inputDecoder,
    rules: opts.rules,
    encoders: offlineEncoders(topics),
    topics,
    maxRecordBytes: opts.maxRecordBytes ?? 1024 * 1024,
    replayId: null,
  };
  const window = { from: opts.from, to: opts.to };

  const inputs: AuditInput[] = [];
  const outputs: AuditOutput[] = [];
  const deadLetters: AuditDeadLetter[] = [];
  const redriveCopies = new Map<string, number>();

  const handle = async (topic: string, partition: number, messages: KafkaMessage[]) => {
    if (topic === topics.input) {
      // copies of every redriven dead letter, inside the window or not
      for (const m of messages) {
        const of = header(m.headers, HEADER.redriveOf);
        if (of !== undefined) redriveCopies.set(of, (redriveCopies.get(of) ?? 0) + 1);
      }
      const kept = messages.filter((m) => inTimeWindow(Number(m.timestamp), window));
      await inputDecoder.prepare(
        kept.filter((m) => (m.value?.length ?? 0) <= pipeline.maxRecordBytes).map((m) => m.value),
      );
      const { records } = processBatch({ topic, partition }, kept, pipeline);
      records.forEach((record, i) => {
        const redriveOf = header(kept[i]!.headers, HEADER.redriveOf);
        inputs.push({
          partition,
          offset: record.offset,
          timestamp: Number(kept[i]!.timestamp),
          expected: expectationOf(record),
          ...(redriveOf === undefined ? {} : { redriveOf }),
        });
      });
      return;
    }
    const live = messages.filter((m) => header(m.headers, HEADER.replayId) === undefined);
    if (topic === topics.dlq) {
      for (const m of live) {
        const sourcePartition = header(m.headers, HEADER.sourcePartition);
        deadLetters.push({
          id: `${topic}/${partition}/${m.offset}`,
          partition,
          offset: m.offset,
          code: header(m.headers, HEADER.errorCode),
          sourcePartition: sourcePartition === undefined ? undefined : Number(sourcePartition),
          sourceOffset: header(m.headers, HEADER.sourceOffset),
        });
      }
      return;
    }
    const kind = kindOf.get(topic) as OutputKind;
    if (kind === 'enriched') await enrichedDecoder.prepare(live.map((m) => m.value));
    for (const m of live) {
      const output: AuditOutput = {
        kind,
        partition,
        offset: m.offset,
        eventId: header(m.headers, HEADER.eventId),
      };
      if (kind === 'enriched') {
        try {
          const e = enrichedDecoder.decode(m.value);
          output.disposition = e.disposition;
          output.action = e.action;
        } catch {
          output.disposition = '(undecodable)';
          output.action = '(undecodable)';
        }
      }
      outputs.push(output);
    }
  };

  const read = await readTopicsToEnd(kafka, Object.values(topics), handle, {
    timeoutMs: opts.timeoutMs ?? 120_000,
  });
  const report = auditRecords({
    inputs,
    outputs,
    deadLetters,
    windowed: opts.from !== undefined || opts.to !== undefined,
    redriveCopies,
    ...(opts.maxListed === undefined ? {} : { maxListed: opts.maxListed }),
  });
  if (!read.complete) report.incomplete = `not read to the end in time: ${read.unfinished.join(', ')}`;
  return { ...report, elapsedMs: Date.now() - started };
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const v = headers?.[name];
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v[0]?.toString() : v.toString();
}
