import type { Logger } from '@sipflow/telemetry';

/**
 * Resolves once a SIGTERM/SIGINT has been handled: `shutdown()` runs (finish the batch in hand,
 * commit, leave the group); if it takes longer than `timeoutMs` the process exits 1. A second
 * signal exits at once (130), for the operator who really means it.
 */
export function onShutdownSignals(opts: {
  timeoutMs: number;
  logger: Logger;
  shutdown: () => Promise<void>;
}): Promise<void> {
  return new Promise((resolveDone) => {
    let signalled = false;
    const handler = (signal: NodeJS.Signals) => {
      if (signalled) {
        opts.logger.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      signalled = true;
      opts.logger.info({ signal, deadlineMs: opts.timeoutMs }, 'shutting down');
      const deadline = setTimeout(() => {
        opts.logger.error({ deadlineMs: opts.timeoutMs }, 'shutdown deadline passed; exiting');
        process.exit(1);
      }, opts.timeoutMs);
      deadline.unref();
      opts
        .shutdown()
        .then(() => {
          clearTimeout(deadline);
          process.off('SIGTERM', handler);
          process.off('SIGINT', handler);
          resolveDone();
        })
        .catch((err: Error) => {
          opts.logger.error({ err: err.message }, 'shutdown failed');
          process.exit(1);
        });
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
  });
}
