import { AggregatorRegistry, Counter, Gauge, type Registry } from 'prom-client';

/** What /metrics serves: a registry, or the primary's view of its workers' registries. */
export type MetricsSource = Pick<Registry, 'metrics' | 'contentType'>;

/**
 * In a worker process: answer the primary's metrics requests with `registry` (prom-client's
 * AggregatorRegistry protocol over the cluster IPC channel; its listener is installed when an
 * AggregatorRegistry is first made).
 */
export function shareMetricsWithPrimary(registry: Registry): void {
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}

/**
 * In the primary: every worker's metrics aggregated (counters and histograms summed across the
 * workers, gauges by each gauge's `aggregator`), followed by the primary's own registry.
 */
export function clusterMetricsSource(primary: Registry): MetricsSource {
  const aggregator = new AggregatorRegistry();
  return {
    contentType: primary.contentType,
    metrics: async () => {
      const [workers, own] = await Promise.all([aggregator.clusterMetrics(), primary.metrics()]);
      return `${workers}\n${own}`;
    },
  };
}

/** The primary's own metrics: how many workers run, and how often one was restarted. */
export function createWorkerPoolMetrics(
  registry: Registry,
  running: () => number,
): { restarts: Counter; configured: Gauge } {
  new Gauge({
    name: 'sipflow_workers_running',
    help: 'Worker processes of sipflow process running now.',
    registers: [registry],
    collect() {
      this.set(running());
    },
  });
  return {
    configured: new Gauge({
      name: 'sipflow_workers_configured',
      help: 'Worker processes sipflow process runs (PROCESSOR_WORKERS, resolved).',
      registers: [registry],
    }),
    restarts: new Counter({
      name: 'sipflow_worker_restarts_total',
      help: 'Worker processes started again after they exited unasked.',
      registers: [registry],
    }),
  };
}
