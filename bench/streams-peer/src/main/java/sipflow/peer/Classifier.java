package sipflow.peer;

import java.time.Instant;

/**
 * classify() of libs/rules (classify/classify.ts) for a policy without a jurisdiction profile or
 * per-number state: the Q.850 cause from the event or else its Reason header, the 603+ Network
 * Blocked notice, the winning rule (carrier and signal rules first, match-rule.ts), the party's
 * regions and zones (LeadLocation), decline removal, removal scope and do-not-call entry, the
 * attempt limit, and the retry time (retry/retry-at.ts with its FNV-1a jitter, then the first
 * instant inside the campaign's calling window in every zone of the party, or no retry when there
 * is none within 14 days). The explanation keeps sipflow's sentence shape but names the code
 * without its reason phrase and the Q.850 cause by number.
 */
final class Classifier {
  record DoNotCall(String reason, Long expiresAt) {}

  /** classify.ts's Enrichment: what the output records take from the classification. */
  record Enrichment(
      String disposition, String action, Long retryAt, String ruleId, String rulesVersion, String explanation,
      String jurisdiction, String retryMovedBy, String removalScope, DoNotCall doNotCall,
      NetworkBlocked.Notice networkBlock) {}

  private final Rules rules;
  private final LeadLocation locations;

  Classifier(Rules rules, LeadLocation locations) {
    this.rules = rules;
    this.locations = locations;
  }

  /** What every result of one call shares (classify.ts Facts). */
  private record Facts(
      Rules.Rule rule, String rulesVersion, CallAttempt event, String jurisdiction, NetworkBlocked.Notice notice) {
    Enrichment result(String action, String explanation, Long retryAt, String retryMovedBy, String removalScope) {
      DoNotCall dnc = null;
      if (action.equals("REMOVE_LEAD") && rule.doNotCall() != null) {
        Long after = rule.doNotCall().expiresAfterMs();
        dnc = new DoNotCall(rule.doNotCall().reason(), after == null ? null : event.endedAt() + after);
      }
      return new Enrichment(
          rule.disposition(), action, retryAt, rule.id(), rulesVersion, explanation, jurisdiction, retryMovedBy,
          removalScope, dnc, rule.disposition().equals("NETWORK_BLOCKED") ? notice : null);
    }

    Enrichment result(String action, String explanation) {
      return result(action, explanation, null, null, null);
    }
  }

  Enrichment classify(CallAttempt e) throws Validation.Invalid {
    Zones.Clock leadClock = Validation.check(e);
    Rules.Policy policy = rules.policyFor(e.campaignId());
    Rules.Slot slot = rules.slots[e.sipCode() - 100];
    String reasonHeader = e.reasonHeader();
    // the dedicated field wins; a dialer that forwards only the raw header still gets its cause read
    Integer q850 = e.q850Cause() != null ? e.q850Cause()
        : reasonHeader == null ? null : ReasonHeader.q850Cause(reasonHeader);
    NetworkBlocked.Notice notice = NetworkBlocked.fromReasonHeader(reasonHeader);
    boolean networkBlocked = notice != null || NetworkBlocked.isPhrase(e.sipReason());
    Rules.Rule rule = ruleFor(slot, q850, e.carrier(), networkBlocked);
    // classify.ts labelFor: a 603+ is named by its own phrase, not the code's registered one
    String label = "SIP " + e.sipCode() + ("network-blocked".equals(rule.signal()) ? " Network Blocked" : "");
    String subject = label + (q850 == null ? "" : " with Q.850 cause " + q850) + " means " + rule.meaning() + "; ";
    LeadLocation.Location location = locations.of(e.phoneNumber(), e.leadRegion(), leadClock, policy);
    String jurisdiction = location.regions().isEmpty() ? null : location.regions().get(0);
    Facts facts = new Facts(rule, rules.version, e, jurisdiction, notice);

    if (rule.disposition().equals("DECLINED") && policy.removeLeadOnDecline()) {
      String why = subject + "remove the lead, as this campaign removes leads that decline.";
      return facts.result("REMOVE_LEAD", why, null, null, "LEAD");
    }
    if (rule.action().equals("REMOVE_LEAD")) {
      String what = "NUMBER".equals(rule.removalScope()) ? "remove this number from the lead." : "remove the lead.";
      return facts.result("REMOVE_LEAD", subject + what, null, null, rule.removalScope());
    }
    if (!rule.action().equals("RETRY")) return facts.result(rule.action(), subject + phrase(rule.action()));
    if (e.attemptNumber() >= policy.maxAttempts()) {
      String reason = "no retry, max attempts reached (attempt " + e.attemptNumber() + " of " + policy.maxAttempts() + ").";
      return facts.result("NONE", subject + reason);
    }
    // retry-at.ts planRetry: the delay plus jitter, no earlier than Retry-After, then the window
    long delay = rule.retryDelayMs();
    long jitterMs = rules.jitter == 0 ? 0 : (long) Math.floor(unitHash(e.eventId()) * rules.jitter * delay);
    long afterDelay = e.endedAt() + delay + jitterMs;
    long afterRetryAfter = e.retryAfterSeconds() == null ? afterDelay : e.endedAt() + e.retryAfterSeconds() * 1000L;
    long earliest = Math.max(afterDelay, afterRetryAfter);
    long limit = earliest + CallingWindow.RETRY_HORIZON_DAYS * CallingWindow.DAY_MS;
    CallingWindow window = policy.window();
    Long retryAt = window.firstLawfulTime(earliest, location.clocks(), limit);
    if (retryAt == null) {
      String reason = "no retry: no time in the next " + CallingWindow.RETRY_HORIZON_DAYS
          + " days is inside the calling window " + window.hours + " in every zone of the lead.";
      return facts.result("NONE", subject + reason);
    }
    // classify.ts movedByLabel: the campaign's window, named by its hours, when it moved the retry
    String movedBy = retryAt.longValue() == earliest ? null : "campaign " + window.hours;
    String when = Instant.ofEpochMilli(retryAt) + " (" + location.clocks().get(0).name() + ")";
    return facts.result("RETRY", subject + "retry at " + when + ".", retryAt, movedBy, null);
  }

  /**
   * match-rule.ts ruleFor: the first qualified rule that holds (they outrank every other), else
   * the best Q.850 rule for the cause, else the code's base rule.
   */
  private static Rules.Rule ruleFor(Rules.Slot slot, Integer q850, String carrier, boolean networkBlocked) {
    if (slot.qualified() != null) {
      String normal = carrier == null ? null : Rules.normalCarrier(carrier);
      for (Rules.Rule rule : slot.qualified()) {
        if (rule.carriers() != null && (normal == null || !rule.carriers().contains(normal))) continue;
        if ("network-blocked".equals(rule.signal()) && !networkBlocked) continue;
        if (rule.q850() == null || (q850 != null && rule.q850().contains(q850))) return rule;
      }
    }
    if (q850 == null || slot.byCause() == null || slot.byCause()[q850] == null) return slot.base();
    return slot.byCause()[q850];
  }

  private static String phrase(String action) {
    return switch (action) {
      case "NONE" -> "no further action.";
      default -> "raise a compliance alert.";
    };
  }

  /** retry/jitter.ts: 32-bit FNV-1a over the UTF-16 code units, as a number in [0, 1). */
  static double unitHash(String text) {
    int hash = 0x811c9dc5;
    for (int i = 0; i < text.length(); i++) hash = (hash ^ text.charAt(i)) * 0x01000193;
    return Integer.toUnsignedLong(hash) / 4294967296.0;
  }
}
