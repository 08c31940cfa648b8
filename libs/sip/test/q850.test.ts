import { describe, expect, it } from 'vitest';
import {
  Q850_CAUSES,
  RFC3398_CAUSE_TO_SIP,
  isQ850Cause,
  q850CauseClass,
  q850CauseInfo,
  q850CauseName,
  sipCodeForQ850Cause,
  sipCodeInfo,
} from '@sipflow/sip';

describe('Q.850 causes', () => {
  it.each([
    [1, 'Unallocated (unassigned) number'],
    [16, 'Normal call clearing'],
    [17, 'User busy'],
    [34, 'No circuit/channel available'],
    [42, 'Switching equipment congestion'],
    [44, 'Requested circuit/channel not available'],
    [47, 'Resource unavailable, unspecified'],
    [127, 'Interworking, unspecified'],
  ])('cause %i is "%s"', (cause, name) => {
    expect(q850CauseInfo(cause)).toEqual({ cause, name });
    expect(q850CauseName(cause)).toBe(name);
  });

  it('names unassigned values instead of failing', () => {
    expect(q850CauseInfo(10)).toBeUndefined();
    expect(q850CauseName(10)).toBe('Unassigned cause 10');
  });

  it('lists each cause once, in ascending order, inside 0–127', () => {
    const causes = Q850_CAUSES.map((info) => info.cause);
    expect(causes).toEqual([...new Set(causes)].sort((a, b) => a - b));
    expect(causes.every(isQ850Cause)).toBe(true);
  });

  it.each([
    [17, 'normal event'],
    [34, 'resource unavailable'],
    [57, 'service or option not available'],
    [65, 'service or option not implemented'],
    [87, 'invalid message'],
    [111, 'protocol error'],
    [127, 'interworking'],
  ])('cause %i is in class "%s"', (cause, name) => {
    expect(q850CauseClass(cause)).toBe(name);
  });

  it.each([-1, 128, 3.5])('%d is not a Q.850 cause', (cause) => {
    expect(isQ850Cause(cause)).toBe(false);
    expect(q850CauseClass(cause)).toBeUndefined();
  });
});

describe('RFC 3398 cause → SIP mapping', () => {
  it.each([
    [1, 404],
    [17, 486],
    [18, 408],
    [19, 480],
    [21, 403],
    [22, 410],
    [27, 502],
    [28, 484],
    [34, 503],
    [42, 503],
    [102, 504],
    [127, 500],
  ])('cause %i → %i', (cause, code) => {
    expect(sipCodeForQ850Cause(cause)).toBe(code);
  });

  it('maps normal call clearing to no response (the call ends with BYE) and leaves unlisted causes unmapped', () => {
    expect(sipCodeForQ850Cause(16)).toBeNull();
    expect(sipCodeForQ850Cause(44)).toBeUndefined();
  });

  it('only maps defined causes to registered codes', () => {
    for (const [cause, code] of RFC3398_CAUSE_TO_SIP) {
      expect(q850CauseInfo(cause), `cause ${cause}`).toBeDefined();
      if (code !== null) expect(sipCodeInfo(code), `code ${code}`).toBeDefined();
    }
  });
});
