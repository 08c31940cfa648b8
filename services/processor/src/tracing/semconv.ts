/**
 * OpenTelemetry semantic conventions for messaging spans and for Kafka (status: Development), the
 * attribute names of the current registry as published in @opentelemetry/semantic-conventions
 * 1.45.0 (its incubating entry point, which the package advises copying from rather than
 * importing, since incubating names may change in a minor release); checked 2026-12-01. Older
 * conventions (v1.24 and before) used messaging.system, messaging.kafka.message.offset and
 * messaging.kafka.consumer.group for the same things.
 */
export const SEMCONV = {
  systemName: 'messaging.system.name',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destinationName: 'messaging.destination.name',
  partitionId: 'messaging.destination.partition.id',
  consumerGroup: 'messaging.consumer.group.name',
  batchCount: 'messaging.batch.message_count',
  messageId: 'messaging.message.id',
  kafkaOffset: 'kafka.offset',
  errorType: 'error.type',
} as const;

/** `messaging.operation.type` values used here. */
export const OPERATION = { process: 'process', send: 'send' } as const;

/** sipflow's own attributes, in its namespace as the conventions ask of application attributes. */
export const SIPFLOW_ATTR = {
  disposition: 'sipflow.disposition',
  action: 'sipflow.action',
  errorCode: 'sipflow.error_code',
  rulesVersion: 'sipflow.rules_version',
  outputs: 'sipflow.outputs',
} as const;
