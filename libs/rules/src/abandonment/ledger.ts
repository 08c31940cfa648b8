import type { CallVerdict } from './call-verdict';
import { ABANDONMENT_LIMIT, type AbandonmentPolicy } from './policy';

/**
 * One group's counts over one period. Counts only, so adding calls commutes: the same calls in
 * any order (partitions read in any interleaving) give the same ledger.
 */
export interface LedgerCounts {
  /** every call attempt of the group in the period */
  calls: number;
  /** answered, and detection said a person (HUMAN) */
  personAnswered: number;
  personAbandoned: number;
  /** answered, and detection could not tell (UNKNOWN, or no result on a call reported abandoned or not) */
  unknownAnswered: number;
  unknownAbandoned: number;
  machineAnswered: number;
  faxAnswered: number;
  /** answered with no detection result and nothing reported about abandonment: outside the rate */
  undetectedAnswered: number;
  /** abandoned calls (person or unknown) by why: the dialer said so */
  abandonedByDialer: number;
  /** ...answered and never connected to a representative */
  neverConnected: number;
  /** ...connected more than 2 s after the answer */
  connectedLate: number;
  /** abandoned calls (person or unknown) the dialer says heard no recorded message */
  withoutMessage: number;
  /** calls cancelled (487) after ringing less than 15 s */
  shortRingCancels: number;
}

export const LEDGER_COUNT_FIELDS = [
  'calls',
  'personAnswered',
  'personAbandoned',
  'unknownAnswered',
  'unknownAbandoned',
  'machineAnswered',
  'faxAnswered',
  'undetectedAnswered',
  'abandonedByDialer',
  'neverConnected',
  'connectedLate',
  'withoutMessage',
  'shortRingCancels',
] as const satisfies readonly (keyof LedgerCounts)[];

export function emptyCounts(): LedgerCounts {
  return Object.fromEntries(LEDGER_COUNT_FIELDS.map((f) => [f, 0])) as unknown as LedgerCounts;
}

/** Adds one call's verdict to `counts` (in place). */
export function countCall(counts: LedgerCounts, verdict: CallVerdict): void {
  counts.calls++;
  if (verdict.shortRing) counts.shortRingCancels++;
  const abandoned = verdict.abandonment !== null && verdict.abandonment !== 'NOT_ABANDONED';
  switch (verdict.answer) {
    case 'PERSON':
      counts.personAnswered++;
      if (abandoned) counts.personAbandoned++;
      break;
    case 'UNKNOWN':
      counts.unknownAnswered++;
      if (abandoned) counts.unknownAbandoned++;
      break;
    case 'MACHINE':
      counts.machineAnswered++;
      break;
    case 'FAX':
      counts.faxAnswered++;
      break;
    case 'UNDETECTED':
      counts.undetectedAnswered++;
      break;
    case null:
      break;
  }
  if (verdict.abandonment === 'BY_DIALER') counts.abandonedByDialer++;
  else if (verdict.abandonment === 'NEVER_CONNECTED') counts.neverConnected++;
  else if (verdict.abandonment === 'CONNECTED_LATE') counts.connectedLate++;
  if (verdict.withoutMessage) counts.withoutMessage++;
}

/** Adds `from` to `into` (in place): two partial ledgers of one period, merged. */
export function addCounts(into: LedgerCounts, from: Readonly<LedgerCounts>): void {
  for (const field of LEDGER_COUNT_FIELDS) into[field] += from[field];
}

/** The rate the regulations limit: abandoned over answered by a person (UNKNOWN too, when conservative). */
export function abandonmentRate(
  counts: Readonly<LedgerCounts>,
  policy: Pick<AbandonmentPolicy, 'unknownCountsAsPerson'>,
): { numerator: number; denominator: number; rate: number | null } {
  const withUnknown = policy.unknownCountsAsPerson;
  const numerator = counts.personAbandoned + (withUnknown ? counts.unknownAbandoned : 0);
  const denominator = counts.personAnswered + (withUnknown ? counts.unknownAnswered : 0);
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

/**
 * OVER: above 3 %. WARNING: at or above `warnAt`. Both only once the period holds `minAnswered`
 * person-answered calls while it runs (a handful of calls says little about 30 days); a closed
 * period is judged on what it holds. OK otherwise.
 */
export type LedgerStatus = 'OK' | 'WARNING' | 'OVER';

export function ledgerStatus(
  counts: Readonly<LedgerCounts>,
  policy: Pick<AbandonmentPolicy, 'unknownCountsAsPerson' | 'warnAt' | 'minAnswered'>,
  closed: boolean,
): LedgerStatus {
  const { denominator, rate } = abandonmentRate(counts, policy);
  if (rate === null || (!closed && denominator < policy.minAnswered)) return 'OK';
  if (rate > ABANDONMENT_LIMIT) return 'OVER';
  return rate >= policy.warnAt ? 'WARNING' : 'OK';
}
