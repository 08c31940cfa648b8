import { readFileSync } from 'node:fs';
import { createProcessorMetrics } from '@sipflow/telemetry';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  defaultVariableValues,
  loadDashboard,
  panelQueries,
  substitute,
} from '../../scripts/dashboard/dashboard-queries';

const dashboard = loadDashboard();
const queries = panelQueries(dashboard);
const datasource = (
  parse(readFileSync('ops/grafana/provisioning/datasources/prometheus.yaml', 'utf8')) as {
    datasources: { uid: string; type: string }[];
  }
).datasources[0]!;

/** Every metric name the processor exposes (its own and prom-client's process metrics), plus `up`. */
async function exposedMetricNames(): Promise<Set<string>> {
  const registry = new Registry();
  createProcessorMetrics(registry);
  const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
  return new Set([...names, 'up']);
}

describe('Grafana dashboard ops/grafana/dashboards/sipflow.json', () => {
  it('has instance and topic variables (and job, which the alert rules also use)', () => {
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['job', 'instance', 'topic']);
  });

  it('covers what an operator looks at', () => {
    const titles = queries.map((q) => q.panel.toLowerCase()).join('\n');
    for (const topic of [
      'throughput',
      'disposition share',
      'action share',
      'retry / removal / compliance',
      'dlq by reason',
      'event latency',
      'batch duration',
      'lag per partition',
      'rebalances',
      'cpu',
      'memory',
      'event-loop lag',
    ]) {
      expect(titles).toContain(topic);
    }
  });

  it('reads every panel from the provisioned data source', () => {
    const walk = (panels: unknown[]): unknown[] =>
      panels.flatMap((p) => [p, ...walk((p as { panels?: unknown[] }).panels ?? [])]);
    const raw = JSON.parse(readFileSync('ops/grafana/dashboards/sipflow.json', 'utf8')) as {
      panels: unknown[];
    };
    for (const panel of walk(raw.panels) as { type: string; datasource?: { uid: string } }[]) {
      if (panel.type === 'row') continue;
      expect(panel.datasource).toEqual({ type: datasource.type, uid: datasource.uid });
    }
  });

  it('filters every query by $job and $instance, so the variables work on every panel', () => {
    for (const q of queries) {
      expect(q.expr, q.panel).toContain('job=~"$job"');
      expect(q.expr, q.panel).toContain('instance=~"$instance"');
    }
  });

  it('queries only metrics the processor exposes', async () => {
    const exposed = await exposedMetricNames();
    for (const q of queries) {
      for (const [, name] of q.expr.matchAll(/([a-z_:][a-z0-9_:]*)\{/g)) {
        const base = name!.replace(/_(bucket|sum|count)$/, '');
        expect(exposed.has(name!) || exposed.has(base), `${q.panel}: ${name}`).toBe(true);
      }
    }
  });

  it('leaves no template variable unresolved', () => {
    const values = defaultVariableValues(dashboard, { __rate_interval: '1m' });
    for (const q of queries) expect(substitute(q.expr, values)).not.toContain('$');
  });
});
