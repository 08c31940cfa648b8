import { HEADER_SIZE, type CallAttempt } from '@sipflow/codec';
import { describe, expect, it } from 'vitest';
import { POISON_KINDS, UNKNOWN_SCHEMA_ID, type PoisonKind } from '../src/poison';
import { createRecordSource, type SimulatedRecord } from '../src/record-source';
import { callAttemptType, contractViolations, localSchema } from './support/call-attempt-contract';

const schema = localSchema(7);
const records = (seed: number, poisonRatio: number, n: number): SimulatedRecord[] => {
  const source = createRecordSource({ seed, poisonRatio, schema });
  return Array.from({ length: n }, () => source.next());
};
/** Decodes the Avro body, or undefined when it is cut short. */
const body = (value: Buffer): CallAttempt | undefined => {
  const { value: decoded, offset } = callAttemptType.decode(value, HEADER_SIZE);
  return offset === value.length ? (decoded as CallAttempt) : undefined;
};

describe('createRecordSource', () => {
  it('is deterministic: same seed, same bytes, keys and headers', () => {
    expect(records(9, 0.2, 300)).toEqual(records(9, 0.2, 300));
  });

  it('keeps the clean events the same whatever the poison ratio', () => {
    const clean = records(5, 0, 1000);
    const mixed = records(5, 0.3, 1000);
    mixed.forEach((r, i) => {
      if (r.poison === null) expect(r.value).toEqual(clean[i]!.value);
    });
  });

  it('keys every record by leadId, and puts a traceparent on about half', () => {
    const all = records(3, 0, 2000);
    for (const r of all) expect(r.key).toBe(body(r.value)!.leadId);
    const traced = all.filter((r) => r.headers !== undefined);
    expect(traced.length / all.length).toBeGreaterThan(0.45);
    expect(traced.length / all.length).toBeLessThan(0.55);
    for (const r of traced) expect(r.headers!.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('keys by phone number when asked, with the same events', () => {
    const byLead = records(3, 0, 500);
    const source = createRecordSource({ seed: 3, poisonRatio: 0, schema, keyBy: 'phoneNumber' });
    for (const lead of byLead) {
      const r = source.next();
      expect(r.value).toEqual(lead.value);
      expect(r.key).toBe(body(r.value)!.phoneNumber);
    }
  });

  it('frames clean records with the schema id and valid events', () => {
    for (const r of records(11, 0, 1000)) {
      expect(r.value[0]).toBe(0);
      expect(r.value.readInt32BE(1)).toBe(schema.id);
      expect(contractViolations(body(r.value)!)).toEqual([]);
    }
  });

  it('mixes in poison at the asked ratio, every kind of it', () => {
    const all = records(21, 0.1, 10_000);
    const poison = all.filter((r) => r.poison !== null);
    expect(poison.length / all.length).toBeGreaterThan(0.09);
    expect(poison.length / all.length).toBeLessThan(0.11);
    expect(new Set(poison.map((r) => r.poison))).toEqual(new Set(POISON_KINDS));
    expect(records(21, 0, 2000).filter((r) => r.poison !== null)).toEqual([]);
    expect(records(21, 1, 200).every((r) => r.poison !== null)).toBe(true);
  });

  it('makes each poison kind bad in exactly its own way', () => {
    const check: Record<PoisonKind, (value: Buffer) => void> = {
      'bad-magic-byte': (v) => expect(v[0]).not.toBe(0),
      'unknown-schema-id': (v) => {
        expect(v[0]).toBe(0);
        expect(v.readInt32BE(1)).toBe(UNKNOWN_SCHEMA_ID);
        expect(contractViolations(body(v)!)).toEqual([]);
      },
      'truncated-avro': (v) => {
        expect(v.readInt32BE(1)).toBe(schema.id);
        expect(callAttemptType.decode(v, HEADER_SIZE).offset).toBe(-1);
      },
      'invalid-event': (v) => {
        expect(v.readInt32BE(1)).toBe(schema.id);
        expect(contractViolations(body(v)!)).not.toEqual([]);
      },
    };
    for (const r of records(33, 0.5, 2000)) if (r.poison) check[r.poison](r.value);
  });
});
