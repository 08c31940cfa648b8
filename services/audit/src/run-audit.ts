import {
  AvroDecoder,
  type AbandonmentPeriod,
  type CallAttempt,
  type EnrichedCallAttempt,
  type RetryRequest,
} from '@sipflow/codec';
import type { ConnectionSettings } from '@sipflow/config';
import { createKafka, createRegistry } from '@sipflow/kafka';
import {
  HEADER,
  inputReaderType,
  offlineEncoders,
  outputKindsByTopic,
  outputReaderType,
  processBatch,
  type NumberStateView,
  type RecordResult,
  type Topics,
} from '@sipflow/pipeline';
import {
  attemptOf,
  classify,
  historyKeepMs,
  isCapLabel,
  LedgerBook,
  validateCallAttempt,
  type CallAttempt as Call,
  type LedgerCall,
  type Rules,
} from '@sipflow/rules';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { auditRecords } from './audit-core';
import type { AuditRetry } from './cap-audit';
import { expectationOf } from './expectation';
import { auditLedger } from './ledger-audit';
import { RetainedSince } from './retained-since';
import { NumberCalls } from './number-calls';
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

/** A raw record of the window, kept until the whole topic's calls are known. */
type WindowRecord = { partition: number; message: KafkaMessage; event: CallAttempt | undefined };

/**
 * Reads the raw topic and every output topic (read_committed, up to the end offsets at start) and
 * accounts for each input. Records written by `sipflow replay` (a replay-id header) are not part of
 * the live run and are skipped.
 *
 * When the rules keep per-number state, every valid call on the raw topic (the whole topic, not
 * only the window) is collected first; each window record is then classified against the calls to
 * its number that came before it (startedAt, then eventKey: the order the state keeps), whatever
 * order the partitions were read in, and every retry is checked against the frequency caps. The
 * window's raw records are held in memory until the read ends.
 */
