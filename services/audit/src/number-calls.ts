import {
  compareEntries,
  MAX_ENTRIES_PER_NUMBER,
  type AttemptEntry,
  type NumberHistory,
} from '@sipflow/rules';

/** Where a call was reported: when it ended, and its raw record's position. */
export type ReportedAt = { endedAt: number; partition: number; offset: bigint };
/** A call as the state records it, and its eventId: the entry keeps only a hash of it. */
type Reported = { entry: AttemptEntry; eventId: string; at: ReportedAt };

/**
 * Whether `a` was reported before `b`. On one partition the raw topic's order is the order the
 * processor read them in; across partitions there is no such order, and the call that ended first
 * counts as reported first (a tie: neither).
 */
export function reportedBefore(a: ReportedAt, b: ReportedAt): boolean {
  return a.partition === b.partition ? a.offset < b.offset : a.endedAt < b.endedAt;
}

/** The order the processor's state keeps a number's calls in: by startedAt, then eventKey. */

/**
 * Every call to each number on the raw topic, whatever order the audit read the partitions in:
 * the history the audit judges the processor's decisions against. Deduped by eventId (a dialer
 * may send an event twice; the processor counts it once).
 *
 * What the processor could know when it classified an event is the calls reported before it
 * (reportedBefore): a long call started earlier but reported later was not yet known, and one
 * started later but reported earlier was.
 */
export class NumberCalls {
  private readonly byNumber = new Map<string, Reported[]>();
  private readonly seen = new Set<string>();

  /** Records the call `eventId` (its state entry `entry`), unless that eventId was seen already. */
  add(phoneNumber: string, eventId: string, entry: AttemptEntry, at: ReportedAt): void {
    if (this.seen.has(eventId)) return;
    this.seen.add(eventId);
    const list = this.byNumber.get(phoneNumber);
    if (list) list.push({ entry, eventId, at });
    else this.byNumber.set(phoneNumber, [{ entry, eventId, at }]);
  }

  /**
   * The number's calls reported before `event`, in the order the state keeps them (startedAt,
   * then eventKey). With `keepMs`, only what the processor's state still held of them: calls
   * within `keepMs` of the latest, at most as many as it keeps.
   */
  knownBefore(phoneNumber: string, event: { eventId: string }, keepMs?: number): NumberHistory {
    const list = this.byNumber.get(phoneNumber) ?? [];
    const self = list.find((r) => r.eventId === event.eventId)?.at;
    const known = list
      .filter((r) => r.eventId !== event.eventId && (self === undefined || reportedBefore(r.at, self)))
      .map((r) => r.entry)
      .sort(compareEntries);
    if (keepMs === undefined || known.length === 0) return known;
    const cutoff = known[known.length - 1]!.at - keepMs;
    let start = Math.max(0, known.length - MAX_ENTRIES_PER_NUMBER);
    while (start < known.length && known[start]!.at <= cutoff) start++;
    return known.slice(start);
  }
}
