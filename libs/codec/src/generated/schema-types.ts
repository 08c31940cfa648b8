// Generated from schemas/*.avsc by `npm run gen:types`. Do not edit: change the schema and regenerate.

/** OVER: the rate is above 3 %. WARNING: at or above warnAt. Both only once the period holds minAnswered person-answered calls, while it runs. OK otherwise. */
export const AbandonmentStatusSymbols = ['OK', 'WARNING', 'OVER'] as const;
export type AbandonmentStatus = (typeof AbandonmentStatusSymbols)[number];

/** What should happen next: NONE, RETRY later (see retryAt), REMOVE_LEAD from the campaign, or raise a COMPLIANCE_ALERT. */
export const ActionSymbols = ['NONE', 'RETRY', 'REMOVE_LEAD', 'COMPLIANCE_ALERT'] as const;
export type Action = (typeof ActionSymbols)[number];

/** Who answered, by the dialer's answering-machine detection (AMD): HUMAN, MACHINE (voicemail or an answering machine), FAX, or UNKNOWN (detection ran and could not tell). docs/answered-by.md maps Asterisk, Twilio, Telnyx and NICE CXone values to these. A reader whose schema lacks a newer symbol reads it as UNKNOWN. */
export const AnsweredBySymbols = ['HUMAN', 'MACHINE', 'FAX', 'UNKNOWN'] as const;
export type AnsweredBy = (typeof AnsweredBySymbols)[number];

/** What the call attempt's outcome means for the lead. 607 (unwanted) and 608 (caller ID flagged by analytics) have their own symbols because a Q.850 mapping would lose them. NETWORK_BLOCKED is a SIP 603+ (ATIS-1000099): a network blocked the call on analytics. ANSWERING_MACHINE and FAX: a 2xx answered by a machine or a fax, by the dialer's answering-machine detection (answeredBy). A reader whose schema lacks a newer symbol reads it as the enum default, FAILED (Avro 1.9+). */
export const DispositionSymbols = ['CONNECTED', 'RINGING', 'BUSY', 'NO_ANSWER', 'DECLINED', 'FAILED', 'INVALID_NUMBER', 'BLOCKED', 'CANCELLED', 'CONGESTION', 'UNWANTED', 'CALLER_ID_FLAGGED', 'NETWORK_BLOCKED', 'ANSWERING_MACHINE', 'FAX'] as const;
export type Disposition = (typeof DispositionSymbols)[number];

/** What a removal removes: NUMBER (this number is invalid; the lead may have others) or LEAD (the person must not be called). */
export const RemovalScopeSymbols = ['LEAD', 'NUMBER'] as const;
export type RemovalScope = (typeof RemovalScopeSymbols)[number];

