import type { AvroDecoder, CallAttempt } from '@sipflow/codec';
import { isSipflowError, type SipflowErrorCode } from '@sipflow/errors';
import {
  attemptOf,
  callVerdict,
  classify,
  historyKeepMs,
  recordAttempt,
  type Enrichment,
  type Rules,
} from '@sipflow/rules';
import type { InputRecord, OutputRecord, TopicRecords } from './records';
import { deadLetter } from './dead-letter';
import { abandonmentAlert } from './abandonment-alert';
import { LedgerPartials } from './ledger-partials';
import type { NumberStateView } from './number-state';
import type { OutputEncoders } from './encoders';
import { sourceHeaders, type Source } from './headers';
import {
  classified,
  deadLettered,
  FILTERED,
  type Classified,
  type DeadLettered,
  type Filtered,
} from './outcome';
import { OUTPUT_KINDS, OUTPUTS, type OutputKind } from './outputs';
import type { Topics } from './topics';

export type PipelineDeps = {
  decoder: AvroDecoder<CallAttempt>;
  rules: Rules;
  encoders: OutputEncoders;
  topics: Topics;
  /** larger values go to the DLQ as SIPFLOW_OVERSIZE_RECORD without being decoded */
  maxRecordBytes: number;
  /** set by `sipflow replay`: marks every output */
  replayId: string | null;
  /**
   * The per-number state, read and written when the rules use it (`rules.stateWindowMs` > 0): each
   * classified call is recorded under its number, after the record's outputs are built. Without
   * it, caps and `stopAfterUnanswered` see only the call in hand.
   */
  state?: NumberStateView;
  /**
   * Where the abandoned-call ledger's partials go (ledger-partials.ts): the batch's calls counted
   * per group and period, one record each, after the batch's outputs. Unset: none are written
   * (replay, the audit, and a processor with the ledger off).
   */
  ledgerTopic?: string;
};

/** What became of one input record, in input order. */
export type RecordResult =
  | {
      outcome: Classified;
      offset: string;
      event: CallAttempt;
      enrichment: Enrichment;
      /** one per `outcome.outputs` kind, in that order */
      messages: OutputRecord[];
    }
  | {
      outcome: DeadLettered;
      offset: string;
      /** set when the record decoded and a later step failed */
      event: CallAttempt | undefined;
      reason: string;
      message: OutputRecord;
    }
  | { outcome: Filtered; offset: string; event: CallAttempt | undefined };

export type BatchResult = {
  /** one per input record, in input order */
  records: RecordResult[];
  /** every output record, grouped per topic in table order, each topic's in input order */
  topicMessages: TopicRecords[];
};

export type BatchOptions = {
  /**
   * Replay's field filters: an event for which this is false produces nothing (outcome FILTERED).
   * When it is set, a record that is not decoded (too large, or undecodable) is FILTERED too: the
   * filter cannot tell whether it was meant.
   */
  keep?: (event: CallAttempt) => boolean;
};

/**
 * decode → classify → outputs → encode for one fetched batch, synchronously: no await per record,
 * and no exception escapes for bad data: every input record ends as its output records or as one
 * dead letter. The caller must have awaited `decoder.prepare()` for these messages.
 */
