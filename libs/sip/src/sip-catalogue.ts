import { SIP_CODES } from './sip-codes/index';
import { sipClassName, sipClassOf } from './sip-class';
import type { SipCodeInfo } from './types';

const BY_CODE: ReadonlyMap<number, SipCodeInfo> = new Map(SIP_CODES.map((info) => [info.code, info]));

/** The catalogue entry for a registered code, or undefined for an unassigned one (e.g. 499). */
export function sipCodeInfo(code: number): SipCodeInfo | undefined {
  return BY_CODE.get(code);
}

/**
 * The reason phrase for a code: the registered phrase, or a class description for an unassigned
 * code in range ("Unassigned client failure"), since RFC 3261 §21 tells a receiver to treat an
 * unknown code like the x00 code of its class. Undefined outside 100–699.
 */
export function sipReasonPhrase(code: number): string | undefined {
  const info = BY_CODE.get(code);
  if (info) return info.reason;
  const sipClass = sipClassOf(code);
  return sipClass === undefined ? undefined : `Unassigned ${sipClassName(sipClass)}`;
}
