// first: sipflow's kafkajs patches must be in place before kafkajs loads
import '@sipflow/kafka/kafkajs-patches';
import { Kafka, logLevel, type Admin, type KafkaConfig } from 'kafkajs';

/**
 * A kafkajs admin for start-up probes: quiet, short connect timeout, and no retries, because the
 * caller polls and each failure is the answer "not yet".
 */
export function probeAdmin(brokers: string[], client: Pick<KafkaConfig, 'ssl' | 'sasl'> = {}): Admin {
  return new Kafka({
    clientId: 'sipflow-stack-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    retry: { retries: 0 },
    ...client,
  }).admin();
}
