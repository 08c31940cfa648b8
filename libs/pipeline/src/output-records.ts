import type {
  CallAttempt,
  ComplianceAlert,
  DoNotCallEntry,
  EnrichedCallAttempt,
  LeadRemoval,
  NetworkBlock,
  RetryRequest,
} from '@sipflow/codec';
import type { Enrichment } from '@sipflow/rules';

/** The 603+ notice as its Avro record (the same fields, named once in the schema). */
function networkBlockOf(e: Enrichment): NetworkBlock | null {
  const n = e.networkBlock;
  return n === null
    ? null
    : {
        version: n.version,
        location: n.location,
        locationMeaning: n.locationMeaning,
        redressUrl: n.redressUrl,
        redressTel: n.redressTel,
        redressEmail: n.redressEmail,
        blockId: n.blockId,
      };
}

/** The do-not-call entry a DNC store consumes: the number, why, and where it came from. */
function doNotCallOf(event: CallAttempt, e: Enrichment): DoNotCallEntry | null {
  return e.doNotCall === null
    ? null
    : {
        phoneNumber: event.phoneNumber,
        reason: e.doNotCall.reason,
        sourceEventId: event.eventId,
        expiresAt: e.doNotCall.expiresAt,
      };
}

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
  // events decoded with a schema from before these fields read them as null
  reasonHeader: event.reasonHeader ?? null,
  leadRegion: event.leadRegion ?? null,
  answeredBy: event.answeredBy ?? null,
  disposition: e.disposition,
  action: e.action,
  retryAt: e.retryAt,
  ruleId: e.ruleId,
  rulesVersion: e.rulesVersion,
  explanation: e.explanation,
  replayId,
  jurisdiction: e.jurisdiction,
  retryMovedBy: e.retryMovedBy,
  removalScope: e.removalScope,
  doNotCall: doNotCallOf(event, e),
  networkBlock: networkBlockOf(e),
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
  jurisdiction: e.jurisdiction,
  retryMovedBy: e.retryMovedBy,
});

/** Action REMOVE_LEAD: what to remove (the number or the lead), and a do-not-call entry if any. */
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
  // classify() sets the scope whenever the action is REMOVE_LEAD
  scope: e.removalScope ?? 'LEAD',
  doNotCall: doNotCallOf(event, e),
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
  reasonHeader: event.reasonHeader ?? null,
  networkBlock: networkBlockOf(e),
});
