import type { EChartsOption, LineSeriesOption } from 'echarts';
import type { Series } from './prometheus-api';

/** Points in epoch milliseconds; a null value is a gap in the line. */
export type ChartSeries = { name: string; points: [number, number | null][] };

/** Grafana's `{{label}}` legend format, filled from one series' labels. */
export function legendName(format: string, metric: Record<string, string>): string {
  const name = format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, label: string) => metric[label] ?? '');
  return name || JSON.stringify(metric);
}

/**
 * Prometheus range results → named series in milliseconds. NaN and ±Inf become gaps, and so do
 * missing steps (Prometheus omits them), so a pause in traffic is not drawn as a straight line.
 */
export function toChartSeries(results: Series[], legendFormat: string, stepSeconds: number): ChartSeries[] {
  return results.map((s) => {
    const points: [number, number | null][] = [];
    let previous: number | undefined;
    for (const [t, raw] of s.values) {
      if (previous !== undefined && t - previous > stepSeconds * 1.5)
        points.push([(previous + stepSeconds) * 1000, null]);
      const v = Number(raw);
      points.push([t * 1000, Number.isFinite(v) ? v : null]);
      previous = t;
    }
    return { name: legendName(legendFormat, s.metric), points };
  });
}

/** Axis labels in the panel's Grafana unit, so the picture reads like the dashboard. */
export function formatValue(unit: string | undefined, v: number): string {
  switch (unit) {
    case 'percentunit':
      return `${+(v * 100).toFixed(1)}%`;
    case 's':
      return v === 0 ? '0' : v < 1 ? `${+(v * 1000).toPrecision(3)} ms` : `${+v.toPrecision(3)} s`;
    case 'bytes':
      return `${+(v / 2 ** 20).toFixed(0)} MiB`;
    default:
      return Math.abs(v) >= 1000 ? `${+(v / 1000).toPrecision(3)}k` : `${+v.toPrecision(3)}`;
  }
}

// Grafana's dark theme colours, so the picture looks like what an operator sees.
const TEXT = '#ccccdc';
const GRID = '#2c3235';
const PALETTE = [
  '#73bf69',
  '#f2cc0c',
  '#8ab8ff',
  '#ff780a',
  '#f2495c',
  '#5794f2',
  '#b877d9',
  '#705da0',
  '#37872d',
  '#fade2a',
  '#447ebc',
  '#c15c17',
];

export type PanelStyle = { title: string; unit?: string; stacked: boolean; max?: number };

const LEGEND_WIDTH = 175;

export function chartOption(panel: PanelStyle, series: ChartSeries[], width: number): EChartsOption {
  const { title, unit, stacked, max } = panel;
  const lines: LineSeriesOption[] = series.map((s) => ({
    type: 'line',
    name: s.name,
    data: s.points,
    showSymbol: false,
    lineStyle: { width: 1.5 },
    ...(stacked ? { stack: 'total', areaStyle: { opacity: 0.35 } } : { areaStyle: { opacity: 0.08 } }),
  }));
  return {
    animation: false,
    backgroundColor: '#181b1f',
    color: PALETTE,
    textStyle: { fontFamily: 'DejaVu Sans', color: TEXT },
    title: { text: title, left: 10, top: 6, textStyle: { color: TEXT, fontSize: 14, fontWeight: 'normal' } },
    legend: {
      type: 'plain',
      orient: 'vertical',
      left: width - LEGEND_WIDTH,
      top: 34,
      itemWidth: 12,
      itemHeight: 8,
      // long topic names are cut, not drawn over the plot
      textStyle: { color: TEXT, fontSize: 10, width: LEGEND_WIDTH - 30, overflow: 'truncate' },
    },
    grid: { left: 64, right: LEGEND_WIDTH + 10, top: 38, bottom: 28 },
    xAxis: {
      type: 'time',
      axisLabel: { color: TEXT, fontSize: 10 },
      axisLine: { lineStyle: { color: GRID } },
      splitLine: { show: true, lineStyle: { color: GRID } },
    },
    yAxis: {
      type: 'value',
      min: 0,
      ...(max !== undefined ? { max } : {}),
      axisLabel: { color: TEXT, fontSize: 10, formatter: (v: number) => formatValue(unit, v) },
      splitLine: { lineStyle: { color: GRID } },
    },
    series: lines,
  };
}
