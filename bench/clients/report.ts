import type { ClientName } from './clients';
import type { Measurement } from './measure';
import type { Operation } from './worker';

export type Row = { client: ClientName; op: Operation; runs: Measurement[] };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export type Summary = {
  client: ClientName;
  op: Operation;
  runs: number;
  recordsPerSecond: number;
  cpuSecondsPer1M: number;
  peakRssMB: number;
  /** CPU per record relative to kafkajs as sipflow configures it, same operation, same run */
  cpuRatio: number | null;
  throughputRatio: number | null;
};

/** Medians over the rounds, and ratios to the baseline client's medians. */
export function summarize(rows: Row[], baseline: ClientName): Summary[] {
  const med = rows.map((r) => ({
    client: r.client,
    op: r.op,
    runs: r.runs.length,
    recordsPerSecond: median(r.runs.map((m) => m.recordsPerSecond)),
    cpuSecondsPer1M: median(r.runs.map((m) => m.cpuSecondsPer1M)),
    peakRssMB: median(r.runs.map((m) => m.peakRssMB)),
  }));
  return med.map((m) => {
    const base = med.find((b) => b.op === m.op && b.client === baseline && b.runs > 0);
    return {
      ...m,
      cpuRatio: base && m.runs ? m.cpuSecondsPer1M / base.cpuSecondsPer1M : null,
      throughputRatio: base && m.runs ? m.recordsPerSecond / base.recordsPerSecond : null,
    };
  });
}

const n = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (x: number | null) => (x === null ? '' : `${n(x, 2)}×`);

/** A Markdown table, for the terminal and for docs/performance.md. */
export function markdownTable(summaries: Summary[]): string {
  const head =
    '| client | operation | records/s | CPU s per 1M | CPU vs sipflow kafkajs | records/s vs sipflow kafkajs | peak RSS MB |';
  const lines = summaries
    .filter((s) => s.runs > 0)
    .map(
      (s) =>
        `| ${s.client} | ${s.op} | ${n(s.recordsPerSecond)} | ${n(s.cpuSecondsPer1M, 1)} | ${ratio(s.cpuRatio)} | ${ratio(s.throughputRatio)} | ${n(s.peakRssMB)} |`,
    );
  return [head, '| --- | --- | --: | --: | --: | --: | --: |', ...lines].join('\n');
}
