import { setTimeout as sleep } from 'node:timers/promises';

/** Exponential backoff with a cap: 500 ms, 1 s, 2 s, ... `capMs`. */
export function backoffDelay(attempt: number, baseMs = 500, capMs = 10_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
}

/**
 * Retries `fn` while `retryable(err)` and `keepGoing()`; waits in slices so that a heartbeat (or
 * a stop request) is seen during a long wait. Non-retryable errors and a stop end it at once.
 */
export async function retryWithBackoff<T>(opts: {
  fn: () => Promise<T>;
  retryable: (err: unknown) => boolean;
  keepGoing: () => boolean;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  whileWaiting?: () => Promise<void>;
  capMs?: number;
}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await opts.fn();
    } catch (err) {
      if (!opts.retryable(err) || !opts.keepGoing()) throw err;
      const delay = backoffDelay(attempt, 500, opts.capMs);
      opts.onRetry?.(err, attempt, delay);
      for (let waited = 0; waited < delay && opts.keepGoing(); waited += 1000) {
        await sleep(Math.min(1000, delay - waited));
        await opts.whileWaiting?.();
      }
      if (!opts.keepGoing()) throw err;
    }
  }
}
