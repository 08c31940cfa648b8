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
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
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
 * default, 1 MiB, when unset); and its own:
 *
 * - PEER_PRODUCER_BATCH_BYTES: the producer's `batch.size` (producer.batch.size), 262144 (256 KiB)
 *   when unset; `default` leaves the producer's own (16 KiB), the untuned peer.
 * - PEER_PRODUCER_LINGER_MS: the producer's `linger.ms`; unset leaves Kafka Streams' own (100 ms).
 * - PEER_STATEFUL: `true` for the stateful mode (sipflow's default rules: per-number caps), with
 *   PEER_CAPS_FILE (sipflow's compiled caps of RULES_FILE as JSON: FrequencyCaps).
 *
 * Stateless, one sub-topology: raw → classify → the five sinks. Stateful, the work of sipflow's
 * STATE_PARTITIONING=repartition: raw → forward (the key becomes the phone number) →
 * `repartition()` (an internal topic `<application.id>-by-number-repartition`) → classify against
 * a persistent RocksDB key-value store of each number's recent calls (`number-history`, cached,
 * logged to `<application.id>-number-history-changelog`, compacted) → the five sinks.
 *
 * It exits non-zero when it stops on an error, so that whoever runs it can tell a crash from a stop.
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
    boolean stateful = "true".equals(System.getenv("PEER_STATEFUL"));
    FrequencyCaps caps = stateful ? new FrequencyCaps(Path.of(env("PEER_CAPS_FILE"))) : null;
    Rules rules = new Rules(Path.of(env("RULES_FILE")), caps);
    Classifier classifier = new Classifier(rules, new LeadLocation(Path.of(env("NANP_AREA_CODES_FILE"))));
    String maxBytes = System.getenv("MAX_RECORD_BYTES");
    int maxRecordBytes = maxBytes == null || maxBytes.isEmpty() ? 1024 * 1024 : Integer.parseInt(maxBytes);

    Topology topology = stateful
        ? statefulTopology(topics, wire, encoders, classifier, maxRecordBytes, rules.stateWindowMs,
            new WireFormat(env("SCHEMA_REGISTRY_URL"), ForwardProcessor.phoneNumberOnly(schema(schemas, "call-attempt.avsc"))))
        : statelessTopology(topics, wire, encoders, classifier, maxRecordBytes);

    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, env("CONSUMER_GROUP"));
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, env("KAFKA_BROKERS"));
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, env("PROCESSING_GUARANTEE"));
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.parseInt(env("STREAM_THREADS")));
    Path stateDir = Files.createTempDirectory("streams-peer");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    // from the start of the pre-filled input, as sipflow's consumer group does; acks=all as sipflow
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
    // Tuned as a throughput-minded Streams user tunes it first: the producer's batch.size from its
    // 16 KiB default to 256 KiB (producer.batch.size; one producer per stream thread writes the
    // sinks, the repartition topic and the changelog). linger.ms is left at the 100 ms Kafka
    // Streams already sets for its producers (a plain producer's default is 5 ms); a commit, every
    // 100 ms here, flushes the producer anyway. Standard configs only: Kafka docs, "Producer
    // Configs", batch.size (https://kafka.apache.org/documentation/#producerconfigs_batch.size),
    // and the Kafka Streams developer guide, "Configuring a Streams Application", "Default Values"
    // (https://kafka.apache.org/documentation/streams/developer-guide/config-streams.html#default-values),
    // 2026-12-07; the defaults checked in StreamsConfig#getProducerConfigs of kafka-streams 4.4.0.
    String batchBytes = System.getenv("PEER_PRODUCER_BATCH_BYTES");
    if (batchBytes == null || batchBytes.isEmpty()) batchBytes = String.valueOf(TUNED_BATCH_BYTES);
    if (!batchBytes.equals("default"))
      p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), Integer.parseInt(batchBytes));
    String lingerMs = System.getenv("PEER_PRODUCER_LINGER_MS");
    if (lingerMs != null && !lingerMs.isEmpty())
      p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), Integer.parseInt(lingerMs));
    // the bench reads progress from committed offsets: at-least-once's default (30 s) would make
    // them trail the work by up to 30 s, so both guarantees commit as often as exactly-once's
    // default (which also flushes the store's cache, `statestore.cache.max.bytes` left at its
    // 10 MiB default, every 100 ms)
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
      // the local state (RocksDB) of a run is not kept: the changelog holds it
      try {
        streams.cleanUp();
      } catch (RuntimeException notClosed) {
        // close timed out: the directory goes below all the same
      }
      deleteTree(stateDir);
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

  /** producer.batch.size when PEER_PRODUCER_BATCH_BYTES is unset: 256 KiB. */
  static final int TUNED_BATCH_BYTES = 256 * 1024;
  /** The store of each number's recent calls, and the name of its repartition (internal topics follow them). */
  static final String STORE = "number-history";
  static final String REPARTITION = "by-number";
  private static final String[] KINDS = {"enriched", "retry", "removal", "compliance", "dlq"};

  static Topology statelessTopology(
      Map<String, String> topics, WireFormat wire, Map<String, WireFormat.Encoder> encoders, Classifier classifier,
      int maxRecordBytes) {
    Topology topology = new Topology();
    topology.addSource("raw", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), topics.get("input"));
    topology.addProcessor(
        "classify", () -> new ClassifyProcessor(wire, encoders, classifier, maxRecordBytes, null, 0), "raw");
    for (String kind : KINDS)
      topology.addSink(kind, topics.get(kind), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), "classify");
    return topology;
  }

  /**
   * The DSL for what it alone has (`repartition()`, a store builder), then the sinks added to the
   * built topology by name, so that each processor forwards to the sink it means (the DSL's own
   * downstream would take one stream per processor, not five topics).
   */
  static Topology statefulTopology(
      Map<String, String> topics, WireFormat wire, Map<String, WireFormat.Encoder> encoders, Classifier classifier,
      int maxRecordBytes, long stateWindowMs, WireFormat phoneNumbers) {
    StreamsBuilder builder = new StreamsBuilder();
    // persistent (RocksDB), cached (statestore.cache.max.bytes), logged to a compacted changelog
    // with the topic settings of sipflow's (libs/pipeline/src/state-topics.ts CHANGELOG_CONFIGS)
    builder.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STORE), Serdes.ByteArray(), Serdes.ByteArray())
        .withCachingEnabled()
        .withLoggingEnabled(Map.of(
            "cleanup.policy", "compact",
            "delete.retention.ms", String.valueOf(24 * 3_600_000L),
            "min.cleanable.dirty.ratio", "0.1",
            "segment.ms", String.valueOf(3_600_000L))));
    String[] repartitionChild = new String[1];
    builder.stream(topics.get("input"), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("raw"))
        .process(() -> new ForwardProcessor(phoneNumbers, maxRecordBytes, repartitionChild[0], "forward-dlq"),
            Named.as("forward"))
        .repartition(Repartitioned.<byte[], byte[]>as(REPARTITION)
            .withKeySerde(Serdes.ByteArray()).withValueSerde(Serdes.ByteArray()))
        .process(() -> new ClassifyProcessor(wire, encoders, classifier, maxRecordBytes, STORE, stateWindowMs),
            Named.as("classify"), STORE);
    Topology topology = builder.build();
    topology.addSink("forward-dlq", topics.get("dlq"), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), "forward");
    for (String kind : KINDS)
      topology.addSink(kind, topics.get(kind), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), "classify");
    // the node the DSL put between `forward` and the repartition topic, read from the topology
    // rather than assumed from the DSL's naming
    for (TopologyDescription.Subtopology sub : topology.describe().subtopologies())
      for (TopologyDescription.Node node : sub.nodes())
        if (node.name().equals("forward"))
          for (TopologyDescription.Node next : node.successors())
            if (!next.name().equals("forward-dlq")) repartitionChild[0] = next.name();
    if (repartitionChild[0] == null) throw new IllegalStateException("no repartition node after forward:\n" + topology.describe());
    return topology;
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (java.io.IOException | RuntimeException ignored) {
      // a temporary directory left behind is not worth failing a stop for
    }
  }
}
