import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { readSchema } from '../src/schema-files';

type AvroRecordSchema = { fields: Array<{ name: string; type: unknown }> } & Record<string, unknown>;

const OUTPUT_SCHEMAS = [
  'call-attempt-enriched.avsc',
  'retry-request.avsc',
  'lead-removal.avsc',
  'compliance-alert.avsc',
];

/** The schema with the named enum's symbols filtered: a reader (or writer) from before they existed. */
function withSymbols(file: string, enumName: string, keep: (symbol: string) => boolean): AvroRecordSchema {
  const edit = (type: unknown): unknown => {
    if (Array.isArray(type)) return type.map(edit);
    if (type !== null && typeof type === 'object' && (type as { name?: string }).name === enumName) {
      const e = type as { symbols: string[] };
      return { ...e, symbols: e.symbols.filter(keep) };
    }
    return type;
  };
  const schema = readSchema(file) as AvroRecordSchema;
  return { ...schema, fields: schema.fields.map((f) => ({ ...f, type: edit(f.type) })) };
}

/** A valid random value of a record type (avsc types `random()` as returning a Type). */
const randomRecord = (type: avro.Type) => type.random() as unknown as Record<string, unknown>;

/** One value written with `writer` and read with `reader` (Avro schema resolution). */
function writeThenRead(writer: avro.Type, reader: avro.Type, value: unknown): Record<string, unknown> {
  return reader.fromBuffer(writer.toBuffer(value), reader.createResolver(writer)) as Record<string, unknown>;
}

describe('schema evolution of answeredBy (docs/rules.md "Who answered")', () => {
  it.each(OUTPUT_SCHEMAS)(
    '%s: a reader from before ANSWERING_MACHINE and FAX reads them as the enum default FAILED',
    (file) => {
      const today = avro.Type.forSchema(readSchema(file) as avro.Schema);
      const before = avro.Type.forSchema(
        withSymbols(file, 'Disposition', (s) => s !== 'ANSWERING_MACHINE' && s !== 'FAX') as avro.Schema,
      );
      for (const disposition of ['ANSWERING_MACHINE', 'FAX']) {
        const value = { ...randomRecord(today), disposition };
        expect(writeThenRead(today, before, value).disposition).toBe('FAILED');
      }
      const busy = { ...randomRecord(today), disposition: 'BUSY' };
      expect(writeThenRead(today, before, busy).disposition).toBe('BUSY');
    },
  );

  it('call-attempt.avsc: an event written before answeredBy reads as null; a newer verdict as UNKNOWN', () => {
    const today = avro.Type.forSchema(readSchema('call-attempt.avsc') as avro.Schema);
    const schema = readSchema('call-attempt.avsc') as AvroRecordSchema;
    const before = avro.Type.forSchema({
      ...schema,
      fields: schema.fields.filter((f) => f.name !== 'answeredBy'),
    } as avro.Schema);
    const { answeredBy: _gone, ...old } = randomRecord(today);
    expect(writeThenRead(before, today, old).answeredBy).toBeNull();

    // a later writer with a verdict this reader does not know
    const later = withSymbols('call-attempt.avsc', 'AnsweredBy', () => true);
    const answeredBy = later.fields.find((f) => f.name === 'answeredBy')!.type as Array<{
      symbols?: string[];
    }>;
    answeredBy[1]!.symbols = [...answeredBy[1]!.symbols!, 'SCREENED'];
    const laterType = avro.Type.forSchema(later as avro.Schema);
    const value = { ...randomRecord(today), answeredBy: 'SCREENED' };
    expect(writeThenRead(laterType, today, value).answeredBy).toBe('UNKNOWN');
  });
});

describe('schema evolution of the abandonment fields (docs/abandonment.md)', () => {
  const FIELDS = ['answeredAt', 'agentConnectedAt', 'abandoned', 'abandonMessagePlayed', 'ringingAt'];
  const schema = readSchema('call-attempt.avsc') as AvroRecordSchema;
  const today = avro.Type.forSchema(schema as avro.Schema);
  const before = avro.Type.forSchema({
    ...schema,
    fields: schema.fields.filter((f) => !FIELDS.includes(f.name)),
  } as avro.Schema);

  it('call-attempt.avsc: an event written before them reads each as null', () => {
    const old = before.random() as unknown as Record<string, unknown>;
    const read = writeThenRead(before, today, old);
    for (const field of FIELDS) expect(read[field]).toBeNull();
  });

  it('call-attempt.avsc: a reader from before them reads a new event, the rest of it unchanged', () => {
    const value: Record<string, unknown> = {
      ...randomRecord(today),
      answeredAt: 1_790_000_000_000,
      agentConnectedAt: null,
      abandoned: true,
      abandonMessagePlayed: false,
      ringingAt: 1_789_999_990_000,
    };
    const read = writeThenRead(today, before, value);
    expect(Object.keys(read)).not.toContain('abandoned');
    expect(read.eventId).toBe(value.eventId);
    expect(read.answeredBy).toEqual(value.answeredBy);
  });
});
