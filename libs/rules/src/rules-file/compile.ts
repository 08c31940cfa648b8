import { createHash } from 'node:crypto';
import { Q850_CAUSE_MAX, SIP_CODE_MAX, SIP_CODE_MIN, sipReasonPhrase } from '@sipflow/sip';
import { compileAbandonment } from '../abandonment/policy';
import { frequencyCap } from '../history/compile-cap';
import { longestPeriodMs, type FrequencyCap } from '../history/frequency-cap';
import { compileProfile, profileCaps } from '../jurisdiction/compile-profile';
import { dailySchedule, hhmm } from '../jurisdiction/schedule';
import type { CallingWindow } from '../time/calling-window';
import { zoneClock } from '../time/zones';
import type { CampaignPolicy, CodeSlot, CompiledRule, JurisdictionProfile, Rules } from './compiled';
import { codesOf } from './rule-codes';
import { rankOf, specificityOf } from './rule-rank';
import type { JurisdictionProfileFile, RulesFile } from './schema';

function compileRules(file: RulesFile): CompiledRule[] {
  return file.rules.map((rule, index) => {
    const specificity = specificityOf(rule);
    const q850 = rule.match.q850;
    return Object.freeze({
      index,
      id: rule.id,
      sip: rule.match.sip,
      q850: q850 === undefined ? null : typeof q850 === 'number' ? [q850] : q850,
      specificity,
      rank: rankOf(specificity),
      disposition: rule.disposition,
      action: rule.action,
      retryDelayMs:
        rule.action === 'RETRY' ? (rule.retryDelay ?? file.retry.delays[rule.disposition] ?? null) : null,
      meaning: rule.meaning,
      carriers:
        rule.match.carrier === undefined
          ? null
          : (typeof rule.match.carrier === 'string' ? [rule.match.carrier] : rule.match.carrier).map(
              normalCarrier,
            ),
      signal: rule.match.signal ?? null,
      answeredBy:
        rule.match.answeredBy === undefined
          ? null
          : typeof rule.match.answeredBy === 'string'
            ? [rule.match.answeredBy]
            : rule.match.answeredBy,
      removalScope: rule.action === 'REMOVE_LEAD' ? (rule.scope ?? 'LEAD') : null,
      doNotCall:
        rule.doNotCall === undefined
          ? null
          : { reason: rule.doNotCall.reason, expiresAfterMs: rule.doNotCall.expiresAfter ?? null },
    });
  });
}

/** Carrier names compare trimmed and case-insensitively: dialers spell trunks inconsistently. */
export function normalCarrier(name: string): string {
  return name.trim().toLowerCase();
}

function better(current: CompiledRule | undefined, candidate: CompiledRule): CompiledRule {
  return current === undefined || candidate.rank > current.rank ? candidate : current;
}

/** One slot per code 100–699 so that classify is an index plus at most one more index. */
function buildSlots(rules: readonly CompiledRule[]): CodeSlot[] {
  const base: (CompiledRule | undefined)[] = [];
  const byCause: ((CompiledRule | undefined)[] | null)[] = [];
  const qualified: CompiledRule[][] = [];
  for (const rule of rules) {
    for (const code of codesOf(rule.sip)) {
      const i = code - SIP_CODE_MIN;
      if (rule.carriers !== null || rule.signal !== null || rule.answeredBy !== null) {
        (qualified[i] ??= []).push(rule);
        continue;
      }
      if (rule.q850 === null) {
        base[i] = better(base[i], rule);
        continue;
      }
      const table = byCause[i] ?? new Array<CompiledRule | undefined>(Q850_CAUSE_MAX + 1).fill(undefined);
      for (const cause of rule.q850) table[cause] = better(table[cause], rule);
      byCause[i] = table;
    }
  }
  return Array.from({ length: SIP_CODE_MAX - SIP_CODE_MIN + 1 }, (_, i) => {
    const code = SIP_CODE_MIN + i;
    // checkRules guarantees a class fallback, so every code has a base rule.
    return Object.freeze({
      label: `SIP ${code} ${sipReasonPhrase(code)}`,
      base: base[i]!,
      byCause: byCause[i] ?? null,
      qualified:
        qualified[i] === undefined ? null : Object.freeze(qualified[i]!.sort((a, b) => b.rank - a.rank)),
    });
  });
}

