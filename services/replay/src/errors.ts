import { SipflowError } from '@sipflow/errors';

/** A bad option or an impossible request: one line naming the option, exit 1. */
export function invalidOption(option: string, why: string): SipflowError {
  return new SipflowError('SIPFLOW_INVALID_CONFIG', `invalid ${option}: ${why}`, { option });
}
