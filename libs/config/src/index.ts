export {
  parseEnv,
  describeEnv,
  envVar,
  booleanFlag,
  type EnvSpec,
  type EnvValues,
  type EnvVar,
} from './env-spec';
export { kafkaEnv, topicsEnv } from './kafka-env';
export { kafkaClientEnv, kafkaClientFromEnv, KAFKA_CLIENTS, type KafkaClientName } from './kafka-client-env';
export {
  connectionFromEnv,
  topicsFromEnv,
  topicsToEnv,
  type ConnectionSettings,
  type Topics,
  type SaslSettings,
} from './connection';
