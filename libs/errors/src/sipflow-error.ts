import type { SipflowErrorCode } from './codes';

export type SipflowErrorDetails = Readonly<Record<string, unknown>>;

/**
 * An error with a catalogue code and machine-readable details (which field, which schema id...).
 * `code` and `details` are own enumerable properties, so pino's `err` serializer writes them to the
 * log line next to `type`, `message` and `stack`.
 */
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
