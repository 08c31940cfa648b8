import { SIP_CLASSES } from '@sipflow/sip';
import { checkProfile } from '../jurisdiction/check-profile';
import { zoneClock } from '../time/zones';
import { codesOf } from './rule-codes';
import { specificityOf } from './rule-rank';
import type { JurisdictionProfileFile, RuleEntry, RulesFile } from './schema';

export interface RulesIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

function causesOf(rule: RuleEntry): readonly number[] | null {
  const q850 = rule.match.q850;
  return q850 === undefined ? null : typeof q850 === 'number' ? [q850] : q850;
}

function carriersOf(rule: RuleEntry): readonly string[] | null {
  const carrier = rule.match.carrier;
  if (carrier === undefined) return null;
  return (typeof carrier === 'string' ? [carrier] : carrier).map((name) => name.trim().toLowerCase());
}

function answeredByOf(rule: RuleEntry): readonly string[] | null {
  const answeredBy = rule.match.answeredBy;
  if (answeredBy === undefined) return null;
  return typeof answeredBy === 'string' ? [answeredBy] : answeredBy;
}

function firstCommon<T>(a: readonly T[], b: readonly T[]): T | undefined {
  const set = new Set(a);
  return b.find((value) => set.has(value));
}

function checkIds(rules: readonly RuleEntry[], issues: RulesIssue[]): void {
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    const first = seen.get(rule.id);
    if (first === undefined) seen.set(rule.id, i);
    else issues.push({ path: ['rules', i, 'id'], message: `duplicate id, already used by rules[${first}]` });
  });
}

// Every code must have a rule even without a Q.850 cause, so classify can never come up empty.
function checkClassFallbacks(rules: readonly RuleEntry[], issues: RulesIssue[]): void {
  for (const sipClass of SIP_CLASSES) {
    if (!rules.some((rule) => rule.match.sip === sipClass && rule.match.q850 === undefined)) {
      issues.push({
        path: ['rules'],
        message: `no fallback for ${sipClass}: add a rule with match.sip "${sipClass}" and no q850`,
      });
    }
  }
}

function checkActions(file: RulesFile, issues: RulesIssue[]): void {
  file.rules.forEach((rule, i) => {
    if (
      rule.action === 'RETRY' &&
      rule.retryDelay === undefined &&
      file.retry.delays[rule.disposition] === undefined
    ) {
      issues.push({
        path: ['rules', i, 'action'],
        message: `action RETRY needs a delay: set retryDelay on the rule or retry.delays.${rule.disposition}`,
      });
    }
    if (rule.action !== 'RETRY' && rule.retryDelay !== undefined) {
      issues.push({ path: ['rules', i, 'retryDelay'], message: 'retryDelay only applies to action RETRY' });
    }
    // RFC 8197: the callee said the call is unwanted. Calling again is what TCPA complaints are made of.
    if (rule.disposition === 'UNWANTED' && rule.action === 'RETRY') {
      issues.push({ path: ['rules', i, 'action'], message: 'an UNWANTED (607) call must never be retried' });
    }
    // ATIS-1000099: a network blocked the call on analytics. The callee never saw it, so removing
    // the lead loses a person who did not decline; redialing into the block is what the notice
    // asks callers not to do while they seek redress.
    if (
      rule.disposition === 'NETWORK_BLOCKED' &&
      (rule.action === 'RETRY' || rule.action === 'REMOVE_LEAD')
    ) {
      issues.push({
        path: ['rules', i, 'action'],
        message: `a NETWORK_BLOCKED (603+) call must be neither retried nor removed: use COMPLIANCE_ALERT`,
      });
    }
    if (rule.action !== 'REMOVE_LEAD' && rule.scope !== undefined) {
      issues.push({ path: ['rules', i, 'scope'], message: 'scope only applies to action REMOVE_LEAD' });
    }
    if (rule.action !== 'REMOVE_LEAD' && rule.doNotCall !== undefined) {
      issues.push({
        path: ['rules', i, 'doNotCall'],
        message: 'doNotCall only applies to action REMOVE_LEAD (the entry travels on the removal record)',
      });
    }
  });
}

