package sipflow.peer;

import java.util.Locale;

/**
 * The few JavaScript string semantics that sipflow's parsing and messages rest on, so that the
 * peer reads a Reason header, compares a carrier and quotes a bad value exactly as sipflow does.
 * JavaScript's String.prototype.trim strips ECMA-262's WhiteSpace and LineTerminator code points
 * (TAB, VT, FF, ZWNBSP U+FEFF, every Unicode Zs space; LF, CR, U+2028, U+2029), a different set
 * from Java's trim (every char up to U+0020) and strip (Character.isWhitespace, which leaves
 * U+00A0 and U+FEFF). Case mapping is the locale-independent Unicode one in both languages.
 */
final class Js {
  private Js() {}

  static boolean isSpace(char c) {
    return switch (c) {
      case '\t', '\n', 0x0B, '\f', '\r', 0xFEFF, 0x2028, 0x2029 -> true;
      default -> Character.getType(c) == Character.SPACE_SEPARATOR;
    };
  }

  /** String.prototype.trim. */
  static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) start++;
    while (end > start && isSpace(s.charAt(end - 1))) end--;
    return s.substring(start, end);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }

  /**
   * JSON.stringify of a string (ECMA-262 QuoteJSONString): quote, backslash and the C0 controls
   * escaped (\b \f \n \r \t by name, the rest as a lower-case hex escape of four digits), lone
   * surrogates escaped the same way (the well-formed JSON.stringify of ES2019), everything else
   * as it is.
   */
  static String json(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          boolean lone = Character.isHighSurrogate(c)
              ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
              : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
          if (c < 0x20 || lone) out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    return out.append('"').toString();
  }
}
