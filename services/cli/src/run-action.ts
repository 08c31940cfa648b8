import { reportError } from './report-error';

/**
 * Wraps a command's action so that a failure prints its code, message and help (no stack trace)
 * and exits with the code's status; see report-error.ts. SIPFLOW_DEBUG=1 shows the stack.
 */
export function runAction<A extends unknown[]>(fn: (...args: A) => Promise<void> | void) {
  return async (...args: A): Promise<void> => {
    try {
      await fn(...args);
    } catch (err) {
      reportError(err);
    }
  };
}
