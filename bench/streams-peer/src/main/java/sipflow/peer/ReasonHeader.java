package sipflow.peer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SIP Reason header (libs/sip/src/reason-header.ts). RFC 3326 §2: `Reason = "Reason" HCOLON
 * reason-value *(COMMA reason-value)`, `reason-value = protocol *(SEMI reason-params)`; RFC 6432
 * allows it in any SIP response; RFC 8606 adds `location` for Q.850. A dialer may join repeated
 * headers with ", " as SIP allows. Unparseable pieces are skipped, never thrown: the header is
 * advisory (RFC 3326 §2: "the Reason header field ... is purely informational").
 */
final class ReasonHeader {
  /** One reason-value: upper-cased protocol, the cause parameter if a number, every parameter by lower-cased name. */
  record Value(String protocol, Integer cause, String text, Map<String, String> params) {}

  // the protocol token's characters; Java's `.` also excludes U+0085, so the quoted-string grammar
  // names JavaScript's line terminators (what `.` excludes there) instead
  private static final Pattern PROTOCOL = Pattern.compile("[A-Z0-9.\\-_!%*+`'~]+");
  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\[^\\n\\r\\u2028\\u2029])*)\"");
  private static final Pattern ESCAPE = Pattern.compile("\\\\([^\\n\\r\\u2028\\u2029])");
  private static final Pattern CAUSE = Pattern.compile("\\d{1,3}");

  private ReasonHeader() {}

  private static String unquote(String raw) {
    String value = Js.trim(raw);
    Matcher m = QUOTED.matcher(value);
    return m.matches() ? ESCAPE.matcher(m.group(1)).replaceAll("$1") : value;
  }

  /** Splits on `separator` outside double-quoted strings (a `text="..."` may hold commas and semicolons). */
  private static List<String> splitOutsideQuotes(String text, char separator) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '\\' && quoted) i++;
      else if (ch == '"') quoted = !quoted;
      else if (ch == separator && !quoted) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  static List<Value> parse(String headerValue) {
    List<Value> values = new ArrayList<>();
    for (String piece : splitOutsideQuotes(headerValue, ',')) {
      List<String> parts = splitOutsideQuotes(piece, ';');
      String protocol = Js.upper(Js.trim(parts.get(0)));
      if (!PROTOCOL.matcher(protocol).matches()) continue;
      Map<String, String> params = new LinkedHashMap<>();
      for (String part : parts.subList(1, parts.size())) {
        int eq = part.indexOf('=');
        String name = Js.lower(Js.trim(eq < 0 ? part : part.substring(0, eq)));
        if (name.isEmpty() || params.containsKey(name)) continue;
        params.put(name, eq < 0 ? "" : unquote(part.substring(eq + 1)));
      }
      String causeText = params.get("cause");
      Integer cause = causeText != null && CAUSE.matcher(causeText).matches() ? Integer.valueOf(causeText) : null;
      values.add(new Value(protocol, cause, params.get("text"), Collections.unmodifiableMap(params)));
    }
    return values;
  }

  /**
   * The cause of the first Q.850 reason, or null when there is none or it is out of range (ITU-T
   * Q.850 cause values are 0–127). A dialer learns the PSTN release cause of a failed call from
   * it, e.g. `Reason: Q.850;cause=34;text="No circuit/channel available"`.
   */
  static Integer q850Cause(String headerValue) {
    for (Value reason : parse(headerValue)) {
      if (!reason.protocol().equals("Q.850") || !reason.params().containsKey("cause")) continue;
      Integer cause = reason.cause();
      return cause != null && cause >= 0 && cause <= 127 ? cause : null;
    }
    return null;
  }
}
