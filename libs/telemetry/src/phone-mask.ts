/** Fields that hold a phone number, masked by name wherever they are logged. */
export const PHONE_FIELDS: ReadonlySet<string> = new Set(['phoneNumber', 'callerId']);

/**
 * E.164-looking runs anywhere in text. Unbounded on purpose: `\+[1-9]\d{6,14}` would stop after 15
 * digits and leave the tail of an over-long (invalid, so DLQ-logged) number in the clear.
 */
const PHONE_NUMBER_PATTERN = /\+[1-9]\d{6,}/g;

// Keeping 2 + 2 digits of a short number would leave most of it readable.
const MIN_DIGITS_TO_KEEP_ENDS = 8;
const KEPT_DIGITS_EACH_END = 2;

/**
 * Masks the digits of a phone number except the first two (country code, for triage) and the last
 * two (to tell numbers apart): '+14155550123' → '+14*******23'. Length and non-digits are kept so
 * the shape stays recognisable; shorter numbers lose every digit.
 */
export function maskPhoneNumber(s: string): string {
  const digits = s.replace(/\D/g, '').length;
  const keep = digits >= MIN_DIGITS_TO_KEEP_ENDS ? KEPT_DIGITS_EACH_END : 0;
  let seen = 0;
  return s.replace(/\d/g, (digit) => {
    seen++;
    return seen <= keep || seen > digits - keep ? digit : '*';
  });
}

/** Masks every E.164-looking number inside free text (messages, error strings, log lines). */
export function maskPhoneNumbersIn(text: string): string {
  return text.replace(PHONE_NUMBER_PATTERN, maskPhoneNumber);
}
