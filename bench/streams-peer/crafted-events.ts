// Records the bench's generated input never holds, for compare.ts: they take the peer down the
// paths the simulator does not (a Reason header, 603+ Network Blocked, a given leadRegion, a lead
// zone other than the area code's, DST nights, invalid events, undecodable bytes), so that the
// comparison covers them too. Every one is something sipflow must handle; what it does with each
// is the reference.
import type { CallAttempt, RegisteredType } from '@sipflow/codec';

type CraftedRecord = { key: string | null; value: Buffer | null; headers?: Record<string, string> };

/** Monday 2025-01-06 15:00 UTC, 10:00 in New York: inside the default calling window. */
const MONDAY = Date.UTC(2025, 0, 6, 15, 0, 0);

function event(n: number, fields: Partial<CallAttempt>): CallAttempt {
  const endedAt = fields.endedAt ?? MONDAY;
  return {
    eventId: `peerchk-crafted-${String(n).padStart(3, '0')}`,
    leadId: `lead-crafted-${n}`,
    campaignId: 'cmp-solar-leads',
    phoneNumber: '+12125550143',
    callerId: '+12125550100',
    sipCode: 486,
    sipReason: 'Busy Here',
    q850Cause: null,
    retryAfterSeconds: null,
    attemptNumber: 1,
    startedAt: endedAt - 4000,
    endedAt,
    leadTimezone: 'America/New_York',
    carrier: 'telnyx-us',
    reasonHeader: null,
    leadRegion: null,
    answeredBy: null,
    answeredAt: null,
    agentConnectedAt: null,
    abandoned: null,
    abandonMessagePlayed: null,
    ringingAt: null,
    ...fields,
  };
}

const ANALYTICS =
  'SIP;cause=603;text="v=analytics1;url=https://redress.example/r;tel=+18005550100;email=ops@carrier.example;id=AB-12";location=RLN';

/** Valid events through the features the simulator leaves out. */
const FEATURES: Partial<CallAttempt>[] = [
  // the Q.850 cause read from the Reason header when the field is null (RFC 3326)
  { reasonHeader: 'Q.850;cause=34;text="No circuit/channel available"' },
  {
    sipCode: 503,
    sipReason: 'Service Unavailable',
    reasonHeader: 'SIP;cause=503;text="Busy, try later", Q.850;cause=42',
  },
  { q850Cause: 17, reasonHeader: 'Q.850;cause=34' },
  { reasonHeader: 'Q.850;cause=200' },
  { reasonHeader: 'Q.850;cause=abc, Q.850;cause=34' },
  { reasonHeader: 'q.850 ; CAUSE = 47 ; text="lower-case protocol"' },
  { reasonHeader: 'garbage without structure' },
  { sipCode: 404, sipReason: 'Not Found', reasonHeader: 'Q.850;cause=22' },
  // 603+ Network Blocked (ATIS-1000099): the analytics header, the phrase alone, the ISUP form
  { sipCode: 603, sipReason: 'Network Blocked', reasonHeader: ANALYTICS },
  { sipCode: 603, sipReason: 'Decline', reasonHeader: ANALYTICS },
  { sipCode: 603, sipReason: '  network BLOCKED ' },
  {
    sipCode: 603,
    sipReason: 'Decline',
    reasonHeader: 'Q.850;cause=21;text="v=analytics1;tel=+18005550100";location=tn',
  },
  { sipCode: 603, sipReason: 'Decline', reasonHeader: 'SIP;cause=603;text=" Network Blocked "' },
  {
    sipCode: 603,
    sipReason: 'Decline',
    reasonHeader: 'SIP;cause=603;text="v=analytics2;url=https://r.example/a,b;id=\\"x;y\\""',
  },
  { sipCode: 603, sipReason: 'Decline', reasonHeader: 'SIP;cause=603;text="v=other1;url=https://r.example"' },
  { sipCode: 603, sipReason: 'Decline', q850Cause: 21 },
  // a blocking notice on a code whose rule is not NETWORK_BLOCKED: no networkBlock on the record
  { sipCode: 486, reasonHeader: ANALYTICS },
  { sipCode: 608, sipReason: 'Rejected', reasonHeader: ANALYTICS },
  { sipCode: 403, sipReason: 'Forbidden', carrier: null, callerId: null },
  // who answered (answering-machine detection): machine → retry, fax → remove the number,
  // a person or "cannot tell" → the 2xx row; on a busy line the code decides
  { sipCode: 200, sipReason: 'OK', answeredBy: 'MACHINE' },
  { sipCode: 200, sipReason: 'OK', answeredBy: 'FAX' },
  { sipCode: 200, sipReason: 'OK', answeredBy: 'HUMAN' },
  { sipCode: 200, sipReason: 'OK', answeredBy: 'UNKNOWN' },
  { sipCode: 486, sipReason: 'Busy Here', answeredBy: 'MACHINE' },
  // removals: scope NUMBER, scope LEAD with a do-not-call entry, a changed number
  { sipCode: 607, sipReason: 'Unwanted' },
  { sipCode: 410, sipReason: 'Gone', q850Cause: 22 },
  { sipCode: 484, sipReason: 'Address Incomplete' },
  { sipCode: 604, sipReason: 'Does Not Exist Anywhere' },
  // where the party is: a given region beside or equal to the area code's, a non-NANP number
  { leadRegion: 'US-FL' },
  { leadRegion: 'US-NY' },
  { phoneNumber: '+442071838750', callerId: null, leadTimezone: 'Europe/London', leadRegion: 'GB-LND' },
  { phoneNumber: '+442071838750', callerId: null, leadTimezone: null },
  { phoneNumber: '+18005550199', leadTimezone: null },
  // zones: the lead's beside the area code's, several for one area code, a name in other case, an offset
  { phoneNumber: '+12135550143', leadTimezone: 'Europe/London' },
  {
    phoneNumber: '+12135550143',
    leadTimezone: 'Australia/Sydney',
    sipCode: 480,
    sipReason: 'Temporarily Unavailable',
  },
  { phoneNumber: '+12085550143', leadTimezone: null, sipCode: 408, sipReason: 'Request Timeout' },
  { phoneNumber: '+18505550143', leadTimezone: null },
  { leadTimezone: 'america/chicago' },
  { leadTimezone: '+05:30' },
  { leadTimezone: 'US/Pacific' },
  // retry timing: Retry-After past the window, past the delay, late in the evening, DST nights
  { retryAfterSeconds: 3 * 86_400 },
  { retryAfterSeconds: 30 },
  { endedAt: Date.UTC(2025, 0, 7, 1, 55, 0) },
  { endedAt: Date.UTC(2025, 2, 9, 6, 45, 0) },
  { endedAt: Date.UTC(2025, 10, 2, 5, 30, 0), sipCode: 480, sipReason: 'Temporarily Unavailable' },
  { endedAt: Date.UTC(2025, 2, 30, 0, 50, 0), phoneNumber: '+442071838750', leadTimezone: 'Europe/London' },
  // limits and the other classes
  { attemptNumber: 6 },
  { attemptNumber: 5, sipCode: 500, sipReason: 'Server Internal Error', q850Cause: 41 },
  { sipCode: 180, sipReason: 'Ringing' },
  { sipCode: 200, sipReason: 'OK', q850Cause: 16 },
  { sipCode: 302, sipReason: 'Moved Temporarily' },
  { sipCode: 699, sipReason: null },
  { carrier: '  TELNYX-US ', sipCode: 408, sipReason: 'Request Timeout' },
];

