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
] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** What the dialer should do next. The Avro enum `Action` mirrors this list. */
export const ACTIONS = ['NONE', 'RETRY', 'REMOVE_LEAD', 'COMPLIANCE_ALERT'] as const;
export type Action = (typeof ACTIONS)[number];
