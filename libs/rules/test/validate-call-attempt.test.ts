import { describe, expect, it } from 'vitest';
import { SipflowError, type SipflowErrorCode } from '@sipflow/errors';
import { classify, defaultRules, validateCallAttempt, type CallAttempt } from '@sipflow/rules';
import { attempt } from '../../../test/support/call-attempt';

function errorOf(run: () => unknown): SipflowError {
  try {
    run();
  } catch (error) {
    if (error instanceof SipflowError) return error;
    throw error;
  }
  throw new Error('expected a SipflowError');
}

function without(field: keyof CallAttempt): unknown {
  const event: Partial<CallAttempt> = attempt();
  delete event[field];
  return event;
}

const INVALID: ReadonlyArray<[string, unknown, SipflowErrorCode, string]> = [
  ['sipCode 99', attempt({ sipCode: 99 }), 'SIPFLOW_INVALID_SIP_CODE', 'sipCode'],
  ['sipCode 700', attempt({ sipCode: 700 }), 'SIPFLOW_INVALID_SIP_CODE', 'sipCode'],
  ['sipCode 486.5', attempt({ sipCode: 486.5 }), 'SIPFLOW_INVALID_SIP_CODE', 'sipCode'],
  ['sipCode "486"', { ...attempt(), sipCode: '486' }, 'SIPFLOW_INVALID_SIP_CODE', 'sipCode'],
  ['q850Cause 128', attempt({ q850Cause: 128 }), 'SIPFLOW_INVALID_Q850_CAUSE', 'q850Cause'],
  ['leadRegion a name', attempt({ leadRegion: 'Florida' }), 'SIPFLOW_INVALID_FIELD', 'leadRegion'],
  ['leadRegion lower case', attempt({ leadRegion: 'us-fl' }), 'SIPFLOW_INVALID_FIELD', 'leadRegion'],
  ['reasonHeader a number', { ...attempt(), reasonHeader: 603 }, 'SIPFLOW_INVALID_FIELD', 'reasonHeader'],
  ['phone without +', attempt({ phoneNumber: '14155550123' }), 'SIPFLOW_INVALID_PHONE_NUMBER', 'phoneNumber'],
  [
    'national format',
    attempt({ phoneNumber: '(415) 555-0123' }),
    'SIPFLOW_INVALID_PHONE_NUMBER',
    'phoneNumber',
  ],
  [
    'too short for +1',
    attempt({ phoneNumber: '+1415555012' }),
    'SIPFLOW_INVALID_PHONE_NUMBER',
    'phoneNumber',
  ],
  [
    'unknown calling code',
    attempt({ phoneNumber: '+99912345678' }),
    'SIPFLOW_INVALID_PHONE_NUMBER',
    'phoneNumber',
  ],
  ['bad callerId', attempt({ callerId: 'anonymous' }), 'SIPFLOW_INVALID_PHONE_NUMBER', 'callerId'],
  [
    'unknown zone',
    attempt({ leadTimezone: 'America/Springfield' }),
    'SIPFLOW_UNKNOWN_TIME_ZONE',
    'leadTimezone',
  ],
  [
    'endedAt before startedAt',
    attempt({ startedAt: 2_000, endedAt: 1_000 }),
    'SIPFLOW_INVALID_TIMESTAMPS',
    'endedAt',
  ],
  [
    'fractional endedAt',
    attempt({ endedAt: Date.parse('2026-06-10T18:00:25Z') + 0.5 }),
    'SIPFLOW_INVALID_TIMESTAMPS',
    'endedAt',
  ],
  ['negative startedAt', attempt({ startedAt: -1 }), 'SIPFLOW_INVALID_TIMESTAMPS', 'startedAt'],
  ['attemptNumber 0', attempt({ attemptNumber: 0 }), 'SIPFLOW_INVALID_FIELD', 'attemptNumber'],
  ['negative Retry-After', attempt({ retryAfterSeconds: -5 }), 'SIPFLOW_INVALID_FIELD', 'retryAfterSeconds'],
  // past Avro's int, the outputs could not carry them (found by the pipeline fuzz test: a bit flip
  // in a varint decoded as attemptNumber 222230467441025)
  [
    'attemptNumber past an int',
    attempt({ attemptNumber: 222230467441025 }),
    'SIPFLOW_INVALID_FIELD',
    'attemptNumber',
  ],
  [
    'attemptNumber whose next one is past an int',
    attempt({ attemptNumber: 2 ** 31 - 1 }),
    'SIPFLOW_INVALID_FIELD',
    'attemptNumber',
  ],
  [
    'Retry-After past an int',
    attempt({ retryAfterSeconds: 2 ** 31 }),
    'SIPFLOW_INVALID_FIELD',
    'retryAfterSeconds',
  ],
  ['empty eventId', attempt({ eventId: '' }), 'SIPFLOW_INVALID_FIELD', 'eventId'],
  ['numeric carrier', { ...attempt(), carrier: 7 }, 'SIPFLOW_INVALID_FIELD', 'carrier'],
  ['missing eventId', without('eventId'), 'SIPFLOW_MISSING_FIELD', 'eventId'],
  ['missing sipCode', without('sipCode'), 'SIPFLOW_MISSING_FIELD', 'sipCode'],
  ['missing q850Cause', without('q850Cause'), 'SIPFLOW_MISSING_FIELD', 'q850Cause'],
  ['missing leadTimezone', without('leadTimezone'), 'SIPFLOW_MISSING_FIELD', 'leadTimezone'],
  ['missing endedAt', without('endedAt'), 'SIPFLOW_MISSING_FIELD', 'endedAt'],
  ['an array', [], 'SIPFLOW_INVALID_FIELD', ''],
  ['null', null, 'SIPFLOW_INVALID_FIELD', ''],
];

describe('validateCallAttempt', () => {
  it.each(INVALID)('rejects %s with %s', (_name, value, code, field) => {
    const error = errorOf(() => validateCallAttempt(value));
    expect(error.code).toBe(code);
    expect(error.details.field).toBe(field);
    if (field !== '') expect(error.message).toContain(field);
  });

  it.each(INVALID.filter(([, value]) => value !== null && !Array.isArray(value)))(
    'classify rejects %s the same way',
    (_name, value, code) => {
      expect(errorOf(() => classify(value as CallAttempt, defaultRules())).code).toBe(code);
    },
  );

  it('accepts a valid attempt with every nullable field null, and returns it', () => {
    const event = attempt({ callerId: null, q850Cause: null, retryAfterSeconds: null, leadTimezone: null });
    expect(validateCallAttempt(event)).toBe(event);
  });

  it('accepts extra fields from newer producers', () => {
    expect(() => validateCallAttempt({ ...attempt(), trunkGroup: 'tg-7' })).not.toThrow();
  });
});
