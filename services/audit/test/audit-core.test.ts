import { describe, expect, it } from 'vitest';
import { auditFailures, auditRecords } from '../src/audit-core';
import type { AuditDeadLetter, AuditInput, AuditOutput, OutputKind } from '../src/types';

const valid = (
  offset: number,
  eventId: string,
  outputs: OutputKind[] = ['enriched'],
  action = 'NONE',
  leadId = `lead-of-${eventId}`,
): AuditInput => ({
  partition: 0,
  offset: String(offset),
  timestamp: 0,
  expected: { kind: 'outputs', eventId, leadId, outputs, disposition: 'CONNECTED', action },
});
const poison = (offset: number): AuditInput => ({
  partition: 0,
  offset: String(offset),
  timestamp: 0,
  expected: { kind: 'dlq', code: 'SIPFLOW_DECODE_MAGIC_BYTE' },
});
let outOffset = 0;
const out = (kind: OutputKind, eventId: string, action = 'NONE'): AuditOutput => ({
  kind,
  partition: 0,
  offset: String(outOffset++),
  eventId,
  ...(kind === 'enriched' ? { disposition: 'CONNECTED', action } : {}),
});
const dead = (sourceOffset: number, code = 'SIPFLOW_DECODE_MAGIC_BYTE'): AuditDeadLetter => ({
  partition: 0,
  offset: String(outOffset++),
  code,
  sourcePartition: 0,
  sourceOffset: String(sourceOffset),
});

describe('auditRecords', () => {
  it('a clean run: every input processed or dead-lettered, nothing to report', () => {
    const report = auditRecords({
      inputs: [valid(0, 'a'), valid(1, 'b', ['enriched', 'retry'], 'RETRY'), poison(2)],
      outputs: [out('enriched', 'a'), out('enriched', 'b', 'RETRY'), out('retry', 'b')],
      deadLetters: [dead(2)],
    });
    expect(report).toMatchObject({
      inputs: 3,
      processed: 2,
      deadLettered: 1,
      lost: 0,
      duplicated: 0,
      wrongRouting: 0,
    });
    expect(report.dlqByCode).toEqual({ SIPFLOW_DECODE_MAGIC_BYTE: 1 });
    expect(auditFailures(report, { exactlyOnce: true })).toEqual([]);
  });

  it('an input without its enriched record, or without the action record, is lost', () => {
    const report = auditRecords({
      inputs: [valid(0, 'a'), valid(1, 'b', ['enriched', 'retry'], 'RETRY')],
      outputs: [out('enriched', 'b', 'RETRY')],
      deadLetters: [],
    });
    expect(report.lost).toBe(2);
    expect(report.lostRecords.map((l) => [l.eventId, l.missing])).toEqual([
      ['a', ['enriched']],
      ['b', ['retry']],
    ]);
    expect(auditFailures(report)).toEqual(['2 input(s) lost']);
  });

  it('a poison record without its dead letter is lost', () => {
    const report = auditRecords({ inputs: [poison(5)], outputs: [], deadLetters: [] });
    expect(report.lostRecords).toEqual([{ eventId: undefined, partition: 0, offset: '5', missing: ['dlq'] }]);
  });

  it('duplicates are counted per topic, and fail only under exactly-once', () => {
    const report = auditRecords({
      inputs: [valid(0, 'a'), poison(1)],
      outputs: [out('enriched', 'a'), out('enriched', 'a'), out('enriched', 'a')],
      deadLetters: [dead(1), dead(1)],
    });
    expect(report.duplicated).toBe(3);
    expect(report.duplicateRecords).toEqual([
      { id: '0:1', topic: 'dlq', count: 2, expected: 1 },
      { id: 'a', topic: 'enriched', count: 3, expected: 1 },
    ]);
    expect(auditFailures(report)).toEqual([]);
    expect(auditFailures(report, { exactlyOnce: true })).toEqual([
      '3 duplicate record(s) under exactly-once',
    ]);
  });

  it('the same event sent twice expects its outputs twice', () => {
    const report = auditRecords({
      inputs: [valid(0, 'a'), valid(1, 'a')],
      outputs: [out('enriched', 'a'), out('enriched', 'a')],
      deadLetters: [],
    });
    expect(report).toMatchObject({ processed: 2, lost: 0, duplicated: 0 });
  });

  it('an output the rules would not produce is wrong routing', () => {
    const report = auditRecords({
      inputs: [valid(0, 'a'), valid(1, 'b')],
      outputs: [out('enriched', 'a'), out('removal', 'a'), out('enriched', 'b', 'RETRY')],
      deadLetters: [],
    });
    expect(report.wrongRouting).toBe(2);
    expect(report.wrongRoutingRecords.map((w) => [w.eventId, w.topic])).toEqual([
      ['a', 'removal'],
      ['b', 'enriched'],
    ]);
    expect(auditFailures(report)).toEqual(['2 wrongly routed record(s)']);
  });

  it('a valid input in the DLQ is accounted for but reported as wrong routing', () => {
    const report = auditRecords({
      inputs: [valid(0, 'a')],
      outputs: [],
      deadLetters: [dead(0, 'SIPFLOW_INTERNAL_ERROR')],
    });
    expect(report).toMatchObject({ deadLettered: 1, lost: 0, wrongRouting: 1 });
  });

  it('outputs with no input are orphans, unless the inputs are a time window', () => {
    const records = {
      inputs: [valid(0, 'a')],
      outputs: [out('enriched', 'a'), out('enriched', 'zz')],
      deadLetters: [],
    };
    expect(auditRecords(records)).toMatchObject({ orphans: 1, orphanEventIds: ['zz'] });
    expect(auditRecords({ ...records, windowed: true })).toMatchObject({ orphans: 0 });
  });

  it('lists are capped, counts are not', () => {
    const inputs = Array.from({ length: 50 }, (_, i) => valid(i, `e${i}`));
    const report = auditRecords({ inputs, outputs: [], deadLetters: [], maxListed: 5 });
    expect(report.lost).toBe(50);
    expect(report.lostRecords).toHaveLength(5);
  });
});
