package sipflow.peer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a dead letter (libs/pipeline/src/dead-letter.ts, connect-headers.ts): the input's
 * own headers, then what went wrong and where the record came from, under sipflow's `sipflow-*`
 * names and under Kafka Connect's (KIP-298, "Error Handling in Connect"; the names and values of
 * org.apache.kafka.connect.runtime.errors.DeadLetterQueueReporter: the prefix `__connect.errors.`,
 * every value a UTF-8 string), so that tools made for Connect's dead-letter queues read it. Where
 * an input header has one of these names, the new value replaces it, as sipflow's object spread does.
 */
final class DeadLetters {
  /** Error messages can quote input; keep the header bounded (dead-letter.ts MAX_MESSAGE_LENGTH). */
  private static final int MAX_MESSAGE_LENGTH = 1000;
  // the codes whose step is reading the value: Connect's converter stage (errors/catalogue.ts area 'decode')
  private static final Set<String> DECODE_CODES = Set.of(
      "SIPFLOW_DECODE_MAGIC_BYTE", "SIPFLOW_DECODE_UNKNOWN_SCHEMA", "SIPFLOW_DECODE_CORRUPT_AVRO",
      "SIPFLOW_OVERSIZE_RECORD");

  private DeadLetters() {}

  static Headers headers(
      Headers input, String topic, int partition, long offset, long timestamp, String code, String reason) {
    String bounded = reason.length() > MAX_MESSAGE_LENGTH ? reason.substring(0, MAX_MESSAGE_LENGTH) + "…" : reason;
    boolean decode = DECODE_CODES.contains(code);
    List<String[]> own = List.of(
        new String[] {"__connect.errors.topic", topic},
        new String[] {"__connect.errors.partition", String.valueOf(partition)},
        new String[] {"__connect.errors.offset", String.valueOf(offset)},
        new String[] {"__connect.errors.connector.name", "sipflow"},
        new String[] {"__connect.errors.stage", decode ? "VALUE_CONVERTER" : "TRANSFORMATION"},
        new String[] {
          "__connect.errors.class.name", decode ? "@sipflow/codec.AvroDecoder" : "@sipflow/pipeline.processBatch"
        },
        new String[] {"__connect.errors.exception.class.name", "SipflowError"},
        new String[] {"__connect.errors.exception.message", code + ": " + bounded},
        new String[] {"sipflow-error-code", code},
        new String[] {"sipflow-error-message", bounded},
        new String[] {"sipflow-source-topic", topic},
        new String[] {"sipflow-source-partition", String.valueOf(partition)},
        new String[] {"sipflow-source-offset", String.valueOf(offset)},
        new String[] {"sipflow-source-timestamp", String.valueOf(timestamp)});
    Headers letter = new RecordHeaders();
    for (Header h : input) if (own.stream().noneMatch(o -> o[0].equals(h.key()))) letter.add(h);
    for (String[] o : own) letter.add(o[0], o[1].getBytes(StandardCharsets.UTF_8));
    return letter;
  }
}
