package sipflow.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Caps on calls to one number (libs/rules/src/history/frequency-cap.ts) and which apply where.
 * The caps are sipflow's own, compiled by libs/rules from the rules file and handed over as JSON
 * (bench/e2e/peer-caps.ts writes PEER_CAPS_FILE): the campaign's `maxAttempts` caps and, per
 * region code of its jurisdiction profile, the caps of the entries that bind the campaign's calls
 * (the US profile: FL, OK, MD, OR 3 calls per 24 h; ME 1 per 8 h for automated calls), and the
 * rules' stateWindowMs. One source, as with the area codes, not a copy of the profile.
 */
final class FrequencyCaps {
  /**
   * One cap. Compared by identity, as lead-location.ts compares caps: two entries with equal
   * figures are still two caps.
   */
  static final class Cap {
    final int count;
    final long perMs;
    /** whose: a region ("US-FL") or "campaign" */
    final String name;
    /** the statute, or null for a campaign's own cap */
    final String source;
    /** "3 calls per 24 h" */
    final String label;
    /** frequency-cap.ts capLabel, what `retryMovedBy` says: "US-FL 3 calls per 24 h (Fla. Stat. ...)" */
    final String capLabel;

    Cap(int count, long perMs, String name, String source, String label, String capLabel) {
      this.count = count;
      this.perMs = perMs;
      this.name = name;
      this.source = source;
      this.label = label;
      this.capLabel = capLabel;
    }

    /** explanation.ts capPhrase: "US-FL cap of 3 calls per 24 h (Fla. Stat. ...)". */
    String phrase() {
      return source == null ? "campaign cap of " + label : name + " cap of " + label + " (" + source + ")";
    }
  }

  /** One campaign policy's caps: its own, and its profile's by region code (a country or a subdivision). */
  static final class PolicyCaps {
    final List<Cap> campaign;
    private final Map<String, List<Cap>> byRegion;

    PolicyCaps(List<Cap> campaign, Map<String, List<Cap>> byRegion) {
      this.campaign = campaign;
      this.byRegion = byRegion;
    }

    /**
     * lead-location.ts capsFor: the campaign's caps, then for each region those of its country
     * ("US" for "US-FL") and of the region itself (compile-profile.ts regionEntries), each once.
     */
    List<Cap> forRegions(List<String> regions) {
      if (byRegion.isEmpty()) return campaign;
      List<Cap> caps = null;
      for (String region : regions) {
        if (region.length() > 2) caps = add(caps, byRegion.get(region.substring(0, 2)));
        caps = add(caps, byRegion.get(region));
      }
      return caps == null ? campaign : caps;
    }

    private List<Cap> add(List<Cap> caps, List<Cap> more) {
      if (more == null) return caps;
      for (Cap cap : more) {
        if (caps == null) caps = new ArrayList<>(campaign);
        // by identity (Cap does not override equals), as `caps.includes(entry.cap)`
        if (!caps.contains(cap)) caps.add(cap);
      }
      return caps;
    }
  }

  /** rules.stateWindowMs: the longest period any cap looks back over (0: no state). */
  final long stateWindowMs;
  final PolicyCaps defaults;
  final Map<String, PolicyCaps> campaigns = new HashMap<>();

  /**
   * `file`: `{ stateWindowMs, caps: [{ count, perMs, name, source, label, capLabel }],
   * defaults: { caps: [index], regions: { "US-FL": [index] } }, campaigns: { id: { ... } } }`.
   */
  FrequencyCaps(Path file) throws IOException {
    JsonNode doc = new ObjectMapper().readTree(file.toFile());
    stateWindowMs = doc.get("stateWindowMs").asLong();
    List<Cap> all = new ArrayList<>();
    for (JsonNode c : doc.get("caps")) {
      JsonNode source = c.get("source");
      all.add(new Cap(
          c.get("count").asInt(), c.get("perMs").asLong(), c.get("name").asText(),
          source == null || source.isNull() ? null : source.asText(), c.get("label").asText(),
          c.get("capLabel").asText()));
    }
    defaults = policy(doc.get("defaults"), all);
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("campaigns").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      campaigns.put(e.getKey(), policy(e.getValue(), all));
    }
  }

  private static PolicyCaps policy(JsonNode node, List<Cap> all) {
    List<Cap> campaign = new ArrayList<>();
    for (JsonNode i : node.get("caps")) campaign.add(all.get(i.asInt()));
    Map<String, List<Cap>> byRegion = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.get("regions").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      List<Cap> caps = new ArrayList<>();
      for (JsonNode i : e.getValue()) caps.add(all.get(i.asInt()));
      if (!caps.isEmpty()) byRegion.put(e.getKey(), List.copyOf(caps));
    }
    return new PolicyCaps(List.copyOf(campaign), byRegion);
  }

  // --- frequency-cap.ts, over `times` sorted ascending ------------------------------------------

  /** How many of the sorted times lie in [from, to). */
  private static int countIn(long[] times, long from, long to) {
    int n = 0;
    for (long t : times) {
      if (t >= to) break;
      if (t >= from) n++;
    }
    return n;
  }

  /**
   * callsInFullestPeriod: the most calls, one more at `t` included, that one period of the cap's
   * length around `t` holds. A period is half-open, [s, s + per); the fullest one containing `t`
   * starts at `t` or at a call before it.
   */
  static int callsInFullestPeriod(long t, long[] times, Cap cap) {
    int most = 1 + countIn(times, t, t + cap.perMs);
    for (long s : times) {
      if (s > t) break;
      if (s > t - cap.perMs) most = Math.max(most, 1 + countIn(times, s, s + cap.perMs));
    }
    return most;
  }

  static boolean capAllows(long t, long[] times, Cap cap) {
    return callsInFullestPeriod(t, times, cap) <= cap.count;
  }

  private static boolean allAllow(long t, long[] times, List<Cap> caps) {
    for (Cap cap : caps) if (!capAllows(t, times, cap)) return false;
    return true;
  }

  /** firstAllowedByCaps's answer: the instant, and the cap that moved it there (or null). */
  record Allowed(long at, Cap movedBy) {}

  /**
   * firstAllowedByCaps: the first instant at or after `from` every cap allows. The allowed
   * instants are a union of intervals, each starting where a call leaves a period (call + per),
   * so the candidates are those instants, earliest first; the binding cap is one that refuses
   * just before the answer.
   */
  static Allowed firstAllowedByCaps(long from, long[] times, List<Cap> caps) {
    if (caps.isEmpty() || times.length == 0 || allAllow(from, times, caps)) return new Allowed(from, null);
    List<long[]> candidates = new ArrayList<>(); // {at, cap index}
    for (int c = 0; c < caps.size(); c++) {
      Cap cap = caps.get(c);
      for (long s : times) if (s + cap.perMs > from) candidates.add(new long[] {s + cap.perMs, c});
    }
    // stable, as Array.prototype.sort: equal instants keep the caps' order
    candidates.sort((a, b) -> Long.compare(a[0], b[0]));
    for (long[] candidate : candidates) {
      long at = candidate[0];
      if (!allAllow(at, times, caps)) continue;
      for (Cap cap : caps) if (!capAllows(at - 1, times, cap)) return new Allowed(at, cap);
      return new Allowed(at, caps.get((int) candidate[1]));
    }
    // unreachable: past the last call + the longest period nothing is counted any more
    return new Allowed(from, null);
  }
}
