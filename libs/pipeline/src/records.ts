/**
 * The records the pure core reads and writes, as its own types: the core does not change when the
 * Kafka client does. They are the shapes the JavaScript Kafka clients already hand out and take
 * (kafkajs', and the KafkaJS-compatible API of @confluentinc/kafka-javascript), so a fetched batch
 * goes in, and the outputs go out, without a copy. libs/kafka/test/record-types.test.ts holds them
 * assignable to and from kafkajs' own types.
 */

/** Record headers: a value per name, or several under one name (Kafka allows repeats). */
export type RecordHeaders = { [name: string]: Buffer | string | (Buffer | string)[] | undefined };

/** A record as fetched: its bytes, its offset in the partition and its headers. */
export type InputRecord = {
  key: Buffer | null;
  value: Buffer | null;
  /** decimal, as Kafka clients give offsets (a 64-bit integer) */
  offset: string;
  /** milliseconds since the epoch, decimal */
  timestamp: string;
  headers?: RecordHeaders;
};

/** A record to write; the client's partitioner places it unless `partition` is set. */
export type OutputRecord = {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  partition?: number;
  headers?: RecordHeaders;
  timestamp?: string;
};

/** The records to write to one topic, in order. */
export type TopicRecords = { topic: string; messages: OutputRecord[] };
