import { OUTPUT_KINDS, type AuditReport } from './types';

const fmt = new Intl.NumberFormat('en-US');

/** The human summary: one headline, then the first few of each problem. */
export function formatReport(
  report: AuditReport & { elapsedMs?: number },
  failures: string[],
  listed = 10,
): string {
  const lines: string[] = [];
  const o = report.outputs;
  lines.push(
    `audit: ${fmt.format(report.inputs)} inputs: ${fmt.format(report.processed)} processed, ` +
      `${fmt.format(report.deadLettered)} dead-lettered, ${fmt.format(report.lost)} lost, ` +
      `${fmt.format(report.duplicated)} duplicated, ${fmt.format(report.wrongRouting)} wrongly routed, ` +
      `${fmt.format(report.outOfOrder)} out of order, ${fmt.format(report.orphans)} orphans, ` +
      `${fmt.format(report.capViolations)} cap violations (${fmt.format(report.cappedRetries)} retries held by a cap)`,
  );
  lines.push(
    `outputs: ${[...OUTPUT_KINDS, 'dlq' as const].map((k) => `${k} ${fmt.format(o[k])}`).join(', ')}`,
  );
  const codes = Object.entries(report.dlqByCode).sort((a, b) => b[1] - a[1]);
  if (codes.length > 0)
    lines.push(`dlq by code: ${codes.map(([c, n]) => `${c} ${fmt.format(n)}`).join(', ')}`);
  if (report.redriven > 0)
    lines.push(
      `redriven: ${fmt.format(report.redriven)} dead-lettered inputs sent back by \`sipflow dlq redrive\`, each copy an input of its own`,
    );
  for (const l of report.lostRecords.slice(0, listed)) {
    lines.push(
      `lost: ${l.eventId ?? '(undecodable)'} at raw ${l.partition}:${l.offset}, missing ${l.missing.join(', ')}`,
    );
  }
  for (const d of report.duplicateRecords.slice(0, listed)) {
    lines.push(`duplicate: ${d.id} on ${d.topic} ${d.count} times (expected ${d.expected})`);
  }
  for (const w of report.wrongRoutingRecords.slice(0, listed)) {
    lines.push(`wrong routing: ${w.eventId} on ${w.topic}: ${w.reason}`);
  }
  for (const o of report.outOfOrderRecords.slice(0, listed)) {
    lines.push(
      `out of order: lead ${o.leadId} on ${o.topic}: ${o.written} written before ${o.thenEarlierInput}, which came first on the raw topic`,
    );
  }
  for (const c of report.capViolationRecords.slice(0, listed)) {
    lines.push(
      `cap violation: ${c.eventId} to ${c.phoneNumber}: retry at ${c.retryAt} makes ${c.calls} calls within one period of it, where ${c.cap} allows ${c.limit}`,
    );
  }
  for (const id of report.orphanEventIds.slice(0, listed))
    lines.push(`orphan: outputs for ${id}, no such input`);
  const ledger = report.ledger;
  if (ledger?.checked)
    lines.push(
      `abandonment ledger: ${fmt.format(ledger.periods)} periods compared with the raw topic, ${fmt.format(ledger.mismatches.length)} differ` +
        (ledger.incomplete > 0
          ? ` (${fmt.format(ledger.incomplete)} began before the raw topic's oldest record: not compared)`
          : ''),
    );
  if (ledger?.checked)
    lines.push(
      `abandonment alerts: ${fmt.format(ledger.alerts.found)} for ${fmt.format(ledger.alerts.expected)} calls abandoned without the message, ` +
        `${fmt.format(ledger.alerts.missing.length)} missing, ${fmt.format(ledger.alerts.unexpected.length)} unexpected, ${fmt.format(ledger.alerts.duplicated)} duplicated`,
    );
  for (const m of ledger?.mismatches.slice(0, listed) ?? [])
    lines.push(
      `ledger ${m.under ? 'under-counts' : 'over-counts'}: ${m.key}: expected ${JSON.stringify(m.expected)}, found ${JSON.stringify(m.found)}`,
    );
  if (report.incomplete) lines.push(`incomplete: ${report.incomplete}`);
  const took = report.elapsedMs === undefined ? '' : ` (${(report.elapsedMs / 1000).toFixed(1)} s)`;
  lines.push(failures.length === 0 ? `audit: OK${took}` : `audit: FAILED: ${failures.join('; ')}${took}`);
  return `${lines.join('\n')}\n`;
}
