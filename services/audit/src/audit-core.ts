import {
  OUTPUT_KINDS,
  type AuditDeadLetter,
  type AuditInput,
  type AuditOutput,
  type AuditReport,
  type OutputKind,
} from './types';
import { capViolations, type CapCheck } from './cap-audit';
import { leadOrderViolations } from './lead-order';

export type AuditRecords = {
  inputs: AuditInput[];
  outputs: AuditOutput[];
  deadLetters: AuditDeadLetter[];
  /** true when the inputs are a time window: outputs of other inputs are then not orphans */
  windowed?: boolean;
  /** entries kept per list in the report (the counts are always complete) */
  maxListed?: number;
  /**
   * Copies on the raw topic per dead letter they were redriven from (`sipflow-redrive-of`), over
   * the whole topic even when the inputs are a window (the copies come later than their originals);
   * counted from the inputs when absent.
   */
  redriveCopies?: ReadonlyMap<string, number>;
  /** the retries and the raw topic's calls, for the frequency-cap check; no check without it */
  capCheck?: CapCheck;
};

const sourceKey = (partition: number | undefined, offset: string | undefined) => `${partition}:${offset}`;

/**
 * Accounts for every input: its outputs (matched by eventId, counted per topic) or its dead letter
 * (matched by the source partition/offset headers, so undecodable records are matched too). Pure:
 * the same records always give the same report.
 */
export function auditRecords(records: AuditRecords): AuditReport {
  const maxListed = records.maxListed ?? 100;
  const report: AuditReport = {
    inputs: records.inputs.length,
    processed: 0,
    deadLettered: 0,
    redriven: 0,
    dlqByCode: {},
    outputs: {
      ...(Object.fromEntries(OUTPUT_KINDS.map((k) => [k, 0])) as Record<OutputKind, number>),
      dlq: records.deadLetters.length,
    },
    lost: 0,
    duplicated: 0,
    wrongRouting: 0,
    outOfOrder: 0,
    orphans: 0,
    capViolations: 0,
    cappedRetries: 0,
    lostRecords: [],
    duplicateRecords: [],
    wrongRoutingRecords: [],
    outOfOrderRecords: [],
    orphanEventIds: [],
    capViolationRecords: [],
  };
  const keep = <T>(list: T[], entry: T) => {
    if (list.length < maxListed) list.push(entry);
  };

  const dlqBySource = groupBy(records.deadLetters, (d) => sourceKey(d.sourcePartition, d.sourceOffset));
  const outputsByEvent = new Map<string, Map<OutputKind, AuditOutput[]>>();
  for (const output of records.outputs) {
    report.outputs[output.kind]++;
    const id = output.eventId ?? '(no sipflow-event-id header)';
    let byKind = outputsByEvent.get(id);
    if (!byKind) outputsByEvent.set(id, (byKind = new Map()));
    const list = byKind.get(output.kind);
    if (list) list.push(output);
    else byKind.set(output.kind, [output]);
  }

  // each dead letter is redriven at most once: a second copy of it is a duplicate input
  const redriveCopies = records.redriveCopies ?? countRedriveCopies(records.inputs);
  for (const [id, count] of redriveCopies) {
    if (count <= 1) continue;
    report.duplicated += count - 1;
    keep(report.duplicateRecords, { id, topic: 'input', count, expected: 1 });
  }

  // inputs the rules classify, by eventId (a dialer may send the same event twice)
  const classified = new Map<string, AuditInput[]>();
  const seenEventIds = new Set<string>();
  // inputs a dead letter accounts for: not part of any lead's order on the output topics
  const deadLetteredKeys = new Set<string>();
  for (const input of records.inputs) {
    const key = sourceKey(input.partition, input.offset);
    const letters = dlqBySource.get(key) ?? [];
    const eventId = input.expected.eventId;
    if (eventId !== undefined) seenEventIds.add(eventId);
    if (letters.length > 0) {
      report.deadLettered++;
      deadLetteredKeys.add(key);
      const code = letters[0]!.code ?? '(no sipflow-error-code header)';
      report.dlqByCode[code] = (report.dlqByCode[code] ?? 0) + 1;
      if (letters.length > 1) {
        report.duplicated += letters.length - 1;
        keep(report.duplicateRecords, { id: key, topic: 'dlq', count: letters.length, expected: 1 });
      }
      // redriven after a fix: today's verdict on the original does not apply to what happened then
      if (letters.some((l) => l.id !== undefined && redriveCopies.has(l.id))) {
        report.redriven++;
        continue;
      }
      if (input.expected.kind === 'outputs') {
        report.wrongRouting++;
        keep(report.wrongRoutingRecords, {
          eventId: input.expected.eventId,
          topic: 'dlq',
          reason: `dead-lettered (${code}) although the rules classify it (${input.expected.disposition} ${input.expected.action})`,
        });
      }
      continue;
    }
    if (input.expected.kind === 'dlq') {
      report.lost++;
      keep(report.lostRecords, {
        eventId,
        partition: input.partition,
        offset: input.offset,
        missing: ['dlq'],
      });
      continue;
    }
    const list = classified.get(input.expected.eventId);
    if (list) list.push(input);
    else classified.set(input.expected.eventId, [input]);
  }

  for (const [eventId, inputs] of classified) {
    const byKind = outputsByEvent.get(eventId);
    const missing: OutputKind[] = [];
    let shortBy = 0; // how many of this eventId's inputs lack an output
    for (const kind of OUTPUT_KINDS) {
      const expected = inputs.filter(
        (i) => i.expected.kind === 'outputs' && i.expected.outputs.includes(kind),
      ).length;
      const found = byKind?.get(kind) ?? [];
      if (found.length < expected) {
        missing.push(kind);
        shortBy = Math.max(shortBy, expected - found.length);
      } else if (found.length > expected && expected > 0) {
        report.duplicated += found.length - expected;
        keep(report.duplicateRecords, { id: eventId, topic: kind, count: found.length, expected });
      } else if (found.length > 0 && expected === 0) {
        report.wrongRouting++;
        const exp = inputs[0]!.expected as Extract<AuditInput['expected'], { kind: 'outputs' }>;
        keep(report.wrongRoutingRecords, {
          eventId,
          topic: kind,
          reason: `a ${kind} record, but the rules say ${exp.disposition} ${exp.action}`,
        });
      }
    }
    const exp = inputs[0]!.expected as Extract<AuditInput['expected'], { kind: 'outputs' }>;
    for (const enriched of byKind?.get('enriched') ?? []) {
      if (enriched.disposition === undefined) continue;
      if (enriched.disposition !== exp.disposition || enriched.action !== exp.action) {
        report.wrongRouting++;
        keep(report.wrongRoutingRecords, {
          eventId,
          topic: 'enriched',
          reason: `enriched as ${enriched.disposition} ${enriched.action}, the rules say ${exp.disposition} ${exp.action}`,
        });
      }
    }
    for (const input of inputs.slice(0, shortBy)) {
      report.lost++;
      keep(report.lostRecords, { eventId, partition: input.partition, offset: input.offset, missing });
    }
    report.processed += inputs.length - shortBy;
  }

  const order = leadOrderViolations(
    records.inputs.filter((i) => !deadLetteredKeys.has(sourceKey(i.partition, i.offset))),
    records.outputs,
  );
  report.outOfOrder = order.count;
  report.outOfOrderRecords = order.entries.slice(0, maxListed);

  if (!records.windowed) {
    for (const [eventId, byKind] of outputsByEvent) {
      if (seenEventIds.has(eventId)) continue;
      for (const list of byKind.values()) report.orphans += list.length;
      keep(report.orphanEventIds, eventId);
    }
  }
  if (records.capCheck) {
    const caps = capViolations(records.capCheck, maxListed);
    report.capViolations = caps.count;
    report.capViolationRecords = caps.entries;
    report.cappedRetries = caps.heldByCap;
  }
  return report;
}

