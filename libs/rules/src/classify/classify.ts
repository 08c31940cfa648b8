import type { Action } from '../dispositions';
import { planRetry } from '../retry/retry-at';
import type { CompiledRule, Rules } from '../rules-file/compiled';
import type { CallAttempt, Enrichment } from '../types';
import { checkCallAttempt } from '../validation/validate-call-attempt';
import { describeRetry, subjectOf } from './explanation';
import { ruleForSlot } from './match-rule';

const ACTION_PHRASES: Readonly<Record<Exclude<Action, 'RETRY'>, string>> = {
  NONE: 'no further action.',
  REMOVE_LEAD: 'remove the lead.',
  COMPLIANCE_ALERT: 'raise a compliance alert.',
};

function enrichment(
  rule: CompiledRule,
  rules: Rules,
  action: Action,
  retryAt: number | null,
  explanation: string,
): Enrichment {
  return {
    disposition: rule.disposition,
    action,
    retryAt,
    ruleId: rule.id,
    rulesVersion: rules.version,
    explanation,
  };
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
  const rule = ruleForSlot(slot, event.q850Cause);
  const subject = subjectOf(slot.label, event.q850Cause, rule.meaning);

  if (rule.disposition === 'DECLINED' && policy.removeLeadOnDecline) {
    return enrichment(
      rule,
      rules,
      'REMOVE_LEAD',
      null,
      `${subject}remove the lead, as this campaign removes leads that decline.`,
    );
  }
  if (rule.action !== 'RETRY') {
    return enrichment(rule, rules, rule.action, null, subject + ACTION_PHRASES[rule.action]);
  }
  if (event.attemptNumber >= policy.maxAttempts) {
    const reason = `no retry, max attempts reached (attempt ${event.attemptNumber} of ${policy.maxAttempts}).`;
    return enrichment(rule, rules, 'NONE', null, subject + reason);
  }
  const clock = leadClock ?? policy.clock;
  // Compiled rules carry a delay on every RETRY rule (checked at load).
  const delayMs = rule.retryDelayMs!;
  const plan = planRetry(event, delayMs, rules.jitter, clock, policy.window);
  const explanation = subject + describeRetry(delayMs, event.retryAfterSeconds, plan, clock, policy);
  return enrichment(rule, rules, 'RETRY', plan.retryAt, explanation);
}
