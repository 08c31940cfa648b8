package sipflow.peer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * sipflow's job as a Kafka Streams app: the raw Avro topic in, each event classified by the same
 * rules file, the same records with the same headers out to the same five topics (enriched every
 * event; retry, removal, compliance by action; what cannot be processed to the DLQ with its
 * input bytes), keyed by leadId. Configured from the environment like `sipflow process`:
 * KAFKA_BROKERS, SCHEMA_REGISTRY_URL, the six *_TOPIC variables, CONSUMER_GROUP (the
 * application.id, so its committed offsets are where the bench reads progress),
 * PROCESSING_GUARANTEE (at_least_once | exactly_once_v2), STREAM_THREADS, RULES_FILE, SCHEMAS_DIR.
 */
public final class Main {
  private static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isEmpty()) throw new IllegalArgumentException(name + " is required");
    return v;
  }

  private static Schema schema(Path dir, String file) throws Exception {
    return new Schema.Parser().parse(Files.readString(dir.resolve(file)));
  }

  public static void main(String[] args) throws Exception {
    Path schemas = Path.of(env("SCHEMAS_DIR"));
    Map<String, String> topics = Map.of(
        "input", env("INPUT_TOPIC"), "enriched", env("ENRICHED_TOPIC"), "retry", env("RETRY_TOPIC"),
        "removal", env("REMOVAL_TOPIC"), "compliance", env("COMPLIANCE_TOPIC"), "dlq", env("DLQ_TOPIC"));
    WireFormat wire = new WireFormat(env("SCHEMA_REGISTRY_URL"), schema(schemas, "call-attempt.avsc"));
    Map<String, WireFormat.Encoder> encoders = Map.of(
        "enriched", wire.encoder(topics.get("enriched") + "-value", schema(schemas, "call-attempt-enriched.avsc")),
        "retry", wire.encoder(topics.get("retry") + "-value", schema(schemas, "retry-request.avsc")),
        "removal", wire.encoder(topics.get("removal") + "-value", schema(schemas, "lead-removal.avsc")),
        "compliance", wire.encoder(topics.get("compliance") + "-value", schema(schemas, "compliance-alert.avsc")));
    Rules rules = new Rules(Path.of(env("RULES_FILE")));
    Classifier classifier = new Classifier(rules);

    Topology topology = new Topology();
    topology.addSource("raw", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), topics.get("input"));
    topology.addProcessor("classify", () -> new Classify(wire, encoders, classifier, rules.version, topics.get("input")), "raw");
    for (String kind : new String[] {"enriched", "retry", "removal", "compliance", "dlq"})
      topology.addSink(kind, topics.get(kind), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), "classify");

    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, env("CONSUMER_GROUP"));
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, env("KAFKA_BROKERS"));
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, env("PROCESSING_GUARANTEE"));
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.parseInt(env("STREAM_THREADS")));
    p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("streams-peer").toString());
    // from the start of the pre-filled input, as sipflow's consumer group does; acks=all as sipflow
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
    // the bench reads progress from committed offsets: at-least-once's default (30 s) would make
    // them trail the work by up to 30 s, so both guarantees commit as often as exactly-once's default
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    KafkaStreams streams = new KafkaStreams(topology, p);
    CountDownLatch stopped = new CountDownLatch(1);
    streams.setUncaughtExceptionHandler(e -> {
      e.printStackTrace();
      stopped.countDown();
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close();
      stopped.countDown();
    }));
    streams.start();
    stopped.await();
  }

  /** decode → classify → outputs → encode, one input record at a time (libs/pipeline's core). */
  private static final class Classify implements Processor<byte[], byte[], byte[], byte[]> {
    private final WireFormat wire;
    private final Map<String, WireFormat.Encoder> encoders;
    private final Classifier classifier;
    private final String rulesVersion;
    private final String inputTopic;
    private ProcessorContext<byte[], byte[]> context;

    Classify(WireFormat wire, Map<String, WireFormat.Encoder> encoders, Classifier classifier, String rulesVersion, String inputTopic) {
      this.wire = wire;
      this.encoders = encoders;
      this.classifier = classifier;
      this.rulesVersion = rulesVersion;
      this.inputTopic = inputTopic;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
      this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> in) {
      RecordMetadata meta = context.recordMetadata().orElseThrow();
      Headers headers = new RecordHeaders();
      headers.add("sipflow-source-topic", utf8(meta.topic()));
      headers.add("sipflow-source-partition", utf8(String.valueOf(meta.partition())));
      headers.add("sipflow-source-offset", utf8(String.valueOf(meta.offset())));
      copy(in.headers(), headers, "traceparent");
      copy(in.headers(), headers, "tracestate");
      GenericRecord e;
      try {
        e = wire.decode(in.value());
      } catch (Exception err) {
        dlq(in, headers, "SIPFLOW_DECODE_CORRUPT_AVRO", String.valueOf(err.getMessage()));
        return;
      }
      String eventId = str(e, "eventId");
      headers.add("sipflow-event-id", utf8(eventId));
      Classifier.Enrichment c;
      try {
        c = classifier.classify(eventId, str(e, "campaignId"), (Integer) e.get("sipCode"), (Integer) e.get("q850Cause"),
            (Integer) e.get("retryAfterSeconds"), (Integer) e.get("attemptNumber"), (Long) e.get("endedAt"),
            e.get("leadTimezone") == null ? null : e.get("leadTimezone").toString());
      } catch (Classifier.Invalid bad) {
        dlq(in, headers, bad.code, bad.getMessage());
        return;
      }
      byte[] key = utf8(str(e, "leadId"));
      // every record of the event is encoded before any is forwarded, as sipflow does
      byte[] enriched = encode("enriched", e, c, null);
      String kind = switch (c.action()) {
        case "RETRY" -> "retry";
        case "REMOVE_LEAD" -> "removal";
        case "COMPLIANCE_ALERT" -> "compliance";
        default -> null;
      };
      byte[] second = kind == null ? null : encode(kind, e, c, null);
      context.forward(new Record<>(key, enriched, in.timestamp(), headers), "enriched");
      if (kind != null) context.forward(new Record<>(key, second, in.timestamp(), headers), kind);
    }

    /** libs/pipeline/src/output-records.ts: each output's fields from the event and enrichment. */
    private byte[] encode(String kind, GenericRecord e, Classifier.Enrichment c, String replayId) {
      WireFormat.Encoder enc = encoders.get(kind);
      Schema s = enc.schema;
      GenericData.Record r = new GenericData.Record(s);
      for (Schema.Field f : s.getFields()) {
        String n = f.name();
        Object v = switch (n) {
          case "disposition", "action" -> new GenericData.EnumSymbol(f.schema(), n.equals("action") ? c.action() : c.disposition());
          case "retryAt" -> kind.equals("retry") && c.retryAt() == null ? e.get("endedAt") : c.retryAt();
          case "ruleId" -> c.ruleId();
          case "rulesVersion" -> rulesVersion;
          case "explanation" -> c.explanation();
          case "replayId" -> replayId;
          case "nextAttemptNumber" -> (Integer) e.get("attemptNumber") + 1;
          case "occurredAt" -> e.get("endedAt");
          default -> e.get(n);
        };
        r.put(n, v);
      }
      return enc.encode(r);
    }

    /** libs/pipeline/src/dead-letter.ts: the input's key, value and headers, plus what went wrong. */
    private void dlq(Record<byte[], byte[]> in, Headers headers, String code, String message) {
      Headers letter = new RecordHeaders(in.headers().toArray());
      for (var h : headers) if (letter.lastHeader(h.key()) == null) letter.add(h);
      letter.add("sipflow-error-code", utf8(code));
      letter.add("sipflow-error-message", utf8(message));
      context.forward(new Record<>(in.key(), in.value(), in.timestamp(), letter), "dlq");
    }

    private static void copy(Headers from, Headers to, String name) {
      var h = from.lastHeader(name);
      if (h != null) to.add(name, h.value());
    }

    private static String str(GenericRecord e, String field) {
      return e.get(field).toString();
    }

    private static byte[] utf8(String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
  }
}
