import { SIP_CLASSES } from '@sipflow/sip';
import type { SipMatch } from './schema';

/** Every SIP code a `match.sip` value covers. */
export function codesOf(sip: SipMatch): readonly number[] {
  if (typeof sip === 'number') return [sip];
  if (Array.isArray(sip)) return sip;
  const first = (SIP_CLASSES.indexOf(sip) + 1) * 100;
  return Array.from({ length: 100 }, (_, i) => first + i);
}

/** "486", "486, 600" or "5xx". */
export function formatSipMatch(sip: SipMatch): string {
  return Array.isArray(sip) ? sip.join(', ') : String(sip);
}