/** One abandonment group's ledger over one 30-day period (docs/abandonment.md), on the compacted topic compliance.abandonment keyed by '<group>/<period>': updated as the period runs, closed after it ends. The rate the regulations limit to 3 %: abandoned calls over calls answered by a person, per campaign, over each successive 30-day period (16 CFR 310.4(b)(4)(i); 47 CFR 64.1200(a)(7)). (schemas/abandonment-period.avsc) */
export interface AbandonmentPeriod {
  /** The abandonment group: its name in the rules, or the campaignId of a campaign in no group. */
  group: string;
  /** 1 for the group's first 30 days from its start date, 2 for the next; 0 or below for calls before the start date. */
  period: number;
  /** First instant of the period (00:00 UTC of a day). */
  periodStart: number;
  /** First instant after the period: periodStart + 30 days. */
  periodEnd: number;
  /** True when the rules name the group (with its start date); false for a campaign numbered from periodsFrom. */
  configured: boolean;
  /** Abandoned calls answered by a person (and UNKNOWN ones when unknownCountsAsPerson). */
  numerator: number;
  /** Calls answered by a person (and UNKNOWN ones when unknownCountsAsPerson). */
  denominator: number;
  /** numerator / denominator; null while the denominator is 0. */
  rate: null | number;
  /** The period's status by the rules in force when it was last updated. */
  status: AbandonmentStatus;
  /** The period has ended: a call of a later period of the group has been counted. A late call still updates a closed period. */
  closed: boolean;
  /** Whether UNKNOWN answers are in the numerator and denominator (the conservative mode). */
  unknownCountsAsPerson: boolean;
  /** The warning level in force (0.025 = 2.5 %). */
  warnAt: number;
  /** Person-answered calls a running period needs before WARNING or OVER. */
  minAnswered: number;
  /** Every count of the period. */
  counts: AbandonmentCounts;
  /** endedAt of the earliest call counted. */
  firstCallAt: number;
  /** endedAt of the latest call counted. */
  lastCallAt: number;
  /** Version of the rule set the record was last updated under. */
  rulesVersion: string;
}

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
  /** The SIP Reason header value(s) of the final response as received, comma-joined when there were several (RFC 3326 / RFC 6432), e.g. 'SIP;cause=603;text="v=analytics1;url=https://...";location=RLN' on a 603+ Network Blocked (ATIS-1000099). When q850Cause is null, a Q.850 cause in it is used. */
  reasonHeader: null | string;
  /** ISO 3166-2 subdivision of the called party, e.g. US-FL; picks the state calling rules. When null and the number is NANP (+1), derived from the area code. */
  leadRegion: null | string;
  /** Who answered a 2xx-answered call, when the dialer ran answering-machine detection; null when it did not (the rules then treat the answer as the seed does: CONNECTED). */
  answeredBy: null | AnsweredBy;
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
  /** The ISO 3166-2 region whose calling rules applied (leadRegion, or derived from the area code); null when none did. */
  jurisdiction: null | string;
  /** Set when a calling window moved retryAt later: which one, e.g. 'US-FL 08:00-20:00 (Fla. Stat. 501.616(6)(a))' or 'campaign 08:00-21:00'. */
  retryMovedBy: null | string;
  /** Set when the action is REMOVE_LEAD: remove the NUMBER or the whole LEAD. */
  removalScope: null | RemovalScope;
  /** Set when the rule asks for a do-not-call entry (607 Unwanted by default). */
  doNotCall: null | DoNotCallEntry;
  /** Set when the disposition is NETWORK_BLOCKED and the Reason header carried the notice: where the call was blocked and whom to contact for redress. */
  networkBlock: null | NetworkBlock;
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
  /** The SIP Reason header value(s) of the final response as received, comma-joined when there were several (RFC 3326 / RFC 6432), e.g. 'SIP;cause=603;text="v=analytics1;url=https://...";location=RLN' on a 603+ Network Blocked (ATIS-1000099). When q850Cause is null, a Q.850 cause in it is used. */
  reasonHeader: null | string;
  /** ISO 3166-2 subdivision of the called party, e.g. US-FL; picks the state calling rules. When null and the number is NANP (+1), derived from the area code. */
  leadRegion: null | string;
  /** Who answered a 2xx-answered call, when the dialer ran answering-machine detection; null when it did not (the rules then treat the answer as the seed does: CONNECTED). */
  answeredBy: null | AnsweredBy;
  /** When the call was answered (event time); null when not answered or not reported. With agentConnectedAt it decides whether a person-answered call was abandoned: not connected to a representative within 2 seconds (16 CFR 310.4(b)(1)(iv); 47 CFR 64.1200(a)(7)). */
  answeredAt: null | number;
  /** When a representative was connected to the answered call (event time); null when none was, or not reported. A call with answeredAt and no agentConnectedAt was never connected: abandoned. */
  agentConnectedAt: null | number;
  /** The dialer's own verdict: true when it abandoned the answered call (no representative free). Null when not reported; then answeredAt and agentConnectedAt decide. */
  abandoned: null | boolean;
  /** On an abandoned call: whether the recorded message naming the seller and its telephone number was played (16 CFR 310.4(b)(4)(iii)). False raises a compliance alert; null: not reported. */
  abandonMessagePlayed: null | boolean;
  /** When the called phone began to ring (180 Ringing; event time). On a call the dialer cancelled (487), endedAt minus ringingAt under 15 seconds is a short ring (16 CFR 310.4(b)(4)(ii); 47 CFR 64.1200(a)(6)). */
  ringingAt: null | number;
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
  /** The SIP Reason header value(s) of the final response as received, comma-joined when there were several (RFC 3326 / RFC 6432), e.g. 'SIP;cause=603;text="v=analytics1;url=https://...";location=RLN' on a 603+ Network Blocked (ATIS-1000099). When q850Cause is null, a Q.850 cause in it is used. */
  reasonHeader: null | string;
  /** Set when the disposition is NETWORK_BLOCKED and the Reason header carried the notice: where the call was blocked and whom to contact for redress. */
  networkBlock: null | NetworkBlock;
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
  /** NUMBER: the number is invalid (404, 410, 484, 604), remove it and keep the lead's other numbers. LEAD: the person asked not to be called (607, or a campaign that removes leads that decline). Records written before this field read as LEAD. */
  scope: RemovalScope;
  /** Set when the rule asks for a do-not-call entry (607 Unwanted by default). */
  doNotCall: null | DoNotCallEntry;
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
  /** The ISO 3166-2 region whose calling rules applied (leadRegion, or derived from the area code); null when none did. */
  jurisdiction: null | string;
  /** Set when a calling window moved retryAt later: which one, e.g. 'US-FL 08:00-20:00 (Fla. Stat. 501.616(6)(a))' or 'campaign 08:00-21:00'. */
  retryMovedBy: null | string;
}

