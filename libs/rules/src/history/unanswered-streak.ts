import { entryBefore, type NumberHistory } from './number-history';

/** `stopAfterUnanswered`: no retry once this many calls in a row went unanswered, within `perMs`. */
export interface UnansweredStop {
  readonly count: number;
  readonly perMs: number;
}

/**
 * How many calls in a row to the number went unanswered (NO_ANSWER or BUSY), ending with this one
 * at `at`, counting only calls within `perMs` before it: from any lead, because the number is the
 * person's phone whichever lead dialed it. `history` may or may not hold this call already.
 */
export function unansweredStreak(
  history: NumberHistory,
  current: { at: number; eventKey: number; unanswered: boolean },
  perMs: number,
): number {
  if (!current.unanswered) return 0;
  let streak = 1;
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i]!;
    if (entry.eventKey === current.eventKey) continue;
    // a call after this one (it arrived late) does not make this one's streak
    if (entryBefore(current, entry)) continue;
    if (entry.at <= current.at - perMs || !entry.unanswered) break;
    streak++;
  }
  return streak;
}
