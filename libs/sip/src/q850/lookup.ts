import type { Q850CauseInfo } from '../types';
import { Q850_CAUSES } from './causes';
import { RFC3398_CAUSE_TO_SIP } from './rfc3398';

const BY_CAUSE: ReadonlyMap<number, Q850CauseInfo> = new Map(Q850_CAUSES.map((info) => [info.cause, info]));

/** The catalogue entry for a defined cause value, or undefined (e.g. 10, or 200). */
export function q850CauseInfo(cause: number): Q850CauseInfo | undefined {
  return BY_CAUSE.get(cause);
}

/** The cause name, or "Unassigned cause N" for a value Q.850 leaves unused. */
export function q850CauseName(cause: number): string {
  return BY_CAUSE.get(cause)?.name ?? `Unassigned cause ${cause}`;
}

/**
 * The SIP response RFC 3398 maps the cause to: a code, `null` for cause 16 (answered call cleared
 * by BYE), or undefined when the RFC gives no mapping.
 */
export function sipCodeForQ850Cause(cause: number): number | null | undefined {
  return RFC3398_CAUSE_TO_SIP.get(cause);
}
