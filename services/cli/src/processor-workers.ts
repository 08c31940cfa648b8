import {
  forkWorker,
  startProcessor,
  startWorkerPool,
  workerChannel,
  type ProcessorConfig,
  type RunningProcessor,
  type WorkerStartFailure,
} from '@sipflow/processor';
import type { Rules } from '@sipflow/rules';
import {
  clusterMetricsSource,
  createProcessorMetrics,
  createWorkerPoolMetrics,
  shareMetricsWithPrimary,
  startHttpServer,
  type Logger,
} from '@sipflow/telemetry';
import { Registry } from 'prom-client';
import { handleStopSignals, loggerReporter } from './shutdown';

/**
 * The primary of `sipflow process` with PROCESSOR_WORKERS > 1: it consumes nothing; it runs the
 * workers (worker-pool.ts), serves /metrics (every worker's, aggregated), /healthz and /readyz
 * (ready when every worker is) on the one port, and on SIGTERM/SIGINT stops every worker (each
 * finishes its batch and commits) before it exits. A worker that cannot start stops them all and
 * the command exits with that worker's status, as one process would have.
 */
export async function runProcessorPrimary(
  config: ProcessorConfig,
  workers: number,
  logger: Logger,
): Promise<void> {
  const registry = new Registry();
  const pool = startWorkerPool({
    workers,
    spawn: forkWorker,
    logger,
    onRestart: () => poolMetrics.restarts.inc(),
  });
  const poolMetrics = createWorkerPoolMetrics(registry, pool.running);
  poolMetrics.configured.set(workers);
  const http = await startHttpServer({
    host: config.metrics.host,
    port: config.metrics.port,
    registry: clusterMetricsSource(registry),
    readiness: pool.readiness,
    logger,
  });
  logger.info({ url: http.url, workers }, 'metrics and health endpoints up; starting the worker processes');
  const stop = handleStopSignals({ timeoutMs: config.shutdownTimeoutMs, report: loggerReporter(logger) });
  const startFailed = pool.started.then(
    () => new Promise<never>(() => undefined),
    (failure: WorkerStartFailure) => failure,
  );
  // a failed start is reported below (startFailed): this branch only logs success
  void pool.started.then(
    () => logger.info({ workers }, 'processor running'),
    () => undefined,
  );
  const first = await Promise.race([stop.received, startFailed]);
  // the workers stop first, within the deadline handleStopSignals enforces on this process
  await pool.stop(Math.max(1000, config.shutdownTimeoutMs - 2000));
  await http.close();
  if (typeof first === 'object') process.exitCode = first.code || 1;
  else logger.info('processor stopped');
  stop.finish();
}

/**
 * One worker: the processor as one process runs it, its metrics answered to the primary rather
 * than served, stopped when the primary says so (cluster-workers.ts).
 */
export async function runProcessorWorker(
  config: ProcessorConfig,
  rules: Rules,
  logger: Logger,
): Promise<void> {
  const registry = new Registry();
  const metrics = createProcessorMetrics(registry);
  shareMetricsWithPrimary(registry);
  const running: { processor?: RunningProcessor } = {};
  const channel = workerChannel(
    async () => running.processor?.readiness() ?? { ready: false, checks: { starting: { ok: false } } },
  );
  try {
    running.processor = await startProcessor(config, { rules, metrics, logger });
  } catch (err) {
    // the IPC channel would keep this process alive after the error is reported, so it exits
    // once the report has set the status. Not by disconnecting: node:cluster exits a worker whose
    // channel closes with status 0 at once, and the primary would report 1, not the error's status.
    setTimeout(() => process.exit(process.exitCode ?? 1), 500).unref();
    throw err;
  }
  channel.started();
  const why = await channel.stopRequested;
  logger.info({ why }, 'worker stopping: finishing the batch in hand');
  setTimeout(() => {
    logger.error({ deadlineMs: config.shutdownTimeoutMs }, 'worker shutdown deadline passed; exiting');
    process.exit(70);
  }, config.shutdownTimeoutMs).unref();
  await running.processor.stop();
  process.exit(0);
}
