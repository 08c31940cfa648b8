package sipflow.peer;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * classify() of libs/rules (classify/classify.ts), for the fields that decide what is written
 * where: disposition, action, rule id, and the retry time (retry/retry-at.ts with its FNV-1a
 * jitter, time/calling-window.ts on java.time's zone rules). The explanation keeps sipflow's
 * sentence shape but names the code without its reason phrase and the Q.850 cause by number.
 * Event validation covers the SIP code, the Q.850 cause and the time zone; sipflow checks more
 * (E.164 numbers, timestamps), which the bench's generated input always passes.
 */
final class Classifier {
  record Enrichment(String disposition, String action, Long retryAt, String ruleId, String explanation) {}

  static final class Invalid extends Exception {
    final String code;

    Invalid(String code, String message) {
      super(message);
      this.code = code;
    }
  }

  private static final long MINUTE_MS = 60_000L;
  private static final long DAY_MS = 86_400_000L;
  private final Rules rules;

  Classifier(Rules rules) {
    this.rules = rules;
  }

  Enrichment classify(
      String eventId, String campaignId, int sipCode, Integer q850, Integer retryAfterSeconds,
      int attemptNumber, long endedAt, String leadTimezone) throws Invalid {
    if (sipCode < 100 || sipCode > 699)
      throw new Invalid("SIPFLOW_INVALID_SIP_CODE", "sipCode " + sipCode + " is not a SIP code 100–699");
    if (q850 != null && (q850 < 0 || q850 > 127))
      throw new Invalid("SIPFLOW_INVALID_Q850_CAUSE", "q850Cause " + q850 + " is not 0–127");
    ZoneId leadZone = null;
    if (leadTimezone != null)
      try {
        leadZone = ZoneId.of(leadTimezone);
      } catch (DateTimeException e) {
        throw new Invalid("SIPFLOW_UNKNOWN_TIME_ZONE", "leadTimezone " + leadTimezone + " is not an IANA zone");
      }
    Rules.Policy policy = rules.policyFor(campaignId);
    Rules.Slot slot = rules.slots[sipCode - 100];
    Rules.Rule rule = slot.base();
    if (q850 != null && slot.byCause() != null && slot.byCause()[q850] != null) rule = slot.byCause()[q850];
    String subject = "SIP " + sipCode + (q850 == null ? "" : " with Q.850 cause " + q850) + " means " + rule.meaning() + "; ";

    if (rule.disposition().equals("DECLINED") && policy.removeLeadOnDecline())
      return new Enrichment(rule.disposition(), "REMOVE_LEAD", null, rule.id(),
          subject + "remove the lead, as this campaign removes leads that decline.");
    if (!rule.action().equals("RETRY"))
      return new Enrichment(rule.disposition(), rule.action(), null, rule.id(), subject + phrase(rule.action()));
    if (attemptNumber >= policy.maxAttempts())
      return new Enrichment(rule.disposition(), "NONE", null, rule.id(),
          subject + "no retry, max attempts reached (attempt " + attemptNumber + " of " + policy.maxAttempts() + ").");
    long delay = rule.retryDelayMs();
    long jitterMs = rules.jitter == 0 ? 0 : (long) Math.floor(unitHash(eventId) * rules.jitter * delay);
    long afterDelay = endedAt + delay + jitterMs;
    long afterRetryAfter = retryAfterSeconds == null ? afterDelay : endedAt + retryAfterSeconds * 1000L;
    long earliest = Math.max(afterDelay, afterRetryAfter);
    ZoneId zone = leadZone != null ? leadZone : policy.zone();
    long retryAt = placeInWindow(earliest, zone.getRules(), policy.windowStartMinute(), policy.windowEndMinute());
    return new Enrichment(rule.disposition(), "RETRY", retryAt, rule.id(),
        subject + "retry at " + Instant.ofEpochMilli(retryAt) + " (" + zone.getId() + ").");
  }

  private static String phrase(String action) {
    return switch (action) {
      case "NONE" -> "no further action.";
      case "REMOVE_LEAD" -> "remove the lead.";
      default -> "raise a compliance alert.";
    };
  }

  /** retry/jitter.ts: 32-bit FNV-1a over the UTF-16 code units, as a number in [0, 1). */
  static double unitHash(String text) {
    int hash = 0x811c9dc5;
    for (int i = 0; i < text.length(); i++) hash = (hash ^ text.charAt(i)) * 0x01000193;
    return Integer.toUnsignedLong(hash) / 4294967296.0;
  }

  /** time/calling-window.ts placeInWindow: walks the stretches of constant offset from `ts` on. */
  static long placeInWindow(long ts, ZoneRules zone, int startMinute, int endMinute) {
    long openingMs = startMinute * MINUTE_MS;
    long from = ts;
    while (from < ts + 3 * DAY_MS) {
      Instant at = Instant.ofEpochMilli(from);
      long offsetMs = zone.getOffset(at).getTotalSeconds() * 1000L;
      ZoneOffsetTransition next = zone.nextTransition(at);
      long until = next == null ? Long.MAX_VALUE : next.getInstant().toEpochMilli();
      long local = from + offsetMs;
      long msOfDay = Math.floorMod(local, DAY_MS);
      if (msOfDay >= openingMs && msOfDay < endMinute * MINUTE_MS) return from;
      long opening = local - msOfDay + openingMs + (msOfDay >= openingMs ? DAY_MS : 0) - offsetMs;
      from = opening < until ? opening : until;
    }
    throw new IllegalStateException("calling window never opens within 3 days after " + Instant.ofEpochMilli(ts));
  }
}
