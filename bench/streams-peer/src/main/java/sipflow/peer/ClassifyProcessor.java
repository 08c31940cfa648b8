package sipflow.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * decode → classify → outputs → encode, one input record at a time (libs/pipeline's
 * process-batch.ts): every input record ends as its output records or as one dead letter. The
 * outputs are keyed by leadId and carry the source headers of headers.ts.
 */
final class ClassifyProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  private final WireFormat wire;
  private final Map<String, WireFormat.Encoder> encoders;
  private final Classifier classifier;
  private final int maxRecordBytes;
  private ProcessorContext<byte[], byte[]> context;

  ClassifyProcessor(WireFormat wire, Map<String, WireFormat.Encoder> encoders, Classifier classifier, int maxRecordBytes) {
    this.wire = wire;
    this.encoders = encoders;
    this.classifier = classifier;
    this.maxRecordBytes = maxRecordBytes;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> in) {
    int size = in.value() == null ? 0 : in.value().length;
    if (size > maxRecordBytes) {
      dlq(in, "SIPFLOW_OVERSIZE_RECORD", "record of " + size + " bytes exceeds MAX_RECORD_BYTES=" + maxRecordBytes);
      return;
    }
    CallAttempt e;
    try {
      e = CallAttempt.of(wire.decode(in.value()));
    } catch (WireFormat.DecodeError bad) {
      dlq(in, bad.code, bad.getMessage());
      return;
    } catch (IOException registryDown) {
      throw new UncheckedIOException(registryDown);
    }
    byte[] enriched;
    String kind;
    byte[] second = null;
    Classifier.Enrichment c;
    try {
      c = classifier.classify(e);
      // every record of the event is encoded before any is forwarded: a failure leaves no partial output
      enriched = encoders.get("enriched").encode(OutputRecords.enriched(encoders.get("enriched").schema, e, c));
      kind = switch (c.action()) {
        case "RETRY" -> "retry";
        case "REMOVE_LEAD" -> "removal";
        case "COMPLIANCE_ALERT" -> "compliance";
        default -> null;
      };
      if (kind != null) second = encoders.get(kind).encode(build(kind, e, c));
    } catch (Validation.Invalid bad) {
      dlq(in, bad.code, bad.getMessage());
      return;
    } catch (RuntimeException bug) {
      // not a refusal of the event (a bug, e.g. a record the output schema refuses): still this
      // record's problem only, so it goes to the DLQ with the reason, as sipflow does
      dlq(in, "SIPFLOW_INTERNAL_ERROR", String.valueOf(bug.getMessage()));
      return;
    }
    Headers headers = sourceHeaders(in, e.eventId());
    byte[] key = utf8(e.leadId());
    context.forward(new Record<>(key, enriched, in.timestamp(), headers), "enriched");
    if (kind != null) context.forward(new Record<>(key, second, in.timestamp(), headers), kind);
  }

  private GenericData.Record build(String kind, CallAttempt e, Classifier.Enrichment c) {
    var schema = encoders.get(kind).schema;
    return switch (kind) {
      case "retry" -> OutputRecords.retry(schema, e, c);
      case "removal" -> OutputRecords.removal(schema, e, c);
      default -> OutputRecords.compliance(schema, e, c);
    };
  }

  /** headers.ts sourceHeaders: where the output came from, plus the incoming W3C trace context. */
  private Headers sourceHeaders(Record<byte[], byte[]> in, String eventId) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    Headers headers = new RecordHeaders();
    headers.add("sipflow-source-topic", utf8(meta.topic()));
    headers.add("sipflow-source-partition", utf8(String.valueOf(meta.partition())));
    headers.add("sipflow-source-offset", utf8(String.valueOf(meta.offset())));
    headers.add("sipflow-event-id", utf8(eventId));
    for (String name : new String[] {"traceparent", "tracestate"}) {
      var h = in.headers().lastHeader(name);
      if (h != null) headers.add(name, h.value());
    }
    return headers;
  }

  /** dead-letter.ts: the input's key, value and headers, plus what went wrong and where. */
  private void dlq(Record<byte[], byte[]> in, String code, String reason) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    Headers letter = DeadLetters.headers(
        in.headers(), meta.topic(), meta.partition(), meta.offset(), in.timestamp(), code, reason);
    context.forward(new Record<>(in.key(), in.value(), in.timestamp(), letter), "dlq");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
