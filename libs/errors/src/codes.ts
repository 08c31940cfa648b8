/**
 * The closed set of sipflow error codes. Every failure a caller may want to route (to the DLQ, to
 * a CLI exit status, to a metric label) carries one of these; switch on the code, not on the
 * message. The DLQ header `sipflow-error-code` carries the same string, so these are a contract:
 * a code may be added, never renamed or removed.
 */
export const SIPFLOW_ERROR_CODES = [
  // Call-attempt validation (classify input).
  'SIPFLOW_MISSING_FIELD',
  'SIPFLOW_INVALID_FIELD',
  'SIPFLOW_INVALID_SIP_CODE',
  'SIPFLOW_INVALID_Q850_CAUSE',
  'SIPFLOW_INVALID_PHONE_NUMBER',
  'SIPFLOW_UNKNOWN_TIME_ZONE',
  'SIPFLOW_INVALID_TIMESTAMPS',
  'SIPFLOW_INVALID_JSON',
  // Rules files.
  'SIPFLOW_INVALID_RULES',
  // Decoding records from Kafka.
  'SIPFLOW_DECODE_MAGIC_BYTE',
  'SIPFLOW_DECODE_UNKNOWN_SCHEMA',
  'SIPFLOW_DECODE_CORRUPT_AVRO',
  'SIPFLOW_OVERSIZE_RECORD',
  'SIPFLOW_REGISTRY_UNAVAILABLE',
  // Start-up configuration.
  'SIPFLOW_INVALID_CONFIG',
  // Start-up: a broker or the registry refused our credentials, or spoke another protocol.
  'SIPFLOW_KAFKA_AUTH',
  'SIPFLOW_REGISTRY_AUTH',
  // A bug: an exception that is none of the above. The record still goes to the DLQ.
  'SIPFLOW_INTERNAL_ERROR',
  // A command-line option or a request that is invalid or impossible as asked.
  'SIPFLOW_INVALID_OPTION',
  // No Kafka broker answered.
  'SIPFLOW_KAFKA_UNAVAILABLE',
  // KAFKA_CLIENT=confluent: the optional peer client is missing, or lacks what was asked of it.
  'SIPFLOW_KAFKA_CLIENT',
  // The local Kafka + registry stack (`sipflow stack`) could not be installed, started or reached.
  'SIPFLOW_STACK',
  // `npm run bench` or `npm run soak` could not take its measurement: the measured process stalled
  // or died, or the audit gave no report.
  'SIPFLOW_BENCH_FAILED',
  // The per-number state's changelog holds a record this version cannot read.
  'SIPFLOW_STATE_CORRUPT',
] as const;

export type SipflowErrorCode = (typeof SIPFLOW_ERROR_CODES)[number];
