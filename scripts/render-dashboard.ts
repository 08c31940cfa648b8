// Renders the dashboard's key panels from a live Prometheus to one PNG (docs/dashboard.png), so
// the README shows what an operator sees without a Grafana to screenshot. The queries come from
// ops/grafana/dashboards/sipflow.json, so the picture follows the dashboard.
//
//   npx tsx scripts/render-dashboard.ts --prometheus http://localhost:9090 [--minutes 15]
//     [--out docs/dashboard.png] [--job sipflow] [--rate-interval 20s]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { SipflowError } from '@sipflow/errors';
import { chartOption, toChartSeries, type ChartSeries } from './dashboard/chart-option';
import {
  allPanels,
  defaultVariableValues,
  loadDashboard,
  substitute,
  type GrafanaPanel,
} from './dashboard/dashboard-queries';
import { rangeQuery } from './dashboard/prometheus-api';
import { svgGrid } from './dashboard/svg-grid';

/** The panels in the picture, by dashboard title, in reading order (two per row). */
const KEY_PANELS = [
  'Throughput in / out',
  'Disposition share',
  'Retry / removal / compliance rates',
  'DLQ by reason',
  'Event latency (p50 / p95 / p99)',
  'Batch duration (p50 / p95 / p99)',
  'Consumer lag per partition',
  'CPU',
];
const CELL = { width: 780, height: 300 };

const { values: args } = parseArgs({
  options: {
    prometheus: { type: 'string', default: 'http://127.0.0.1:9090' },
    minutes: { type: 'string', default: '15' },
    out: { type: 'string', default: 'docs/dashboard.png' },
    job: { type: 'string', default: 'sipflow' },
    'rate-interval': { type: 'string', default: '20s' },
  },
});

const dashboard = loadDashboard();
const end = Math.floor(Date.now() / 1000);
const start = end - Number(args.minutes) * 60;
const range = { start, end, stepSeconds: Math.max(2, Math.round((end - start) / 300)) };
const values = defaultVariableValues(dashboard, { job: args.job, __rate_interval: args['rate-interval'] });

async function panelSeries(panel: GrafanaPanel): Promise<ChartSeries[]> {
  const perTarget = await Promise.all(
    (panel.targets ?? []).map(async (t) =>
      toChartSeries(
        await rangeQuery(args.prometheus, substitute(t.expr ?? '', values), range),
        t.legendFormat ?? '',
        range.stepSeconds,
      ),
    ),
  );
  return perTarget.flat();
}

function renderChart(panel: GrafanaPanel, series: ChartSeries[]): string {
  const chart = echarts.init(null, undefined, { renderer: 'svg', ssr: true, ...CELL });
  const defaults = panel.fieldConfig?.defaults;
  const style = {
    title: panel.title,
    unit: defaults?.unit,
    stacked: defaults?.custom?.stacking?.mode === 'normal',
    max: defaults?.max,
  };
  chart.setOption(chartOption(style, series, CELL.width));
  const svg = chart.renderToSVGString();
  chart.dispose(); // stops zrender's animation timer, which would keep the process alive
  return svg;
}

const panels = KEY_PANELS.map((title) => {
  const panel = allPanels(dashboard).find((p) => p.title === title);
  if (!panel)
    throw new SipflowError('SIPFLOW_INTERNAL_ERROR', `panel "${title}" is not in the dashboard`, {
      panel: title,
    });
  return panel;
});
const charts: string[] = [];
for (const panel of panels) {
  const series = await panelSeries(panel);
  if (series.length === 0) process.stderr.write(`render-dashboard: no data for "${panel.title}"\n`);
  charts.push(renderChart(panel, series));
}

const stamp = (s: number) => new Date(s * 1000).toISOString().slice(0, 16).replace('T', ' ');
const svg = svgGrid({
  charts,
  columns: 2,
  cellWidth: CELL.width,
  cellHeight: CELL.height,
  gap: 12,
  header: `${dashboard.title} — job="${args.job}", ${stamp(start)} to ${stamp(end)} UTC, from Prometheus`,
});
const png = new Resvg(svg, {
  background: '#111217',
  font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
})
  .render()
  .asPng();
mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(args.out, png);
process.stdout.write(`render-dashboard: ${panels.length} panels → ${args.out} (${png.length} bytes)\n`);
