import type {
  CallAttempt,
  ComplianceAlert,
  EnrichedCallAttempt,
  LeadRemoval,
  RetryRequest,
} from '@sipflow/codec';
import type { Enrichment } from '@sipflow/rules';

/** The output records one classified event produces, by kind (the topic is chosen from the kind). */
export type RoutedRecords = {
  enriched: EnrichedCallAttempt;
  retry?: RetryRequest;
  removal?: LeadRemoval;
  compliance?: ComplianceAlert;
};

/**
 * Every event goes to the enriched topic; the action names at most one more. Pure: the records
 * depend only on (event, enrichment, replayId), so a replay reproduces them.
 */
export function route(event: CallAttempt, e: Enrichment, replayId: string | null): RoutedRecords {
  // fields copied one by one, not spread: the decoded event is an avsc record instance, and
  // spreading it was the single most expensive line of the pipeline in a CPU profile
  const enriched: EnrichedCallAttempt = {
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
  };
  switch (e.action) {
    case 'RETRY':
      return {
        enriched,
        retry: {
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
        },
      };
    case 'REMOVE_LEAD':
      return {
        enriched,
        removal: {
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
        },
      };
    case 'COMPLIANCE_ALERT':
      return {
        enriched,
        compliance: {
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
        },
      };
    case 'NONE':
      return { enriched };
  }
}
