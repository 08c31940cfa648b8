import type { NetworkBlockNotice } from '@sipflow/sip';
import type { Action, AnsweredBy, Disposition } from './dispositions';

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
  /**
   * The `Reason` header value(s) as received (RFC 3326). Optional so that events written before
   * the field existed (and NDJSON without it) classify unchanged: absent means null.
   */
  reasonHeader?: string | null;
  /** ISO 3166-2 region of the called party, e.g. "US-FL"; absent or null: from the area code. */
  leadRegion?: string | null;
  /** Who answered (answering-machine detection); absent or null: the dialer did not say. */
  answeredBy?: AnsweredBy | null;
  /** Epoch ms when the call was answered; absent or null: not reported. */
  answeredAt?: number | null;
  /** Epoch ms when a representative was connected to the answered call; null: never (or not reported). */
  agentConnectedAt?: number | null;
  /** The dialer's own verdict: it abandoned the answered call (no representative was free). */
  abandoned?: boolean | null;
  /** Whether the abandoned call heard the recorded message naming the seller and its number. */
  abandonMessagePlayed?: boolean | null;
  /** Epoch ms when the called phone began to ring (a 180 Ringing). */
  ringingAt?: number | null;
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
  /** The region whose calling rules applied (given or derived from the area code), or null. */
  jurisdiction: string | null;
  /** Which calling window moved retryAt later, or null when none did (or no retry). */
  retryMovedBy: string | null;
  /** Set exactly when action is REMOVE_LEAD. */
  removalScope: RemovalScope | null;
  /** A do-not-call entry the rule asks for, or null. */
  doNotCall: DoNotCallEntry | null;
  /** The parsed 603+ notice when the disposition is NETWORK_BLOCKED and the header carried one. */
  networkBlock: NetworkBlockNotice | null;
}

/** NUMBER: the number is invalid, keep the lead's other numbers. LEAD: do not call the person. */
export type RemovalScope = 'LEAD' | 'NUMBER';

export interface DoNotCallEntry {
  readonly reason: string;
  /** Epoch ms when the entry lapses, or null for never. */
  readonly expiresAt: number | null;
}
