import type { Registry } from 'prom-client';

type Sample = {
  consumed: number;
  produced: number;
  outcomes: Map<string, number>;
  dlq: number;
  lag: number;
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

async function sample(registry: Registry, inputTopic: string): Promise<Sample> {
  const outcomes = new Map<string, number>();
  const dispositions = registry.getSingleMetric('sipflow_dispositions_total');
  for (const v of dispositions ? (await dispositions.get()).values : []) {
    if (v.value > 0) outcomes.set(`${v.labels.disposition} ${v.labels.action}`, v.value);
  }
  return {
    consumed: await sum(registry, 'sipflow_events_consumed_total'),
    produced: await sum(registry, 'sipflow_records_produced_total', (l) => l.topic !== inputTopic),
    outcomes,
    dlq: await sum(registry, 'sipflow_dlq_records_total'),
    lag: await sum(registry, 'sipflow_consumer_lag_records'),
    at: Date.now(),
  };
}

/**
 * The one-line live view of `npm start`: rates since the previous line, then totals by
 * disposition and by action, the DLQ and the lag, all read from the processor's own metrics.
 */
export function createLiveSummary(registry: Registry, inputTopic: string) {
  let previous: Sample | undefined;
  return async (): Promise<string> => {
    const now = await sample(registry, inputTopic);
    const seconds = previous ? (now.at - previous.at) / 1000 : 0;
    const rate = (a: number, b: number) => (seconds > 0 ? Math.round((a - b) / seconds) : 0);
    const inRate = rate(now.consumed, previous?.consumed ?? 0);
    const outRate = rate(now.produced, previous?.produced ?? 0);
    previous = now;
    const byDisposition = new Map<string, number>();
    const byAction = new Map<string, number>();
    for (const [outcome, n] of now.outcomes) {
      const [disposition, action] = outcome.split(' ') as [string, string];
      byDisposition.set(disposition, (byDisposition.get(disposition) ?? 0) + n);
      byAction.set(action, (byAction.get(action) ?? 0) + n);
    }
    const list = (m: Map<string, number>) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k.toLowerCase()} ${n}`)
        .join(', ');
    return (
      `in ${inRate}/s, out ${outRate}/s | ${now.consumed} events: ${list(byDisposition) || 'none yet'} | ` +
      `actions: ${list(byAction) || 'none'} | dlq ${now.dlq} | lag ${now.lag}`
    );
  };
}
