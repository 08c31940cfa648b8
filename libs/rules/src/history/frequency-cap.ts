import type { NumberHistory } from './number-history';

/** At most `count` calls to one number in any period of `perMs`: a statute's or a campaign's cap. */
export interface FrequencyCap {
  readonly count: number;
  readonly perMs: number;
  /** Whose cap: a region ("US-FL") or "campaign". */
  readonly name: string;
  /** The statute, or null for a campaign's own cap. */
  readonly source: string | null;
  /** "3 calls per 24 h". */
  readonly label: string;
}

/** A cap's label with its owner and source: "US-FL 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))". */
export function capLabel(cap: FrequencyCap): string {
  return cap.source === null ? `campaign ${cap.label}` : `${cap.name} ${cap.label} (${cap.source})`;
}

// "<owner> <count> call(s) per <period>": how capLabel starts; a window's label has hours there
const CAP_LABEL = /^\S+ \d+ calls? per \d+ (?:h|d|min|s)\b/;

/**
 * Whether a `retryMovedBy` names a cap (capLabel) rather than a calling window: for counting
 * retries by what moved them, from the enriched record alone.
 */
export function isCapLabel(movedBy: string): boolean {
  return CAP_LABEL.test(movedBy);
}

/**
 * The start times of the calls a cap counts: every call in the history except the one keyed
 * `key` (the attempt being classified, which the caller counts itself), oldest first.
 */
export function otherCallTimes(history: NumberHistory, key: number): number[] {
  const times: number[] = [];
  for (const entry of history) if (entry.eventKey !== key) times.push(entry.at);
  return times;
}

/** How many of the sorted times lie in [from, to). */
function countIn(times: readonly number[], from: number, to: number): number {
  let n = 0;
  for (const t of times) {
    if (t >= to) break;
    if (t >= from) n++;
  }
  return n;
}

/**
 * The most calls, one more at `t` included, that one period of the cap's length around `t` holds.
 * A period is half-open, [s, s + per): a call exactly `per` after another is in the next period.
 * Only periods that contain `t` can change; the fullest of them starts at `t` or at a call before
 * it, so those starts are the ones counted. `times` sorted ascending.
 */
export function callsInFullestPeriod(t: number, times: readonly number[], cap: FrequencyCap): number {
  let most = 1 + countIn(times, t, t + cap.perMs);
  for (const s of times) {
    if (s > t) break;
    if (s > t - cap.perMs) most = Math.max(most, 1 + countIn(times, s, s + cap.perMs));
  }
  return most;
}

/** Whether one more call at `t` keeps every period of the cap's length at or under its count. */
export function capAllows(t: number, times: readonly number[], cap: FrequencyCap): boolean {
  return callsInFullestPeriod(t, times, cap) <= cap.count;
}

/** The first instant at or after `from` every cap allows, and the cap that moved it there (or null). */
export function firstAllowedByCaps(
  from: number,
  times: readonly number[],
  caps: readonly FrequencyCap[],
): { at: number; movedBy: FrequencyCap | null } {
  if (caps.length === 0 || times.length === 0) return { at: from, movedBy: null };
  const allAllow = (t: number) => caps.every((cap) => capAllows(t, times, cap));
  if (allAllow(from)) return { at: from, movedBy: null };
  // The allowed instants are a union of intervals; each starts where some call leaves a period
  // (t = call + per), so the first allowed instant after `from` is one of those.
  const candidates: { at: number; cap: FrequencyCap }[] = [];
  for (const cap of caps) {
    for (const s of times) if (s + cap.perMs > from) candidates.push({ at: s + cap.perMs, cap });
  }
  candidates.sort((a, b) => a.at - b.at);
  for (const candidate of candidates) {
    if (allAllow(candidate.at)) {
      // the binding cap: one that refuses just before this instant
      const binding = caps.find((cap) => !capAllows(candidate.at - 1, times, cap)) ?? candidate.cap;
      return { at: candidate.at, movedBy: binding };
    }
  }
  // unreachable: past the last call + the longest period nothing is counted any more
  return { at: from, movedBy: null };
}

/** The longest cap period in use, or 0: how long the state must remember a call. */
export function longestPeriodMs(caps: Iterable<FrequencyCap>): number {
  let longest = 0;
  for (const cap of caps) longest = Math.max(longest, cap.perMs);
  return longest;
}
