import type { Disposition } from '../dispositions';
import { eventKey } from './event-key';

/** One call placed to a number, as the per-number state remembers it. */
export interface AttemptEntry {
  /** The call's `startedAt` (epoch ms): when it was placed, which is what a frequency cap counts. */
  readonly at: number;
  /**
   * The call's `eventId` hashed (event-key.ts): dedupes a record processed twice (at-least-once
   * redelivery, a replayed batch) and orders calls placed in the same millisecond.
   */
  readonly eventKey: number;
  /** NO_ANSWER or BUSY: what `stopAfterUnanswered` counts in a row. */
  readonly unanswered: boolean;
}

/**
 * The recent calls to one number, oldest first (by `at`, then `eventKey`, so the order does not
 * depend on the order records arrived in). What classify reads and the state store keeps.
 */
export type NumberHistory = readonly AttemptEntry[];

export const EMPTY_HISTORY: NumberHistory = Object.freeze([]);

/**
 * A number called more often than this within the kept window keeps only its latest calls: it
 * bounds one number's state (a cap counts far fewer). Beyond it a cap above this count could
 * under-count; checkRules refuses such caps.
 */
export const MAX_ENTRIES_PER_NUMBER = 500;

const UNANSWERED: ReadonlySet<Disposition> = new Set(['NO_ANSWER', 'BUSY']);

export function isUnanswered(disposition: Disposition): boolean {
  return UNANSWERED.has(disposition);
}

/** The order a history keeps: by `at`, then by `eventKey`. */
export function entryBefore(a: AttemptEntry, b: AttemptEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.eventKey < b.eventKey);
}

/** The same order as a sort comparator (both fields are integers below 2^53: exact). */
export function compareEntries(a: AttemptEntry, b: AttemptEntry): number {
  return a.at - b.at || a.eventKey - b.eventKey;
}

/** Whether the history already holds this event (the record was processed before). */
export function hasAttempt(history: NumberHistory, key: number): boolean {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.eventKey === key) return true;
  return false;
}

/**
 * The history with one more call, in order, and without calls older than `keepMs` before the
 * latest call it holds. A call already there (same eventKey) changes nothing: recording is
 * idempotent, so a batch processed twice counts each call once. Pure: the history passed in is
 * not changed.
 */
export function recordAttempt(history: NumberHistory, entry: AttemptEntry, keepMs: number): NumberHistory {
  if (hasAttempt(history, entry.eventKey)) return history;
  let i = history.length;
  while (i > 0 && entryBefore(entry, history[i - 1]!)) i--;
  const next = [...history.slice(0, i), entry, ...history.slice(i)];
  // stream time of this number: its latest call; a window ending there needs nothing older
  const cutoff = next[next.length - 1]!.at - keepMs;
  let first = 0;
  while (first < next.length && next[first]!.at <= cutoff) first++;
  first = Math.max(first, next.length - MAX_ENTRIES_PER_NUMBER);
  return Object.freeze(first === 0 ? next : next.slice(first));
}

/** Whether a history is past its window: nothing in it can matter to a call at `streamTime` or later. */
export function isExpired(history: NumberHistory, streamTime: number, keepMs: number): boolean {
  return history.length === 0 || history[history.length - 1]!.at <= streamTime - keepMs;
}

/** The entry a classified call adds to its number's history. */
export function attemptOf(
  event: { startedAt: number; eventId: string },
  disposition: Disposition,
): AttemptEntry {
  return Object.freeze({
    at: event.startedAt,
    eventKey: eventKey(event.eventId),
    unanswered: isUnanswered(disposition),
  });
}

/**
 * How long a number's calls are kept: twice the longest period a rule looks back over. A call
 * that arrives up to one period behind the number's latest (a dialer uploading late) still finds
 * every call a period around its retry can hold; one later than that is not retried (classify).
 */
export function historyKeepMs(stateWindowMs: number): number {
  return 2 * stateWindowMs;
}

/** How far the call at `at` is behind the number's latest call, or 0. */
export function lateness(history: NumberHistory, at: number): number {
  const latest = history.length === 0 ? at : history[history.length - 1]!.at;
  return Math.max(0, latest - at);
}
