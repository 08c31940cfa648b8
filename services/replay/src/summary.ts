import { dlqTotal, eventsByAction, eventsByDisposition, type ReplayCounts } from './counts';
import type { StateWarmUp } from './number-state';
import type { DiffReport } from './outcome-diff';

/** The state the window was classified with (see state-warm-up.ts); absent when the rules keep none. */
export type StateSummary = StateWarmUp & { windowMs: number };

export type ReplaySummary = {
  replayId: string;
  mode: 'live' | 'sandbox' | 'dry-run';
  /** interrupted: stopped by a signal; `--resume` continues it */
  status: 'complete' | 'interrupted';
  inputTopic: string;
  rulesVersion: string;
  ranges: Array<{ partition: number; start: string; end: string }>;
  counts: ReplayCounts;
  byDisposition: Record<string, number>;
  byAction: Record<string, number>;
  dlqTotal: number;
  elapsedMs: number;
  state?: StateSummary;
  diff?: DiffReport & { enrichedTopic: string };
};

export function summarize(
  fields: Omit<ReplaySummary, 'byDisposition' | 'byAction' | 'dlqTotal'>,
): ReplaySummary {
  return {
    ...fields,
    byDisposition: eventsByDisposition(fields.counts),
    byAction: eventsByAction(fields.counts),
    dlqTotal: dlqTotal(fields.counts),
  };
}

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

const list = (m: Record<string, number>, lower = false) =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${lower ? k.toLowerCase() : k} ${fmt.format(n)}`)
    .join(' · ') || 'none';

const HOUR_MS = 3_600_000;

/** "1,204 calls to 980 numbers from the 24 h before the window". */
export function describeState(s: StateSummary): string {
  const span = s.windowMs % HOUR_MS === 0 ? `${s.windowMs / HOUR_MS} h` : `${s.windowMs / 1000} s`;
  if (s.from === null)
    return `none rebuilt: a window given by offsets starts from an empty state (give --from to count the ${span} before it)`;
  return `${fmt.format(s.calls)} calls to ${fmt.format(s.numbers)} numbers from the ${span} before the window (raw topic)`;
}

/** The end-of-run report, for people (`--json` prints the summary object instead). */
export function formatSummary(s: ReplaySummary): string {
  const c = s.counts;
  const records = s.ranges.reduce((n, r) => n + Number(BigInt(r.end) - BigInt(r.start)), 0);
  const lines = [
    `replay ${s.replayId} ${s.status} in ${(s.elapsedMs / 1000).toFixed(1)} s (${s.mode}, rules ${s.rulesVersion})`,
    `window       ${s.inputTopic}: ${s.ranges.map((r) => `p${r.partition} ${r.start}..${r.end}`).join(', ') || 'no partitions'} (${fmt.format(records)} records)`,
    `events       ${fmt.format(c.scanned)} read: ${fmt.format(c.replayed)} replayed · ${fmt.format(c.filtered)} filtered · ${fmt.format(c.outsideWindow)} outside the time window`,
    `disposition  ${list(s.byDisposition, true)}`,
    `action       ${list(s.byAction, true)}`,
    `${s.mode === 'dry-run' ? 'would write ' : 'produced    '} ${list(c.produced)}`,
    `dlq          ${fmt.format(s.dlqTotal)}${s.dlqTotal > 0 ? ` (${list(c.dlq)})` : ''}`,
  ];
  if (s.state) lines.push(`state        ${describeState(s.state)}`);
  const d = s.diff;
  if (d) {
    lines.push(
      `diff         ${fmt.format(d.compared)} events compared with ${d.enrichedTopic}: ${fmt.format(d.unchanged)} unchanged, ` +
        `${fmt.format(d.changed)} changed, ${fmt.format(d.notRecorded)} with no recorded outcome`,
    );
    const width = Math.max(0, ...d.transitions.map((t) => `${t.from} → ${t.to}`.length));
    for (const t of d.transitions)
      lines.push(
        `  ${`${t.from} → ${t.to}`.padEnd(width)}  ${fmt.format(t.count).padStart(7)}  e.g. ${t.examples.join(', ')}`,
      );
    const times = d.retryTimes;
    if (times !== undefined && times.changed > 0) {
      lines.push(
        `retry times  ${fmt.format(times.changed)} retries keep their outcome at another time, now set by:`,
      );
      for (const t of times.byWindow)
        lines.push(`  ${t.to}  ${fmt.format(t.count).padStart(7)}  e.g. ${t.examples.join(', ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
