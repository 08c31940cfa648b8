import type { CallAttempt } from '../types';
import { CONNECT_WITHIN_MS, MIN_RING_MS } from './policy';

/** What the ledger reads of a call: its verdict's fields, its campaign (the group) and endedAt (the period). */
export type LedgerCall = Pick<
  CallAttempt,
  | 'campaignId'
  | 'sipCode'
  | 'endedAt'
  | 'answeredBy'
  | 'answeredAt'
  | 'agentConnectedAt'
  | 'abandoned'
  | 'abandonMessagePlayed'
  | 'ringingAt'
>;

/** Who the ledger says answered a call: what decides which of its counts the call goes in. */
export type LedgerAnswer = 'PERSON' | 'UNKNOWN' | 'MACHINE' | 'FAX' | 'UNDETECTED';

/**
 * Why an answered call counts as abandoned, or that it does not. 16 CFR 310.4(b)(1)(iv) and
 * 47 CFR 64.1200(a)(7)(i) measure the 2 s from the end of the person's greeting; dialers report
 * the answer, which comes earlier, so measuring from it counts more calls abandoned, never fewer.
 */
export type Abandonment = 'NOT_ABANDONED' | 'BY_DIALER' | 'NEVER_CONNECTED' | 'CONNECTED_LATE';

/** What one call adds to its group's ledger (null fields: the call is not of that kind). */
export interface CallVerdict {
  /** null: not answered (not a 2xx) */
  readonly answer: LedgerAnswer | null;
  /** null: not answered, or answered by a machine, a fax or without detection */
  readonly abandonment: Abandonment | null;
  /** abandoned, and the dialer reported that the recorded message was not played */
  readonly withoutMessage: boolean;
  /** a call the dialer cancelled (487) after it rang less than 15 s */
  readonly shortRing: boolean;
}

const isAnswered = (sipCode: number): boolean => sipCode >= 200 && sipCode < 300;

/** Whether the dialer reported anything about abandonment on this call. */
function reportsAbandonment(event: LedgerCall): boolean {
  return (
    (event.abandoned ?? null) !== null ||
    (event.answeredAt ?? null) !== null ||
    (event.agentConnectedAt ?? null) !== null
  );
}

function answerOf(event: LedgerCall): LedgerAnswer {
  switch (event.answeredBy ?? null) {
    case 'HUMAN':
      return 'PERSON';
    case 'MACHINE':
      return 'MACHINE';
    case 'FAX':
      return 'FAX';
    case 'UNKNOWN':
      return 'UNKNOWN';
    default:
      // no detection result, yet the dialer reports whether it abandoned the call: somebody
      // answered that detection did not classify, which is what UNKNOWN says
      return reportsAbandonment(event) ? 'UNKNOWN' : 'UNDETECTED';
  }
}

function abandonmentOf(event: LedgerCall): Abandonment {
  if (event.abandoned === true) return 'BY_DIALER';
  const answeredAt = event.answeredAt ?? null;
  // without the answer's time the dialer's own verdict is all there is
  if (answeredAt === null) return 'NOT_ABANDONED';
  const connectedAt = event.agentConnectedAt ?? null;
  if (connectedAt === null) return 'NEVER_CONNECTED';
  return connectedAt - answeredAt > CONNECT_WITHIN_MS ? 'CONNECTED_LATE' : 'NOT_ABANDONED';
}

/** The call's verdict for the ledger: pure, from the event alone. */
export function callVerdict(event: LedgerCall): CallVerdict {
  if (!isAnswered(event.sipCode)) {
    const ringingAt = event.ringingAt ?? null;
    return {
      answer: null,
      abandonment: null,
      withoutMessage: false,
      shortRing: event.sipCode === 487 && ringingAt !== null && event.endedAt - ringingAt < MIN_RING_MS,
    };
  }
  const answer = answerOf(event);
  const counted = answer === 'PERSON' || answer === 'UNKNOWN';
  const abandonment = counted ? abandonmentOf(event) : null;
  return {
    answer,
    abandonment,
    withoutMessage:
      abandonment !== null && abandonment !== 'NOT_ABANDONED' && event.abandonMessagePlayed === false,
    shortRing: false,
  };
}
