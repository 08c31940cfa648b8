/** Call outcomes. The Avro enum `Disposition` mirrors this list: append only, never reorder. */
export const DISPOSITIONS = [
  'CONNECTED',
  'RINGING',
  'BUSY',
  'NO_ANSWER',
  'DECLINED',
  'FAILED',
  'INVALID_NUMBER',
  'BLOCKED',
  'CANCELLED',
  'CONGESTION',
  'UNWANTED',
  'CALLER_ID_FLAGGED',
  // SIP 603+ (ATIS-1000099): a network blocked the call on analytics; the callee never saw it.
  'NETWORK_BLOCKED',
  // A 2xx the dialer's answering-machine detection says a machine or a fax answered (answeredBy).
  'ANSWERING_MACHINE',
  'FAX',
] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** What the dialer should do next. The Avro enum `Action` mirrors this list. */
export const ACTIONS = ['NONE', 'RETRY', 'REMOVE_LEAD', 'COMPLIANCE_ALERT'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Who answered a call, by the dialer's answering-machine detection. The Avro enum `AnsweredBy`
 * mirrors this list; docs/answered-by.md maps the dialers' own values to it.
 */
export const ANSWERED_BY = ['HUMAN', 'MACHINE', 'FAX', 'UNKNOWN'] as const;
export type AnsweredBy = (typeof ANSWERED_BY)[number];
