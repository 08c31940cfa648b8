import { describe, expect, it } from 'vitest';
import { maskPhoneNumber, maskPhoneNumbersIn } from '../src/index';

describe('maskPhoneNumber', () => {
  it('keeps the +, the first two and the last two digits, and the length', () => {
    expect(maskPhoneNumber('+14155550123')).toBe('+14*******23');
    expect(maskPhoneNumber('+442071838750')).toBe('+44********50');
  });

  it('masks digits of a number that is not E.164 too, keeping its punctuation', () => {
    expect(maskPhoneNumber('(415) 555-0123')).toBe('(41*) ***-**23');
  });

  it('masks every digit of a short number, where 2 + 2 would reveal most of it', () => {
    expect(maskPhoneNumber('+1234567')).toBe('+*******');
  });
});

describe('maskPhoneNumbersIn', () => {
  it('masks every E.164-looking number and leaves other text alone', () => {
    expect(maskPhoneNumbersIn('from +14155550123 to +442071838750, attempt 3')).toBe(
      'from +14*******23 to +44********50, attempt 3',
    );
  });

  it('leaves numbers that cannot be E.164 alone: too short, leading zero, time-zone offsets', () => {
    const text = 'ext +12345, code +0123456789, at 2025-01-01T09:00:00+01:00';
    expect(maskPhoneNumbersIn(text)).toBe(text);
  });

  it('masks an over-long number whole, not just its first 15 digits', () => {
    expect(maskPhoneNumbersIn('got "+14155550123456789"')).toBe('got "+14*************89"');
  });
});
