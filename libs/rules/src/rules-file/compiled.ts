import type { Action, Disposition } from '../dispositions';
import type { CallingWindow } from '../time/calling-window';
import type { ZoneClock } from '../time/zone-clock';
import type { SipMatch } from './schema';

/** Ranked most specific first; a rule naming Q.850 causes outranks every rule that does not. */
export const SPECIFICITIES = [
  'exact code + Q.850',
  'code list + Q.850',
  'class + Q.850',
  'exact code',
  'code list',
  'class',
] as const;
export type Specificity = (typeof SPECIFICITIES)[number];

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
}

/** Everything classify needs for one SIP code, precomputed. */
export interface CodeSlot {
  /** "SIP 486 Busy Here". */
  readonly label: string;
  /** The best rule that does not look at Q.850; the class fallback guarantees one. */
  readonly base: CompiledRule;
  /** The best Q.850 rule per cause value 0–127, or null when no Q.850 rule covers this code. */
  readonly byCause: readonly (CompiledRule | undefined)[] | null;
}

/** The settings a campaign runs with: its overrides on top of the file's defaults. */
export interface CampaignPolicy {
  readonly timeZone: string;
  readonly clock: ZoneClock;
  readonly maxAttempts: number;
  readonly window: CallingWindow;
  readonly removeLeadOnDecline: boolean;
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
  readonly jitter: number;
}
