import { describe, expect, it } from 'vitest';
import { auditFailures, auditRecords } from '../src/audit-core';
import { formatReport } from '../src/format';
import { leadOrderViolations } from '../src/lead-order';
import type { AuditInput, AuditOutput, OutputKind } from '../src/types';

/** A raw record of `leadId` at partition:offset, needing an enriched record. */
const raw = (partition: number, offset: number, eventId: string, leadId: string): AuditInput => ({
  partition,
  offset: String(offset),
  timestamp: 0,
  expected: {
    kind: 'outputs',
    eventId,
    leadId,
    outputs: ['enriched'],
    disposition: 'CONNECTED',
    action: 'NONE',
  },
});

/** Output records on one partition of `kind`, in the order given. */
const written = (eventIds: string[], kind: OutputKind = 'enriched', partition = 0): AuditOutput[] =>
  eventIds.map((eventId, i) => ({
    kind,
    partition,
    offset: String(i),
    eventId,
    ...(kind === 'enriched' ? { disposition: 'CONNECTED', action: 'NONE' } : {}),
  }));

const leadL = [raw(0, 10, 'e1', 'L'), raw(0, 11, 'e2', 'L'), raw(0, 12, 'e3', 'L')];

describe('leadOrderViolations', () => {
  it('accepts input order, and a crash rewriting a run from an earlier point', () => {
    expect(leadOrderViolations(leadL, written(['e1', 'e2', 'e3'])).count).toBe(0);
    expect(leadOrderViolations(leadL, written(['e1', 'e2', 'e1', 'e2', 'e3'])).count).toBe(0);
    // a partial write before a crash, then the whole batch again
    expect(leadOrderViolations(leadL, written(['e2', 'e1', 'e2', 'e3'])).count).toBe(0);
  });

  it('flags a record written after a later input of its lead, with no rewrite after it', () => {
    const result = leadOrderViolations(leadL, written(['e1', 'e3', 'e2']));
    expect(result.count).toBe(1);
    expect(result.entries).toEqual([
      { leadId: 'L', topic: 'enriched', written: 'e3', thenEarlierInput: 'e2' },
    ]);
  });

  it('compares offsets as numbers, not strings', () => {
    const inputs = [raw(0, 9, 'a', 'L'), raw(0, 10, 'b', 'L')];
    const outputs: AuditOutput[] = [
      { kind: 'retry', partition: 0, offset: '9', eventId: 'a' },
      { kind: 'retry', partition: 0, offset: '10', eventId: 'b' },
    ];
    expect(leadOrderViolations(inputs, outputs).count).toBe(0);
  });

  it('checks each output topic and each lead on its own', () => {
    const inputs = [...leadL, raw(0, 13, 'm1', 'M'), raw(0, 14, 'm2', 'M')];
    const outputs = [...written(['e1', 'm2', 'e2', 'm1', 'e3']), ...written(['e2', 'e1'], 'retry', 1)];
    const result = leadOrderViolations(inputs, outputs);
    expect(result.entries).toEqual([
      { leadId: 'M', topic: 'enriched', written: 'm2', thenEarlierInput: 'm1' },
      { leadId: 'L', topic: 'retry', written: 'e2', thenEarlierInput: 'e1' },
    ]);
  });

  it('skips leads with no single order: raw events on two partitions, or outputs on two', () => {
    const split = [raw(0, 1, 'x1', 'X'), raw(1, 1, 'x2', 'X')];
    expect(leadOrderViolations(split, written(['x2', 'x1'])).count).toBe(0);
    const outputs = [...written(['e3'], 'enriched', 0), ...written(['e1', 'e2'], 'enriched', 1)];
    expect(leadOrderViolations(leadL, outputs).count).toBe(0);
  });

  it('fails the audit and names the lead in the report', () => {
    const report = auditRecords({ inputs: leadL, outputs: written(['e1', 'e3', 'e2']), deadLetters: [] });
    expect(report.outOfOrder).toBe(1);
    expect(auditFailures(report)).toEqual(['1 lead(s) with records out of input order']);
    expect(formatReport(report, auditFailures(report))).toContain(
      'out of order: lead L on enriched: e3 written before e2, which came first on the raw topic',
    );
  });
});
