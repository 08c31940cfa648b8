export {
  parseEnv,
  describeEnv,
  envVar,
  booleanFlag,
  type EnvSpec,
  type EnvValues,
  type EnvVar,
} from './env-spec';
export { kafkaEnv } from './kafka-env';
export { kafkaClientEnv, kafkaClientFromEnv, KAFKA_CLIENTS, type KafkaClientName } from './kafka-client-env';
export { connectionFromEnv, type ConnectionSettings, type SaslSettings } from './connection';
