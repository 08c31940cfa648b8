package sipflow.peer;

import java.time.Instant;
import java.util.List;

/**
 * classify() of libs/rules (classify/classify.ts) for a policy without regional calling windows:
 * the Q.850 cause from the event or else its Reason header, the 603+ Network Blocked notice, the
 * winning rule (carrier and signal rules first, match-rule.ts), the party's regions and zones
 * (LeadLocation), decline removal, removal scope and do-not-call entry, the attempt limit, and the
 * retry time (retry/retry-at.ts with its FNV-1a jitter, then the first instant inside the
 * campaign's calling window in every zone of the party, or no retry when there is none within 14
 * days). With the number's history (the stateful mode) the caps that apply to the party's regions
 * move the retry too, as planRetry does: the caps' first allowed instant, then the window's, until
 * both agree; a call reported more than stateWindowMs behind the number's latest is not retried.
 * The explanation keeps sipflow's sentence shape but names the code without its reason phrase and
 * the Q.850 cause by number.
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

  /** Stateless: no history, no caps. */
  Enrichment classify(CallAttempt e) throws Validation.Invalid {
    return classify(e, NumberHistory.EMPTY);
  }

  /**
   * `history`: the calls to the event's number the state holds (this one may be among them: a
   * record processed again); empty when the peer keeps none.
   */
  Enrichment classify(CallAttempt e, NumberHistory history) throws Validation.Invalid {
    Zones.Clock leadClock = Validation.check(e);
    Rules.Policy policy = rules.policyFor(e.campaignId());
    Rules.Slot slot = rules.slots[e.sipCode() - 100];
    String reasonHeader = e.reasonHeader();
    // the dedicated field wins; a dialer that forwards only the raw header still gets its cause read
    Integer q850 = e.q850Cause() != null ? e.q850Cause()
        : reasonHeader == null ? null : ReasonHeader.q850Cause(reasonHeader);
    NetworkBlocked.Notice notice = NetworkBlocked.fromReasonHeader(reasonHeader);
    boolean networkBlocked = notice != null || NetworkBlocked.isPhrase(e.sipReason());
    Rules.Rule rule = ruleFor(slot, q850, e.carrier(), networkBlocked, e.answeredBy());
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
    // the history knows calls by their hashed eventId: this one's, once
    long key = history.isEmpty() ? 0 : NumberHistory.eventKey(e.eventId());
    // retry-at.ts planRetry: the delay plus jitter, no earlier than Retry-After, then caps and window
    long delay = rule.retryDelayMs();
    List<FrequencyCaps.Cap> caps =
        policy.caps() == null ? List.of() : policy.caps().forRegions(location.regions());
    // the calls a cap counts around this one's retry may be gone from a history this far ahead of it
    long late = caps.isEmpty() ? 0 : history.lateness(e.startedAt());
    if (late > rules.stateWindowMs) return facts.result("NONE", subject + describeTooLate(late));
    long jitterMs = rules.jitter == 0 ? 0 : (long) Math.floor(unitHash(e.eventId()) * rules.jitter * delay);
    long afterDelay = e.endedAt() + delay + jitterMs;
    long afterRetryAfter = e.retryAfterSeconds() == null ? afterDelay : e.endedAt() + e.retryAfterSeconds() * 1000L;
    long earliest = Math.max(afterDelay, afterRetryAfter);
    long limit = earliest + CallingWindow.RETRY_HORIZON_DAYS * CallingWindow.DAY_MS;
    CallingWindow window = policy.window();
    long[] callTimes = caps.isEmpty() ? NO_TIMES : history.callTimesWith(e.startedAt(), key);
    Plan plan = planRetry(earliest, limit, window, location.clocks(), caps, callTimes);
    if (plan.retryAt == null) {
      String capped = !plan.blockedByCap ? "" : " and under every cap on calls to this number ("
          + String.join("; ", caps.stream().map(FrequencyCaps.Cap::phrase).toList()) + ")";
      String reason = "no retry: no time in the next " + CallingWindow.RETRY_HORIZON_DAYS
          + " days is inside the calling window " + window.hours + " in every zone of the lead" + capped + ".";
      return facts.result("NONE", subject + reason);
    }
    // classify.ts: the cap's label when a cap set the time, the campaign window's (named by its
    // hours) when the window did, else nothing
    String movedBy = plan.binding == Binding.CAP ? plan.cappedBy.capLabel
        : plan.binding == Binding.WINDOW ? "campaign " + window.hours : null;
    String when = Instant.ofEpochMilli(plan.retryAt) + " (" + location.clocks().get(0).name() + ")";
    String held = plan.cappedBy == null ? ""
        : ", held back by the " + plan.cappedBy.phrase() + ", counting this number's calls from every lead";
    return facts.result("RETRY", subject + "retry at " + when + held + ".", plan.retryAt, movedBy, null);
  }

  private static final long[] NO_TIMES = new long[0];
  // retry-at.ts MAX_ROUNDS: each round moves to a cap's or the window's next allowed instant
  private static final int MAX_ROUNDS = 64;

  private enum Binding { CAP, WINDOW }

  /** retry-at.ts RetryPlan, what classify reads of it. */
  private record Plan(Long retryAt, FrequencyCaps.Cap cappedBy, Binding binding, boolean blockedByCap) {}

  /**
   * retry-at.ts planRetry from `earliest` on: the caps' first allowed instant, then the first
   * instant inside the window in every zone from there, until the caps allow what the window
   * chose; no retry past `limit`.
   */
  private static Plan planRetry(
      long earliest, long limit, CallingWindow window, List<Zones.Clock> clocks, List<FrequencyCaps.Cap> caps,
      long[] callTimes) {
    long at = earliest;
    FrequencyCaps.Cap cappedBy = null;
    Binding binding = null;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      FrequencyCaps.Allowed allowed = FrequencyCaps.firstAllowedByCaps(at, callTimes, caps);
      if (allowed.at() > limit) return new Plan(null, null, null, true);
      if (allowed.at() != at) {
        cappedBy = allowed.movedBy();
        binding = Binding.CAP;
      }
      Long found = window.firstLawfulTime(allowed.at(), clocks, limit);
      if (found == null) return new Plan(null, null, null, cappedBy != null);
      if (found != allowed.at()) binding = Binding.WINDOW;
      // done when the caps allow the time the window chose; else the caps move it again
      if (found == allowed.at() || FrequencyCaps.firstAllowedByCaps(found, callTimes, caps).at() == found)
        return new Plan(found, cappedBy, binding, false);
      at = found;
    }
    return new Plan(null, null, null, cappedBy != null);
  }

  /** explanation.ts describeTooLate. */
  private static String describeTooLate(long latenessMs) {
    return "no retry: this call was reported " + formatDelay(latenessMs) + " after a later call to the same number,"
        + " past the period the caps on calls to it look back over, so the calls they count are no longer all known.";
  }

  /** explanation.ts formatDelay: "10 min", "2 h", "1 d", "90 s". */
  private static String formatDelay(long ms) {
    if (ms % CallingWindow.DAY_MS == 0) return ms / CallingWindow.DAY_MS + " d";
    if (ms % 3_600_000L == 0) return ms / 3_600_000L + " h";
    if (ms % CallingWindow.MINUTE_MS == 0) return ms / CallingWindow.MINUTE_MS + " min";
    // `${ms / 1000} s`: a whole number of ms in seconds prints as JavaScript prints it ("1.5 s")
    return java.math.BigDecimal.valueOf(ms).movePointLeft(3).stripTrailingZeros().toPlainString() + " s";
  }

  /**
   * match-rule.ts ruleFor: the first qualified rule that holds (they outrank every other), else
   * the best Q.850 rule for the cause, else the code's base rule.
   */
  private static Rules.Rule ruleFor(
      Rules.Slot slot, Integer q850, String carrier, boolean networkBlocked, String answeredBy) {
    if (slot.qualified() != null) {
      String normal = carrier == null ? null : Rules.normalCarrier(carrier);
      for (Rules.Rule rule : slot.qualified()) {
        if (rule.carriers() != null && (normal == null || !rule.carriers().contains(normal))) continue;
        if ("network-blocked".equals(rule.signal()) && !networkBlocked) continue;
        if (rule.answeredBy() != null && (answeredBy == null || !rule.answeredBy().contains(answeredBy))) continue;
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
