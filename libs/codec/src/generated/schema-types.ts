// Generated from schemas/*.avsc by `npm run gen:types`. Do not edit: change the schema and regenerate.

/** What should happen next: NONE, RETRY later (see retryAt), REMOVE_LEAD from the campaign, or raise a COMPLIANCE_ALERT. */
export const ActionSymbols = ['NONE', 'RETRY', 'REMOVE_LEAD', 'COMPLIANCE_ALERT'] as const;
export type Action = (typeof ActionSymbols)[number];

/** What the call attempt's outcome means for the lead. 607 (unwanted) and 608 (caller ID flagged by analytics) have their own symbols because a Q.850 mapping would lose them. */
export const DispositionSymbols = ['CONNECTED', 'RINGING', 'BUSY', 'NO_ANSWER', 'DECLINED', 'FAILED', 'INVALID_NUMBER', 'BLOCKED', 'CANCELLED', 'CONGESTION', 'UNWANTED', 'CALLER_ID_FLAGGED'] as const;
export type Disposition = (typeof DispositionSymbols)[number];

/** Every call attempt with its disposition and action, on call-attempts.enriched. (schemas/call-attempt-enriched.avsc) */
export interface EnrichedCallAttempt {
  /** Unique per call-attempt outcome (UUID); the idempotency key downstream. */
  eventId: string;
  /** The contact record in the dialer; the Kafka key of every output record, so per-lead order is kept. */
  leadId: string;
  /** The dialer campaign the attempt belongs to; campaign overrides in the rules key on it. */
  campaignId: string;
  /** Dialed number in E.164, e.g. +14155550123. */
  phoneNumber: string;
  /** Caller ID presented, E.164; null when the dialer did not record it. */
  callerId: null | string;
  /** Final SIP status code of the INVITE (RFC 3261 §21 and extensions); 1xx when the event reports progress. Outside 100-699 is invalid input. */
  sipCode: number;
  /** Reason phrase as received, e.g. 'Busy Here'. */
  sipReason: null | string;
  /** ITU-T Q.850 cause value from the Reason header (Reason: Q.850;cause=N, RFC 3326 / RFC 6432). */
  q850Cause: null | number;
  /** Value of the Retry-After header in seconds, if the response carried one. */
  retryAfterSeconds: null | number;
  /** 1-based count of attempts on this lead, this one included. */
  attemptNumber: number;
  /** When the INVITE was sent (event time). */
  startedAt: number;
  /** When the final response arrived (event time); the reference for retry timing. */
  endedAt: number;
  /** IANA time zone of the called party, e.g. America/Chicago; decides the local calling window. */
  leadTimezone: null | string;
  /** Trunk or carrier name the call went out on. */
  carrier: null | string;
  /** The disposition the rules gave the attempt. */
  disposition: Disposition;
  /** The action the rules chose. */
  action: Action;
  /** When to dial again; set only when action is RETRY. Never before endedAt + Retry-After, always inside the lead's local calling window. */
  retryAt: null | number;
  /** Id of the rule that matched (see `sipflow rules explain`). */
  ruleId: string;
  /** Version of the rule set that produced this record. */
  rulesVersion: string;
  /** One human sentence: why this disposition and action. */
  explanation: string;
  /** Set when the record was produced by `sipflow replay`: the replay's id. Null for live processing. */
  replayId: null | string;
}