/** `maxAttempts` as written (a number, a cap, or a list) → the lead's limit and the number's caps. */
function attemptLimits(value: RulesFile['defaults']['maxAttempts']): {
  maxAttempts: number;
  caps: readonly FrequencyCap[];
} {
  const list = Array.isArray(value) ? value : [value];
  let maxAttempts = Infinity;
  const caps: FrequencyCap[] = [];
  for (const limit of list) {
    if (typeof limit === 'number') maxAttempts = Math.min(maxAttempts, limit);
    else caps.push(frequencyCap(limit, 'campaign', limit.source ?? null));
  }
  return { maxAttempts, caps: Object.freeze(caps) };
}

/** The longest period any policy's caps, its profile's caps or its unanswered stop look back over. */
function stateWindowOf(policies: readonly CampaignPolicy[]): number {
  let longest = 0;
  for (const policy of policies) {
    longest = Math.max(
      longest,
      longestPeriodMs(policy.caps),
      longestPeriodMs(profileCaps(policy)),
      policy.stopAfterUnanswered?.perMs ?? 0,
    );
  }
  return longest;
}

function buildPolicy(
  settings: RulesFile['defaults'],
  profiles: ReadonlyMap<string, JurisdictionProfile>,
): CampaignPolicy {
  const { start, end } = settings.callingWindow;
  const window: CallingWindow = { startMinute: start, endMinute: end, label: `${hhmm(start)}–${hhmm(end)}` };
  return Object.freeze({
    timeZone: settings.timeZone,
    // checkRules has verified every zone name.
    clock: zoneClock(settings.timeZone)!,
    ...attemptLimits(settings.maxAttempts),
    stopAfterUnanswered:
      settings.stopAfterUnanswered === 'off'
        ? null
        : Object.freeze({
            count: settings.stopAfterUnanswered.count,
            perMs: settings.stopAfterUnanswered.per,
          }),
    window: Object.freeze(window),
    campaignSchedule: dailySchedule('campaign', { startMinute: start, endMinute: end }),
    removeLeadOnDecline: settings.removeLeadOnDecline,
    // checkRules has verified that the profile exists
    profile: settings.jurisdictionProfile === 'none' ? null : profiles.get(settings.jurisdictionProfile)!,
    callPurpose: settings.callPurpose,
    automatedDialing: settings.automatedDialing,
    prerecordedMessages: settings.prerecordedMessages,
  });
}

/** The file's profiles over the shipped ones: a file may replace `us` with its own. */
export function profileFiles(
  file: RulesFile,
  builtins: Readonly<Record<string, JurisdictionProfileFile>>,
): Record<string, JurisdictionProfileFile> {
  return { ...builtins, ...file.jurisdictionProfiles };
}

/**
 * SHA-256 of the validated file as JSON: the same rules written differently (comments, layout,
 * YAML or JSON) give the same digest, so a reload can tell "the same rules again" from "changed
 * rules under the same version" (which it refuses: outputs would name a version that is two rule sets).
 */
function rulesDigest(file: RulesFile): string {
  // keys sorted, so the order of campaigns or delays in the file does not change the digest
  const sorted = (_key: string, value: unknown): unknown =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value;
  return createHash('sha256').update(JSON.stringify(file, sorted)).digest('hex');
}

/** Builds the lookup structures from a file that passed the schema and checkRules. */
export function compile(
  file: RulesFile,
  source: string,
  builtins: Readonly<Record<string, JurisdictionProfileFile>>,
): Rules {
  const rules = compileRules(file);
  const profiles = new Map<string, JurisdictionProfile>();
  for (const [name, profile] of Object.entries(profileFiles(file, builtins))) {
    profiles.set(name, compileProfile(name, profile));
  }
  const campaigns = new Map<string, CampaignPolicy>();
  for (const [campaignId, overrides] of Object.entries(file.campaigns)) {
    campaigns.set(campaignId, buildPolicy({ ...file.defaults, ...overrides }, profiles));
  }
  const defaults = buildPolicy(file.defaults, profiles);
  return Object.freeze({
    version: file.version,
    digest: rulesDigest(file),
    source,
    rules: Object.freeze(rules),
    slots: Object.freeze(buildSlots(rules)),
    defaults,
    campaigns,
    profiles,
    jitter: file.retry.jitter,
    stateWindowMs: stateWindowOf([defaults, ...campaigns.values()]),
    abandonment: compileAbandonment(file.abandonment),
  });
}
