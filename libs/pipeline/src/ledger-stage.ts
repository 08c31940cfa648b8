import type { AbandonmentPeriod, RegisteredType } from '@sipflow/codec';
import {
  abandonmentRate,
  addPartial,
  alertDue,
  ledgerStatus,
  type LedgerState,
  type LedgerStatus,
  type Rules,
} from '@sipflow/rules';
import { deadLetteredRecord, failureOf } from './dead-letter';
import type { Source } from './headers';
import { decodePartial } from './ledger-partials';
import type { RecordResult } from './process-batch';
import type { InputRecord, OutputRecord, TopicRecords } from './records';
import type { Topics } from './topics';

/** The ledger's keyed state as one batch sees it (the processor backs it with a store per partition). */
export interface LedgerStateView {
  get(key: string): LedgerState;
  set(key: string, value: LedgerState): void;
}

/**
 * How many periods apart a later call still closes an earlier period: the state keeps a period 90
 * days (three periods) after its last call (LEDGER_KEEP_MS), so one further back is gone anyway.
 */
const CLOSE_REACH = 3;

/** The state key, and the compacted topic's record key, of a group's period: `<group>/<period>`. */
export const periodKey = (group: string, period: number): string => `${group}/${period}`;

export type LedgerBatchResult = {
  /** the batch's dead letters (partials that do not parse); every other record is counted */
  records: RecordResult[];
  topicMessages: TopicRecords[];
  /** the statuses periods rose to in this batch, one per period and status */
  raised: LedgerStatus[];
  /** periods updated */
  periods: number;
};

/**
 * The ledger stage: adds a batch of partials (ledger-partials.ts) to the groups' periods, and
 * writes each period it changed to the compacted topic, once per batch, as it now stands. A
 * period is closed once a call of a later period of the group is counted. Pure, like
 * processBatch: the state's changes are the caller's to keep once the outputs are committed.
 */
export function ledgerBatch(
  source: Source,
  messages: InputRecord[],
  deps: {
    rules: Rules;
    view: LedgerStateView;
    encoder: RegisteredType<AbandonmentPeriod>;
    topics: Topics;
  },
): LedgerBatchResult {
  const { view, rules } = deps;
  const policy = rules.abandonment;
  const records: RecordResult[] = [];
  const letters: OutputRecord[] = [];
  const raised: LedgerStatus[] = [];
  const touched = new Set<string>();
  const update = (key: string, next: LedgerState) => {
    const due = alertDue(next, policy);
    if (due !== null) raised.push(due);
    view.set(key, due === null ? next : { ...next, alerted: due });
    touched.add(key);
  };
  for (const message of messages) {
    try {
      const partial = decodePartial(message.value);
      const key = periodKey(partial.group, partial.period);
      // a group's period is over once a call of a later period is counted: whichever is counted
      // first, the earlier one ends up closed (looked for up to CLOSE_REACH periods apart, so a
      // month without calls between them still closes it)
      let later = false;
      for (let k = 1; k <= CLOSE_REACH && !later; k++)
        later = view.get(periodKey(partial.group, partial.period + k)).counts.calls > 0;
      const added = addPartial(view.get(key), partial);
      update(key, later && !added.closed ? { ...added, closed: true } : added);
      for (let k = 1; k <= CLOSE_REACH; k++) {
        const earlierKey = periodKey(partial.group, partial.period - k);
        const earlier = view.get(earlierKey);
        if (earlier.counts.calls > 0 && !earlier.closed) update(earlierKey, { ...earlier, closed: true });
      }
    } catch (err) {
      const { code, reason } = failureOf(err);
      const { letter, result } = deadLetteredRecord(source, message, code, reason);
      letters.push(letter);
      records.push(result);
    }
  }
  const out: OutputRecord[] = [];
  for (const key of touched) {
    const slash = key.lastIndexOf('/');
    const value = periodRecord(key.slice(0, slash), Number(key.slice(slash + 1)), view.get(key), rules);
    out.push({ key, value: deps.encoder.encode(value), headers: {} });
  }
  const topicMessages: TopicRecords[] = [];
  if (out.length > 0) topicMessages.push({ topic: deps.topics.abandonment, messages: out });
  if (letters.length > 0) topicMessages.push({ topic: deps.topics.dlq, messages: letters });
  return { records, topicMessages, raised, periods: touched.size };
}

/** A period's record on the compacted topic. */
export function periodRecord(
  group: string,
  period: number,
  state: LedgerState,
  rules: Rules,
): AbandonmentPeriod {
  const policy = rules.abandonment;
  return {
    group,
    period,
    periodStart: state.fromMs,
    periodEnd: state.toMs,
    configured: state.configured,
    ...abandonmentRate(state.counts, policy),
    status: ledgerStatus(state.counts, policy, state.closed),
    closed: state.closed,
    unknownCountsAsPerson: policy.unknownCountsAsPerson,
    warnAt: policy.warnAt,
    minAnswered: policy.minAnswered,
    counts: { ...state.counts },
    firstCallAt: state.firstCallAt,
    lastCallAt: state.lastCallAt,
    rulesVersion: rules.version,
  };
}
