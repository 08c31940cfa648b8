export { createKafka, createRegistry } from './clients';
export {
  unacknowledgedMessages,
  withAcknowledgedWrites,
  type UnacknowledgedWrite,
} from './acknowledged-writes';
export { ensureTopics, type TopicSpec, type TopicSetupResult } from './topic-setup';
export { confluentAvailability, CONFLUENT_PACKAGE, type ConfluentAvailability } from './confluent/load';
