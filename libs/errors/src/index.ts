/**
 * The one error catalogue of sipflow. Every failure a caller may want to route (to the DLQ, to a
 * CLI exit status, to a metric label) carries one of these codes; switch on `code`, not on the
 * message. The DLQ header `sipflow-error-code` carries the same string.
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
] as const;

export type SipflowErrorCode = (typeof SIPFLOW_ERROR_CODES)[number];

export type SipflowErrorDetails = Readonly<Record<string, unknown>>;

export class SipflowError extends Error {
  override readonly name = 'SipflowError';
  readonly code: SipflowErrorCode;
  readonly details: SipflowErrorDetails;

  constructor(
    code: SipflowErrorCode,
    message: string,
    details: SipflowErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

/** Narrows an unknown thrown value, optionally to one code. */
export function isSipflowError(error: unknown, code?: SipflowErrorCode): error is SipflowError {
  return error instanceof SipflowError && (code === undefined || error.code === code);
}
