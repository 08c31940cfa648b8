import type { SipCodeInfo } from '../types';

export const SERVER_FAILURE_CODES = [
  { code: 500, reason: 'Server Internal Error', rfc: 'RFC 3261' },
  { code: 501, reason: 'Not Implemented', rfc: 'RFC 3261' },
  { code: 502, reason: 'Bad Gateway', rfc: 'RFC 3261' },
  { code: 503, reason: 'Service Unavailable', rfc: 'RFC 3261' },
  { code: 504, reason: 'Server Time-out', rfc: 'RFC 3261' },
  { code: 505, reason: 'Version Not Supported', rfc: 'RFC 3261' },
  { code: 513, reason: 'Message Too Large', rfc: 'RFC 3261' },
  { code: 555, reason: 'Push Notification Service Not Supported', rfc: 'RFC 8599' },
  { code: 580, reason: 'Precondition Failure', rfc: 'RFC 3312' },
] as const satisfies readonly SipCodeInfo[];