// Two rules of the same specificity that can both match one (code, cause) would make the winner
// depend on file order; reject the file instead of guessing.
function checkAmbiguity(rules: readonly RuleEntry[], issues: RulesIssue[]): void {
  const codes = rules.map((rule) => codesOf(rule.match.sip));
  const causes = rules.map(causesOf);
  const carriers = rules.map(carriersOf);
  const answers = rules.map(answeredByOf);
  const specificity = rules.map(specificityOf);
  for (let j = 1; j < rules.length; j++) {
    for (let i = 0; i < j; i++) {
      if (specificity[i] !== specificity[j]) continue;
      const code = firstCommon(codes[i]!, codes[j]!);
      if (code === undefined) continue;
      // the same specificity means both name carriers or neither does
      const x = carriers[i]!;
      const y = carriers[j]!;
      if (x !== null && y !== null && firstCommon(x, y) === undefined) continue;
      // likewise for answeredBy: a MACHINE rule and a FAX rule never match the same call
      const p = answers[i]!;
      const q = answers[j]!;
      if (p !== null && q !== null && firstCommon(p, q) === undefined) continue;
      const a = causes[i]!;
      const b = causes[j]!;
      const cause = a === null || b === null ? undefined : firstCommon(a, b);
      if (a !== null && cause === undefined) continue;
      const what = cause === undefined ? `SIP ${code}` : `SIP ${code} with Q.850 cause ${cause}`;
      issues.push({
        path: ['rules', j, 'match'],
        message: `ambiguous: matches ${what} with the same specificity (${specificity[j]}) as rules[${i}] (id "${rules[i]!.id}")`,
      });
    }
  }
}

function checkPolicy(
  policy: RulesFile['campaigns'][string],
  path: readonly PropertyKey[],
  profiles: readonly string[],
  issues: RulesIssue[],
): void {
  const profile = policy.jurisdictionProfile;
  if (profile !== undefined && profile !== 'none' && !profiles.includes(profile)) {
    issues.push({
      path: [...path, 'jurisdictionProfile'],
      message: `unknown jurisdiction profile "${profile}": expected none or one of ${profiles.join(', ')}`,
    });
  }
  if (policy.timeZone !== undefined && zoneClock(policy.timeZone) === undefined) {
    issues.push({ path: [...path, 'timeZone'], message: `unknown IANA time zone "${policy.timeZone}"` });
  }
  const window = policy.callingWindow;
  if (window !== undefined && window.start >= window.end) {
    issues.push({ path: [...path, 'callingWindow'], message: 'start must be before end' });
  }
}

// A campaign's calls count in one ledger: two groups claiming it would split its periods' counts.
function checkAbandonmentGroups(file: RulesFile, issues: RulesIssue[]): void {
  const claimedBy = new Map<string, string>();
  for (const [name, group] of Object.entries(file.abandonment.groups)) {
    group.campaigns.forEach((campaign, i) => {
      const first = claimedBy.get(campaign);
      if (first === undefined) claimedBy.set(campaign, name);
      else
        issues.push({
          path: ['abandonment', 'groups', name, 'campaigns', i],
          message:
            first === name
              ? `campaign "${campaign}" is listed twice`
              : `campaign "${campaign}" is already in abandonment group "${first}": a campaign's calls count in one ledger`,
        });
    });
  }
}

/**
 * What the schema cannot express: cross-field and cross-rule checks. `builtins` are the shipped
 * jurisdiction profiles a campaign may name without defining them.
 */
export function checkRules(
  file: RulesFile,
  builtins: Readonly<Record<string, JurisdictionProfileFile>> = {},
): RulesIssue[] {
  const issues: RulesIssue[] = [];
  checkIds(file.rules, issues);
  checkClassFallbacks(file.rules, issues);
  checkActions(file, issues);
  checkAmbiguity(file.rules, issues);
  checkAbandonmentGroups(file, issues);
  for (const [name, profile] of Object.entries(file.jurisdictionProfiles)) {
    checkProfile(profile, ['jurisdictionProfiles', name], issues);
  }
  const profiles = [...new Set([...Object.keys(builtins), ...Object.keys(file.jurisdictionProfiles)])];
  checkPolicy(file.defaults, ['defaults'], profiles, issues);
  for (const [campaignId, policy] of Object.entries(file.campaigns)) {
    checkPolicy(policy, ['campaigns', campaignId], profiles, issues);
  }
  return issues;
}