/** One call attempt's final outcome, as the dialer reports it on call-attempts.raw. (schemas/call-attempt.avsc) */
export interface CallAttempt {
  /** Unique per call-attempt outcome (UUID); the idempotency key downstream. */
  eventId: string;
  /** The contact record in the dialer; the Kafka key of every output record, so per-lead order is kept. */
  leadId: string;
  /** The dialer campaign the attempt belongs to; campaign overrides in the rules key on it. */
  campaignId: string;
  /** Dialed number in E.164, e.g. +14155550123. */
  phoneNumber: string;
  /** Caller ID presented, E.164; null when the dialer did not record it. */
  callerId: null | string;
  /** Final SIP status code of the INVITE (RFC 3261 §21 and extensions); 1xx when the event reports progress. Outside 100-699 is invalid input. */
  sipCode: number;
  /** Reason phrase as received, e.g. 'Busy Here'. */
  sipReason: null | string;
  /** ITU-T Q.850 cause value from the Reason header (Reason: Q.850;cause=N, RFC 3326 / RFC 6432). */
  q850Cause: null | number;
  /** Value of the Retry-After header in seconds, if the response carried one. */
  retryAfterSeconds: null | number;
  /** 1-based count of attempts on this lead, this one included. */
  attemptNumber: number;
  /** When the INVITE was sent (event time). */
  startedAt: number;
  /** When the final response arrived (event time); the reference for retry timing. */
  endedAt: number;
  /** IANA time zone of the called party, e.g. America/Chicago; decides the local calling window. */
  leadTimezone: null | string;
  /** Trunk or carrier name the call went out on. */
  carrier: null | string;
}

/** A call was refused for a reason compliance must look at (403 blocked, 608 caller ID flagged, ...); on compliance.alerts. (schemas/compliance-alert.avsc) */
export interface ComplianceAlert {
  /** The call attempt that raised the alert. */
  eventId: string;
  /** The lead dialed (the record key). */
  leadId: string;
  /** The campaign. */
  campaignId: string;
  /** The number dialed, E.164. */
  phoneNumber: string;
  /** Caller ID presented: what a 608 flags. */
  callerId: null | string;
  /** Carrier that refused the call: a burst from one carrier suggests a block. */
  carrier: null | string;
  /** BLOCKED, CALLER_ID_FLAGGED, ... */
  disposition: Disposition;
  /** Final SIP code of the attempt. */
  sipCode: number;
  /** Q.850 cause, if any. */
  q850Cause: null | number;
  /** endedAt of the attempt (event time). */
  occurredAt: number;
  /** Rule that chose COMPLIANCE_ALERT. */
  ruleId: string;
  /** Version of the rule set. */
  rulesVersion: string;
  /** What was refused and why it matters. */
  explanation: string;
  /** Set when the record was produced by `sipflow replay`: the replay's id. Null for live processing. */
  replayId: null | string;
}

/** Take this lead out of the campaign's dialing; on leads.removal. (schemas/lead-removal.avsc) */
export interface LeadRemoval {
  /** The call attempt that led to the removal. */
  eventId: string;
  /** The lead to remove (the record key). */
  leadId: string;
  /** The lead's campaign. */
  campaignId: string;
  /** The number, E.164. */
  phoneNumber: string;
  /** Why: INVALID_NUMBER, DECLINED, UNWANTED, ... */
  disposition: Disposition;
  /** Final SIP code of the attempt. */
  sipCode: number;
  /** endedAt of the attempt (event time). */
  occurredAt: number;
  /** Rule that chose REMOVE_LEAD. */
  ruleId: string;
  /** Version of the rule set. */
  rulesVersion: string;
  /** Why the lead is removed. */
  explanation: string;
  /** Set when the record was produced by `sipflow replay`: the replay's id. Null for live processing. */
  replayId: null | string;
}

/** Dial this lead again at retryAt; on call-attempts.retry. (schemas/retry-request.avsc) */
export interface RetryRequest {
  /** The call attempt that led to this request. */
  eventId: string;
  /** The lead to dial again (the record key). */
  leadId: string;
  /** The lead's campaign. */
  campaignId: string;
  /** Number to dial, E.164. */
  phoneNumber: string;
  /** The attempt number the retry will be (attemptNumber + 1). */
  nextAttemptNumber: number;
  /** Earliest time to dial: after the per-disposition delay and any Retry-After, inside the lead's local calling window. */
  retryAt: number;
  /** Disposition of the attempt that is being retried. */
  disposition: Disposition;
  /** Final SIP code of that attempt. */
  sipCode: number;
  /** Q.850 cause of that attempt, if any. */
  q850Cause: null | number;
  /** Rule that chose RETRY. */
  ruleId: string;
  /** Version of the rule set. */
  rulesVersion: string;
  /** Why a retry, and why at that time. */
  explanation: string;
  /** Set when the record was produced by `sipflow replay`: the replay's id. Null for live processing. */
  replayId: null | string;
}
