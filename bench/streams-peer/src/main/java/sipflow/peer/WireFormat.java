package sipflow.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
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

  WireFormat(String registryUrl, Schema inputReader) {
    this.registryUrl = registryUrl.replaceAll("/+$", "");
    this.inputReader = inputReader;
  }

  /** An input record decoded into the reader schema; throws on a bad frame or bad Avro. */
  GenericRecord decode(byte[] value) throws IOException {
    if (value == null || value.length < 5 || value[0] != 0)
      throw new IOException("not Confluent wire format (magic byte 0 + schema id)");
    int id = ByteBuffer.wrap(value, 1, 4).getInt();
    GenericDatumReader<GenericRecord> reader = readers.get(id);
    if (reader == null) {
      reader = new GenericDatumReader<>(writerSchema(id), inputReader);
      readers.put(id, reader);
    }
    return reader.read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
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

  private Schema writerSchema(int id) throws IOException {
    try {
      JsonNode answer = call(HttpRequest.newBuilder(URI.create(registryUrl + "/schemas/ids/" + id)).GET().build());
      return new Schema.Parser().parse(answer.get("schema").asText());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
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
