import { readFileSync } from 'node:fs';
import { SipflowError } from '@sipflow/errors';

/** The parts of a Grafana dashboard JSON that sipflow's tooling reads. */
type GrafanaTarget = { expr?: string; legendFormat?: string; refId?: string };
export type GrafanaPanel = {
  id?: number;
  type: string;
  title: string;
  fieldConfig?: { defaults?: { unit?: string; max?: number; custom?: { stacking?: { mode?: string } } } };
  targets?: GrafanaTarget[];
  /** rows keep their panels here when collapsed */
  panels?: GrafanaPanel[];
};
type GrafanaVariable = {
  name: string;
  includeAll?: boolean;
  allValue?: string;
  current?: { value?: string | string[] };
};
export type GrafanaDashboard = {
  uid: string;
  title: string;
  panels: GrafanaPanel[];
  templating: { list: GrafanaVariable[] };
};

export type PanelQuery = {
  panel: string;
  panelType: string;
  refId: string;
  legendFormat: string;
  /** the query as written in the dashboard, template variables included */
  expr: string;
};

export const DASHBOARD_PATH = 'ops/grafana/dashboards/sipflow.json';

export function loadDashboard(path = DASHBOARD_PATH): GrafanaDashboard {
  return JSON.parse(readFileSync(path, 'utf8')) as GrafanaDashboard;
}

/** Every panel, rows' nested panels included, in dashboard order. */
export function allPanels(dashboard: GrafanaDashboard): GrafanaPanel[] {
  const walk = (panels: GrafanaPanel[]): GrafanaPanel[] =>
    panels.flatMap((p) => [p, ...walk(p.panels ?? [])]);
  return walk(dashboard.panels);
}

/** Every PromQL target of every panel, in dashboard order. */
export function panelQueries(dashboard: GrafanaDashboard): PanelQuery[] {
  const queries: PanelQuery[] = [];
  for (const panel of allPanels(dashboard)) {
    for (const t of panel.targets ?? []) {
      if (!t.expr) continue;
      queries.push({
        panel: panel.title,
        panelType: panel.type,
        refId: t.refId ?? '',
        legendFormat: t.legendFormat ?? '',
        expr: t.expr,
      });
    }
  }
  return queries;
}

/**
 * Values for the dashboard's template variables as Grafana would substitute them with nothing
 * selected: the "All" value where a variable offers one, else its saved current value.
 * `overrides` pins some (e.g. the test's own topic).
 */
export function defaultVariableValues(
  dashboard: GrafanaDashboard,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const v of dashboard.templating.list) {
    const current = v.current?.value;
    const saved = Array.isArray(current) ? current[0] : current;
    values[v.name] = v.includeAll ? (v.allValue ?? '.*') : (saved ?? '');
  }
  return { ...values, ...overrides };
}

/**
 * Replaces `$name` and `${name}` with `values[name]`; Grafana's built-ins (`$__rate_interval`,
 * `$__interval`, `$__range`) are passed in `values` too. An unknown variable is an error: a
 * query silently left with a `$` would just fail to parse later, far from the cause.
 */
export function substitute(expr: string, values: Record<string, string>): string {
  return expr.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (match, braced: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare)!;
      const value = values[name];
      if (value === undefined)
        throw new SipflowError('SIPFLOW_INTERNAL_ERROR', `unknown dashboard variable ${match} in: ${expr}`, {
          dashboardVariable: name,
        });
      return value;
    },
  );
}
