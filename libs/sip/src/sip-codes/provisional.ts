import type { SipCodeInfo } from '../types';

export const PROVISIONAL_CODES = [
  { code: 100, reason: 'Trying', rfc: 'RFC 3261' },
  { code: 180, reason: 'Ringing', rfc: 'RFC 3261' },
  { code: 181, reason: 'Call Is Being Forwarded', rfc: 'RFC 3261' },
  { code: 182, reason: 'Queued', rfc: 'RFC 3261' },
  { code: 183, reason: 'Session Progress', rfc: 'RFC 3261' },
  { code: 199, reason: 'Early Dialog Terminated', rfc: 'RFC 6228' },
] as const satisfies readonly SipCodeInfo[];
