package sipflow.peer;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time-zone names as sipflow takes them (time/zones.ts: luxon's IANAZone.isValidZone, which asks
 * the runtime's Intl): an IANA zone name in any letter case ("america/chicago" is America/Chicago),
 * or a UTC offset "+HH", "+HHMM" or "+HH:MM". One clock per name as written, as sipflow keeps one
 * per name: the name is what a lead's zones are told apart by (lead-location.ts). The names and
 * rules are java.time's tz database, which may be a release apart from the one in Node's ICU: the
 * legacy EST, MST and HST, which java.time keeps only as short ids, are refused here and taken
 * there, and a zone whose rules changed between the releases differs; the zones the bench's input
 * names have had the same rules in both for years.
 */
final class Zones {
  /** A zone name as the event or rules file wrote it, and its rules. */
  record Clock(String name, ZoneRules rules) {}

  private static final Pattern OFFSET = Pattern.compile("([+-])([01]\\d|2[0-3])(?::?([0-5]\\d))?");
  private static final Map<String, String> CANONICAL_BY_LOWER = new HashMap<>();
  // only valid names are kept, so hostile input cannot grow the map without bound (as zones.ts)
  private static final Map<String, Clock> CLOCKS = new ConcurrentHashMap<>();

  static {
    for (String id : ZoneId.getAvailableZoneIds()) CANONICAL_BY_LOWER.put(Js.lower(id), id);
  }

  private Zones() {}

  /** The clock for a zone name, or null when the name is not a zone. */
  static Clock clock(String name) {
    Clock cached = CLOCKS.get(name);
    if (cached != null) return cached;
    ZoneRules rules = rulesOf(name);
    if (rules == null) return null;
    Clock clock = new Clock(name, rules);
    CLOCKS.put(name, clock);
    return clock;
  }

  private static ZoneRules rulesOf(String name) {
    String id = CANONICAL_BY_LOWER.get(Js.lower(name));
    if (id != null) return ZoneId.of(id).getRules();
    Matcher m = OFFSET.matcher(name);
    if (!m.matches()) return null;
    int minutes = Integer.parseInt(m.group(2)) * 60 + (m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    // java.time offsets stop at ±18:00; Intl's go to ±23:59, which no inhabited zone uses
    if (minutes > 18 * 60) return null;
    return ZoneOffset.ofTotalSeconds((m.group(1).equals("-") ? -minutes : minutes) * 60).getRules();
  }
}