/** What the period holds, each call counted once. (schemas/abandonment-period.avsc) */
export interface AbandonmentCounts {
  /** Every call attempt of the group in the period. */
  calls: number;
  /** Answered (2xx) and detection said a person (HUMAN): the rate's denominator. */
  personAnswered: number;
  /** Of those, abandoned: the rate's numerator. */
  personAbandoned: number;
  /** Answered and detection could not tell (UNKNOWN, or no verdict on a call reporting abandonment): in the rate only when unknownCountsAsPerson. */
  unknownAnswered: number;
  /** Of those, abandoned. */
  unknownAbandoned: number;
  /** Answered by an answering machine or voicemail: outside the rate. */
  machineAnswered: number;
  /** Answered by a fax line: outside the rate. */
  faxAnswered: number;
  /** Answered, with no detection verdict and nothing reported about abandonment: outside the rate. */
  undetectedAnswered: number;
  /** Abandoned calls (person or unknown) the dialer reported abandoned. */
  abandonedByDialer: number;
  /** Abandoned calls answered and never connected to a representative. */
  neverConnected: number;
  /** Abandoned calls connected more than 2 seconds after the answer. */
  connectedLate: number;
  /** Abandoned calls the dialer reports heard no recorded message (16 CFR 310.4(b)(4)(iii)). */
  withoutMessage: number;
  /** Calls cancelled (487) after ringing less than 15 seconds (16 CFR 310.4(b)(4)(ii); 47 CFR 64.1200(a)(6)). */
  shortRingCancels: number;
}

/** An entry for a do-not-call store: this number must not be called again (until expiresAt, when set). (schemas/call-attempt-enriched.avsc) */
export interface DoNotCallEntry {
  /** The number, E.164. */
  phoneNumber: string;
  /** Why, e.g. 'callee marked the call unwanted (SIP 607)'. */
  reason: string;
  /** eventId of the call attempt that produced the entry. */
  sourceEventId: string;
  /** When the entry lapses; null for never. */
  expiresAt: null | number;
}

/** A SIP 603+ Network Blocked notice (ATIS-1000099): the call was blocked by a network's analytics, not declined by the callee. (schemas/call-attempt-enriched.avsc) */
export interface NetworkBlock {
  /** The text's v= attribute, e.g. analytics1; null when only the reason phrase said Network Blocked. */
  version: null | string;
  /** Where the call was blocked, an RFC 8606 location code: LN, TN, RLN, RPN, LPN, U, INTL, BI. */
  location: null | string;
  /** The location code in words, e.g. 'transit network'. */
  locationMeaning: null | string;
  /** HTTPS URL of the blocking provider's redress request (url= attribute). */
  redressUrl: null | string;
  /** E.164 number to call for redress (tel= attribute). */
  redressTel: null | string;
  /** Email address for redress (email= attribute). */
  redressEmail: null | string;
  /** The blocking provider's identifier to quote in a redress request (id= attribute). */
  blockId: null | string;
}
