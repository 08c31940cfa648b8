/** The six SIP response classes (RFC 3261 §7.2). */
export const SIP_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', '6xx'] as const;
export type SipClass = (typeof SIP_CLASSES)[number];

/** One registered SIP response code. */
export interface SipCodeInfo {
  readonly code: number;
  readonly reason: string;
  /** The RFC that defines (or last redefined) the code, e.g. "RFC 3261". */
  readonly rfc: string;
}

/** One ITU-T Q.850 cause value. */
export interface Q850CauseInfo {
  readonly cause: number;
  readonly name: string;
}
