package sipflow.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * decode → classify → outputs → encode, one input record at a time (libs/pipeline's
 * process-batch.ts): every input record ends as its output records or as one dead letter. The
 * outputs are keyed by leadId and carry the source headers of headers.ts.
 *
 * Stateful (`store` named): the records come from the repartition topic, keyed by number
 * (ForwardProcessor), and stand for the raw records they copy (repartition.ts unwrapForwarded):
 * the raw topic, partition, offset and key from the forwarding headers, which the outputs do not
 * carry on. Each event is classified against its number's history in the store, and once its
 * outputs are built the call is recorded there (number-history.ts recordAttempt: idempotent by
 * event key, calls 2 × stateWindowMs before the number's latest dropped, at most 500), as
 * process-batch.ts records it; a record that goes to the DLQ placed no call that is counted.
 * Numbers whose latest call is that far behind the task's stream time (its latest call) are
 * deleted, looked for whenever stream time moved an hour (keyed-state-store.ts expire).
 */
final class ClassifyProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  /** keyed-state-store.ts sweepEveryMs default: how far stream time moves between expiry sweeps. */
  private static final long SWEEP_EVERY_MS = 3_600_000L;

  private final WireFormat wire;
  private final Map<String, WireFormat.Encoder> encoders;
  private final Classifier classifier;
  private final int maxRecordBytes;
  private final String storeName;
  private final long keepMs;
  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<byte[], byte[]> store;
  private long streamTime;
  private long sweptAt;

  /** `storeName`: the number-history store of the stateful mode, or null (stateless). */
  ClassifyProcessor(
      WireFormat wire, Map<String, WireFormat.Encoder> encoders, Classifier classifier, int maxRecordBytes,
      String storeName, long stateWindowMs) {
    this.wire = wire;
    this.encoders = encoders;
    this.classifier = classifier;
    this.maxRecordBytes = maxRecordBytes;
    this.storeName = storeName;
    this.keepMs = NumberHistory.keepMs(stateWindowMs);
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    if (storeName == null) return;
    store = context.getStateStore(storeName);
    // keyed-state-store.ts load: the task's stream time is the latest call its store holds
    try (KeyValueIterator<byte[], byte[]> all = store.all()) {
      while (all.hasNext()) streamTime = Math.max(streamTime, NumberHistory.latestIn(all.next().value));
    }
    sweptAt = streamTime;
  }

  /** One raw record: its own, or the one a repartition copy stands for. */
  record Input(byte[] key, byte[] value, long timestamp, Headers headers, String topic, int partition, long offset) {}

  @Override
  public void process(Record<byte[], byte[]> record) {
    Input in = store == null ? self(record) : ForwardProcessor.unwrap(record, context.recordMetadata().orElseThrow());
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
    byte[] number = null;
    NumberHistory history = NumberHistory.EMPTY;
    try {
      if (store != null) {
        number = utf8(e.phoneNumber());
        history = NumberHistory.decode(store.get(number));
      }
      c = classifier.classify(e, history);
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
    // recorded once its outputs are built, written back whether or not it changed (as sipflow stages it)
    if (store != null) record(number, history, e, c.disposition());
    Headers headers = sourceHeaders(in, e.eventId());
    byte[] key = utf8(e.leadId());
    context.forward(new Record<>(key, enriched, in.timestamp(), headers), "enriched");
    if (kind != null) context.forward(new Record<>(key, second, in.timestamp(), headers), kind);
  }

  private void record(byte[] number, NumberHistory history, CallAttempt e, String disposition) {
    NumberHistory next = history.record(
        e.startedAt(), NumberHistory.eventKey(e.eventId()), NumberHistory.isUnanswered(disposition), keepMs);
    store.put(number, next.encode());
    streamTime = Math.max(streamTime, next.latest());
    if (streamTime - sweptAt < SWEEP_EVERY_MS) return;
    sweptAt = streamTime;
    // every number whose latest call is keepMs or more behind stream time, but the one just written
    List<byte[]> expired = new ArrayList<>();
    try (KeyValueIterator<byte[], byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<byte[], byte[]> kv = all.next();
        if (NumberHistory.latestIn(kv.value) <= streamTime - keepMs && !Arrays.equals(kv.key, number))
          expired.add(kv.key);
      }
    }
    for (byte[] key : expired) store.delete(key);
  }

  private Input self(Record<byte[], byte[]> in) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    return new Input(in.key(), in.value(), in.timestamp(), in.headers(), meta.topic(), meta.partition(), meta.offset());
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
  private static Headers sourceHeaders(Input in, String eventId) {
    Headers headers = new RecordHeaders();
    headers.add("sipflow-source-topic", utf8(in.topic()));
    headers.add("sipflow-source-partition", utf8(String.valueOf(in.partition())));
    headers.add("sipflow-source-offset", utf8(String.valueOf(in.offset())));
    headers.add("sipflow-event-id", utf8(eventId));
    for (String name : new String[] {"traceparent", "tracestate"}) {
      Header h = in.headers().lastHeader(name);
      if (h != null) headers.add(name, h.value());
    }
    return headers;
  }

  /** dead-letter.ts: the input's key, value and headers, plus what went wrong and where. */
  private void dlq(Input in, String code, String reason) {
    Headers letter = DeadLetters.headers(
        in.headers(), in.topic(), in.partition(), in.offset(), in.timestamp(), code, reason);
    context.forward(new Record<>(in.key(), in.value(), in.timestamp(), letter), "dlq");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
