package sipflow.peer;

import java.util.regex.Pattern;

/**
 * sipflow's event checks (libs/rules/src/validation/validate-call-attempt.ts), in its order, with
 * its error codes and messages, so that a record both refuse lands in the DLQ with the same
 * headers. What Avro's types already guarantee (strings, ints, nullability) is not checked again.
 * One check is narrower: E.164 numbers (phoneNumber, callerId) are checked for their shape (+, a
 * non-zero digit, 7–15 digits in all), not against libphonenumber's lengths per calling code, which
 * sipflow also applies; the bench's generated numbers pass both.
 */
final class Validation {
  static final class Invalid extends Exception {
    final String code;

    Invalid(String code, String message) {
      super(message);
      this.code = code;
    }
  }

  private static final Pattern E164_SHAPE = Pattern.compile("\\+[1-9]\\d{6,14}");
  // ISO 3166-2: the country's alpha-2 code, a hyphen, and up to three letters or digits ("US-FL", "CA-ON")
  private static final Pattern ISO_3166_2 = Pattern.compile("[A-Z]{2}-[A-Z0-9]{1,3}");
  // 9999-12-31T23:59:59.999Z: later instants have no four-digit-year ISO-8601 form
  private static final long MAX_TIMESTAMP = 253_402_300_799_999L;

  private Validation() {}

  /** Checks the event and returns the clock of its lead time zone, or null when it names none. */
  static Zones.Clock check(CallAttempt e) throws Invalid {
    checkId("eventId", e.eventId());
    checkId("leadId", e.leadId());
    checkId("campaignId", e.campaignId());
    checkPhone("phoneNumber", e.phoneNumber());
    if (e.callerId() != null) checkPhone("callerId", e.callerId());
    // SIP status codes are three digits, 1xx–6xx (RFC 3261 §7.2, §21)
    if (e.sipCode() < 100 || e.sipCode() > 699)
      throw fail("sipCode", e.sipCode(), "an integer SIP status code 100–699", "SIPFLOW_INVALID_SIP_CODE");
    // ITU-T Q.850 cause values are 7 bits: 0–127 (Q.850 §2.2.5)
    if (e.q850Cause() != null && (e.q850Cause() < 0 || e.q850Cause() > 127))
      throw fail("q850Cause", e.q850Cause(), "an integer Q.850 cause 0–127 or null", "SIPFLOW_INVALID_Q850_CAUSE");
    if (e.retryAfterSeconds() != null && e.retryAfterSeconds() < 0)
      throw fail(
          "retryAfterSeconds", e.retryAfterSeconds(), "an integer 0–" + Integer.MAX_VALUE + " or null",
          "SIPFLOW_INVALID_FIELD");
    // validate-call-attempt.ts: the retry record carries attemptNumber + 1, which must fit the int too
    if (e.attemptNumber() < 1 || e.attemptNumber() == Integer.MAX_VALUE)
      throw fail(
          "attemptNumber", e.attemptNumber(), "an integer 1–" + (Integer.MAX_VALUE - 1), "SIPFLOW_INVALID_FIELD");
    checkTimestamp("startedAt", e.startedAt());
    checkTimestamp("endedAt", e.endedAt());
    if (e.endedAt() < e.startedAt())
      throw new Invalid(
          "SIPFLOW_INVALID_TIMESTAMPS", "endedAt (" + e.endedAt() + ") is before startedAt (" + e.startedAt() + ")");
    if (e.leadRegion() != null && !ISO_3166_2.matcher(e.leadRegion()).matches())
      throw fail("leadRegion", e.leadRegion(), "an ISO 3166-2 code such as \"US-FL\", or null", "SIPFLOW_INVALID_FIELD");
    if (e.leadTimezone() == null) return null;
    Zones.Clock clock = Zones.clock(e.leadTimezone());
    if (clock == null)
      throw fail(
          "leadTimezone", e.leadTimezone(), "an IANA zone name such as \"America/Chicago\"", "SIPFLOW_UNKNOWN_TIME_ZONE");
    return clock;
  }

  private static void checkId(String field, String value) throws Invalid {
    if (value.isEmpty()) throw fail(field, value, "a non-empty string", "SIPFLOW_INVALID_FIELD");
  }

  private static void checkPhone(String field, String value) throws Invalid {
    if (!E164_SHAPE.matcher(value).matches())
      throw fail(field, value, "an E.164 number such as \"+14155550123\"", "SIPFLOW_INVALID_PHONE_NUMBER");
  }

  private static void checkTimestamp(String field, long value) throws Invalid {
    if (value < 0 || value > MAX_TIMESTAMP)
      throw fail(field, value, "epoch milliseconds between 1970 and 9999", "SIPFLOW_INVALID_TIMESTAMPS");
  }

  /** "<field> must be <expected>, got <value>": a string quoted as JSON, cut at 40 UTF-16 units. */
  private static Invalid fail(String field, Object value, String expected, String code) {
    String got = value instanceof String s
        ? Js.json(s.length() > 40 ? s.substring(0, 40) + "…" : s)
        : String.valueOf(value);
    return new Invalid(code, field + " must be " + expected + ", got " + got);
  }
}
