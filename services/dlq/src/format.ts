import type { InspectReport } from './inspect';
import type { PlannedCopy, RedriveSummary } from './redrive';

const fmt = new Intl.NumberFormat('en-US');
const time = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString());

/** `sipflow dlq inspect`'s text report. */
export function formatInspect(r: InspectReport): string {
  const lines: string[] = [];
  lines.push(
    `dlq inspect: ${r.topic}: ${fmt.format(r.total)} dead letters, ${fmt.format(r.selected)} selected` +
      (r.fromReplays > 0 ? `, ${fmt.format(r.fromReplays)} from replays (left out)` : '') +
      (r.ofRedrives > 0 ? `; ${fmt.format(r.ofRedrives)} of them failed again after a redrive` : ''),
  );
  if (r.selected > 0) lines.push(`original record times: ${time(r.first)} … ${time(r.last)}`);
  const width = Math.max(4, ...r.byCode.map((c) => c.code.length));
  for (const c of r.byCode) {
    lines.push(
      `  ${c.code.padEnd(width)}  ${fmt.format(c.count).padStart(9)}  ${time(c.first)} … ${time(c.last)}`,
    );
  }
  for (const s of r.samples) {
    lines.push('');
    lines.push(
      `${s.code} ${s.id}: from ${s.source ?? '(source unknown)'} at ${time(s.sourceTimestamp)}, ` +
        `key ${s.key === undefined ? '(none)' : JSON.stringify(s.key)}, ${fmt.format(s.value.bytes)} bytes` +
        (s.redriveOf ? `, a copy of ${s.redriveOf}` : ''),
    );
    if (s.message) lines.push(`  reason: ${s.message}`);
    const v = s.value;
    const id = v.schemaId === undefined ? '' : `schema id ${v.schemaId}, `;
    const fields = v.fields ? Object.keys(v.fields).length : 0;
    lines.push(
      `  value: ${id}${v.stage}${v.stage === 'partial' ? ` (${fields} fields)` : ''}` +
        (v.stoppedAt ? `: ${v.stoppedAt}` : ''),
    );
    if (v.fields && fields > 0) lines.push(`  ${JSON.stringify(v.fields)}`);
    if (v.preview) lines.push(`  ${v.preview}`);
  }
  if (r.status === 'stopped') lines.push('dlq inspect: stopped before the end; the counts are partial');
  return `${lines.join('\n')}\n`;
}

/** One dry-run line: what would be written, and what the pipeline would do with it now. */
export function formatPlanned(p: PlannedCopy, inputTopic: string): string {
  return (
    `would send ${p.deadLetter} (${p.code ?? 'no code'}) → ${inputTopic}/${p.partition}, ` +
    `key ${p.key === undefined ? '(none)' : JSON.stringify(p.key)}, ${fmt.format(p.bytes)} bytes: now ${p.verdict}\n`
  );
}

/** `sipflow dlq redrive`'s closing summary. */
export function formatRedrive(s: RedriveSummary): string {
  const lines: string[] = [];
  const skipped = Object.entries(s.skippedReasons)
    .filter(([, n]) => n > 0)
    .map(([why, n]) => `${why} ${fmt.format(n)}`)
    .join(', ');
  lines.push(
    `dlq redrive${s.mode === 'dry-run' ? ' (dry run)' : ''}: ${fmt.format(s.selected)} of ${fmt.format(s.dlqRecords)} dead letters selected: ` +
      `${fmt.format(s.alreadyRedriven)} already redriven, ${fmt.format(s.skipped)} skipped${skipped ? ` (${skipped})` : ''}` +
      (s.leftByLimit > 0 ? `, ${fmt.format(s.leftByLimit)} left by --limit` : '') +
      `, ${fmt.format(s.planned)} to send`,
  );
  if (s.mode === 'dry-run') {
    const verdicts = Object.entries(s.verdicts).sort((a, b) => b[1] - a[1]);
    if (verdicts.length > 0)
      lines.push(`would now be: ${verdicts.map(([v, n]) => `${v} ${fmt.format(n)}`).join(', ')}`);
    lines.push(`dlq redrive: dry run, nothing written (${(s.elapsedMs / 1000).toFixed(1)} s)`);
  } else {
    lines.push(
      `dlq redrive: ${fmt.format(s.sent)} sent to ${s.inputTopic}` +
        (s.status === 'stopped'
          ? ', stopped before the end (run it again: what was sent is not sent twice)'
          : '') +
        ` (${(s.elapsedMs / 1000).toFixed(1)} s)`,
    );
  }
  return `${lines.join('\n')}\n`;
}
