import type { SipCodeInfo } from '../types';

export const SUCCESS_CODES = [
  { code: 200, reason: 'OK', rfc: 'RFC 3261' },
  // 202 was defined for SUBSCRIBE/REFER by RFC 3265; RFC 6665 deprecates sending it.
  { code: 202, reason: 'Accepted', rfc: 'RFC 6665' },
  { code: 204, reason: 'No Notification', rfc: 'RFC 5839' },
] as const satisfies readonly SipCodeInfo[];
