import { describe, expect, it } from 'vitest';
import {
  SIP_CODES,
  isSipStatusCode,
  sipClassName,
  sipClassOf,
  sipCodeInfo,
  sipReasonPhrase,
} from '@sipflow/sip';

describe('SIP code catalogue', () => {
  it.each([
    [100, 'Trying', 'RFC 3261'],
    [180, 'Ringing', 'RFC 3261'],
    [199, 'Early Dialog Terminated', 'RFC 6228'],
    [200, 'OK', 'RFC 3261'],
    [204, 'No Notification', 'RFC 5839'],
    [403, 'Forbidden', 'RFC 3261'],
    [412, 'Conditional Request Failed', 'RFC 3903'],
    [417, 'Unknown Resource-Priority', 'RFC 4412'],
    [422, 'Session Interval Too Small', 'RFC 4028'],
    [428, 'Use Identity Header', 'RFC 8224'],
    [433, 'Anonymity Disallowed', 'RFC 5079'],
    [470, 'Consent Needed', 'RFC 5360'],
    [486, 'Busy Here', 'RFC 3261'],
    [489, 'Bad Event', 'RFC 6665'],
    [494, 'Security Agreement Required', 'RFC 3329'],
    [503, 'Service Unavailable', 'RFC 3261'],
    [555, 'Push Notification Service Not Supported', 'RFC 8599'],
    [580, 'Precondition Failure', 'RFC 3312'],
    [603, 'Decline', 'RFC 3261'],
    [607, 'Unwanted', 'RFC 8197'],
    [608, 'Rejected', 'RFC 8688'],
  ])('%i is "%s" from %s', (code, reason, rfc) => {
    expect(sipCodeInfo(code)).toEqual({ code, reason, rfc });
  });

  it('includes every extension code the dialers in use send', () => {
    const required = [
      199, 204, 412, 417, 421, 422, 423, 424, 428, 429, 430, 433, 436, 437, 438, 439, 440, 469, 470, 489, 491,
      493, 494, 555, 580, 607, 608,
    ];
    expect(required.filter((code) => sipCodeInfo(code) === undefined)).toEqual([]);
  });

  it('lists each code once, in ascending order, each in its own class', () => {
    const codes = SIP_CODES.map((info) => info.code);
    expect(codes).toEqual([...new Set(codes)].sort((a, b) => a - b));
    expect(SIP_CODES.every((info) => isSipStatusCode(info.code))).toBe(true);
  });

  it('describes an unassigned code by its class and nothing outside 100–699', () => {
    expect(sipCodeInfo(499)).toBeUndefined();
    expect(sipReasonPhrase(499)).toBe('Unassigned client failure');
    expect(sipReasonPhrase(699)).toBe('Unassigned global failure');
    expect(sipReasonPhrase(99)).toBeUndefined();
    expect(sipReasonPhrase(700)).toBeUndefined();
  });

  it.each([
    [100, '1xx', 'provisional'],
    [299, '2xx', 'success'],
    [302, '3xx', 'redirection'],
    [486, '4xx', 'client failure'],
    [503, '5xx', 'server failure'],
    [699, '6xx', 'global failure'],
  ] as const)('%i is in class %s (%s)', (code, sipClass, name) => {
    expect(sipClassOf(code)).toBe(sipClass);
    expect(sipClassName(sipClass)).toBe(name);
  });

  it.each([99, 700, 486.5, Number.NaN, -486])('%d is not a SIP status code', (code) => {
    expect(isSipStatusCode(code)).toBe(false);
    expect(sipClassOf(code)).toBeUndefined();
  });
});
