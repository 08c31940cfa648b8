/**
 * The audit's record-time window, epoch ms: [from, to), `from` included, `to` excluded — the
 * window `sipflow replay --from/--to` reads, so one pair of times selects the same raw records
 * for both, and consecutive windows (a day, then the next) share no record.
 */
export type TimeWindow = { from?: number; to?: number };

export function inTimeWindow(timestamp: number, window: TimeWindow): boolean {
  return (
    (window.from === undefined || timestamp >= window.from) &&
    (window.to === undefined || timestamp < window.to)
  );
}
