package sipflow.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The same YAML rules file sipflow reads, compiled the way libs/rules compiles it
 * (rules-file/compile.ts): one slot per SIP code 100–699 holding its best rule without Q.850, the
 * best rule per cause where Q.850 rules cover the code, and the qualified rules (those naming a
 * carrier, a signal or answeredBy) best first. Best = highest rank (rule-rank.ts): a carrier adds
 * 200, a signal 100, answeredBy 50, then exact code + Q.850 6, list + Q.850 5, class + Q.850 4,
 * exact code 3, list 2, class 1; on a tie the earlier rule stays (sipflow rejects ties at load).
 *
 * The file is assumed valid: `sipflow rules check` is sipflow's validator, and this peer does not
 * repeat it. What the peer cannot do it refuses at load rather than do differently. Stateless (no
 * `caps`): a jurisdiction profile other than `none` (sipflow's default is the shipped `us`), and
 * per-number caps or `stopAfterUnanswered`, which need the per-number state it then does not keep.
 * Stateful (PEER_STATEFUL, `caps` from PEER_CAPS_FILE): a profile and `maxAttempts` caps are
 * taken, and of the profile only its caps apply (FrequencyCaps); its regional calling windows and
 * holidays do not, so a retry lands in the campaign's window alone. `stopAfterUnanswered` is
 * refused in both.
 */
final class Rules {
  record DoNotCall(String reason, Long expiresAfterMs) {}

  record Rule(
      String id, String disposition, String action, Long retryDelayMs, String meaning, int rank,
      Set<Integer> q850, List<String> carriers, String signal, List<String> answeredBy, String removalScope,
      DoNotCall doNotCall) {}

  /** `caps`: null when stateless. */
  record Policy(
      Zones.Clock clock, int maxAttempts, CallingWindow window, boolean removeLeadOnDecline,
      FrequencyCaps.PolicyCaps caps) {}

  /** `qualified`: rules naming a carrier, a signal or answeredBy, best first; null when the code has none. */
  record Slot(Rule base, Rule[] byCause, List<Rule> qualified) {}

  private static final Pattern DURATION = Pattern.compile("[1-9]\\d*[smhd]");
  final String version;
  final double jitter;
  final Slot[] slots = new Slot[600];
  final Policy defaults;
  final Map<String, Policy> campaigns = new HashMap<>();
  /** How long a call matters to the caps (rules.stateWindowMs); 0 when stateless. */
  final long stateWindowMs;

  /** Stateless: no profile, no caps. */
  Rules(Path file) throws IOException {
    this(file, null);
  }

  /** `caps`: sipflow's compiled caps of the same file (stateful), or null (stateless). */
  @SuppressWarnings("unchecked")
  Rules(Path file, FrequencyCaps caps) throws IOException {
    this.stateWindowMs = caps == null ? 0 : caps.stateWindowMs;
    Map<String, Object> doc =
        (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    version = String.valueOf(doc.get("version"));
    Map<String, Object> retry = (Map<String, Object>) doc.get("retry");
    jitter = ((Number) retry.get("jitter")).doubleValue();
    Map<String, Object> delays = (Map<String, Object>) retry.getOrDefault("delays", Map.of());
    Map<String, Object> defaultFields = (Map<String, Object>) doc.get("defaults");
    defaults = policy("defaults", defaultFields, caps == null ? null : caps.defaults);
    Object campaignsDoc = doc.get("campaigns");
    if (campaignsDoc instanceof Map<?, ?> m)
      for (Map.Entry<?, ?> e : m.entrySet()) {
        // a campaign's overrides on top of the defaults, as compile.ts merges them
        Map<String, Object> merged = new HashMap<>(defaultFields);
        merged.putAll((Map<String, Object>) e.getValue());
        String id = String.valueOf(e.getKey());
        FrequencyCaps.PolicyCaps own = caps == null ? null : caps.campaigns.get(id);
        if (caps != null && own == null)
          throw new IllegalArgumentException("PEER_CAPS_FILE has no caps for campaign " + id + " of RULES_FILE");
        campaigns.put(id, policy("campaigns." + id, merged, own));
      }

    Rule[] base = new Rule[600];
    Rule[][] byCause = new Rule[600][];
    List<List<Rule>> qualified = new ArrayList<>();
    for (int i = 0; i < 600; i++) qualified.add(null);
    for (Map<String, Object> entry : (List<Map<String, Object>>) doc.get("rules")) {
      Rule rule = rule(entry, delays);
      Object sip = ((Map<String, Object>) entry.get("match")).get("sip");
      for (int code : codesOf(sip)) {
        int i = code - 100;
        if (rule.carriers() != null || rule.signal() != null || rule.answeredBy() != null) {
          if (qualified.get(i) == null) qualified.set(i, new ArrayList<>());
          qualified.get(i).add(rule);
        } else if (rule.q850() == null) {
          base[i] = better(base[i], rule);
        } else {
          if (byCause[i] == null) byCause[i] = new Rule[128];
          for (int cause : rule.q850()) byCause[i][cause] = better(byCause[i][cause], rule);
        }
      }
    }
    for (int i = 0; i < 600; i++) {
      List<Rule> q = qualified.get(i);
      // best first; List.sort is stable, as Array.prototype.sort, so equal ranks keep file order
      if (q != null) q.sort((a, b) -> b.rank() - a.rank());
      slots[i] = new Slot(base[i], byCause[i], q == null ? null : List.copyOf(q));
    }
  }

  Policy policyFor(String campaignId) {
    return campaigns.getOrDefault(campaignId, defaults);
  }

  /** compile.ts normalCarrier: names compare trimmed and case-insensitively, as dialers spell trunks inconsistently. */
  static String normalCarrier(String name) {
    return Js.lower(Js.trim(name));
  }

  @SuppressWarnings("unchecked")
  private static Rule rule(Map<String, Object> entry, Map<String, Object> delays) {
    Map<String, Object> match = (Map<String, Object>) entry.get("match");
    Object sip = match.get("sip");
    Object q850 = match.get("q850");
    Object carrier = match.get("carrier");
    String signal = (String) match.get("signal");
    Object answered = match.get("answeredBy");
    String form = sip instanceof Number ? "code" : sip instanceof List ? "list" : "class";
    int baseRank = (form.equals("code") ? 3 : form.equals("list") ? 2 : 1) + (q850 == null ? 0 : 3);
    int rank = (carrier == null ? 0 : 200) + (signal == null ? 0 : 100) + (answered == null ? 0 : 50) + baseRank;
    String disposition = (String) entry.get("disposition");
    String action = (String) entry.get("action");
    Long delay = null;
    if (action.equals("RETRY")) {
      Object own = entry.get("retryDelay");
      Object fallback = delays.get(disposition);
      delay = own != null ? durationMs(own) : fallback != null ? durationMs(fallback) : null;
    }
    List<String> carriers = null;
    if (carrier != null) {
      carriers = new ArrayList<>();
      for (Object name : carrier instanceof List<?> list ? list : List.of(carrier))
        carriers.add(normalCarrier(String.valueOf(name)));
    }
    Map<String, Object> dnc = (Map<String, Object>) entry.get("doNotCall");
    DoNotCall doNotCall = dnc == null ? null : new DoNotCall(
        String.valueOf(dnc.get("reason")), dnc.get("expiresAfter") == null ? null : durationMs(dnc.get("expiresAfter")));
    String scope = entry.get("scope") == null ? "LEAD" : String.valueOf(entry.get("scope"));
    return new Rule(
        (String) entry.get("id"), disposition, action, delay, (String) entry.get("meaning"), rank,
        q850 == null ? null : new TreeSet<>(numbers(q850)), carriers, signal,
        answered == null ? null
            : answered instanceof List<?> list ? list.stream().map(String::valueOf).toList()
            : List.of(String.valueOf(answered)),
        action.equals("REMOVE_LEAD") ? scope : null, doNotCall);
  }

  private static Rule better(Rule current, Rule candidate) {
    return current == null || candidate.rank() > current.rank() ? candidate : current;
  }

  private static List<Integer> codesOf(Object sip) {
    if (sip instanceof Number || sip instanceof List) return numbers(sip);
    int first = (((String) sip).charAt(0) - '0') * 100; // "5xx"
    List<Integer> codes = new ArrayList<>();
    for (int c = first; c < first + 100; c++) codes.add(c);
    return codes;
  }

  private static List<Integer> numbers(Object value) {
    if (value instanceof Number n) return List.of(n.intValue());
    List<Integer> out = new ArrayList<>();
    for (Object o : (List<?>) value) out.add(((Number) o).intValue());
    return out;
  }

  private static Policy policy(String where, Map<String, Object> f, FrequencyCaps.PolicyCaps caps) {
    boolean stateful = caps != null;
    // schema.ts defaults: a file that names no profile gets the shipped `us` one
    Object profile = f.getOrDefault("jurisdictionProfile", "us");
    if (!stateful && !"none".equals(profile))
      throw refused(where + ".jurisdictionProfile is " + profile + ": regional calling windows, holidays and caps");
    Object stop = f.getOrDefault("stopAfterUnanswered", "off");
    if (!"off".equals(stop)) throw refused(where + ".stopAfterUnanswered is set");
    Map<?, ?> window = (Map<?, ?>) f.get("callingWindow");
    String zone = String.valueOf(f.get("timeZone"));
    Zones.Clock clock = Zones.clock(zone);
    if (clock == null)
      throw new IllegalArgumentException("RULES_FILE: " + where + ".timeZone " + zone + " is not a time zone");
    return new Policy(
        clock,
        maxAttempts(where, f.get("maxAttempts"), stateful),
        new CallingWindow(minutes(String.valueOf(window.get("start"))), minutes(String.valueOf(window.get("end")))),
        Boolean.TRUE.equals(f.get("removeLeadOnDecline")),
        caps);
  }

  /**
   * `maxAttempts`: a number, or a list whose smallest number counts (compile.ts attemptLimits);
   * a cap in it is the caps file's (stateful) or refused (stateless).
   */
  private static int maxAttempts(String where, Object value, boolean stateful) {
    int limit = Integer.MAX_VALUE;
    for (Object v : value instanceof List<?> list ? list : List.of(value)) {
      if (v instanceof Number n) limit = Math.min(limit, n.intValue());
      else if (!stateful) throw refused(where + ".maxAttempts caps calls to a number: that needs per-number state");
    }
    return limit;
  }

  private static IllegalArgumentException refused(String why) {
    return new IllegalArgumentException(
        "RULES_FILE: " + why + "; this peer implements a jurisdiction profile's caps only in its stateful mode"
            + " (PEER_STATEFUL=true), its windows and holidays and stopAfterUnanswered not at all");
  }

  private static int minutes(String hhmm) {
    return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3));
  }

  /** "90s", "10m", "2h", "1d" (the rules file's durations). */
  private static long durationMs(Object text) {
    String s = String.valueOf(text);
    if (!DURATION.matcher(s).matches()) throw new IllegalArgumentException("RULES_FILE: bad duration " + s);
    long n = Long.parseLong(s.substring(0, s.length() - 1));
    return switch (s.charAt(s.length() - 1)) {
      case 's' -> n * 1_000L;
      case 'm' -> n * 60_000L;
      case 'h' -> n * 3_600_000L;
      default -> n * 86_400_000L;
    };
  }
}
