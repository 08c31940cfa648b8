import { MAX_ENTRIES_PER_NUMBER, type AttemptEntry, type NumberHistory } from '@sipflow/rules';

type Reported = { entry: AttemptEntry; endedAt: number };

const byReport = (a: Reported, b: Reported) =>
  a.endedAt - b.endedAt ||
  (a.entry.eventId < b.entry.eventId ? -1 : a.entry.eventId > b.entry.eventId ? 1 : 0);
const byStart = (a: AttemptEntry, b: AttemptEntry) =>
  a.at - b.at || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

/**
 * Every call to each number on the raw topic, whatever order the audit read the partitions in:
 * the history the audit judges the processor's decisions against. Deduped by eventId (a dialer
 * may send an event twice; the processor counts it once).
 *
 * What the processor could know when it classified an event is the calls reported before it. A
 * dialer reports a call when it ends, so "before" is by `endedAt` (then eventId): a long call
 * started earlier but ended later was not yet known, and one started later but ended earlier was.
 */
export class NumberCalls {
  private readonly byNumber = new Map<string, Reported[]>();
  private readonly seen = new Set<string>();
  private sorted = true;

  add(phoneNumber: string, entry: AttemptEntry, endedAt: number): void {
    if (this.seen.has(entry.eventId)) return;
    this.seen.add(entry.eventId);
    const list = this.byNumber.get(phoneNumber);
    if (list) list.push({ entry, endedAt });
    else this.byNumber.set(phoneNumber, [{ entry, endedAt }]);
    this.sorted = false;
  }

  /**
   * The number's calls reported before `event`, in the order the state keeps them (startedAt,
   * then eventId). With `keepMs`, only what the processor's state still held of them: calls
   * within `keepMs` of the latest, at most as many as it keeps.
   */
  knownBefore(
    phoneNumber: string,
    event: { endedAt: number; eventId: string },
    keepMs?: number,
  ): NumberHistory {
    const list = this.list(phoneNumber);
    const self: Reported = {
      entry: { at: 0, eventId: event.eventId, unanswered: false },
      endedAt: event.endedAt,
    };
    let end = 0;
    while (end < list.length && byReport(list[end]!, self) < 0) end++;
    const known = list
      .slice(0, end)
      .map((r) => r.entry)
      .sort(byStart);
    if (keepMs === undefined || known.length === 0) return known;
    const cutoff = known[known.length - 1]!.at - keepMs;
    let start = Math.max(0, known.length - MAX_ENTRIES_PER_NUMBER);
    while (start < known.length && known[start]!.at <= cutoff) start++;
    return known.slice(start);
  }

  private list(phoneNumber: string): Reported[] {
    if (!this.sorted) {
      for (const list of this.byNumber.values()) list.sort(byReport);
      this.sorted = true;
    }
    return this.byNumber.get(phoneNumber) ?? [];
  }
}
