package sipflow.peer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * sipflow's job as a Kafka Streams app: the raw Avro topic in, each event classified by the same
 * rules file, the same records with the same headers out to the same five topics (enriched every
 * event; retry, removal, compliance by action; what cannot be processed to the DLQ with its
 * input bytes), keyed by leadId. Configured from the environment like `sipflow process`:
 * KAFKA_BROKERS, SCHEMA_REGISTRY_URL, the six *_TOPIC variables, CONSUMER_GROUP (the
 * application.id, so its committed offsets are where the bench reads progress),
 * PROCESSING_GUARANTEE (at_least_once | exactly_once_v2), STREAM_THREADS, RULES_FILE, SCHEMAS_DIR,
 * NANP_AREA_CODES_FILE (sipflow's area-code table as JSON) and MAX_RECORD_BYTES (sipflow's
 * default, 1 MiB, when unset). It exits non-zero when it stops on an error, so that whoever runs
 * it can tell a crash from a stop.
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
    Classifier classifier = new Classifier(
        new Rules(Path.of(env("RULES_FILE"))), new LeadLocation(Path.of(env("NANP_AREA_CODES_FILE"))));
    String maxBytes = System.getenv("MAX_RECORD_BYTES");
    int maxRecordBytes = maxBytes == null || maxBytes.isEmpty() ? 1024 * 1024 : Integer.parseInt(maxBytes);

    Topology topology = new Topology();
    topology.addSource("raw", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), topics.get("input"));
    topology.addProcessor("classify", () -> new ClassifyProcessor(wire, encoders, classifier, maxRecordBytes), "raw");
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
    AtomicReference<Throwable> failure = new AtomicReference<>();
    streams.setUncaughtExceptionHandler(e -> {
      failure.compareAndSet(null, e);
      stopped.countDown();
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    // a client that reaches ERROR without an exception passing the handler stopped on an error too
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.ERROR) stopped.countDown();
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close(Duration.ofSeconds(30));
      stopped.countDown();
    }));
    streams.start();
    stopped.await();
    if (failure.get() != null || streams.state() == KafkaStreams.State.ERROR
        || streams.state() == KafkaStreams.State.PENDING_ERROR) {
      if (failure.get() != null) failure.get().printStackTrace();
      System.err.println("streams-peer: stopped on an error");
      // System.exit runs the shutdown hook, which closes the client
      System.exit(1);
    }
  }
}
