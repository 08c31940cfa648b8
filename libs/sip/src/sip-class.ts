import { SIP_CLASSES, type SipClass } from './types';

/** Lowest and highest status codes SIP allows (RFC 3261 §7.2: three digits, first digit 1–6). */
export const SIP_CODE_MIN = 100;
export const SIP_CODE_MAX = 699;

const CLASS_NAMES: Readonly<Record<SipClass, string>> = {
  '1xx': 'provisional',
  '2xx': 'success',
  '3xx': 'redirection',
  '4xx': 'client failure',
  '5xx': 'server failure',
  '6xx': 'global failure',
};

/** True for an integer in 100–699, registered or not. */
export function isSipStatusCode(code: number): boolean {
  return Number.isInteger(code) && code >= SIP_CODE_MIN && code <= SIP_CODE_MAX;
}

/** The class of a status code, or undefined when the code is outside 100–699. */
export function sipClassOf(code: number): SipClass | undefined {
  return isSipStatusCode(code) ? SIP_CLASSES[Math.floor(code / 100) - 1] : undefined;
}

/** "client failure" for 4xx, and so on. */
export function sipClassName(sipClass: SipClass): string {
  return CLASS_NAMES[sipClass];
}
