package sipflow.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The same YAML rules file sipflow reads (libs/rules/rules/default-rules.yaml by default),
 * compiled the way libs/rules compiles it (rules-file/compile.ts): one slot per SIP code 100–699
 * holding its best rule without Q.850 and, where Q.850 rules cover the code, the best rule per
 * cause. Best = most specific: a rule naming causes beats one that does not, then an exact code
 * beats a list, and a list beats a class; on a tie the earlier rule stays (sipflow rejects ties at
 * load, so a file sipflow accepts has none). The file is assumed valid: `sipflow rules check` is
 * sipflow's validator, and this peer does not repeat it.
 */
final class Rules {
  record Rule(String id, String disposition, String action, Long retryDelayMs, String meaning, int rank) {}

  record Policy(ZoneId zone, int maxAttempts, int windowStartMinute, int windowEndMinute, boolean removeLeadOnDecline) {}

  record Slot(Rule base, Rule[] byCause) {}

  final String version;
  final double jitter;
  final Slot[] slots = new Slot[600];
  final Policy defaults;
  final Map<String, Policy> campaigns = new HashMap<>();

  @SuppressWarnings("unchecked")
  Rules(Path file) throws IOException {
    Map<String, Object> doc =
        (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    version = String.valueOf(doc.get("version"));
    Map<String, Object> retry = (Map<String, Object>) doc.get("retry");
    jitter = ((Number) retry.get("jitter")).doubleValue();
    Map<String, Object> delays = (Map<String, Object>) retry.getOrDefault("delays", Map.of());
    Map<String, Object> defaultFields = (Map<String, Object>) doc.get("defaults");
    defaults = policy(defaultFields);
    Object campaignsDoc = doc.get("campaigns");
    if (campaignsDoc instanceof Map<?, ?> m)
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Map<String, Object> merged = new HashMap<>(defaultFields);
        merged.putAll((Map<String, Object>) e.getValue());
        campaigns.put(String.valueOf(e.getKey()), policy(merged));
      }

    Rule[] base = new Rule[600];
    Rule[][] byCause = new Rule[600][];
    for (Map<String, Object> entry : (List<Map<String, Object>>) doc.get("rules")) {
      Map<String, Object> match = (Map<String, Object>) entry.get("match");
      Object sip = match.get("sip");
      Object q850 = match.get("q850");
      String form = sip instanceof Number ? "code" : sip instanceof List ? "list" : "class";
      // rank as rule-rank.ts: code+q850 6, list+q850 5, class+q850 4, code 3, list 2, class 1
      int rank = (form.equals("code") ? 3 : form.equals("list") ? 2 : 1) + (q850 == null ? 0 : 3);
      String disposition = (String) entry.get("disposition");
      String action = (String) entry.get("action");
      Long delay = null;
      if (action.equals("RETRY")) {
        Object own = entry.get("retryDelay");
        Object fallback = delays.get(disposition);
        delay = own != null ? durationMs(own) : fallback != null ? durationMs(fallback) : null;
      }
      Rule rule = new Rule((String) entry.get("id"), disposition, action, delay, (String) entry.get("meaning"), rank);
      for (int code : codesOf(sip)) {
        int i = code - 100;
        if (q850 == null) {
          base[i] = better(base[i], rule);
          continue;
        }
        if (byCause[i] == null) byCause[i] = new Rule[128];
        for (int cause : numbers(q850)) byCause[i][cause] = better(byCause[i][cause], rule);
      }
    }
    for (int i = 0; i < 600; i++) slots[i] = new Slot(base[i], byCause[i]);
  }

  Policy policyFor(String campaignId) {
    return campaigns.getOrDefault(campaignId, defaults);
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

  private static Policy policy(Map<String, Object> f) {
    Map<?, ?> window = (Map<?, ?>) f.get("callingWindow");
    return new Policy(
        ZoneId.of((String) f.get("timeZone")),
        ((Number) f.get("maxAttempts")).intValue(),
        minutes(String.valueOf(window.get("start"))),
        minutes(String.valueOf(window.get("end"))),
        Boolean.TRUE.equals(f.get("removeLeadOnDecline")));
  }

  private static int minutes(String hhmm) {
    return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3));
  }

  /** "90s", "10m", "2h", "1d" (the rules file's durations). */
  private static long durationMs(Object text) {
    String s = String.valueOf(text);
    long n = Long.parseLong(s.substring(0, s.length() - 1));
    return switch (s.charAt(s.length() - 1)) {
      case 's' -> n * 1_000L;
      case 'm' -> n * 60_000L;
      case 'h' -> n * 3_600_000L;
      case 'd' -> n * 86_400_000L;
      default -> throw new IllegalArgumentException("bad duration " + s);
    };
  }
}
