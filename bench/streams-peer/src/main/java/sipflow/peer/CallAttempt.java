package sipflow.peer;

import org.apache.avro.generic.GenericRecord;

/** One decoded input record (schemas/call-attempt.avsc), its strings as Java strings. */
record CallAttempt(
    String eventId, String leadId, String campaignId, String phoneNumber, String callerId, int sipCode,
    String sipReason, Integer q850Cause, Integer retryAfterSeconds, int attemptNumber, long startedAt,
    long endedAt, String leadTimezone, String carrier, String reasonHeader, String leadRegion,
    String answeredBy) {

  static CallAttempt of(GenericRecord r) {
    return new CallAttempt(
        text(r, "eventId"), text(r, "leadId"), text(r, "campaignId"), text(r, "phoneNumber"), text(r, "callerId"),
        (Integer) r.get("sipCode"), text(r, "sipReason"), (Integer) r.get("q850Cause"),
        (Integer) r.get("retryAfterSeconds"), (Integer) r.get("attemptNumber"), (Long) r.get("startedAt"),
        (Long) r.get("endedAt"), text(r, "leadTimezone"), text(r, "carrier"), text(r, "reasonHeader"),
        text(r, "leadRegion"), text(r, "answeredBy"));
  }

  /** null for a field the writer's schema lacks (written before it existed), as for a null value. */
  private static String text(GenericRecord r, String field) {
    if (r.getSchema().getField(field) == null) return null;
    Object v = r.get(field);
    return v == null ? null : v.toString();
  }
}
