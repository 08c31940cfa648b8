package sipflow.peer;

import java.util.HashMap;
import java.util.Map;

/**
 * SIP 603+ "Network Blocked" (libs/sip/src/network-blocked.ts; ATIS-1000099, "Robocall Call
 * Blocking Notification", ATIS, August 2022; the FCC's one blocking notice from 2026-03-25, FCC
 * 25-15, 47 CFR § 64.1200(k)). It differs from a plain 603 Decline in its reason phrase, "Network
 * Blocked", and in a Reason header such as
 *   Reason: SIP;cause=603;text="v=analytics1;url=https://redress.example;tel=+18005550100";location=RLN
 * whose text is attribute-value pairs: `v=analytics1` (the profile version), redress contacts
 * (`url`, `tel`, `email`) and optionally `id`; `location` (RFC 8606) says where the call was
 * blocked. A network that interworks from ISUP sends the same text with `Q.850;cause=21`.
 */
final class NetworkBlocked {
  /** The notice's fields, as the NetworkBlock record of the output schemas holds them. */
  record Notice(
      String version, String location, String locationMeaning, String redressUrl, String redressTel,
      String redressEmail, String blockId) {}

  /** RFC 8606 §4 `isup-location-value` (the Q.850 location field, ITU-T Q.850 §2.2.3). */
  private static final Map<String, String> LOCATIONS = Map.of(
      "U", "user",
      "LPN", "private network serving the calling party",
      "LN", "public network serving the calling party",
      "TN", "transit network",
      "RLN", "public network serving the called party",
      "RPN", "private network serving the called party",
      "INTL", "international network",
      "BI", "network beyond an interworking point");

  private static final String PHRASE = "network blocked";

  private NetworkBlocked() {}

  /** The text's `name=value;...` pairs, lower-cased names, the first of a name kept. */
  private static Map<String, String> attributes(String text) {
    Map<String, String> pairs = new HashMap<>();
    for (String part : text.split(";", -1)) {
      int eq = part.indexOf('=');
      if (eq <= 0) continue;
      pairs.putIfAbsent(Js.lower(Js.trim(part.substring(0, eq))), Js.trim(part.substring(eq + 1)));
    }
    return pairs;
  }

  private static boolean isBlockingReason(ReasonHeader.Value reason, Map<String, String> pairs) {
    if (reason.text() != null && Js.lower(Js.trim(reason.text())).equals(PHRASE)) return true;
    return (reason.protocol().equals("SIP") || reason.protocol().equals("Q.850"))
        && pairs.getOrDefault("v", "").startsWith("analytics");
  }

  /** True when the status line's reason phrase is "Network Blocked" (either case, trimmed). */
  static boolean isPhrase(String sipReason) {
    return sipReason != null && Js.lower(Js.trim(sipReason)).equals(PHRASE);
  }

  /** The first reason-value whose text is "Network Blocked" or carries the analytics pairs; null when none. */
  static Notice fromReasonHeader(String headerValue) {
    if (headerValue == null) return null;
    for (ReasonHeader.Value reason : ReasonHeader.parse(headerValue)) {
      Map<String, String> pairs = reason.text() == null ? Map.of() : attributes(reason.text());
      if (!isBlockingReason(reason, pairs)) continue;
      String location = reason.params().get("location");
      if (location != null) location = Js.upper(location);
      return new Notice(
          pairs.get("v"), location, location == null ? null : LOCATIONS.get(location), pairs.get("url"),
          pairs.get("tel"), pairs.get("email"), pairs.get("id"));
    }
    return null;
  }
}
