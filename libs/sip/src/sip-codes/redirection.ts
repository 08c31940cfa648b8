import type { SipCodeInfo } from '../types';

export const REDIRECTION_CODES = [
  { code: 300, reason: 'Multiple Choices', rfc: 'RFC 3261' },
  { code: 301, reason: 'Moved Permanently', rfc: 'RFC 3261' },
  { code: 302, reason: 'Moved Temporarily', rfc: 'RFC 3261' },
  { code: 305, reason: 'Use Proxy', rfc: 'RFC 3261' },
  { code: 380, reason: 'Alternative Service', rfc: 'RFC 3261' },
] as const satisfies readonly SipCodeInfo[];
