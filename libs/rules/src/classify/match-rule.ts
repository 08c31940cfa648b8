import { normalCarrier } from '../rules-file/compile';
import type { AnsweredBy } from '../dispositions';
import type { CodeSlot, CompiledRule } from '../rules-file/compiled';

/** The winning rule for a code's slot: the best Q.850 rule for the cause if any, else the base. */
export function ruleForSlot(slot: CodeSlot, q850Cause: number | null): CompiledRule {
  if (q850Cause === null || slot.byCause === null) return slot.base;
  return slot.byCause[q850Cause] ?? slot.base;
}

/** What a qualified rule (one naming a carrier, a signal or answeredBy) is checked against. */
export interface ResponseFacts {
  readonly q850Cause: number | null;
  readonly carrier: string | null;
  /** A SIP 603+ Network Blocked: the phrase or the ATIS-1000099 Reason header. */
  readonly networkBlocked: boolean;
  /** The dialer's answering-machine detection result, or null when it reported none. */
  readonly answeredBy: AnsweredBy | null;
}

function qualifies(rule: CompiledRule, facts: ResponseFacts): boolean {
  // normalised only for a carrier rule: 2xx has answeredBy rules, and most 2xx events no carrier one
  if (
    rule.carriers !== null &&
    (facts.carrier === null || !rule.carriers.includes(normalCarrier(facts.carrier)))
  )
    return false;
  if (rule.signal === 'network-blocked' && !facts.networkBlocked) return false;
  if (rule.answeredBy !== null && (facts.answeredBy === null || !rule.answeredBy.includes(facts.answeredBy)))
    return false;
  return rule.q850 === null || (facts.q850Cause !== null && rule.q850.includes(facts.q850Cause));
}

/**
 * The winning rule for a response. Qualified rules outrank every unqualified one (rankOf), so the
 * first that holds wins; most codes have none and cost one null check.
 */
export function ruleFor(slot: CodeSlot, facts: ResponseFacts): CompiledRule {
  if (slot.qualified !== null) {
    for (const rule of slot.qualified) if (qualifies(rule, facts)) return rule;
  }
  return ruleForSlot(slot, facts.q850Cause);
}
