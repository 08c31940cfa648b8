package sipflow.peer;

import java.time.Instant;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;

/**
 * The campaign's calling window read in each of the party's zones: time/calling-window.ts
 * nextOpening and retry/lawful-time.ts firstLawfulTime, for the one schedule a policy without a
 * jurisdiction profile has (the same hours every day, no holidays). With that one schedule in every
 * zone, whatever moves a retry is the campaign's window, so which zone did is not tracked.
 */
final class CallingWindow {
  static final long MINUTE_MS = 60_000L;
  static final long DAY_MS = 86_400_000L;
  /** How far past the earliest retry time a lawful one is looked for (lawful-time.ts RETRY_HORIZON_DAYS). */
  static final int RETRY_HORIZON_DAYS = 14;
  // calling-window.ts SEARCH_DAYS: how far ahead an opening is looked for, in local days
  private static final int SEARCH_DAYS = 10;
  // lawful-time.ts: each round moves to some zone's next opening, so a few end it; the bound guards a bug
  private static final int MAX_ROUNDS = 64;

  final int startMinute;
  final int endMinute;
  /** "08:00–21:00" (schedule.ts describeWeek of a daily window). */
  final String hours;

  CallingWindow(int startMinute, int endMinute) {
    this.startMinute = startMinute;
    this.endMinute = endMinute;
    this.hours = hhmm(startMinute) + "–" + hhmm(endMinute);
  }

  private static String hhmm(int minutes) {
    return String.format(java.util.Locale.ROOT, "%02d:%02d", minutes / 60, minutes % 60);
  }

  /**
   * The earliest instant at or after `ts` whose local time in the zone is inside the window, or
   * null when it does not open within SEARCH_DAYS. Walks the stretches of constant offset from
   * `ts` on: within one, local time runs at the rate of UTC, so the first inside instant is the
   * stretch's start when that is inside, else the next wall-clock opening if the stretch lasts that
   * long. A fall-back repeats an hour and a spring-forward skips one (IANA tz database; Europe/London
   * goes back from 02:00 BST to 01:00 GMT at 01:00 UTC on the last Sunday of October, Rule EU
   * "1996 max Oct lastSun 1:00u"), and both land at the start of the stretch after the change,
   * which the walk checks first.
   */
  Long nextOpening(long ts, Zones.Clock clock) {
    long from = ts;
    for (int stretch = 0; stretch < 4 * SEARCH_DAYS && from < ts + SEARCH_DAYS * DAY_MS; stretch++) {
      Instant at = Instant.ofEpochMilli(from);
      long offsetMs = clock.rules().getOffset(at).getTotalSeconds() * 1000L;
      ZoneOffsetTransition next = clock.rules().nextTransition(at);
      long until = next == null ? Long.MAX_VALUE : next.getInstant().toEpochMilli();
      long local = from + offsetMs;
      long today = Math.floorDiv(local, DAY_MS);
      Long candidate = null;
      for (long day = today; day <= today + SEARCH_DAYS && candidate == null; day++) {
        long midnight = day * DAY_MS;
        long first = Math.max(local, midnight + startMinute * MINUTE_MS);
        // an empty window (start at or past its end) never holds an instant, so it never opens
        if (first < midnight + endMinute * MINUTE_MS) candidate = first;
      }
      if (candidate == null) return null;
      long opening = candidate - offsetMs;
      // inside under this stretch's offset: the answer; past it, look again from the change
      if (opening < until) return opening;
      from = until;
    }
    return null;
  }

  /**
   * The first instant at or after `earliest` inside the window in every zone, or null when there
   * is none up to `limit`: moves to each zone's next opening in turn until all agree. Every step
   * only moves later, and an instant all allow stops it, so the answer is the earliest instant all allow.
   */
  Long firstLawfulTime(long earliest, List<Zones.Clock> clocks, long limit) {
    long at = earliest;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      boolean moved = false;
      for (Zones.Clock clock : clocks) {
        Long opening = nextOpening(at, clock);
        if (opening == null || opening > limit) return null;
        if (opening > at) {
          at = opening;
          moved = true;
        }
      }
      if (!moved) return at;
    }
    return null;
  }
}
