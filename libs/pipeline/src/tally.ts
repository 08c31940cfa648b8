import type { SipflowErrorCode } from '@sipflow/errors';
import { isCapLabel } from '@sipflow/rules';
import type { Classified } from './outcome';
import type { BatchResult, RecordResult } from './process-batch';

/** A batch counted the way metrics and summaries want it: one add per key, not per record. */
export type BatchTally = {
  /** classified events per outcome (outcomes are interned: the keys compare by identity) */
  classified: Map<Classified, number>;
  /** dead letters per code */
  deadLetters: Map<SipflowErrorCode, number>;
  /** events left out by a filter */
  filtered: number;
  /** records per output topic, the DLQ included */
  produced: Map<string, number>;
  /** endedAt of each classified event, for the event-time latency histogram */
  eventTimes: number[];
  /**
   * retries moved later, by what moved them last: a jurisdiction's calling window, the campaign's
   * own window, or a cap on calls to the number (a statute's or the campaign's)
   */
  retriesMoved: { jurisdiction: number; campaign: number; cap: number };
};

export function tallyBatch(result: BatchResult): BatchTally {
  const tally: BatchTally = {
    classified: new Map(),
    deadLetters: new Map(),
    filtered: 0,
    produced: new Map(),
    eventTimes: [],
    retriesMoved: { jurisdiction: 0, campaign: 0, cap: 0 },
  };
  for (const r of result.records) {
    switch (r.outcome.kind) {
      case 'classified': {
        tally.classified.set(r.outcome, (tally.classified.get(r.outcome) ?? 0) + 1);
        tally.eventTimes.push(r.event!.endedAt);
        const movedBy = (r as Extract<RecordResult, { outcome: Classified }>).enrichment.retryMovedBy;
        if (movedBy !== null) {
          // classify names a cap by capLabel ("US-FL 3 calls per 24 h (…)", "campaign 2 calls per
          // 4 h"), a campaign window "campaign …", a jurisdiction's by its region
          if (isCapLabel(movedBy)) tally.retriesMoved.cap++;
          else if (movedBy.startsWith('campaign ')) tally.retriesMoved.campaign++;
          else tally.retriesMoved.jurisdiction++;
        }
        break;
      }
      case 'dead-letter':
        tally.deadLetters.set(r.outcome.code, (tally.deadLetters.get(r.outcome.code) ?? 0) + 1);
        break;
      case 'filtered':
        tally.filtered++;
    }
  }
  for (const { topic, messages } of result.topicMessages) tally.produced.set(topic, messages.length);
  return tally;
}
