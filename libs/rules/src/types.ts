import type { Action, Disposition } from './dispositions';

/** One final (or progress) outcome of a call attempt, as the dialer reports it. */
export interface CallAttempt {
  eventId: string;
  leadId: string;
  campaignId: string;
  /** Dialed number, E.164. */
  phoneNumber: string;
  /** Caller ID presented, E.164. */
  callerId: string | null;
  sipCode: number;
  sipReason: string | null;
  /** From `Reason: Q.850;cause=N` (RFC 3326 / RFC 6432). */
  q850Cause: number | null;
  /** From the `Retry-After` header. */
  retryAfterSeconds: number | null;
  /** 1-based count of attempts on this lead, this one included. */
  attemptNumber: number;
  /** Epoch milliseconds. */
  startedAt: number;
  /** Epoch milliseconds; the reference instant for retry timing. */
  endedAt: number;
  /** IANA zone of the called party. */
  leadTimezone: string | null;
  carrier: string | null;
}

/** What classify() adds to every call attempt. */
export interface Enrichment {
  disposition: Disposition;
  action: Action;
  /** Epoch milliseconds; set only when action is RETRY. */
  retryAt: number | null;
  ruleId: string;
  rulesVersion: string;
  /** One human sentence: why this disposition and action. */
  explanation: string;
}
