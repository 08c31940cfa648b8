import type { ReadinessReport } from '@sipflow/telemetry';
import type { Logger } from 'pino';
import { backoffDelay } from './backoff';
import { isFromWorker, type ToWorker } from './worker-messages';

/** One worker process as the pool sees it (node:cluster's Worker in production). */
export type WorkerHandle = {
  send: (message: ToWorker) => void;
  onMessage: (listener: (message: unknown) => void) => void;
  onExit: (listener: (code: number | null, signal: string | null) => void) => void;
  kill: (signal: NodeJS.Signals) => void;
};

export type WorkerPoolOptions = {
  workers: number;
  /** starts worker `index`; a restarted worker gets its old index (its transactional id) */
  spawn: (index: number) => WorkerHandle;
  logger: Logger;
  onRestart?: (index: number) => void;
  /** first restart delay and cap: a crash loop must not spin, a one-off crash must not wait long */
  backoff?: { baseMs: number; capMs: number };
  /** a worker up this long before it crashed starts the backoff from the beginning again */
  stableAfterMs?: number;
  /** how long /readyz waits for a worker's answer before counting it not ready */
  readyTimeoutMs?: number;
};

export type WorkerStartFailure = { index: number; code: number | null; signal: string | null };

export type WorkerPool = {
  /**
   * Resolves once every worker has started (joined nothing yet, but connected and subscribed);
   * rejects with a WorkerStartFailure when a worker exits before its first start: a configuration
   * or access error that every restart would repeat, so the command fails as one process would.
   */
  started: Promise<void>;
  readiness: () => Promise<ReadinessReport>;
  /** each worker finishes its batch, commits and leaves; resolves when all have exited */
  stop: (killAfterMs: number) => Promise<void>;
  /** workers running now */
  running: () => number;
};

type Slot = {
  index: number;
  handle: WorkerHandle | undefined;
  startedAt: number;
  everStarted: boolean;
  crashes: number;
  restartTimer: NodeJS.Timeout | undefined;
  exited: Promise<void>;
};

/**
 * The primary's side of `PROCESSOR_WORKERS`: N worker processes, each a full consumer-group
 * member, kept running. A worker that dies after it started is started again under the same
 * index after a capped exponential backoff (what consumer-supervisor.ts does for one consumer),
 * and the group rebalances its partitions meanwhile. The primary consumes nothing itself.
 */
export function startWorkerPool(opts: WorkerPoolOptions): WorkerPool {
  const { logger } = opts;
  const backoff = opts.backoff ?? { baseMs: 1000, capMs: 30_000 };
  const stableAfterMs = opts.stableAfterMs ?? 60_000;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 1500;
  let stopping = false;
  let requestId = 0;
  const pending = new Map<number, (report: ReadinessReport) => void>();
  let resolveStarted!: () => void;
  let rejectStarted!: (failure: WorkerStartFailure) => void;
  const started = new Promise<void>((resolve, reject) => {
    resolveStarted = resolve;
    rejectStarted = reject;
  });
  // a caller that awaits `started` later must not see an unhandled rejection first
  started.catch(() => undefined);
  const slots: Slot[] = [];

  const launch = (slot: Slot): void => {
    const handle = opts.spawn(slot.index);
    slot.handle = handle;
    slot.startedAt = Date.now();
    let exit!: () => void;
    slot.exited = new Promise<void>((resolve) => (exit = resolve));
    handle.onMessage((message) => {
      if (!isFromWorker(message)) return;
      if (message.sipflow === 'started') {
        slot.everStarted = true;
        if (slots.every((s) => s.everStarted)) resolveStarted();
      } else if (message.sipflow === 'readyz') {
        pending.get(message.id)?.(message.report);
      }
    });
    handle.onExit((code, signal) => {
      slot.handle = undefined;
      exit();
      if (stopping) return;
      if (!slot.everStarted) {
        logger.error({ worker: slot.index, code, signal }, 'worker failed to start; stopping');
        rejectStarted({ index: slot.index, code, signal });
        return;
      }
      if (Date.now() - slot.startedAt >= stableAfterMs) slot.crashes = 0;
      const delayMs = backoffDelay(slot.crashes++, backoff.baseMs, backoff.capMs);
      logger.error({ worker: slot.index, code, signal, delayMs }, 'worker exited; restarting it');
      opts.onRestart?.(slot.index);
      slot.restartTimer = setTimeout(() => {
        slot.restartTimer = undefined;
        if (!stopping) launch(slot);
      }, delayMs);
    });
  };

  for (let index = 0; index < opts.workers; index++) {
    const slot: Slot = {
      index,
      handle: undefined,
      startedAt: 0,
      everStarted: false,
      crashes: 0,
      restartTimer: undefined,
      exited: Promise.resolve(),
    };
    slots.push(slot);
    launch(slot);
  }

  const askReady = (slot: Slot): Promise<ReadinessReport> => {
    const handle = slot.handle;
    if (!handle)
      return Promise.resolve({ ready: false, checks: { process: { ok: false, detail: 'restarting' } } });
    const id = requestId++;
    return new Promise<ReadinessReport>((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve({ ready: false, checks: { process: { ok: false, detail: 'no answer' } } });
      }, readyTimeoutMs);
      pending.set(id, (report) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(report);
      });
      try {
        handle.send({ sipflow: 'readyz', id });
      } catch {
        // the channel closed between the check and the send: the exit handler restarts it
      }
    });
  };

  return {
    started,
    running: () => slots.filter((s) => s.handle !== undefined).length,
    // ready when every worker is: a worker down means its partitions wait for a rebalance
    readiness: async () => {
      const reports = await Promise.all(slots.map(askReady));
      const ready = reports.filter((r) => r.ready).length;
      const checks: ReadinessReport['checks'] = {
        workers: { ok: ready === slots.length, detail: `${ready} of ${slots.length} ready` },
      };
      reports.forEach((r, i) => {
        if (!r.ready) {
          const failing = Object.entries(r.checks).filter(([, c]) => !c.ok);
          checks[`worker${i}`] = {
            ok: false,
            detail: failing.map(([n, c]) => `${n}: ${c.detail ?? 'not ok'}`).join('; '),
          };
        }
      });
      return { ready: ready === slots.length, checks };
    },
    stop: async (killAfterMs) => {
      stopping = true;
      for (const slot of slots) {
        clearTimeout(slot.restartTimer);
        try {
          slot.handle?.send({ sipflow: 'stop' });
        } catch {
          // already gone
        }
      }
      const all = Promise.all(slots.map((s) => s.exited));
      const killer = setTimeout(() => {
        for (const slot of slots) {
          if (slot.handle) {
            logger.error({ worker: slot.index, killAfterMs }, 'worker did not stop in time; killing it');
            slot.handle.kill('SIGKILL');
          }
        }
      }, killAfterMs);
      await all;
      clearTimeout(killer);
    },
  };
}
