import { exitStatusOf, formatErrorReport } from '@sipflow/errors';
import { codedError } from './coded-error';

/**
 * Reports a failed command on stderr, `sipflow: CODE: message` and the code's help below it, and
 * sets the exit status from the code (docs/errors.md). `message` replaces the error's own when the
 * command can say it better (e.g. with the argument as typed). SIPFLOW_DEBUG=1 adds the stack.
 */
export function reportError(err: unknown, message?: string): void {
  const coded = codedError(err);
  process.stderr.write(
    formatErrorReport({
      code: coded?.code ?? 'SIPFLOW_INTERNAL_ERROR',
      message: message ?? coded?.message ?? (err instanceof Error ? err.message : String(err)),
    }),
  );
  if (process.env.SIPFLOW_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  // uncoded (undefined) gets SIPFLOW_INTERNAL_ERROR's status, 70
  process.exitCode = exitStatusOf(coded);
}