/**
 * Why the audit fails, or an empty list: loss, wrong routing, broken lead order and retries beyond
 * a frequency cap always, duplicates when asked.
 */
export function auditFailures(report: AuditReport, opts: { exactlyOnce?: boolean } = {}): string[] {
  const failures: string[] = [];
  if (report.incomplete) failures.push(`incomplete read: ${report.incomplete}`);
  if (report.lost > 0) failures.push(`${report.lost} input(s) lost`);
  if (report.wrongRouting > 0) failures.push(`${report.wrongRouting} wrongly routed record(s)`);
  if (report.outOfOrder > 0) failures.push(`${report.outOfOrder} lead(s) with records out of input order`);
  if (report.capViolations > 0) failures.push(`${report.capViolations} retry(ies) beyond a frequency cap`);
  if (opts.exactlyOnce && report.duplicated > 0)
    failures.push(`${report.duplicated} duplicate record(s) under exactly-once`);
  const ledger = report.ledger?.mismatches ?? [];
  const under = ledger.filter((m) => m.under).length;
  if (under > 0)
    failures.push(`${under} abandonment period(s) counting fewer calls than the raw topic holds`);
  if (opts.exactlyOnce && ledger.length > under)
    failures.push(`${ledger.length - under} abandonment period(s) counting calls twice under exactly-once`);
  const alerts = report.ledger?.checked ? report.ledger.alerts : undefined;
  if (alerts !== undefined && alerts.missing.length > 0)
    failures.push(`${alerts.missing.length} call(s) abandoned without the message with no alert`);
  if (alerts !== undefined && alerts.unexpected.length > 0)
    failures.push(`${alerts.unexpected.length} abandonment alert(s) for a call that is not one`);
  if (opts.exactlyOnce && alerts !== undefined && alerts.duplicated > 0)
    failures.push(`${alerts.duplicated} duplicate abandonment alert(s) under exactly-once`);
  return failures;
}

function countRedriveCopies(inputs: AuditInput[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { redriveOf } of inputs)
    if (redriveOf !== undefined) counts.set(redriveOf, (counts.get(redriveOf) ?? 0) + 1);
  return counts;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
