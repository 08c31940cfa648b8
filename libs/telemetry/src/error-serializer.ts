import { stdSerializers } from 'pino';
import { maskPhoneNumber, PHONE_FIELDS } from './phone-mask';

/** validate-call-attempt quotes at most this many characters of a bad value in its message. */
const QUOTED_PREFIX = 40;

/**
 * The `err` serializer: pino's standard one (type, message and stack with their causes, and the
 * error's own enumerable properties, so a SipflowError's `code` and `details`), plus one masking
 * step. The logger masks E.164-looking numbers anywhere in the line, but a number that failed
 * E.164 validation ("4155550123", "+1 415 555 0123") does not look like one, and that is exactly
 * what a SIPFLOW_INVALID_PHONE_NUMBER error carries in `details.value` and quotes in its message.
 * `details.field` says the value is a phone number, so it is masked wherever it appears.
 */
export function serializeError(err: unknown): unknown {
  const out = stdSerializers.err(err as Error);
  if (out === err || typeof out !== 'object' || out === null) return out; // not error-like: as it came
  const details = (out as { details?: unknown }).details as Record<string, unknown> | undefined;
  const value = details?.value;
  if (typeof details?.field !== 'string' || !PHONE_FIELDS.has(details.field) || typeof value !== 'string') {
    return out;
  }
  const hide = (text: string) => maskValueIn(maskValueIn(text, value), value.slice(0, QUOTED_PREFIX));
  // a copy: the caller's error and its details stay as they were
  out.details = { ...details, value: maskPhoneNumber(value) };
  out.message = hide(out.message);
  out.stack = hide(out.stack);
  return out;
}

function maskValueIn(text: string, value: string): string {
  return value === '' ? text : text.replaceAll(value, maskPhoneNumber(value));
}
