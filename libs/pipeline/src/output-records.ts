import type {
  CallAttempt,
  ComplianceAlert,
  EnrichedCallAttempt,
  LeadRemoval,
  RetryRequest,
} from '@sipflow/codec';
import type { Enrichment } from '@sipflow/rules';

/**
 * Builds one output record from a classified event. Pure: the record depends only on (event,
 * enrichment, replayId), so a replay reproduces it. Fields are copied one by one, not spread: the
 * decoded event is an avsc record instance, and spreading it was the single most expensive line of
 * the pipeline in a CPU profile.
 */
export type RecordBuilder<T> = (event: CallAttempt, e: Enrichment, replayId: string | null) => T;

/** Every event: the input's fields and the enrichment. */
export const enrichedRecord: RecordBuilder<EnrichedCallAttempt> = (event, e, replayId) => ({
  eventId: event.eventId,
  leadId: event.leadId,
  campaignId: event.campaignId,
  phoneNumber: event.phoneNumber,
  callerId: event.callerId,
  sipCode: event.sipCode,
  sipReason: event.sipReason,
  q850Cause: event.q850Cause,
  retryAfterSeconds: event.retryAfterSeconds,
  attemptNumber: event.attemptNumber,
  startedAt: event.startedAt,
  endedAt: event.endedAt,
  leadTimezone: event.leadTimezone,
  carrier: event.carrier,
  disposition: e.disposition,
  action: e.action,
  retryAt: e.retryAt,
  ruleId: e.ruleId,
  rulesVersion: e.rulesVersion,
  explanation: e.explanation,
  replayId,
});

/** Action RETRY: when to call again, and which attempt that will be. */
export const retryRequest: RecordBuilder<RetryRequest> = (event, e, replayId) => ({
  eventId: event.eventId,
  leadId: event.leadId,
  campaignId: event.campaignId,
  phoneNumber: event.phoneNumber,
  nextAttemptNumber: event.attemptNumber + 1,
  // classify() sets retryAt whenever the action is RETRY; endedAt is never reached
  retryAt: e.retryAt ?? event.endedAt,
  disposition: e.disposition,
  sipCode: event.sipCode,
  q850Cause: event.q850Cause,
  ruleId: e.ruleId,
  rulesVersion: e.rulesVersion,
  explanation: e.explanation,
  replayId,
});

/** Action REMOVE_LEAD. */
export const leadRemoval: RecordBuilder<LeadRemoval> = (event, e, replayId) => ({
  eventId: event.eventId,
  leadId: event.leadId,
  campaignId: event.campaignId,
  phoneNumber: event.phoneNumber,
  disposition: e.disposition,
  sipCode: event.sipCode,
  occurredAt: event.endedAt,
  ruleId: e.ruleId,
  rulesVersion: e.rulesVersion,
  explanation: e.explanation,
  replayId,
});

/** Action COMPLIANCE_ALERT: what a compliance team needs to look into the call. */
export const complianceAlert: RecordBuilder<ComplianceAlert> = (event, e, replayId) => ({
  eventId: event.eventId,
  leadId: event.leadId,
  campaignId: event.campaignId,
  phoneNumber: event.phoneNumber,
  callerId: event.callerId,
  carrier: event.carrier,
  disposition: e.disposition,
  sipCode: event.sipCode,
  q850Cause: event.q850Cause,
  occurredAt: event.endedAt,
  ruleId: e.ruleId,
  rulesVersion: e.rulesVersion,
  explanation: e.explanation,
  replayId,
});
