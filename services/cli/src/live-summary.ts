import type { Registry } from 'prom-client';

type Sample = {
  consumed: number;
  produced: number;
  byDisposition: Map<string, number>;
  byAction: Map<string, number>;
  dlq: number;
  lag: number;
  /** the abandoned-call ledger's running periods by status (absent: the ledger is off) */
  periods: Map<string, number>;
  at: number;
};

/** Sums a metric's samples from the registry, optionally only those whose labels match. */
async function sum(
  registry: Registry,
  name: string,
  filter: (labels: Record<string, string | number>) => boolean = () => true,
) {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((v) => filter(v.labels as Record<string, string | number>))
    .reduce((n, v) => n + v.value, 0);
}

const add = (m: Map<string, number>, key: string, n: number) => m.set(key, (m.get(key) ?? 0) + n);

async function sample(registry: Registry, inputTopic: string): Promise<Sample> {
  const byDisposition = new Map<string, number>();
  const byAction = new Map<string, number>();
  const dispositions = registry.getSingleMetric('sipflow_dispositions_total');
  for (const v of dispositions ? (await dispositions.get()).values : []) {
    if (v.value === 0) continue;
    add(byDisposition, String(v.labels.disposition), v.value);
    add(byAction, String(v.labels.action), v.value);
  }
  const periods = new Map<string, number>();
  const running = registry.getSingleMetric('sipflow_abandonment_running_periods');
  for (const v of running ? (await running.get()).values : []) add(periods, String(v.labels.status), v.value);
  return {
    byDisposition,
    byAction,
    periods,
    consumed: await sum(registry, 'sipflow_events_consumed_total'),
    produced: await sum(registry, 'sipflow_records_produced_total', (l) => l.topic !== inputTopic),
    dlq: await sum(registry, 'sipflow_dlq_records_total'),
    lag: await sum(registry, 'sipflow_consumer_lag_records'),
    at: Date.now(),
  };
}

/**
 * The one-line live view of `npm start`: rates since the previous line, then totals by
 * disposition and by action, the DLQ, the lag and the abandoned-call ledger's running periods by
 * status, all read from the processor's own metrics.
 */
export function createLiveSummary(registry: Registry, inputTopic: string) {
  // the first line's rates are since the summary was created, not 0/s
  let previous: Sample | Promise<Sample> = sample(registry, inputTopic);
  return async (): Promise<string> => {
    const now = await sample(registry, inputTopic);
    const before = await previous;
    previous = now;
    const seconds = (now.at - before.at) / 1000;
    const rate = (a: number, b: number) => (seconds > 0 ? Math.round((a - b) / seconds) : 0);
    const inRate = rate(now.consumed, before.consumed);
    const outRate = rate(now.produced, before.produced);
    const list = (m: Map<string, number>) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k.toLowerCase()} ${n}`)
        .join(', ');
    const ledger = ['OK', 'WARNING', 'OVER'].map((s) => `${s.toLowerCase()} ${now.periods.get(s) ?? 0}`);
    return (
      `in ${inRate}/s, out ${outRate}/s | ${now.consumed} events: ${list(now.byDisposition) || 'none yet'} | ` +
      `actions: ${list(now.byAction) || 'none'} | dlq ${now.dlq} | lag ${now.lag}` +
      (now.periods.size === 0 ? '' : ` | abandonment periods: ${ledger.join(', ')}`)
    );
  };
}
