import type { Zone } from 'luxon';
import { DAY_MS, MINUTE_MS } from './units';

// How far either side of an instant a cache miss looks for the zone's next offset change.
const SCAN_DAYS = 35;
// Segments kept per zone: enough for "now", "tomorrow's opening" and a replay in another season.
const MAX_SEGMENTS = 8;

/**
 * UTC offsets of one IANA zone, from luxon, cached as the intervals over which they are constant.
 *
 * luxon's `zone.offset(ts)` goes through Intl.DateTimeFormat#formatToParts (about 4 µs), which is
 * the whole budget of a classify call. Offsets change only at DST and rule transitions, a few
 * times a year, so the first lookup near an instant finds the surrounding transitions (probing day
 * by day, then bisecting to the millisecond, all through luxon) and later lookups are a range
 * check. Assumes a zone never changes offset twice within one day, which holds for all of tzdata.
 */
export class ZoneClock {
  readonly name: string;
  private readonly zone: Zone;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly offsets: number[] = [];
  private evictNext = 0;

  constructor(name: string, zone: Zone) {
    this.name = name;
    this.zone = zone;
  }

  /** Offset from UTC in minutes at the instant `ts` (epoch ms), e.g. -240 for EDT. */
  offsetMinutes(ts: number): number {
    return this.offsets[this.segmentOf(ts)]!;
  }

  /**
   * End (exclusive) of a stretch of time containing `ts` over which the offset does not change:
   * the zone's next offset change, or an earlier instant where the cached scan stopped (the offset
   * there is then the same). Never later than the next change, so a caller walking from one
   * stretch to the next sees every change, including a fall-back that repeats an hour.
   */
  offsetConstantUntil(ts: number): number {
    return this.ends[this.segmentOf(ts)]!;
  }

  /**
   * The earliest instant at or after `notBefore` whose local wall-clock time is `localMs` (epoch
   * ms of the wall-clock reading taken as if it were UTC). A wall-clock time inside a DST gap does
   * not exist; the earliest instant whose local time is later is the moment the clocks jump (02:30
   * on a spring-forward night in New York gives 03:00 EDT). Null when all are before `notBefore`.
   */
  instantOf(localMs: number, notBefore: number): number | null {
    // Offsets in force just before and just after the wall-clock time: transitions are more than a
    // day apart, so a day either side is on the right side of any change near `localMs`.
    const before = this.offsetMinutes(localMs - DAY_MS);
    const after = this.offsetMinutes(localMs + DAY_MS);
    const early = localMs - Math.max(before, after) * MINUTE_MS;
    const late = localMs - Math.min(before, after) * MINUTE_MS;
    const earlyExists = this.offsetMinutes(early) === Math.max(before, after);
    const lateExists = this.offsetMinutes(late) === Math.min(before, after);
    if (!earlyExists && !lateExists) {
      // In a gap: `late` reads the wall clock with the old offset, so it lies just past the jump.
      const jump = this.starts[this.segmentOf(late)]!;
      return jump >= notBefore ? jump : null;
    }
    if (earlyExists && early >= notBefore) return early;
    return lateExists && late >= notBefore ? late : null;
  }

  /** Index of the cached segment holding `ts`, learning it from luxon on a miss. */
  private segmentOf(ts: number): number {
    const starts = this.starts;
    for (let i = 0; i < starts.length; i++) {
      if (ts >= starts[i]! && ts < this.ends[i]!) return i;
    }
    const offset = this.zone.offset(ts);
    const slot = starts.length < MAX_SEGMENTS ? starts.length : this.evictNext++ % MAX_SEGMENTS;
    starts[slot] = this.edge(ts, offset, -1);
    this.ends[slot] = this.edge(ts, offset, 1) + 1;
    this.offsets[slot] = offset;
    return slot;
  }

  /** The last instant (walking in `direction` from `ts`) that still has `offset`. */
  private edge(ts: number, offset: number, direction: 1 | -1): number {
    let same = ts;
    for (let day = 1; day <= SCAN_DAYS; day++) {
      const probe = ts + direction * day * DAY_MS;
      if (this.zone.offset(probe) !== offset) return this.bisect(same, probe, offset);
      same = probe;
    }
    return same;
  }

  /** `same` has `offset`, `other` does not: narrow to the last instant next to `other` with it. */
  private bisect(same: number, other: number, offset: number): number {
    while (Math.abs(other - same) > 1) {
      const mid = same + Math.trunc((other - same) / 2);
      if (this.zone.offset(mid) === offset) same = mid;
      else other = mid;
    }
    return same;
  }
}
