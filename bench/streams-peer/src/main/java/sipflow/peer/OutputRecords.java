package sipflow.peer;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * libs/pipeline/src/output-records.ts: each output record, field by field, from the event and its
 * enrichment. Every field of the schema must be written: a schema that gained a field the peer
 * does not know fails the record (to the DLQ, as sipflow treats a record its schema refuses)
 * instead of silently writing its default.
 */
final class OutputRecords {
  private OutputRecords() {}

  /** Every event: the input's fields and the enrichment. */
  static GenericData.Record enriched(Schema s, CallAttempt e, Classifier.Enrichment c) {
    return new Fields(s)
        .put("eventId", e.eventId()).put("leadId", e.leadId()).put("campaignId", e.campaignId())
        .put("phoneNumber", e.phoneNumber()).put("callerId", e.callerId()).put("sipCode", e.sipCode())
        .put("sipReason", e.sipReason()).put("q850Cause", e.q850Cause()).put("retryAfterSeconds", e.retryAfterSeconds())
        .put("attemptNumber", e.attemptNumber()).put("startedAt", e.startedAt()).put("endedAt", e.endedAt())
        .put("leadTimezone", e.leadTimezone()).put("carrier", e.carrier()).put("reasonHeader", e.reasonHeader())
        .put("leadRegion", e.leadRegion()).symbol("answeredBy", e.answeredBy())
        .symbol("disposition", c.disposition()).symbol("action", c.action()).put("retryAt", c.retryAt())
        .put("ruleId", c.ruleId()).put("rulesVersion", c.rulesVersion()).put("explanation", c.explanation())
        .put("replayId", null).put("jurisdiction", c.jurisdiction()).put("retryMovedBy", c.retryMovedBy())
        .symbol("removalScope", c.removalScope()).doNotCall(e, c).networkBlock(c)
        .done();
  }

  /** Action RETRY: when to call again, and which attempt that will be. */
  static GenericData.Record retry(Schema s, CallAttempt e, Classifier.Enrichment c) {
    return new Fields(s)
        .put("eventId", e.eventId()).put("leadId", e.leadId()).put("campaignId", e.campaignId())
        .put("phoneNumber", e.phoneNumber()).put("nextAttemptNumber", e.attemptNumber() + 1)
        // classify sets retryAt whenever the action is RETRY; endedAt is never reached
        .put("retryAt", c.retryAt() != null ? c.retryAt() : e.endedAt())
        .symbol("disposition", c.disposition()).put("sipCode", e.sipCode()).put("q850Cause", e.q850Cause())
        .put("ruleId", c.ruleId()).put("rulesVersion", c.rulesVersion()).put("explanation", c.explanation())
        .put("replayId", null).put("jurisdiction", c.jurisdiction()).put("retryMovedBy", c.retryMovedBy())
        .done();
  }

  /** Action REMOVE_LEAD: what to remove (the number or the lead), and a do-not-call entry if any. */
  static GenericData.Record removal(Schema s, CallAttempt e, Classifier.Enrichment c) {
    return new Fields(s)
        .put("eventId", e.eventId()).put("leadId", e.leadId()).put("campaignId", e.campaignId())
        .put("phoneNumber", e.phoneNumber()).symbol("disposition", c.disposition()).put("sipCode", e.sipCode())
        .put("occurredAt", e.endedAt()).put("ruleId", c.ruleId()).put("rulesVersion", c.rulesVersion())
        .put("explanation", c.explanation()).put("replayId", null)
        // classify sets the scope whenever the action is REMOVE_LEAD
        .symbol("scope", c.removalScope() != null ? c.removalScope() : "LEAD").doNotCall(e, c)
        .done();
  }

  /** Action COMPLIANCE_ALERT: what a compliance team needs to look into the call. */
  static GenericData.Record compliance(Schema s, CallAttempt e, Classifier.Enrichment c) {
    return new Fields(s)
        .put("eventId", e.eventId()).put("leadId", e.leadId()).put("campaignId", e.campaignId())
        .put("phoneNumber", e.phoneNumber()).put("callerId", e.callerId()).put("carrier", e.carrier())
        .symbol("disposition", c.disposition()).put("sipCode", e.sipCode()).put("q850Cause", e.q850Cause())
        .put("occurredAt", e.endedAt()).put("ruleId", c.ruleId()).put("rulesVersion", c.rulesVersion())
        .put("explanation", c.explanation()).put("replayId", null).put("reasonHeader", e.reasonHeader())
        .networkBlock(c)
        .done();
  }

  /** A record being filled by field name, counting what was written. */
  private static final class Fields {
    private final GenericData.Record record;
    private int written;

    Fields(Schema schema) {
      record = new GenericData.Record(schema);
    }

    /** Throws for a name the schema lacks ("Not a valid schema field"). */
    Fields put(String name, Object value) {
      record.put(name, value);
      written++;
      return this;
    }

    /** An enum symbol, or null, for an enum field or a ["null", enum] one. */
    Fields symbol(String name, String symbol) {
      return put(name, symbol == null ? null : new GenericData.EnumSymbol(branch(name), symbol));
    }

    /** The do-not-call entry a DNC store consumes: the number, why, and where it came from. */
    Fields doNotCall(CallAttempt e, Classifier.Enrichment c) {
      Classifier.DoNotCall d = c.doNotCall();
      if (d == null) return put("doNotCall", null);
      GenericData.Record entry = new GenericData.Record(branch("doNotCall"));
      entry.put("phoneNumber", e.phoneNumber());
      entry.put("reason", d.reason());
      entry.put("sourceEventId", e.eventId());
      entry.put("expiresAt", d.expiresAt());
      return put("doNotCall", entry);
    }

    /** The 603+ notice as its Avro record. */
    Fields networkBlock(Classifier.Enrichment c) {
      NetworkBlocked.Notice n = c.networkBlock();
      if (n == null) return put("networkBlock", null);
      GenericData.Record block = new GenericData.Record(branch("networkBlock"));
      block.put("version", n.version());
      block.put("location", n.location());
      block.put("locationMeaning", n.locationMeaning());
      block.put("redressUrl", n.redressUrl());
      block.put("redressTel", n.redressTel());
      block.put("redressEmail", n.redressEmail());
      block.put("blockId", n.blockId());
      return put("networkBlock", block);
    }

    /** A field's own schema, or the non-null branch of its ["null", T] union. */
    private Schema branch(String name) {
      Schema.Field field = record.getSchema().getField(name);
      if (field == null) throw new org.apache.avro.AvroRuntimeException("Not a valid schema field: " + name);
      Schema s = field.schema();
      if (s.getType() != Schema.Type.UNION) return s;
      for (Schema t : s.getTypes()) if (t.getType() != Schema.Type.NULL) return t;
      return s;
    }

    GenericData.Record done() {
      int fields = record.getSchema().getFields().size();
      if (written != fields)
        throw new IllegalStateException(record.getSchema().getName() + " has " + fields
            + " fields and the peer writes " + written + ": the schema changed, update OutputRecords");
      return record;
    }
  }
}
