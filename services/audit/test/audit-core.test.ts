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

describe('auditRecords: redriven dead letters (sipflow dlq redrive)', () => {
  // the original at offset 0 failed (a limit since raised), lead L's next event at 1 went through,
  // then the original's copy came in at 2, naming the dead letter it was made from
  const letter = { ...dead(0, 'SIPFLOW_OVERSIZE_RECORD'), id: 'dlq/0/7' };
  const original = valid(0, 'a', ['enriched'], 'NONE', 'L');
  const next = valid(1, 'b', ['enriched'], 'NONE', 'L');
  const copy = (offset: number): AuditInput => ({
    ...valid(offset, 'a', ['enriched'], 'NONE', 'L'),
    redriveOf: 'dlq/0/7',
  });

  it('the original is accounted for by its dead letter, the copy as processed once: nothing lost or duplicated', () => {
    const report = auditRecords({
      inputs: [original, next, copy(2)],
      outputs: [out('enriched', 'b'), out('enriched', 'a')],
      deadLetters: [letter],
    });
    expect(report).toMatchObject({
      inputs: 3,
      processed: 2,
      deadLettered: 1,
      redriven: 1,
      lost: 0,
      duplicated: 0,
      wrongRouting: 0,
      // the copy's record comes after b's, as the copy came after b on the raw topic
      outOfOrder: 0,
    });
    expect(auditFailures(report, { exactlyOnce: true })).toEqual([]);
  });

  it('without the copy, the same dead letter is wrong routing under the raised limit', () => {
    const report = auditRecords({
      inputs: [original, next],
      outputs: [out('enriched', 'b')],
      deadLetters: [letter],
    });
    expect(report).toMatchObject({ deadLettered: 1, redriven: 0, wrongRouting: 1 });
  });

  it('a dead letter redriven twice is a duplicate, even though the eventId repeats like a resent event', () => {
    const report = auditRecords({
      inputs: [original, next, copy(2), copy(3)],
      outputs: [out('enriched', 'b'), out('enriched', 'a'), out('enriched', 'a')],
      deadLetters: [letter],
    });
    expect(report.duplicated).toBe(1);
    expect(report.duplicateRecords).toEqual([{ id: 'dlq/0/7', topic: 'input', count: 2, expected: 1 }]);
    expect(auditFailures(report, { exactlyOnce: true })).toEqual([
      '1 duplicate record(s) under exactly-once',
    ]);
  });

  it('copies outside a time window still mark their dead letter as redriven', () => {
    const report = auditRecords({
      inputs: [original],
      outputs: [],
      deadLetters: [letter],
      windowed: true,
      redriveCopies: new Map([['dlq/0/7', 1]]),
    });
    expect(report).toMatchObject({ deadLettered: 1, redriven: 1, wrongRouting: 0, lost: 0 });
  });
});
