import { isQ850Cause, isSipStatusCode, SIP_CODE_MAX, SIP_CODE_MIN } from '@sipflow/sip';
import { SipflowError, type SipflowErrorCode } from '@sipflow/errors';
import { zoneClock } from '../time/zones';
import type { ZoneClock } from '../time/zone-clock';
import { ANSWERED_BY, type AnsweredBy } from '../dispositions';
import type { CallAttempt } from '../types';
import { isE164PhoneNumber } from './phone-number';

// ISO 3166-2: the country's alpha-2 code, a hyphen, and up to three letters or digits ("US-FL", "CA-ON").
const ISO_3166_2 = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;

// Avro's int, which the output records carry these fields in: a larger value decoded from a
// corrupt record (avsc reads an int's varint without a range check) or given to `sipflow classify`
// passed every check here and then failed the output encoding as an internal error.
const AVRO_INT_MAX = 2 ** 31 - 1;

// 9999-12-31T23:59:59.999Z: later instants have no four-digit-year ISO-8601 form.
const MAX_TIMESTAMP = 253_402_300_799_999;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

function fail(
  field: string,
  value: unknown,
  expected: string,
  code: SipflowErrorCode = 'SIPFLOW_INVALID_FIELD',
): never {
  if (value === undefined) {
    throw new SipflowError('SIPFLOW_MISSING_FIELD', `${field} is missing`, { field });
  }
  throw new SipflowError(code, `${field} must be ${expected}, got ${describe(value)}`, { field, value });
}

function checkId(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) fail(field, value, 'a non-empty string');
}

function checkOptionalText(field: string, value: unknown): void {
  if (value !== null && typeof value !== 'string') fail(field, value, 'a string or null');
}

function checkOptionalCount(field: string, value: unknown): void {
  if (
    value !== null &&
    !(Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= AVRO_INT_MAX)
  ) {
    fail(field, value, `an integer 0–${AVRO_INT_MAX} or null`);
  }
}

function checkPhone(field: string, value: unknown): void {
  if (typeof value !== 'string' || !isE164PhoneNumber(value)) {
    fail(field, value, 'an E.164 number such as "+14155550123"', 'SIPFLOW_INVALID_PHONE_NUMBER');
  }
}

function checkTimestamp(field: string, value: unknown): void {
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > MAX_TIMESTAMP) {
    fail(field, value, 'epoch milliseconds between 1970 and 9999', 'SIPFLOW_INVALID_TIMESTAMPS');
  }
}

/**
 * Checks every field of a call attempt and returns the clock of its lead time zone (null when the
 * event names none). Throws a SipflowError naming the first bad field. Written as straight-line
 * checks because it runs on every event classify() sees.
 */
export function checkCallAttempt(event: CallAttempt): ZoneClock | null {
  checkId('eventId', event.eventId);
  checkId('leadId', event.leadId);
  checkId('campaignId', event.campaignId);
  checkPhone('phoneNumber', event.phoneNumber);
  if (event.callerId !== null) checkPhone('callerId', event.callerId);
  if (!isSipStatusCode(event.sipCode)) {
    fail(
      'sipCode',
      event.sipCode,
      `an integer SIP status code ${SIP_CODE_MIN}–${SIP_CODE_MAX}`,
      'SIPFLOW_INVALID_SIP_CODE',
    );
  }
  checkOptionalText('sipReason', event.sipReason);
  if (event.q850Cause !== null && !isQ850Cause(event.q850Cause)) {
    fail('q850Cause', event.q850Cause, 'an integer Q.850 cause 0–127 or null', 'SIPFLOW_INVALID_Q850_CAUSE');
  }
  checkOptionalCount('retryAfterSeconds', event.retryAfterSeconds);
  // the retry record carries the next attempt's number, which must fit the int too
  if (
    !Number.isSafeInteger(event.attemptNumber) ||
    event.attemptNumber < 1 ||
    event.attemptNumber >= AVRO_INT_MAX
  ) {
    fail('attemptNumber', event.attemptNumber, `an integer 1–${AVRO_INT_MAX - 1}`);
  }
  checkTimestamp('startedAt', event.startedAt);
  checkTimestamp('endedAt', event.endedAt);
  if (event.endedAt < event.startedAt) {
    throw new SipflowError(
      'SIPFLOW_INVALID_TIMESTAMPS',
      `endedAt (${event.endedAt}) is before startedAt (${event.startedAt})`,
      { field: 'endedAt', startedAt: event.startedAt, endedAt: event.endedAt },
    );
  }
  checkOptionalText('carrier', event.carrier);
  // Optional in the type: events from before these fields existed leave them undefined.
  if (event.reasonHeader !== undefined) checkOptionalText('reasonHeader', event.reasonHeader);
  const region = event.leadRegion;
  if (region !== undefined && region !== null && (typeof region !== 'string' || !ISO_3166_2.test(region))) {
    fail('leadRegion', region, 'an ISO 3166-2 code such as "US-FL", or null');
  }
  // Avro's enum guarantees it on the topic; `sipflow classify` reads hand-written JSON
  const answeredBy = event.answeredBy;
  if (answeredBy !== undefined && answeredBy !== null && !ANSWERED_BY.includes(answeredBy as AnsweredBy)) {
    fail('answeredBy', answeredBy, `one of ${ANSWERED_BY.join(', ')}, or null`);
  }
  if (event.leadTimezone === null) return null;
  if (typeof event.leadTimezone !== 'string')
    fail('leadTimezone', event.leadTimezone, 'an IANA zone name or null');
  const clock = zoneClock(event.leadTimezone);
  if (clock === undefined) {
    fail(
      'leadTimezone',
      event.leadTimezone,
      'an IANA zone name such as "America/Chicago"',
      'SIPFLOW_UNKNOWN_TIME_ZONE',
    );
  }
  return clock;
}

/** Checks that an unknown value (parsed JSON, a decoded record) is a valid CallAttempt. */
export function validateCallAttempt(value: unknown): CallAttempt {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SipflowError(
      'SIPFLOW_INVALID_FIELD',
      `a call attempt must be an object, got ${describe(value)}`,
      {
        field: '',
        value,
      },
    );
  }
  checkCallAttempt(value as CallAttempt);
  return value as CallAttempt;
}
