import { isQ850Cause, isSipStatusCode, SIP_CODE_MAX, SIP_CODE_MIN } from '@sipflow/sip';
import { SipflowError } from '@sipflow/errors';
import { profileCaps } from '../jurisdiction/compile-profile';
import type { CampaignPolicy, CompiledRule, Rules } from '../rules-file/compiled';
import { labelFor } from './classify';
import { formatDelay, subjectOf } from './explanation';
import { ruleForSlot } from './match-rule';

export interface RuleExplanation {
  readonly rule: CompiledRule;
  /** One sentence on what the rule does with the default campaign settings. */
  readonly explanation: string;
  /**
   * Rules for the same code that win over `rule` when the response also carries their signal,
   * comes from their carrier or was answered as they name (e.g. 603 Decline vs 603+ Network
   * Blocked, 200 OK vs 200 answered by a machine), best first.
   */
  readonly alternatives: readonly {
    readonly rule: CompiledRule;
    readonly when: string;
    readonly explanation: string;
  }[];
}

function conditionOf(rule: CompiledRule): string {
  const parts: string[] = [];
  if (rule.signal === 'network-blocked') {
    parts.push(
      'the response is a 603+ (reason phrase "Network Blocked", or a Reason header with the ATIS-1000099 analytics text)',
    );
  }
  if (rule.carriers !== null) parts.push(`the carrier is ${rule.carriers.join(' or ')}`);
  if (rule.answeredBy !== null)
    parts.push(`the dialer's answering-machine detection says ${rule.answeredBy.join(' or ')} (answeredBy)`);
  if (rule.q850 !== null) parts.push(`the Q.850 cause is ${rule.q850.join(', ')}`);
  return parts.join(' and ');
}

function policyPhrase(rule: CompiledRule, rules: Rules): string {
  const defaults = rules.defaults;
  if (rule.disposition === 'DECLINED' && defaults.removeLeadOnDecline) return 'remove the lead.';
  switch (rule.action) {
    case 'RETRY': {
      const jitter = rules.jitter === 0 ? '' : ` plus up to ${Math.round(rules.jitter * 100)} % jitter`;
      return (
        `retry after ${formatDelay(rule.retryDelayMs!)}${jitter} (or Retry-After if later), inside the ` +
        `${defaults.window.label} local calling window${profilePhrase(rules)}${limitsPhrase(defaults)}.`
      );
    }
    case 'REMOVE_LEAD':
      return rule.removalScope === 'NUMBER' ? 'remove this number from the lead.' : 'remove the lead.';
    case 'COMPLIANCE_ALERT':
      return 'raise a compliance alert.';
    case 'NONE':
      return 'no further action.';
  }
}

function profilePhrase(rules: Rules): string {
  const profile = rules.defaults.profile;
  return profile === null
    ? ''
    : ` and every window of the ${profile.name} jurisdiction profile for the lead's region (${profile.regions.size} entries)`;
}

/**
 * The default campaign's limits on retrying: its caps on calls to one number, the profile's caps
 * (by region), the unanswered stop, and the attempt number (none when maxAttempts sets only caps).
 */
function limitsPhrase(defaults: CampaignPolicy): string {
  let phrase = '';
  if (defaults.caps.length > 0)
    phrase += `, at most ${defaults.caps.map((cap) => cap.label).join(' and ')} to the number`;
  const regions = [...new Set(profileCaps(defaults).map((cap) => cap.name))];
  if (regions.length > 0)
    phrase += `, within the caps on calls to one number that ${regions.join(', ')} set for a party there`;
  const stop = defaults.stopAfterUnanswered;
  if (stop !== null)
    phrase += `, until ${stop.count} calls in a row to the number go unanswered within ${formatDelay(stop.perMs)}`;
  if (defaults.maxAttempts !== Infinity)
    phrase += `, while the attempt number is below ${defaults.maxAttempts}`;
  return phrase;
}

/** Which rule classify() would pick for a SIP code and optional Q.850 cause, and why. */
export function explainRule(rules: Rules, sipCode: number, q850Cause: number | null = null): RuleExplanation {
  if (!isSipStatusCode(sipCode)) {
    throw new SipflowError(
      'SIPFLOW_INVALID_SIP_CODE',
      `SIP code must be an integer ${SIP_CODE_MIN}–${SIP_CODE_MAX}, got ${sipCode}`,
      { field: 'sipCode', value: sipCode },
    );
  }
  if (q850Cause !== null && !isQ850Cause(q850Cause)) {
    throw new SipflowError(
      'SIPFLOW_INVALID_Q850_CAUSE',
      `Q.850 cause must be an integer 0–127, got ${q850Cause}`,
      {
        field: 'q850Cause',
        value: q850Cause,
      },
    );
  }
  const slot = rules.slots[sipCode - SIP_CODE_MIN]!;
  const rule = ruleForSlot(slot, q850Cause);
  const alternatives = (slot.qualified ?? [])
    .filter((r) => r.q850 === null || q850Cause === null || r.q850.includes(q850Cause))
    .map((r) => ({
      rule: r,
      when: conditionOf(r),
      explanation: subjectOf(labelFor(slot.label, r), q850Cause, r.meaning) + policyPhrase(r, rules),
    }));
  return {
    rule,
    explanation: subjectOf(slot.label, q850Cause, rule.meaning) + policyPhrase(rule, rules),
    alternatives,
  };
}
