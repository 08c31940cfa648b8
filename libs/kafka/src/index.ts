export { createKafka, createRegistry } from './clients';
export { ensureTopics, type TopicSpec, type TopicSetupResult } from './topic-setup';
export { confluentAvailability, CONFLUENT_PACKAGE, type ConfluentAvailability } from './confluent/load';
