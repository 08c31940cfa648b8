/**
 * The one error catalogue of sipflow: the codes, the error class that carries them, and for each
 * code its CLI exit status, whether it is worth retrying, and a one-line help.
 */
export { SIPFLOW_ERROR_CODES, type SipflowErrorCode } from './codes';
export { SipflowError, isSipflowError, type SipflowErrorDetails } from './sipflow-error';
export { ERROR_CATALOGUE, type ErrorArea, type ErrorEntry } from './catalogue';
export { codeOf, exitStatusOf, helpOf, isRetryable } from './lookup';
export {
  EXIT_FOUND_PROBLEMS,
  EXIT_INTERRUPTED,
  OTHER_EXIT_STATUSES,
  SYSEXITS,
  SYSEXITS_MEANING,
  SYSEXITS_RANGE,
  type SysexitName,
} from './exit-status';
export { formatErrorReport } from './report';
