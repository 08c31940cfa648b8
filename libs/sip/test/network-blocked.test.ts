import { describe, expect, it } from 'vitest';
import { isNetworkBlockedPhrase, networkBlockFromReasonHeader, parseReasonHeader } from '@sipflow/sip';

// Header values as published: Twilio's Elastic SIP Trunking changelog and Telnyx's 603+ guide
// (`SIP;cause=603;text="v=analytics1;url=...";location=RLN`), the form Asterisk's
// NetworkBlocking() builds (SIP or Q.850 cause 21, url/tel/email/id AVPs, location RPN by default).
describe('SIP 603+ Network Blocked (ATIS-1000099)', () => {
  it('reads the analytics AVPs and the location', () => {
    const notice = networkBlockFromReasonHeader(
      'SIP;cause=603;text="v=analytics1;url=https://redress.example.net/blocked";location=RLN',
    );
    expect(notice).toEqual({
      version: 'analytics1',
      location: 'RLN',
      locationMeaning: 'public network serving the called party',
      redressUrl: 'https://redress.example.net/blocked',
      redressTel: null,
      redressEmail: null,
      blockId: null,
    });
  });

  it('reads every redress contact and the id, from a Q.850 cause 21 reason too', () => {
    const notice = networkBlockFromReasonHeader(
      'Q.850; cause=21; text="v=analytics1;tel=+18005550100;email=blocks@carrier.example;id=blk-42"; location=TN',
    );
    expect(notice).toMatchObject({
      version: 'analytics1',
      location: 'TN',
      locationMeaning: 'transit network',
      redressTel: '+18005550100',
      redressEmail: 'blocks@carrier.example',
      blockId: 'blk-42',
    });
  });

  it('finds the notice among several reason-values', () => {
    const header =
      'Q.850;cause=21;text="Call rejected", SIP;cause=603;text="v=analytics1;url=https://r.example";location=LN';
    expect(networkBlockFromReasonHeader(header)?.location).toBe('LN');
  });

  it('takes a text of "Network Blocked" as the notice, without AVPs', () => {
    expect(networkBlockFromReasonHeader('SIP;cause=603;text="network BLOCKED"')).toMatchObject({
      version: null,
      location: null,
      redressUrl: null,
    });
  });

  it.each([
    ['SIP;cause=603;text="Decline"'],
    ['Q.850;cause=21;text="Call rejected"'],
    ['Q.850;cause=16'],
    [''],
    ['garbage ;;; "unterminated'],
  ])('%s is no notice', (header) => {
    expect(networkBlockFromReasonHeader(header)).toBeNull();
  });

  it('null header is no notice', () => {
    expect(networkBlockFromReasonHeader(null)).toBeNull();
  });

  it.each([
    ['Network Blocked', true],
    [' network blocked ', true],
    ['NETWORK BLOCKED', true],
    ['Decline', false],
    [null, false],
  ])('reason phrase %j → %s', (phrase, expected) => {
    expect(isNetworkBlockedPhrase(phrase)).toBe(expected);
  });
});

describe('parseReasonHeader (RFC 3326 §2)', () => {
  it('splits reason-values outside quotes and unquotes parameters', () => {
    expect(
      parseReasonHeader('SIP;cause=200;text="Call completed, elsewhere; really", Q.850;cause=16'),
    ).toEqual([
      {
        protocol: 'SIP',
        cause: 200,
        text: 'Call completed, elsewhere; really',
        params: { cause: '200', text: 'Call completed, elsewhere; really' },
      },
      { protocol: 'Q.850', cause: 16, text: null, params: { cause: '16' } },
    ]);
  });

  it('unescapes quoted-pairs and keeps the first of a repeated parameter', () => {
    const [reason] = parseReasonHeader('preemption;cause=1;text="UA \\"Preemption\\"";cause=2');
    expect(reason).toMatchObject({ protocol: 'PREEMPTION', cause: 1, text: 'UA "Preemption"' });
  });
});
