export { createKafka, createRegistry, kafkajsPatchesInUse } from './clients';
export {
  unacknowledgedMessages,
  withAcknowledgedWrites,
  type UnacknowledgedWrite,
} from './acknowledged-writes';
export { ensureTopics, type TopicSpec, type TopicSetupResult } from './topic-setup';
export { sendAll, chunkTopicMessages, MAX_MESSAGES_PER_SEND, MAX_BYTES_PER_SEND } from './produce';
export { provisionTopicsAndSchemas, type ProvisionOptions, type ProvisionResult } from './provision';
export { confluentAvailability, CONFLUENT_PACKAGE, type ConfluentAvailability } from './confluent/load';
export { isKafkaUnreachable, kafkaUnavailableError } from './unavailable';
export { readRanges, type BoundedRead, type ReadBatch, type PartitionRange } from './read-ranges';
export { useSingleBufferProduceEncoding, KAFKAJS_ENCODING_VERSION } from './kafkajs-produce-encoder';
export { groupMessagesPerPartition } from './kafkajs-linear-grouping';
export { decodeRecord } from './kafkajs-record-decoder';
export { JavaCompatiblePartitioner, javaPartitionOf, murmur2 } from './java-partitioner';
export { encodeProduceRequest } from './record-batch-encoding';
export { crc32c } from './crc32c';
export { stateTopicSpecs } from './state-topic-specs';
export {
  batchMembership,
  beforeJoining,
  handledBatchMembership,
  isFencedByGroup,
  tagBatchMembership,
  withFencedOffsets,
  type GroupMembership,
  type JoinHooks,
} from './kafkajs-group-fencing';
export { withWriteGuard } from './kafkajs-write-guard';
