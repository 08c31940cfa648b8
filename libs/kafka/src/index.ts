export { createKafka, createRegistry } from './clients';
export { ensureTopics, type TopicSpec, type TopicSetupResult } from './topic-setup';
