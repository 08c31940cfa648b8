import { describe, expect, it } from 'vitest';
import { classify, defaultRules, type Action, type Disposition } from '@sipflow/rules';
import { attempt } from '../../../test/support/call-attempt';
import { rulesWith } from './fixtures/rules-file';

// Every row of the three tables (and the two retry/compliance remarks) in the user's source
// document (the dialer vendor's SIP-code help page), checked against the default rules.
interface SeedCase {
  readonly row: string;
  readonly sipCode: number;
  readonly q850Cause?: number;
  readonly disposition?: Disposition;
  readonly action?: Action;
}

const COMMON_SIP_CODES: readonly SeedCase[] = [
  {
    row: '200 OK – Call answered successfully → Connected, Sale, or Call Completed',
    sipCode: 200,
    disposition: 'CONNECTED',
    action: 'NONE',
  },
  {
    row: '180 Ringing → Call is ringing on the recipient’s end',
    sipCode: 180,
    disposition: 'RINGING',
    action: 'NONE',
  },
  { row: '486 Busy Here → Busy Signal, Call Rejected', sipCode: 486, disposition: 'BUSY' },
  {
    row: '480 Temporarily Unavailable → No Answer, Call Not Picked Up',
    sipCode: 480,
    disposition: 'NO_ANSWER',
  },
  { row: '408 Request Timeout → Call Timeout, No Response', sipCode: 408, disposition: 'NO_ANSWER' },
  { row: '603 Decline → Call Declined by Recipient', sipCode: 603, disposition: 'DECLINED' },
  {
    row: '404 Not Found → Invalid Number, Number Does Not Exist',
    sipCode: 404,
    disposition: 'INVALID_NUMBER',
  },
  {
    row: '403 Forbidden → Call Blocked, Authentication or Permission Error',
    sipCode: 403,
    disposition: 'BLOCKED',
  },
  {
    row: '503 Service Unavailable → Network or Server Busy, Temporary Failure',
    sipCode: 503,
    disposition: 'FAILED',
    action: 'RETRY',
  },
  {
    row: '503 Service Unavailable → Network or Server Busy (Q.850 42 switching equipment congestion)',
    sipCode: 503,
    q850Cause: 42,
    disposition: 'CONGESTION',
    action: 'RETRY',
  },
  {
    row: '487 Request Terminated → Call Cancelled by Caller or System',
    sipCode: 487,
    disposition: 'CANCELLED',
    action: 'NONE',
  },
];

const DISPOSITIONS_TABLE: readonly SeedCase[] = [
  { row: 'Connected/Sale ← 200 OK', sipCode: 200, disposition: 'CONNECTED' },
  { row: 'Busy ← 486 Busy Here', sipCode: 486, disposition: 'BUSY' },
  { row: 'No Answer/No Pickup ← 480 Temporarily Unavailable', sipCode: 480, disposition: 'NO_ANSWER' },
  { row: 'No Answer/No Pickup ← 408 Request Timeout', sipCode: 408, disposition: 'NO_ANSWER' },
  { row: 'Declined ← 603 Decline', sipCode: 603, disposition: 'DECLINED' },
  { row: 'Failed/Call Failed ← 503 Service Unavailable', sipCode: 503, disposition: 'FAILED' },
  { row: 'Failed/Call Failed ← 500 Server Internal Error', sipCode: 500, disposition: 'FAILED' },
  { row: 'Not Found/Invalid Number ← 404 Not Found', sipCode: 404, disposition: 'INVALID_NUMBER' },
  { row: 'Forbidden/Blocked ← 403 Forbidden', sipCode: 403, disposition: 'BLOCKED' },
  { row: 'Cancelled ← 487 Request Terminated', sipCode: 487, disposition: 'CANCELLED' },
  ...[34, 42, 44, 47].flatMap((cause) => [
    {
      row: `Congestion ← 486 Busy Here (Q.850 ${cause})`,
      sipCode: 486,
      q850Cause: cause,
      disposition: 'CONGESTION' as const,
    },
    {
      row: `Congestion ← 503 Service Unavailable (Q.850 ${cause})`,
      sipCode: 503,
      q850Cause: cause,
      disposition: 'CONGESTION' as const,
    },
  ]),
];

const WHAT_TO_DO: readonly SeedCase[] = [
  { row: 'Busy (486) → Wait and retry the Lead later', sipCode: 486, action: 'RETRY' },
  { row: 'Decline (603) → Usually no retry needed', sipCode: 603, action: 'NONE' },
  {
    row: 'Forbidden (403) → Check permissions, API keys, or carrier restrictions',
    sipCode: 403,
    action: 'COMPLIANCE_ALERT',
  },
  {
    row: 'Service Unavailable (503) → Network or system issue. Monitor and retry later',
    sipCode: 503,
    action: 'RETRY',
  },
  {
    row: 'Not Found (404) → Confirm the phone number’s accuracy or remove the Lead',
    sipCode: 404,
    action: 'REMOVE_LEAD',
  },
  {
    row: 'Call Retry Logic: some SIP codes (like 480 or 503) trigger automatic call retries later (480)',
    sipCode: 480,
    action: 'RETRY',
  },
  {
    row: 'Call Retry Logic: some SIP codes (like 480 or 503) trigger automatic call retries later (503)',
    sipCode: 503,
    action: 'RETRY',
  },
  {
    row: 'Compliance: codes like 403 help flag calls blocked due to regulatory or blacklist rules',
    sipCode: 403,
    action: 'COMPLIANCE_ALERT',
  },
];

describe.each([
  ['Common SIP Codes', COMMON_SIP_CODES],
  ['Dispositions & Associated SIP Codes', DISPOSITIONS_TABLE],
  ['What to Do When You See SIP Errors', WHAT_TO_DO],
])('seed table "%s"', (_table, cases) => {
  it.each(cases)('seed: $row', ({ sipCode, q850Cause, disposition, action }) => {
    const event = attempt({ sipCode, q850Cause: q850Cause ?? null });
    const result = classify(event, defaultRules());
    if (disposition !== undefined) expect(result.disposition).toBe(disposition);
    if (action !== undefined) expect(result.action).toBe(action);
    // "later" and "no retry" both hold only with the matching retry time.
    if (result.action === 'RETRY') expect(result.retryAt).toBeGreaterThan(event.endedAt);
    else expect(result.retryAt).toBeNull();
  });
});

describe('seed remarks that depend on configuration', () => {
  it('seed: Decline (603) → Consider removing or reassigning the Lead (removeLeadOnDecline)', () => {
    const rules = rulesWith((data) => {
      data.campaigns = { 'campaign-1': { removeLeadOnDecline: true } };
    });
    const removing = classify(attempt({ sipCode: 603 }), rules);
    expect(removing).toMatchObject({ disposition: 'DECLINED', action: 'REMOVE_LEAD', retryAt: null });
    // Other campaigns keep the default: no retry, lead kept.
    const keeping = classify(attempt({ sipCode: 603, campaignId: 'campaign-2' }), rules);
    expect(keeping).toMatchObject({ disposition: 'DECLINED', action: 'NONE' });
  });
});