export async function runAudit(opts: AuditOptions): Promise<AuditRun> {
  const started = Date.now();
  const kafka = createKafka(opts.connection, { clientId: 'sipflow-audit' });
  const registry = createRegistry(opts.connection);
  const inputDecoder = new AvroDecoder<CallAttempt>(registry, inputReaderType());
  const enrichedDecoder = new AvroDecoder<EnrichedCallAttempt>(registry, outputReaderType('enriched'));
  const retryDecoder = new AvroDecoder<RetryRequest>(registry, outputReaderType('retry'));
  const periodDecoder = new AvroDecoder<AbandonmentPeriod>(registry, outputReaderType('abandonment'));
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
  const stateful = opts.rules.stateWindowMs > 0;
  // as long as the processor's state keeps a number's calls
  const keepMs = historyKeepMs(opts.rules.stateWindowMs);
  const calls = new NumberCalls();
  const windowRecords: WindowRecord[] = [];
  const retries: AuditRetry[] = [];

  // the call a raw record placed, as the processor's state records it; none for a record the
  // processor dead-letters (too large, undecodable, invalid)
  const callOf = (m: KafkaMessage, partition: number): CallAttempt | undefined => {
    if ((m.value?.length ?? 0) > pipeline.maxRecordBytes) return undefined;
    try {
      const event = inputDecoder.decode(m.value);
      calls.add(event.phoneNumber, event.eventId, attemptOf(event, classify(event, opts.rules).disposition), {
        endedAt: event.endedAt,
        partition,
        offset: BigInt(m.offset),
      });
      return event;
    } catch {
      return undefined;
    }
  };

  // the abandoned-call ledger as the raw topic says it should be, against its topic's latest
  // records: every valid call of the raw topic by position, less those the processor dead-lettered
  // (with the limits it had then: a redriven original stays a dead letter), counted after the read
  const ledgerCalls = new Map<string, { call: LedgerCall; eventId: string }>();
  // the eventIds of the alerts the ledger raised on compliance.alerts (sipflow-alert-source)
  const ledgerAlerts: string[] = [];
  const livePeriods = new Map<string, AbandonmentPeriod>();
  // where retention has cut the raw topic: periods that began earlier are not compared
  const retained = new RetainedSince();
  const keepForLedger = (partition: number, m: KafkaMessage) => {
    if ((m.value?.length ?? 0) > pipeline.maxRecordBytes) return;
    try {
      const event = validateCallAttempt(inputDecoder.decode(m.value));
      ledgerCalls.set(`${partition}:${m.offset}`, { call: ledgerCall(event), eventId: event.eventId });
    } catch {
      // dead-lettered by the processor: not a call
    }
  };

  const inputs: AuditInput[] = [];
  const addInput = (partition: number, message: KafkaMessage, record: RecordResult) =>
    addInputTo(inputs, partition, message, record);
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
      // every record's writer schema: the ledger counts the whole topic, whatever the window
      await inputDecoder.prepare(
        messages.filter((m) => (m.value?.length ?? 0) <= pipeline.maxRecordBytes).map((m) => m.value),
      );
      retained.batch(partition, messages);
      for (const m of messages) keepForLedger(partition, m);
      if (!stateful) {
        const { records } = processBatch({ topic, partition }, kept, pipeline);
        records.forEach((record, i) => addInput(partition, kept[i]!, record));
        return;
      }
      for (const m of messages) {
        const event = callOf(m, partition);
        if (inTimeWindow(Number(m.timestamp), window)) windowRecords.push({ partition, message: m, event });
      }
      return;
    }
    const notReplayed = messages.filter((m) => header(m.headers, HEADER.replayId) === undefined);
    // the ledger's own alerts are checked against the calls abandoned without the message (below),
    // not against the event's action
    const live = notReplayed.filter((m) => header(m.headers, HEADER.alertSource) === undefined);
    if (topic === topics.compliance)
      for (const m of notReplayed)
        if (header(m.headers, HEADER.alertSource) === 'abandonment')
          ledgerAlerts.push(header(m.headers, HEADER.eventId) ?? '');
    if (topic === topics.abandonment) {
      await periodDecoder.prepare(live.map((m) => m.value));
      // a key's records are on one partition, in order: the last one read is the period now
      for (const m of live) {
        try {
          livePeriods.set(m.key?.toString() ?? '', periodDecoder.decode(m.value));
        } catch {
          livePeriods.delete(m.key?.toString() ?? '');
        }
      }
      return;
    }
    if (topic === topics.dlq) {
      for (const m of live) {
        const sourcePartition = header(m.headers, HEADER.sourcePartition);
        deadLetters.push({
          id: `${topic}/${partition}/${m.offset}`,
          partition,
          offset: m.offset,
          sourceTopic: header(m.headers, HEADER.sourceTopic),
          code: header(m.headers, HEADER.errorCode),
          sourcePartition: sourcePartition === undefined ? undefined : Number(sourcePartition),
          sourceOffset: header(m.headers, HEADER.sourceOffset),
        });
      }
      return;
    }
    const kind = kindOf.get(topic) as OutputKind;
    if (kind === 'enriched') await enrichedDecoder.prepare(live.map((m) => m.value));
    if (kind === 'retry' && stateful) {
      await retryDecoder.prepare(live.map((m) => m.value));
      for (const m of live) {
        try {
          const r = retryDecoder.decode(m.value);
          retries.push({
            eventId: r.eventId,
            retryAt: r.retryAt,
            heldByCap: r.retryMovedBy != null && isCapLabel(r.retryMovedBy),
          });
        } catch {
          // undecodable: the routing check counts the record; there is no retryAt to check
        }
      }
    }
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
  const events = new Map<string, CallAttempt>();
  for (const { partition, message, event } of windowRecords) {
    // the state as it stood for this call: its number's calls reported before it
    const state: NumberStateView | undefined = event && {
      get: (phoneNumber) => calls.knownBefore(phoneNumber, event, keepMs),
      set: () => undefined,
    };
    const [record] = processBatch({ topic: topics.input, partition }, [message], {
      ...pipeline,
      ...(state ? { state } : {}),
    }).records;
    addInput(partition, message, record!);
    if (record!.outcome.kind === 'classified' && event && !events.has(event.eventId))
      events.set(event.eventId, event);
  }
  const report = auditRecords({
    inputs,
    outputs,
    deadLetters,
    windowed: opts.from !== undefined || opts.to !== undefined,
    redriveCopies,
    ...(stateful ? { capCheck: { rules: opts.rules, retries, events, calls } } : {}),
    ...(opts.maxListed === undefined ? {} : { maxListed: opts.maxListed }),
  });
  if (!read.complete) report.incomplete = `not read to the end in time: ${read.unfinished.join(', ')}`;
  for (const d of deadLetters)
    if (d.sourceTopic === topics.input) ledgerCalls.delete(`${d.sourcePartition}:${d.sourceOffset}`);
  const ledger = new LedgerBook(opts.rules.abandonment);
  const unplayed: string[] = [];
  for (const { call, eventId } of ledgerCalls.values())
    if (ledger.add(call).withoutMessage) unplayed.push(eventId);
  report.ledger = auditLedger([...ledger.ledgers()], livePeriods, retained.ms, {
    expected: unplayed,
    found: ledgerAlerts,
  });
  return { ...report, elapsedMs: Date.now() - started };
}

function addInputTo(
  inputs: AuditInput[],
  partition: number,
  message: KafkaMessage,
  record: RecordResult,
): void {
  const redriveOf = header(message.headers, HEADER.redriveOf);
  inputs.push({
    partition,
    offset: record.offset,
    timestamp: Number(message.timestamp),
    expected: expectationOf(record),
    ...(redriveOf === undefined ? {} : { redriveOf }),
  });
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const v = headers?.[name];
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v[0]?.toString() : v.toString();
}

/** What the ledger reads of a call, kept per raw record until the dead letters are known. */
function ledgerCall(e: Call): LedgerCall {
  return {
    campaignId: e.campaignId,
    sipCode: e.sipCode,
    endedAt: e.endedAt,
    answeredBy: e.answeredBy,
    answeredAt: e.answeredAt,
    agentConnectedAt: e.agentConnectedAt,
    abandoned: e.abandoned,
    abandonMessagePlayed: e.abandonMessagePlayed,
    ringingAt: e.ringingAt,
  };
}
