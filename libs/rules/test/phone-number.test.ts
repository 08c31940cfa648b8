import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isE164PhoneNumber } from '@sipflow/rules';

describe('isE164PhoneNumber', () => {
  it.each([
    ['+14155550123', 'US'],
    ['+16135550123', 'Canada'],
    ['+442071838750', 'UK'],
    ['+61291234567', 'Australia'],
    ['+33612345678', 'France'],
    ['+4930123456', 'Germany'],
    ['+819012345678', 'Japan'],
    ['+5511987654321', 'Brazil'],
    ['+919876543210', 'India'],
    ['+8613800138000', 'China'],
    ['+79161234567', 'Russia'],
    ['+80012345678', 'international freephone'],
  ])('accepts %s (%s)', (phone) => {
    expect(isE164PhoneNumber(phone)).toBe(true);
  });

  it.each([
    ['14155550123', 'no plus sign'],
    ['+1 415 555 0123', 'spaces'],
    ['+1-415-555-0123', 'dashes'],
    ['+04155550123', 'calling code starting with 0'],
    ['+1415555012', 'too short for +1'],
    ['+141555501234', 'too long for +1'],
    ['+4402071838750', 'UK number with its national trunk prefix 0'],
    ['+99912345678', 'unassigned calling code 999'],
    ['+1234567890123456', 'more than 15 digits'],
    ['', 'empty'],
  ])('rejects %s (%s)', (phone) => {
    expect(isE164PhoneNumber(phone)).toBe(false);
  });

  it('rejects anything that is not + and 7–15 digits', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        if (!/^\+[1-9]\d{6,14}$/.test(text)) expect(isE164PhoneNumber(text)).toBe(false);
      }),
    );
  });
});
