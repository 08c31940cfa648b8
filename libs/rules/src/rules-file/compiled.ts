import type { AbandonmentPolicy } from '../abandonment/policy';
import type { Action, AnsweredBy, Disposition } from '../dispositions';
import type { FrequencyCap } from '../history/frequency-cap';
import type { UnansweredStop } from '../history/unanswered-streak';
import type { CallingSchedule } from '../jurisdiction/schedule';
import type { CallingWindow } from '../time/calling-window';
import type { ZoneClock } from '../time/zone-clock';
import type { RemovalScope } from '../types';
import type { SipMatch, Signal } from './schema';

/**
 * Ranked most specific first; a rule naming Q.850 causes outranks every rule that does not. A rule
 * that also names a carrier, a signal or answeredBy outranks all of these (carrier above signal
 * above answeredBy): see specificityOf.
 */
export const SPECIFICITIES = [
  'exact code + Q.850',
  'code list + Q.850',
  'class + Q.850',
  'exact code',
  'code list',
  'class',
] as const;
export type BaseSpecificity = (typeof SPECIFICITIES)[number];
/** A base specificity, prefixed by "carrier + ", "signal + " and/or "answered-by + " when the rule names them. */
export type Specificity = string;

export interface CompiledRule {
  /** Position in the file's `rules` list. */
  readonly index: number;
  readonly id: string;
  readonly sip: SipMatch;
  readonly q850: readonly number[] | null;
  readonly specificity: Specificity;
  /** Higher wins: derived from `specificity`. */
  readonly rank: number;
  readonly disposition: Disposition;
  readonly action: Action;
  /** Base delay before jitter; set exactly when action is RETRY. */
  readonly retryDelayMs: number | null;
  readonly meaning: string;
  /** Lower-cased carrier names the rule is limited to, or null for any carrier. */
  readonly carriers: readonly string[] | null;
  readonly signal: Signal | null;
  /** The answering-machine detection results the rule is limited to, or null for any (or none). */
  readonly answeredBy: readonly AnsweredBy[] | null;
  /** Set exactly when action is REMOVE_LEAD. */
  readonly removalScope: RemovalScope | null;
  readonly doNotCall: { readonly reason: string; readonly expiresAfterMs: number | null } | null;
}

/** Everything classify needs for one SIP code, precomputed. */
export interface CodeSlot {
  /** "SIP 486 Busy Here". */
  readonly label: string;
  /** The best rule that does not look at Q.850; the class fallback guarantees one. */
  readonly base: CompiledRule;
  /** The best Q.850 rule per cause value 0–127, or null when no Q.850 rule covers this code. */
  readonly byCause: readonly (CompiledRule | undefined)[] | null;
  /** Rules for this code that name a carrier, a signal or answeredBy, best first; null when there are none. */
  readonly qualified: readonly CompiledRule[] | null;
}

/** One region's entry in a jurisdiction profile. */
export interface RegionRules {
  readonly schedule: CallingSchedule;
  readonly appliesTo: AppliesTo;
  /** The region's cap on calls to one number, or null. */
  readonly cap: FrequencyCap | null;
}

export type AppliesTo = 'solicitation' | 'automated-solicitation' | 'prerecorded-solicitation' | 'all';

/** Calling rules by region (ISO 3166-2, or a country applying to all its subdivisions). */
export interface JurisdictionProfile {
  readonly name: string;
  readonly regions: ReadonlyMap<string, readonly RegionRules[]>;
}

/** The settings a campaign runs with: its overrides on top of the file's defaults. */
export interface CampaignPolicy {
  readonly timeZone: string;
  readonly clock: ZoneClock;
  /** No retry once the lead's attemptNumber reaches this; Infinity when the campaign sets only caps. */
  readonly maxAttempts: number;
  /** The campaign's own caps on calls to one number (`maxAttempts: { count, per }`). */
  readonly caps: readonly FrequencyCap[];
  readonly stopAfterUnanswered: UnansweredStop | null;
  readonly window: CallingWindow;
  /** The same window as a schedule, for the lawful-time search. */
  readonly campaignSchedule: CallingSchedule;
  readonly removeLeadOnDecline: boolean;
  /** Null when the campaign opts out (`jurisdictionProfile: none`). */
  readonly profile: JurisdictionProfile | null;
  readonly callPurpose: 'solicitation' | 'other';
  readonly automatedDialing: boolean;
  readonly prerecordedMessages: boolean;
}

/** A validated rules file compiled for O(1) lookup. Build with parseRules/loadRules/defaultRules. */
export interface Rules {
  readonly version: string;
  /** SHA-256 of the validated file's content (not its text): equal digests, equal rules. */
  readonly digest: string;
  /** Where the rules came from (a path or a name), for messages. */
  readonly source: string;
  readonly rules: readonly CompiledRule[];
  /** Index = SIP code − 100. */
  readonly slots: readonly CodeSlot[];
  readonly defaults: CampaignPolicy;
  readonly campaigns: ReadonlyMap<string, CampaignPolicy>;
  /** Every profile a campaign may name: the shipped ones and the file's. */
  readonly profiles: ReadonlyMap<string, JurisdictionProfile>;
  readonly jitter: number;
  /**
   * How long the per-number state must remember a call: the longest cap or `stopAfterUnanswered`
   * period of any campaign, profile entry included. 0: no rule reads the state, none is kept.
   */
  readonly stateWindowMs: number;
  /** The abandoned-call ledger's groups and settings. */
  readonly abandonment: AbandonmentPolicy;
}
