/**
 * How every long-running verb (process, start, replay, simulate) stops. The first SIGINT/SIGTERM
 * aborts `signal` and resolves `received`: the verb finishes the work in hand (the batch, the chunk,
 * the send), commits, and calls `finish()`. A second signal exits at once with 130, for the operator
 * who really means it. If the verb has not finished within `timeoutMs` of the first signal, the
 * process exits 70.
 */
export type StopSignals = {
  signal: AbortSignal;
  received: Promise<NodeJS.Signals>;
  /** the verb is done: handlers off, deadline cleared, and a lingering handle cannot keep the process alive */
  finish: () => void;
};

/** Where the helper reports: a pino logger for the processor, a plain line for interactive verbs. */
export type StopReporter = (level: 'info' | 'warn' | 'error', message: string, fields?: object) => void;

export function handleStopSignals(opts: { timeoutMs: number; report: StopReporter }): StopSignals {
  const controller = new AbortController();
  let deadline: NodeJS.Timeout | undefined;
  let resolveReceived!: (signal: NodeJS.Signals) => void;
  const received = new Promise<NodeJS.Signals>((resolve) => (resolveReceived = resolve));
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      opts.report('warn', 'second signal: exiting now', { signal });
      process.exit(130);
    }
    opts.report('info', 'stopping: finishing the work in hand (a second signal exits at once)', {
      signal,
      deadlineMs: opts.timeoutMs,
    });
    deadline = setTimeout(() => {
      opts.report('error', 'shutdown deadline passed; exiting', { deadlineMs: opts.timeoutMs });
      // 70 (EX_SOFTWARE, sysexits(3)): the stop did not work; 1 means "ran and found problems"
      process.exit(70);
    }, opts.timeoutMs);
    deadline.unref();
    controller.abort();
    resolveReceived(signal);
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return {
    signal: controller.signal,
    received,
    finish: () => {
      clearTimeout(deadline);
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
      exitIfStillAlive(opts.report);
    },
  };
}

/** How long a finished verb waits for the event loop to drain before exiting anyway. */
const LINGER_MS = 2000;

/**
 * Everything is committed and closed by now, so the process should end by itself. But kafkajs can
 * leave a socket to the broker open after a broker restart: the broker-restart fault test saw a
 * connected TCP handle and a timer after disconnect() had resolved on every client, and
 * tulios/kafkajs#1147 reports the same. The process would then outlive SIGTERM. The timer is
 * unref'd, so it costs nothing when the loop drains; otherwise it exits with the status so far
 * and names what was still open.
 */
function exitIfStillAlive(report: StopReporter): void {
  setTimeout(() => {
    report('warn', 'handles still open after shutdown; exiting', {
      open: process.getActiveResourcesInfo().filter((r) => r !== 'Timeout'),
    });
    process.exit(process.exitCode ?? 0);
  }, LINGER_MS).unref();
}

/** A pino logger as a reporter. */
export const loggerReporter =
  (logger: { [L in 'info' | 'warn' | 'error']: (fields: object, message: string) => void }): StopReporter =>
  (level, message, fields) =>
    logger[level](fields ?? {}, message);

/** One plain line on stderr per report, for the interactive verbs. */
export const lineReporter =
  (verb: string): StopReporter =>
  (_level, message) =>
    process.stderr.write(`sipflow ${verb}: ${message}\n`);
