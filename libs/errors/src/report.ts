import type { SipflowErrorCode } from './codes';
import { helpOf } from './lookup';

/**
 * How the command line reports a failed command on stderr: the code and the message on one line,
 * then the code's help, indented so that a reader (or `grep '^sipflow: '`) sees the error line first.
 * Here rather than in the CLI so that docs/errors.md shows the very format.
 */
export function formatErrorReport(error: { code: SipflowErrorCode; message: string }): string {
  return `sipflow: ${error.code}: ${error.message}\n  ${helpOf(error.code)}\n`;
}
