import {
  isNetworkBlockedPhrase,
  networkBlockFromReasonHeader,
  q850CauseFromReasonHeader,
  type NetworkBlockNotice,
} from '@sipflow/sip';
import type { Action } from '../dispositions';
import { leadLocation } from '../jurisdiction/lead-location';
import { planRetry } from '../retry/retry-at';
import type { CompiledRule, Rules } from '../rules-file/compiled';
import type { CallAttempt, DoNotCallEntry, Enrichment } from '../types';
import { checkCallAttempt } from '../validation/validate-call-attempt';
import { callTimesWith } from '../history/cap-check';
import { capLabel } from '../history/frequency-cap';
import { EMPTY_HISTORY, isUnanswered, lateness, type NumberHistory } from '../history/number-history';
import { eventKey } from '../history/event-key';
import { unansweredStreak } from '../history/unanswered-streak';
import {
  describeNoLawfulTime,
  describeRetry,
  describeTooLate,
  describeUnansweredStop,
  subjectOf,
} from './explanation';
import { ruleFor } from './match-rule';

const ACTION_PHRASES: Readonly<Record<Exclude<Action, 'RETRY'>, string>> = {
  NONE: 'no further action.',
  REMOVE_LEAD: 'remove the lead.',
  COMPLIANCE_ALERT: 'raise a compliance alert.',
};

/** What every result of one classify call shares. */
interface Facts {
  readonly rule: CompiledRule;
  readonly rules: Rules;
  readonly event: CallAttempt;
  readonly jurisdiction: string | null;
  readonly notice: NetworkBlockNotice | null;
}

// A module function, not a closure per call: classify runs per event.
function result(
  f: Facts,
  action: Action,
  explanation: string,
  retryAt: number | null = null,
  retryMovedBy: string | null = null,
  removalScope: Enrichment['removalScope'] = null,
): Enrichment {
  return {
    disposition: f.rule.disposition,
    action,
    retryAt,
    ruleId: f.rule.id,
    rulesVersion: f.rules.version,
    explanation,
    jurisdiction: f.jurisdiction,
    retryMovedBy,
    removalScope,
    doNotCall: action === 'REMOVE_LEAD' ? doNotCallOf(f.rule, f.event) : null,
    networkBlock: f.rule.disposition === 'NETWORK_BLOCKED' ? f.notice : null,
  };
}

/**
 * Disposition and next action for one call attempt. Pure and deterministic: the result depends
 * only on the event, the rules and the number's history (never on the clock), so replays given
 * the same history reproduce it. Throws a
 * SipflowError when the event is invalid (bad SIP code, phone number, time zone, timestamps...).
 */
export function classify(
  event: CallAttempt,
  rules: Rules,
  /**
   * The calls to this number the state has seen (this one may be among them: a record processed
   * again). Read only when a cap or `stopAfterUnanswered` applies; empty when the caller keeps none.
   */
  history: NumberHistory = EMPTY_HISTORY,
): Enrichment {
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
    answeredBy: event.answeredBy ?? null,
  });
  const subject = subjectOf(labelFor(slot.label, rule), q850Cause, rule.meaning);
  const location = leadLocation(event, leadClock, policy);
  const jurisdiction = location.regions[0] ?? null;

  const facts: Facts = { rule, rules, event, jurisdiction, notice };
  if (rule.disposition === 'DECLINED' && policy.removeLeadOnDecline) {
    const why = `${subject}remove the lead, as this campaign removes leads that decline.`;
    return result(facts, 'REMOVE_LEAD', why, null, null, 'LEAD');
  }
  if (rule.action === 'REMOVE_LEAD') {
    const what = rule.removalScope === 'NUMBER' ? 'remove this number from the lead.' : 'remove the lead.';
    return result(facts, 'REMOVE_LEAD', subject + what, null, null, rule.removalScope);
  }
  if (rule.action !== 'RETRY') return result(facts, rule.action, subject + ACTION_PHRASES[rule.action]);
  if (event.attemptNumber >= policy.maxAttempts) {
    const reason = `no retry, max attempts reached (attempt ${event.attemptNumber} of ${policy.maxAttempts}).`;
    return result(facts, 'NONE', subject + reason);
  }
  // the history knows calls by their hashed eventId: this one's, once
  const key = history.length === 0 ? 0 : eventKey(event.eventId);
  const stop = policy.stopAfterUnanswered;
  if (stop !== null) {
    const current = {
      at: event.startedAt,
      eventKey: key,
      unanswered: isUnanswered(rule.disposition),
    };
    const streak = unansweredStreak(history, current, stop.perMs);
    if (streak >= stop.count)
      return result(facts, 'NONE', subject + describeUnansweredStop(streak, stop.perMs));
  }
  // Compiled rules carry a delay on every RETRY rule (checked at load).
  const delayMs = rule.retryDelayMs!;
  const { constraints, caps } = location;
  // the calls a cap counts around this one's retry may be gone from a history this far ahead of it
  const late = caps.length === 0 ? 0 : lateness(history, event.startedAt);
  if (late > rules.stateWindowMs) return result(facts, 'NONE', subject + describeTooLate(late));
  const limits = caps.length === 0 ? undefined : { caps, callTimes: callTimesWith(history, event, key) };
  const plan = planRetry(event, delayMs, rules.jitter, constraints, location.merged, limits);
  if (plan.retryAt === null) {
    return result(
      facts,
      'NONE',
      subject + describeNoLawfulTime(constraints, plan.blockedBy === 'cap' ? caps : []),
    );
  }
  const explanation =
    subject + describeRetry(delayMs, event.retryAfterSeconds, plan, location.clocks[0]!, constraints);
  const movedBy =
    plan.binding === 'cap'
      ? capLabel(plan.cappedBy!)
      : plan.lawful?.movedBy
        ? movedByLabel(plan.lawful.movedBy.schedule)
        : null;
  return result(facts, 'RETRY', explanation, plan.retryAt, movedBy);
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
