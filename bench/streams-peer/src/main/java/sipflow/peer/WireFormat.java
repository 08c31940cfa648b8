package sipflow.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * The Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro binary) and the two
 * registry calls it needs: a writer schema by id, and an output schema's id by registering it
 * under its subject (idempotent: an existing schema answers with its id). Confluent's serde is not
 * on Maven Central, hence this.
 */
final class WireFormat {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String registryUrl;
  private final Schema inputReader;
  private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
  private final Map<Integer, Long> unknownSince = new ConcurrentHashMap<>();
  private static final long UNKNOWN_ID_TTL_MS = 60_000;

  WireFormat(String registryUrl, Schema inputReader) {
    this.registryUrl = registryUrl.replaceAll("/+$", "");
    this.inputReader = inputReader;
  }

  /** A record sipflow's decoder refuses, with its SIPFLOW_DECODE_* code (libs/codec/src/avro-decoder.ts). */
  static final class DecodeError extends Exception {
    final String code;

    DecodeError(String code, String message) {
      super(message);
      this.code = code;
    }
  }

  /**
   * An input record decoded into the reader schema. Bad framing, an id the registry does not know
   * and a body that does not decode throw a DecodeError worded as sipflow's (only the Avro
   * library's own reason for a corrupt body differs); a registry that does not answer throws an
   * IOException, which stops the app.
   */
  GenericRecord decode(byte[] value) throws DecodeError, IOException {
    if (value == null || value.length < 5)
      throw new DecodeError("SIPFLOW_DECODE_MAGIC_BYTE", "record of " + (value == null ? 0 : value.length)
          + " bytes is too short for the Confluent wire format (5-byte header)");
    if (value[0] != 0)
      throw new DecodeError(
          "SIPFLOW_DECODE_MAGIC_BYTE", "first byte is " + (value[0] & 0xff) + ", not the Confluent magic byte 0");
    int id = ByteBuffer.wrap(value, 1, 4).getInt();
    GenericDatumReader<GenericRecord> reader = readerFor(id);
    if (reader == null)
      throw new DecodeError("SIPFLOW_DECODE_UNKNOWN_SCHEMA", "schema id " + id + " is not known to the schema registry");
    BinaryDecoder body = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
    GenericRecord record;
    try {
      record = reader.read(null, body);
    } catch (EOFException e) {
      throw new DecodeError("SIPFLOW_DECODE_CORRUPT_AVRO", "Avro body is truncated for schema " + id);
    } catch (IOException | RuntimeException e) {
      throw new DecodeError("SIPFLOW_DECODE_CORRUPT_AVRO", "Avro body does not match schema " + id + ": " + e.getMessage());
    }
    if (!body.isEnd())
      throw new DecodeError("SIPFLOW_DECODE_CORRUPT_AVRO", "Avro body has " + body.inputStream().available()
          + " trailing bytes after a schema " + id + " record");
    return record;
  }

  /** The writer→reader resolver of a schema id, or null while the registry says it does not know the id. */
  private GenericDatumReader<GenericRecord> readerFor(int id) throws IOException {
    GenericDatumReader<GenericRecord> reader = readers.get(id);
    if (reader != null) return reader;
    Long since = unknownSince.get(id);
    // a 404 is remembered for a minute, then the registry is asked again (avro-decoder.ts UNKNOWN_ID_TTL_MS)
    if (since != null && System.currentTimeMillis() - since < UNKNOWN_ID_TTL_MS) return null;
    Schema writer = writerSchema(id);
    if (writer == null) {
      unknownSince.put(id, System.currentTimeMillis());
      return null;
    }
    reader = new GenericDatumReader<>(writer, inputReader);
    readers.put(id, reader);
    unknownSince.remove(id);
    return reader;
  }

  /** An encoder for one output schema, registered (or found) under `subject`. */
  Encoder encoder(String subject, Schema schema) throws IOException, InterruptedException {
    String body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
    JsonNode answer = call(
        HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/" + subject + "/versions"))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
    return new Encoder(answer.get("id").asInt(), schema);
  }

  /** The writer schema registered under `id`, or null when the registry answers 404. */
  private Schema writerSchema(int id) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(registryUrl + "/schemas/ids/" + id)).GET().build();
    HttpResponse<String> r;
    try {
      r = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    if (r.statusCode() == 404) return null;
    if (r.statusCode() / 100 != 2)
      throw new IOException("registry " + request.uri() + " answered " + r.statusCode() + ": " + r.body());
    return new Schema.Parser().parse(JSON.readTree(r.body()).get("schema").asText());
  }

  private JsonNode call(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2)
      throw new IOException("registry " + request.uri() + " answered " + r.statusCode() + ": " + r.body());
    return JSON.readTree(r.body());
  }

  static final class Encoder {
    private final byte[] prefix;
    private final GenericDatumWriter<GenericRecord> writer;
    final Schema schema;

    Encoder(int id, Schema schema) {
      this.prefix = ByteBuffer.allocate(5).put((byte) 0).putInt(id).array();
      this.writer = new GenericDatumWriter<>(schema);
      this.schema = schema;
    }

    byte[] encode(GenericRecord record) {
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(prefix);
        BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(record, e);
        e.flush();
        return out.toByteArray();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
