import { SipflowError } from '@sipflow/errors';

/** A bad option or an impossible request: one line naming the option, exit 64 (EX_USAGE). */
export function invalidOption(option: string, why: string): SipflowError {
  return new SipflowError('SIPFLOW_INVALID_OPTION', `invalid ${option}: ${why}`, { option });
}
