// The soak's record: the JSON kept in bench/results and the section of docs/performance.md made from it.
import { replaceDocSection } from '../doc-section';
import type { SoakAudit } from './audit';
import { FLAT_CRITERION } from './growth';
import type { SoakSettings } from './options';
import type { SoakSample } from './sample';
import type { SoakSummary } from './summary';

export type SoakResults = {
  command: string;
  date: string;
  commit: string;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string };
  versions: Record<string, string>;
  settings: SoakSettings;
  topics: string;
  load: { offered: number; seconds: number; offeredPerSec: number };
  catchUpSeconds: number;
  shutdown: { code: number | null; signal: string | null; ms: number };
  /** null when the run failed before the audit */
  audit: SoakAudit | null;
  summary: SoakSummary;
  /** why the run failed; empty when every check passed */
  failures: string[];
  samples: SoakSample[];
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (n: number) => `${fmt(n)} MB`;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const yes = (ok: boolean) => (ok ? 'yes' : '**no**');

export function markdownSection(r: SoakResults): string {
  const s = r.summary;
  const c = FLAT_CRITERION;
  const mode = r.settings.guarantee === 'exactly_once' ? 'exactly-once' : 'at-least-once';
  return [
    '## Soak',
    '',
    '`npm run soak` (not part of `npm test`) runs `sipflow process` as a child process on fresh topics and ' +
      'offers it a steady load from the simulator (Avro through the registry, the realistic code mix, ' +
      '`--poison-ratio` bad records), by default 1,000,000 events at 1,700/s, about ten minutes. Every ' +
      '`--sample-seconds` (5) it records the processor’s RSS (`/proc`), CPU, heap and event-loop delay (its ' +
      '`/metrics`), its consumer lag (committed offsets) and its counts, and prints a line. The run fails if the ' +
      'processor dies, if lag passes `--max-lag-seconds` (30) of load, if it does not catch up within ' +
      '`--catch-up-seconds` (120) of the last event, or at `--deadline-seconds`. Then SIGTERM, and ' +
      '`sipflow audit` on the run’s topics must find 0 lost. Options also: `--events`, `--rate`, ' +
      '`--warm-up-seconds` (60), `--guarantee exactly-once`, `--rss-budget-mb` (300), `--no-docs` (or `--no-readme`). ' +
      'Each run writes `bench/results/soak-<date>.json` (settings, every sample, the summary) and regenerates this ' +
      'section, between the `soak:start` and `soak:end` markers of docs/performance.md.',
    '',
    `**Flat** means, over the samples taken under load after the warm-up: the median RSS of the last ` +
      `${c.edgeShare * 100} % of samples is less than ${c.maxGrowth * 100} % above the median of the first ` +
      `${c.edgeShare * 100} %, **and** the least-squares slope of RSS over time is under ${c.maxSlopeMBPerMin} MB/min ` +
      `(at least ${c.minSamples} samples). Event-loop delay is prom-client's \`monitorEventLoopDelay\` histogram, ` +
      `reset at every scrape, so each sample holds its own interval; it samples every 10 ms, so an idle loop ` +
      `reads about 10 ms.`,
    '',
    `Measured ${r.date.slice(0, 10)} on ${r.machine.cores} cores (${r.machine.cpu}), broker on the same machine, ` +
      `${mode}, ${r.settings.partitions} partitions: ${fmt(r.load.offered)} events offered in ` +
      `${fmt(r.load.seconds)} s (${fmt(r.load.offeredPerSec)}/s), ${s.window.samples} samples judged ` +
      `(${fmt(s.window.fromSeconds)}–${fmt(s.window.toSeconds)} s). Command: \`${r.command}\`.`,
    '',
    '| figure | value |',
    '|---|---|',
    `| peak RSS (VmHWM, start-up included) | ${mb(s.peakRssMB)}: ${s.withinBudget ? 'within' : '**over**'} the ${mb(s.rssBudgetMB)} budget |`,
    `| RSS, median of first / last ${c.edgeShare * 100} % | ${mb(s.rss.firstMedianMB)} / ${mb(s.rss.lastMedianMB)} |`,
    `| RSS growth | ${(s.rss.growth * 100).toFixed(1)} % |`,
    `| RSS slope | ${s.rss.slopeMBPerMin.toFixed(2)} MB/min |`,
    `| flat | ${yes(s.flat.flat)}: ${s.flat.reason} |`,
    `| heap used, median | ${mb(s.medianHeapUsedMB)} |`,
    `| event-loop delay p50 / p99 (median interval) | ${ms(s.loopLag.p50Ms)} / ${ms(s.loopLag.p99Ms)} |`,
    `| event-loop delay p99 worst interval / max | ${ms(s.loopLag.p99WorstMs)} / ${ms(s.loopLag.maxMs)} |`,
    `| CPU, median | ${s.medianCpuPercent.toFixed(0)} % of one core |`,
    `| consumer lag, max | ${fmt(s.maxLag)} records |`,
    `| caught up after the last event | ${r.catchUpSeconds.toFixed(1)} s |`,
    `| SIGTERM | exit ${r.shutdown.code ?? r.shutdown.signal} in ${fmt(r.shutdown.ms)} ms |`,
    `| audit | ${auditCell(r.audit)} |`,
    `| verdict | ${r.failures.length === 0 ? 'passed' : `**failed**: ${r.failures.map((f) => f.split('\n')[0]).join('; ')}`} |`,
  ].join('\n');
}

function auditCell(a: SoakAudit | null): string {
  if (!a) return 'not run';
  return (
    `${fmt(a.inputs)} inputs: ${fmt(a.processed)} processed, ${fmt(a.deadLettered)} dead-lettered, ` +
    `**${fmt(a.lost)} lost**, ${fmt(a.duplicated)} duplicated, ${fmt(a.wrongRouting)} wrongly routed`
  );
}

const MARKERS = { start: '<!-- soak:start -->', end: '<!-- soak:end -->' };

/** Replaces the soak section of the performance doc with the new section. */
export const updateDoc = (path: string, section: string): Promise<void> =>
  replaceDocSection(path, MARKERS, section);