/** Events sipflow refuses, each for one check (validate-call-attempt.ts). */
const INVALID: Partial<CallAttempt>[] = [
  { eventId: '' },
  { leadId: '' },
  { phoneNumber: 'not a number' },
  { callerId: '+1' },
  { sipCode: 700 },
  { sipCode: 99 },
  { q850Cause: 128 },
  { q850Cause: -1 },
  { retryAfterSeconds: -5 },
  { attemptNumber: 0 },
  { startedAt: -1 },
  { endedAt: MONDAY, startedAt: MONDAY + 1 },
  { leadRegion: 'florida' },
  { leadRegion: 'US-FLOR' },
  { leadTimezone: 'Mars/Olympus_Mons' },
  { leadTimezone: 'Not "a" zone, but a name of well over forty characters' },
  { leadTimezone: 'GMT+1' },
  // several problems: the first in sipflow's order is the one reported
  { sipCode: 700, q850Cause: 200, leadTimezone: 'Nowhere' },
];

/** The crafted records, keyed by leadId like the generated ones; some carry trace headers. */
export function craftedRecords(schema: RegisteredType<CallAttempt>): CraftedRecord[] {
  const events = [...FEATURES, ...INVALID].map((fields, i) => event(i + 1, fields));
  const records: CraftedRecord[] = events.map((e, i) => ({
    key: e.leadId,
    value: schema.encode(e),
    ...(i % 3 === 0
      ? { headers: { traceparent: `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01`, tracestate: 'vendor=x' } }
      : {}),
  }));
  const good = schema.encode(event(900, {}));
  const id = good.readInt32BE(1);
  const unknownId = Buffer.from(good);
  unknownId.writeInt32BE(id + 1_000_000, 1);
  // undecodable bytes: each SIPFLOW_DECODE_* case, and a header the dead letter's replaces
  records.push(
    { key: 'lead-crafted-bytes-1', value: Buffer.from('hello, not avro') },
    { key: 'lead-crafted-bytes-2', value: Buffer.from([0, 0, 1]) },
    { key: null, value: null },
    { key: 'lead-crafted-bytes-4', value: unknownId },
    { key: 'lead-crafted-bytes-5', value: good.subarray(0, good.length - 7) },
    { key: 'lead-crafted-bytes-6', value: Buffer.concat([good, Buffer.from([1, 2, 3])]) },
    {
      key: 'lead-crafted-bytes-7',
      value: Buffer.from([1, 2, 3, 4, 5, 6]),
      headers: { 'sipflow-error-code': 'stale', traceparent: `00-${'12'.repeat(16)}-${'34'.repeat(8)}-01` },
    },
  );
  return records;
}
