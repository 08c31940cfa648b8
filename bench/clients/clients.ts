import type { BenchClient } from './adapters/types';

/** The clients compared, in the order the table shows them; the first is the baseline of every ratio. */
export const CLIENTS = [
  'kafkajs-sipflow',
  'kafkajs-plain',
  'platformatic',
  'confluent-kafkajs',
  'confluent-native',
] as const;
export type ClientName = (typeof CLIENTS)[number];

export const DESCRIPTIONS: Record<ClientName, string> = {
  'kafkajs-sipflow':
    "kafkajs 2.2.4 from sipflow's createKafka (single-buffer produce encoder, acknowledged-write check)",
  'kafkajs-plain': 'kafkajs 2.2.4 as npm ships it',
  platformatic: '@platformatic/kafka, compatibilityPartitioner (Java murmur2)',
  'confluent-kafkajs': "@confluentinc/kafka-javascript KafkaJS API, from createKafka(client: 'confluent')",
  'confluent-native':
    '@confluentinc/kafka-javascript native Producer / KafkaConsumer, partitioner murmur2_random',
};

export const needsConfluent = (c: ClientName) => c.startsWith('confluent-');

/** Loads one client; each runs in its own process, so only its own modules (and patches) are loaded. */
export async function loadClient(name: ClientName, brokers: string[]): Promise<BenchClient> {
  switch (name) {
    case 'kafkajs-sipflow':
      return (await import('./adapters/sipflow')).sipflowClient('kafkajs');
    case 'kafkajs-plain':
      return (await import('./adapters/kafkajs-plain')).plainKafkajs(brokers);
    case 'platformatic':
      return (await import('./adapters/platformatic')).platformatic(brokers);
    case 'confluent-kafkajs':
      return (await import('./adapters/sipflow')).sipflowClient('confluent');
    case 'confluent-native':
      return (await import('./adapters/confluent-native')).confluentNative(brokers);
  }
}
