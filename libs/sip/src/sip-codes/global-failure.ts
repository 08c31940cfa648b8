import type { SipCodeInfo } from '../types';

export const GLOBAL_FAILURE_CODES = [
  { code: 600, reason: 'Busy Everywhere', rfc: 'RFC 3261' },
  { code: 603, reason: 'Decline', rfc: 'RFC 3261' },
  { code: 604, reason: 'Does Not Exist Anywhere', rfc: 'RFC 3261' },
  { code: 606, reason: 'Not Acceptable', rfc: 'RFC 3261' },
  { code: 607, reason: 'Unwanted', rfc: 'RFC 8197' },
  { code: 608, reason: 'Rejected', rfc: 'RFC 8688' },
] as const satisfies readonly SipCodeInfo[];
