import type { ConsumerConfig, Kafka, KafkaConfig, ProducerConfig } from 'kafkajs';
import { peerAdmin } from './admin';
import { peerCommonConfig, PEER_CONSUMER_SETTINGS } from './config';
import { peerConsumer } from './consumer';
import { loadConfluent, type ConfluentConsumer } from './load';
import { notWired } from './not-wired';
import { peerProducer } from './producer';

/**
 * A kafkajs-shaped `Kafka` backed by @confluentinc/kafka-javascript's KafkaJS API (librdkafka),
 * from the same kafkajs configuration. It carries what sipflow's processor and the benchmark's
 * passthrough use — producers (batches, transactions), group consumers by batch, admin — and
 * names anything else it is asked for as not wired.
 */
export function confluentKafka(config: KafkaConfig, load = loadConfluent): Kafka {
  const peer = load();
  const kafka = new peer.KafkaJS.Kafka(peerCommonConfig(config));
  const groups = new Map<string, ConfluentConsumer>();
  return notWired<Kafka>('kafka', {
    // sipflow always produces with acks=all; the peer sets acks per producer
    producer: (opts: ProducerConfig = {}) =>
      peerProducer(kafka.producer({ kafkaJS: { ...opts, acks: -1 } }), groups),
    consumer: (opts: ConsumerConfig) =>
      peerConsumer({
        groupId: opts.groupId,
        errorCodes: peer.KafkaJS.ErrorCodes,
        groups,
        create: ({ fromBeginning, rebalance }) =>
          kafka.consumer({
            kafkaJS: { ...opts, fromBeginning, autoCommit: false },
            ...PEER_CONSUMER_SETTINGS,
            // returning nothing lets the peer apply the assignment as usual
            rebalance_cb: rebalance,
          }),
      }),
    admin: () => peerAdmin(kafka.admin()),
  });
}
