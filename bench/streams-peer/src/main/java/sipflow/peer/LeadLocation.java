package sipflow.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Where the called party is (libs/rules/src/jurisdiction/lead-location.ts), for a policy without a
 * jurisdiction profile: its regions (leadRegion, then the area code's region when it differs; the
 * first is the output's `jurisdiction`) and its zones (leadTimezone, then every zone the area code
 * spans; the campaign's zone when there is neither), in each of which a retry must fall inside the
 * calling window: a number keeps its area code when its owner moves or ports it, so a retry must be
 * lawful wherever the party may be. The area codes are sipflow's own table
 * (geography/nanp-area-codes.ts), handed over as JSON: one source, not a copy that could drift.
 */
final class LeadLocation {
  record Location(List<String> regions, List<Zones.Clock> clocks) {}

  /** Where a NANP area code was assigned: an ISO 3166 region and the zones its territory spans. */
  private record AreaCode(String region, List<Zones.Clock> clocks) {}

  // "+1" and the ten digits of a NANP number: the NPA (area code) and seven more
  private static final int NANP_E164_LENGTH = 12;
  private final AreaCode[] byAreaCode = new AreaCode[1000];

  /** `file`: NANP_AREA_CODES as JSON, `{ "201": { "region": "US-NJ", "zones": ["America/New_York"] }, ... }`. */
  LeadLocation(Path file) throws IOException {
    JsonNode table = new ObjectMapper().readTree(file.toFile());
    for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      List<Zones.Clock> clocks = new ArrayList<>();
      for (JsonNode zone : e.getValue().get("zones")) {
        // lead-location.ts skips a zone the runtime does not know
        Zones.Clock clock = Zones.clock(zone.asText());
        if (clock != null) clocks.add(clock);
      }
      byAreaCode[Integer.parseInt(e.getKey())] = new AreaCode(e.getValue().get("region").asText(), List.copyOf(clocks));
    }
    if (byAreaCode[212] == null) throw new IOException(file + " holds no NANP area codes");
  }

  /** nanp.ts nanpGeography: the area code's entry for a +1 number of ten digits, else null. */
  private AreaCode areaCodeOf(String e164) {
    if (e164.length() != NANP_E164_LENGTH || e164.charAt(0) != '+' || e164.charAt(1) != '1') return null;
    int areaCode = 0;
    for (int i = 2; i < NANP_E164_LENGTH; i++) {
      int digit = e164.charAt(i) - '0';
      if (digit < 0 || digit > 9) return null;
      if (i < 5) areaCode = areaCode * 10 + digit;
    }
    return byAreaCode[areaCode];
  }

  Location of(String phoneNumber, String leadRegion, Zones.Clock leadClock, Rules.Policy policy) {
    AreaCode geo = areaCodeOf(phoneNumber);
    List<String> regions = new ArrayList<>(2);
    if (leadRegion != null) regions.add(leadRegion);
    if (geo != null && !geo.region().equals(leadRegion)) regions.add(geo.region());
    List<Zones.Clock> clocks = new ArrayList<>(2);
    if (leadClock != null) clocks.add(leadClock);
    if (geo != null)
      for (Zones.Clock clock : geo.clocks()) {
        // one clock per zone name, as sipflow keeps one per name
        boolean known = clocks.stream().anyMatch(c -> c.name().equals(clock.name()));
        if (!known) clocks.add(clock);
      }
    if (clocks.isEmpty()) clocks.add(policy.clock());
    return new Location(regions, clocks);
  }
}
