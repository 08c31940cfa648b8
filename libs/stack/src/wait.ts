import { setTimeout as sleep } from 'node:timers/promises';
import { SipflowError } from '@sipflow/errors';

/**
 * Polls `probe` until it returns true or `timeoutMs` passes. `stillRunning` lets the caller give
 * up at once when the server process died instead of waiting out the timeout.
 */
export async function waitUntil(opts: {
  what: string;
  /** what a timeout means: the server did not answer (a slow machine may just need longer) */
  unavailable: 'SIPFLOW_KAFKA_UNAVAILABLE' | 'SIPFLOW_REGISTRY_UNAVAILABLE';
  probe: () => Promise<boolean>;
  timeoutMs: number;
  stillRunning?: () => boolean;
  diagnostics?: () => string;
}): Promise<number> {
  const started = Date.now();
  let delay = 100;
  while (Date.now() - started < opts.timeoutMs) {
    if (await opts.probe().catch(() => false)) return Date.now() - started;
    if (opts.stillRunning && !opts.stillRunning()) {
      throw new SipflowError(
        'SIPFLOW_STACK',
        `${opts.what} exited before it was ready.\n${opts.diagnostics?.() ?? ''}`,
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 1000);
  }
  throw new SipflowError(
    opts.unavailable,
    `${opts.what} was not ready after ${Math.round(opts.timeoutMs / 1000)} s ` +
      `(raise SIPFLOW_STACK_TIMEOUT_SECONDS if the machine is slow).\n${opts.diagnostics?.() ?? ''}`,
  );
}
