/**
 * Wraps a command's action so that an expected failure prints one clear line (no stack trace)
 * and sets a non-zero exit status. SIPFLOW_DEBUG=1 shows the stack.
 */
export function runAction<A extends unknown[]>(fn: (...args: A) => Promise<void> | void) {
  return async (...args: A): Promise<void> => {
    try {
      await fn(...args);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`sipflow: ${message}\n`);
      if (process.env.SIPFLOW_DEBUG && err instanceof Error && err.stack)
        process.stderr.write(`${err.stack}\n`);
      process.exitCode = 1;
    }
  };
}
