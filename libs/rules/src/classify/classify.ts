import {
  isNetworkBlockedPhrase,
  networkBlockFromReasonHeader,
  q850CauseFromReasonHeader,
} from '@sipflow/sip';
import type { Action } from '../dispositions';
import { leadLocation } from '../jurisdiction/lead-location';
import { constraintsFor } from '../retry/lawful-time';
import { planRetry } from '../retry/retry-at';
import type { CompiledRule, Rules } from '../rules-file/compiled';
import type { CallAttempt, DoNotCallEntry, Enrichment } from '../types';
import { checkCallAttempt } from '../validation/validate-call-attempt';
import { describeNoLawfulTime, describeRetry, subjectOf } from './explanation';
import { ruleFor } from './match-rule';

const ACTION_PHRASES: Readonly<Record<Exclude<Action, 'RETRY'>, string>> = {
  NONE: 'no further action.',
  REMOVE_LEAD: 'remove the lead.',
  COMPLIANCE_ALERT: 'raise a compliance alert.',
};

interface Extra {
  readonly retryAt?: number | null;
  readonly retryMovedBy?: string | null;
  readonly removalScope?: Enrichment['removalScope'];
}

/**
 * Disposition and next action for one call attempt. Pure and deterministic: the result depends
 * only on the event and the rules (never on the clock), so replays reproduce it. Throws a
 * SipflowError when the event is invalid (bad SIP code, phone number, time zone, timestamps...).
 */
export function classify(event: CallAttempt, rules: Rules): Enrichment {
  const leadClock = checkCallAttempt(event);
  const policy = rules.campaigns.get(event.campaignId) ?? rules.defaults;
  const slot = rules.slots[event.sipCode - 100]!;
  const reasonHeader = event.reasonHeader ?? null;
  // The dedicated field wins; a dialer that forwards only the raw header still gets its cause read.
  const q850Cause =
    event.q850Cause ?? (reasonHeader === null ? null : q850CauseFromReasonHeader(reasonHeader));
  const notice = reasonHeader === null ? null : networkBlockFromReasonHeader(reasonHeader);
  const rule = ruleFor(slot, {
    q850Cause,
    carrier: event.carrier,
    networkBlocked: notice !== null || isNetworkBlockedPhrase(event.sipReason),
  });
  const subject = subjectOf(labelFor(slot.label, rule), q850Cause, rule.meaning);
  const location = leadLocation(event, leadClock, policy);
  const jurisdiction = location.regions[0] ?? null;

  const result = (action: Action, explanation: string, extra: Extra = {}): Enrichment => ({
    disposition: rule.disposition,
    action,
    retryAt: extra.retryAt ?? null,
    ruleId: rule.id,
    rulesVersion: rules.version,
    explanation,
    jurisdiction,
    retryMovedBy: extra.retryMovedBy ?? null,
    removalScope: extra.removalScope ?? null,
    doNotCall: action === 'REMOVE_LEAD' ? doNotCallOf(rule, event) : null,
    networkBlock: rule.disposition === 'NETWORK_BLOCKED' ? notice : null,
  });

  if (rule.disposition === 'DECLINED' && policy.removeLeadOnDecline) {
    return result('REMOVE_LEAD', `${subject}remove the lead, as this campaign removes leads that decline.`, {
      removalScope: 'LEAD',
    });
  }
  if (rule.action === 'REMOVE_LEAD') {
    const what = rule.removalScope === 'NUMBER' ? 'remove this number from the lead.' : 'remove the lead.';
    return result('REMOVE_LEAD', subject + what, { removalScope: rule.removalScope });
  }
  if (rule.action !== 'RETRY') return result(rule.action, subject + ACTION_PHRASES[rule.action]);
  if (event.attemptNumber >= policy.maxAttempts) {
    const reason = `no retry, max attempts reached (attempt ${event.attemptNumber} of ${policy.maxAttempts}).`;
    return result('NONE', subject + reason);
  }
  // Compiled rules carry a delay on every RETRY rule (checked at load).
  const delayMs = rule.retryDelayMs!;
  const constraints = constraintsFor(location, policy);
  const plan = planRetry(event, delayMs, rules.jitter, constraints);
  if (plan.retryAt === null) return result('NONE', subject + describeNoLawfulTime(constraints));
  const explanation =
    subject + describeRetry(delayMs, event.retryAfterSeconds, plan, location.clocks[0]!, constraints);
  return result('RETRY', explanation, {
    retryAt: plan.retryAt,
    retryMovedBy: plan.lawful?.movedBy ? movedByLabel(plan.lawful.movedBy.schedule) : null,
  });
}

/** "SIP 603 Network Blocked" for a 603+, whose phrase is not the code's registered one. */
export function labelFor(slotLabel: string, rule: CompiledRule): string {
  return rule.signal === 'network-blocked'
    ? slotLabel.replace(/^(SIP \d{3}) .*$/, '$1 Network Blocked')
    : slotLabel;
}

function movedByLabel(schedule: { name: string; hours: string; source: string | null }): string {
  return schedule.source === null
    ? `campaign ${schedule.hours}`
    : `${schedule.name} ${schedule.hours} (${schedule.source})`;
}

function doNotCallOf(rule: CompiledRule, event: CallAttempt): DoNotCallEntry | null {
  if (rule.doNotCall === null) return null;
  const { reason, expiresAfterMs } = rule.doNotCall;
  return { reason, expiresAt: expiresAfterMs === null ? null : event.endedAt + expiresAfterMs };
}
