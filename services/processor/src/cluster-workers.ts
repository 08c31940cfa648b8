import cluster from 'node:cluster';
import type { ReadinessReport } from '@sipflow/telemetry';
import { isToWorker, type FromWorker } from './worker-messages';
import type { WorkerHandle } from './worker-pool';

/** The variable through which the primary tells a worker its index (its transactional id). */
export const WORKER_INDEX_VARIABLE = 'SIPFLOW_WORKER_INDEX';

/** True in a process the primary of `sipflow process` forked. */
export const isWorkerProcess = (): boolean => cluster.isWorker;

/**
 * Forks worker `index` with node:cluster: the same program, arguments and Node options as the
 * primary (so `node --cpu-prof` profiles every worker too), its stdout and stderr, and the index
 * in its environment. node:cluster rather than plain child_process because prom-client's
 * AggregatorRegistry collects the workers' metrics over exactly this channel.
 */
export function forkWorker(index: number): WorkerHandle {
  const worker = cluster.fork({ [WORKER_INDEX_VARIABLE]: String(index) });
  return {
    send: (message) => {
      if (worker.isConnected()) worker.send(message);
    },
    onMessage: (listener) => worker.on('message', listener),
    onExit: (listener) => worker.once('exit', listener),
    kill: (signal) => worker.process.kill(signal),
  };
}

/**
 * A worker's side of the channel: it says when it has started, answers the primary's readiness
 * questions, and resolves `stopRequested` when it is to stop: the primary asked, SIGTERM arrived
 * (someone signalled the worker itself), or the channel closed (the primary is gone, so nothing
 * would ever ask it to stop). SIGINT is ignored: Ctrl-C reaches the whole process group, and
 * the primary, which gets it too, stops the workers in order.
 */
export function workerChannel(readiness: () => Promise<ReadinessReport>): {
  started: () => void;
  stopRequested: Promise<string>;
} {
  const send = (message: FromWorker) => {
    if (process.connected) process.send?.(message);
  };
  let stop!: (why: string) => void;
  const stopRequested = new Promise<string>((resolve) => (stop = resolve));
  process.on('message', (message: unknown) => {
    if (!isToWorker(message)) return;
    if (message.sipflow === 'stop') stop('asked by the primary');
    else if (message.sipflow === 'readyz')
      void readiness()
        .catch((err: unknown) => ({
          ready: false,
          checks: { readiness: { ok: false, detail: (err as Error).message } },
        }))
        .then((report) => send({ sipflow: 'readyz', id: message.id, report }));
  });
  process.on('SIGINT', () => undefined);
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('disconnect', () => stop('the primary is gone'));
  return { started: () => send({ sipflow: 'started' }), stopRequested };
}
