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
          exitIfStillAlive(opts.logger);
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

/** How long a finished shutdown waits for the event loop to drain before exiting anyway. */
const LINGER_MS = 2000;

/**
 * Everything is committed and closed by now, so the process should end by itself. But kafkajs can
 * leave a socket to the broker open after a broker restart: the broker-restart fault test saw a
 * connected TCP handle and a timer after disconnect() had resolved on every client, and
 * tulios/kafkajs#1147 reports the same. The process would then outlive SIGTERM. The timer is
 * unref'd, so it costs nothing when the loop drains; otherwise it exits with the status so far
 * and names what was still open.
 */
function exitIfStillAlive(logger: Logger): void {
  setTimeout(() => {
    logger.warn(
      { open: process.getActiveResourcesInfo().filter((r) => r !== 'Timeout') },
      'handles still open after shutdown; exiting',
    );
    process.exit(process.exitCode ?? 0);
  }, LINGER_MS).unref();
}
