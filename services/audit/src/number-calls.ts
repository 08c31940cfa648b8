import { MAX_ENTRIES_PER_NUMBER, type AttemptEntry, type NumberHistory } from '@sipflow/rules';

/**
 * Every call to each number on the raw topic, whatever order the audit read the partitions in:
 * the history the audit judges the processor's decisions against. Deduped by eventId (a dialer
 * may send an event twice; the processor counts it once).
 */
export class NumberCalls {
  private readonly byNumber = new Map<string, AttemptEntry[]>();
  private readonly seen = new Set<string>();
  private sorted = true;

  add(phoneNumber: string, entry: AttemptEntry): void {
    if (this.seen.has(entry.eventId)) return;
    this.seen.add(entry.eventId);
    const list = this.byNumber.get(phoneNumber);
    if (list) list.push(entry);
    else this.byNumber.set(phoneNumber, [entry]);
    this.sorted = false;
  }

  /** The number's calls started at or before `at` (ties included: the cap check counts them). */
  upTo(phoneNumber: string, at: number): NumberHistory {
    const list = this.list(phoneNumber);
    return list.slice(
      0,
      upperBound(list, (e) => e.at <= at),
    );
  }

  /**
   * The number's calls before `event` in the order the state keeps them (startedAt, then eventId),
   * within `keepMs` of it and at most as many as the state keeps: what the processor's state held
   * when it classified the event, if it saw the number's calls in that order.
   */
  before(phoneNumber: string, event: { startedAt: number; eventId: string }, keepMs: number): NumberHistory {
    const list = this.list(phoneNumber);
    const end = upperBound(
      list,
      (e) => e.at < event.startedAt || (e.at === event.startedAt && e.eventId < event.eventId),
    );
    let start = Math.max(0, end - MAX_ENTRIES_PER_NUMBER);
    while (start < end && list[start]!.at <= event.startedAt - keepMs) start++;
    return list.slice(start, end);
  }

  private list(phoneNumber: string): AttemptEntry[] {
    if (!this.sorted) {
      for (const list of this.byNumber.values())
        list.sort((a, b) => a.at - b.at || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
      this.sorted = true;
    }
    return this.byNumber.get(phoneNumber) ?? [];
  }
}

/** The count of leading entries for which `isBefore` holds (the list is sorted, so it is a prefix). */
function upperBound<T>(list: readonly T[], isBefore: (item: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isBefore(list[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
