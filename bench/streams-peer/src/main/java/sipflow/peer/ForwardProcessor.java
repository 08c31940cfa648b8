package sipflow.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The stateful mode's first stage, before `repartition()`: the `selectKey` by phone number of
 * services/processor/src/state/repartition.ts forwardBatch. Reads only the phone number (a reader
 * schema of that one field), and forwards the value bytes untouched, with the record's timestamp
 * and headers plus where it came from (sipflow-source-topic, -partition, -offset and the raw key
 * as sipflow-source-key), so that outputs and dead letters after the repartition still name the
 * raw record. What cannot be read to find its number (too large, not framed, an unknown schema, a
 * body that does not parse) goes to the DLQ here, as forwardBatch sends it; the rest of the event
 * is checked when its copy is classified.
 */
final class ForwardProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  static final String SOURCE_TOPIC = "sipflow-source-topic";
  static final String SOURCE_PARTITION = "sipflow-source-partition";
  static final String SOURCE_OFFSET = "sipflow-source-offset";
  /** repartition.ts SOURCE_KEY_HEADER: the raw record's key (the copy is keyed by number). */
  static final String SOURCE_KEY = "sipflow-source-key";
  private static final List<String> FORWARDING = List.of(SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, SOURCE_KEY);

  private final WireFormat phoneNumbers;
  private final int maxRecordBytes;
  /** the child that writes the repartition topic, and the dead-letter sink's */
  private final String repartitionChild;
  private final String dlqChild;
  private ProcessorContext<byte[], byte[]> context;

  ForwardProcessor(WireFormat phoneNumbers, int maxRecordBytes, String repartitionChild, String dlqChild) {
    this.phoneNumbers = phoneNumbers;
    this.maxRecordBytes = maxRecordBytes;
    this.repartitionChild = repartitionChild;
    this.dlqChild = dlqChild;
  }

  /** encoders.ts inputPhoneNumberReaderType: the input schema with only its phoneNumber field. */
  static Schema phoneNumberOnly(Schema input) {
    Schema.Field field = input.getField("phoneNumber");
    if (field == null) throw new IllegalArgumentException("the input schema has no phoneNumber field");
    return Schema.createRecord(input.getName(), input.getDoc(), input.getNamespace(), false,
        List.of(new Schema.Field(field.name(), field.schema(), field.doc())));
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> in) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    int size = in.value() == null ? 0 : in.value().length;
    String code;
    String reason;
    if (size > maxRecordBytes) {
      code = "SIPFLOW_OVERSIZE_RECORD";
      reason = "record of " + size + " bytes exceeds MAX_RECORD_BYTES=" + maxRecordBytes;
    } else {
      try {
        String phoneNumber = phoneNumbers.decode(in.value()).get("phoneNumber").toString();
        Headers headers = new RecordHeaders();
        // the input's own headers, then where it came from, replacing any of the same name
        for (Header h : in.headers()) if (!FORWARDING.contains(h.key())) headers.add(h);
        headers.add(SOURCE_TOPIC, utf8(meta.topic()));
        headers.add(SOURCE_PARTITION, utf8(String.valueOf(meta.partition())));
        headers.add(SOURCE_OFFSET, utf8(String.valueOf(meta.offset())));
        if (in.key() != null) headers.add(SOURCE_KEY, in.key());
        context.forward(new Record<>(utf8(phoneNumber), in.value(), in.timestamp(), headers), repartitionChild);
        return;
      } catch (WireFormat.DecodeError bad) {
        code = bad.code;
        reason = bad.getMessage();
      } catch (IOException registryDown) {
        throw new UncheckedIOException(registryDown);
      } catch (RuntimeException bug) {
        code = "SIPFLOW_INTERNAL_ERROR";
        reason = String.valueOf(bug.getMessage());
      }
    }
    Headers letter = DeadLetters.headers(
        in.headers(), meta.topic(), meta.partition(), meta.offset(), in.timestamp(), code, reason);
    context.forward(new Record<>(in.key(), in.value(), in.timestamp(), letter), dlqChild);
  }

  /**
   * repartition.ts unwrapForwarded: a repartition copy as the raw record it copies, its key,
   * place and headers (without the forwarding ones). A record without them stands for itself.
   */
  static ClassifyProcessor.Input unwrap(Record<byte[], byte[]> copy, RecordMetadata self) {
    Headers all = copy.headers();
    Header topic = all.lastHeader(SOURCE_TOPIC);
    Header partition = all.lastHeader(SOURCE_PARTITION);
    Header offset = all.lastHeader(SOURCE_OFFSET);
    if (topic == null || partition == null || offset == null)
      return new ClassifyProcessor.Input(
          copy.key(), copy.value(), copy.timestamp(), all, self.topic(), self.partition(), self.offset());
    Header key = all.lastHeader(SOURCE_KEY);
    Headers original = new RecordHeaders();
    for (Header h : all) if (!FORWARDING.contains(h.key())) original.add(h);
    return new ClassifyProcessor.Input(
        key == null ? null : key.value(), copy.value(), copy.timestamp(), original, text(topic),
        Integer.parseInt(text(partition)), Long.parseLong(text(offset)));
  }

  private static String text(Header h) {
    return new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