export function processBatch(
  /** where the records came from; one per record when a batch mixes partitions (the repartition topic's) */
  source: Source | readonly Source[],
  messages: InputRecord[],
  deps: PipelineDeps,
  opts: BatchOptions = {},
): BatchResult {
  const byKind = Object.fromEntries(OUTPUT_KINDS.map((k) => [k, [] as OutputRecord[]])) as Record<
    OutputKind,
    OutputRecord[]
  >;
  const records: RecordResult[] = [];
  const { replayId, maxRecordBytes } = deps;
  const state = deps.rules.stateWindowMs > 0 ? deps.state : undefined;
  const keepMs = historyKeepMs(deps.rules.stateWindowMs);
  const partials = deps.ledgerTopic === undefined ? undefined : new LedgerPartials(deps.rules.abandonment);
  const perRecord = Array.isArray(source) ? (source as readonly Source[]) : null;
  let index = -1; // the record in hand, for its source
  const sourceOf = (): Source => perRecord?.[index] ?? (source as Source);

  // one function for the batch, not a closure per record (the loop is the hot path)
  const toDlq = (
    message: InputRecord,
    code: SipflowErrorCode,
    reason: string,
    event: CallAttempt | undefined,
  ) => {
    const letter = deadLetter(sourceOf(), message, code, reason, replayId);
    byKind.dlq.push(letter);
    records.push({ outcome: deadLettered(code), offset: message.offset, event, reason, message: letter });
  };

  for (const message of messages) {
    index++;
    const { offset } = message;
    const size = message.value?.length ?? 0;
    if (size > maxRecordBytes) {
      if (opts.keep) records.push({ outcome: FILTERED, offset, event: undefined });
      else
        toDlq(
          message,
          'SIPFLOW_OVERSIZE_RECORD',
          `record of ${size} bytes exceeds MAX_RECORD_BYTES=${maxRecordBytes}`,
          undefined,
        );
      continue;
    }
    let event: CallAttempt | undefined;
    try {
      event = deps.decoder.decode(message.value);
      if (opts.keep && !opts.keep(event)) {
        records.push({ outcome: FILTERED, offset, event });
        continue;
      }
      const history = state?.get(event.phoneNumber);
      const enrichment = classify(event, deps.rules, history);
      const outcome = classified(enrichment.disposition, enrichment.action);
      const key = event.leadId;
      const headers = sourceHeaders(sourceOf(), message, event.eventId, replayId);
      // every record of the event is encoded before any is queued: a failure leaves no partial output
      const out: OutputRecord[] = [];
      for (const kind of outcome.outputs) {
        const value = deps.encoders[kind].encode(OUTPUTS[kind].record(event, enrichment, replayId) as never);
        out.push({ key, value, headers });
      }
      // with the ledger on, a call abandoned without the recorded message raises an alert of its
      // own, beside whatever its action selects (checked on the one field first: it is rare)
      const unplayed =
        partials !== undefined && event.abandonMessagePlayed === false && callVerdict(event).withoutMessage
          ? abandonmentAlert(event, enrichment, headers, deps)
          : null;
      for (let i = 0; i < out.length; i++) byKind[outcome.outputs[i]!].push(out[i]!);
      if (unplayed !== null) byKind.compliance.push(unplayed);
      // counted once its outputs are built, as the state records it: a dead letter is not a call
      partials?.add(event);
      // recorded once its outputs are built: a record that goes to the DLQ placed no call we count
      if (state)
        state.set(
          event.phoneNumber,
          recordAttempt(history!, attemptOf(event, enrichment.disposition), keepMs),
        );
      records.push({ outcome, offset, event, enrichment, messages: out });
    } catch (err) {
      if (opts.keep && event === undefined) records.push({ outcome: FILTERED, offset, event });
      else if (isSipflowError(err)) toDlq(message, err.code, err.message, event);
      // not one of ours (a bug, e.g. a record the output schema refuses): still this record's
      // problem only, so it goes to the DLQ with the reason and the batch goes on
      else toDlq(message, 'SIPFLOW_INTERNAL_ERROR', err instanceof Error ? err.message : String(err), event);
    }
  }

  const topicMessages: TopicRecords[] = [];
  for (const kind of OUTPUT_KINDS) {
    if (byKind[kind].length > 0) topicMessages.push({ topic: deps.topics[kind], messages: byKind[kind] });
  }
  const ledger = partials?.messages() ?? [];
  if (ledger.length > 0) topicMessages.push({ topic: deps.ledgerTopic!, messages: ledger });
  return { records, topicMessages };
}
