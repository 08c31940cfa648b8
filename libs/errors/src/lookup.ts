import { ERROR_CATALOGUE } from './catalogue';
import type { SipflowErrorCode } from './codes';
import { isSipflowError } from './sipflow-error';

/**
 * The code a thrown value stands for: its own, or SIPFLOW_INTERNAL_ERROR for anything uncoded
 * (a plain Error from a library, a thrown string), which is what the processor's DLQ does too.
 */
export function codeOf(err: unknown): SipflowErrorCode {
  return isSipflowError(err) ? err.code : 'SIPFLOW_INTERNAL_ERROR';
}

/** The CLI exit status for a failure: its code's, 70 (EX_SOFTWARE) when uncoded. */
export function exitStatusOf(err: unknown): number {
  return ERROR_CATALOGUE[codeOf(err)].exitStatus;
}

/** Whether repeating the same operation may succeed; false for uncoded errors. */
export function isRetryable(err: unknown): boolean {
  return ERROR_CATALOGUE[codeOf(err)].retryable;
}

/** The one-line operator help for a code. */
export function helpOf(code: SipflowErrorCode): string {
  return ERROR_CATALOGUE[code].help;
}
