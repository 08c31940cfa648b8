import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { HEADER_SIZE, MAGIC_BYTE } from '@sipflow/codec';
import { maskPhoneNumber, maskPhoneNumbersIn, PHONE_FIELDS } from '@sipflow/telemetry';
import avro from 'avsc';

/** How far a dead letter's value could be read, for a person looking at it. */
export type DecodedSample = {
  bytes: number;
  /** the furthest step reached: no value, not framed, unknown schema, partly or fully decoded */
  stage: 'no-value' | 'not-framed' | 'unknown-schema' | 'partial' | 'decoded';
  schemaId?: number;
  /** the fields that decoded, in writer-schema order, phone numbers masked */
  fields?: Record<string, unknown>;
  /** what stopped the decoding, when something did */
  stoppedAt?: string;
  /** for bytes that are not Avro: printable text, else hex, of the first bytes */
  preview?: string;
};

const PREVIEW_BYTES = 48;

/**
 * Decodes a dead letter's value as far as it goes: the Confluent framing, the writer schema from
 * the registry, then the Avro record one field at a time, so a truncated body still shows the
 * fields before the cut. Never throws for bad bytes; the registry being away is reported as the
 * stage it stopped at. Phone numbers are masked, as in the logs.
 */
export async function decodeSample(
  value: Buffer | null,
  writerOf: (id: number) => Promise<avro.Type | undefined>,
): Promise<DecodedSample> {
  if (!value || value.length === 0) return { bytes: 0, stage: 'no-value' };
  const bytes = value.length;
  if (value.length < HEADER_SIZE || value[0] !== MAGIC_BYTE)
    return {
      bytes,
      stage: 'not-framed',
      stoppedAt: `first byte ${value[0]}, not the Confluent magic byte 0${value.length < HEADER_SIZE ? ' (shorter than the 5-byte header)' : ''}`,
      preview: preview(value),
    };
  const schemaId = value.readInt32BE(1);
  let writer: avro.Type | undefined;
  try {
    writer = await writerOf(schemaId);
  } catch (err) {
    return { bytes, stage: 'unknown-schema', schemaId, stoppedAt: `registry: ${(err as Error).message}` };
  }
  if (!writer)
    return {
      bytes,
      stage: 'unknown-schema',
      schemaId,
      stoppedAt: `schema id ${schemaId} is not in the registry`,
      preview: preview(value.subarray(HEADER_SIZE)),
    };
  const fields: Record<string, unknown> = {};
  const recordFields = writer.typeName === 'record' ? (writer as avro.types.RecordType).fields : undefined;
  if (!recordFields) return { bytes, stage: 'partial', schemaId, stoppedAt: 'writer schema is not a record' };
  let pos = HEADER_SIZE;
  for (const field of recordFields) {
    let decoded: { value: unknown; offset: number };
    try {
      decoded = field.type.decode(value, pos);
    } catch (err) {
      return done('partial', `field ${field.name}: ${(err as Error).message}`);
    }
    if (decoded.offset < 0)
      return done('partial', `field ${field.name}: the body ends before it (truncated)`);
    fields[field.name] = mask(field.name, decoded.value);
    pos = decoded.offset;
  }
  if (pos !== value.length) return done('partial', `${value.length - pos} bytes after the last field`);
  return done('decoded');

  function done(stage: 'partial' | 'decoded', stoppedAt?: string): DecodedSample {
    return { bytes, stage, schemaId, fields, ...(stoppedAt ? { stoppedAt } : {}) };
  }
}

function mask(name: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'string') return value;
  return PHONE_FIELDS.has(name) ? maskPhoneNumber(value) : maskPhoneNumbersIn(value);
}

function preview(buf: Buffer): string {
  const head = buf.subarray(0, PREVIEW_BYTES);
  const text = head.toString('utf8');
  const printable = /^[\x20-\x7e\t\r\n]*$/.test(text);
  const more = buf.length > PREVIEW_BYTES ? '…' : '';
  return printable
    ? `text ${JSON.stringify(maskPhoneNumbersIn(text) + more)}`
    : `hex ${head.toString('hex')}${more}`;
}

/** The registry's writer schemas by id, each fetched once; undefined for an id it does not have. */
export function registryWriters(registry: SchemaRegistry): (id: number) => Promise<avro.Type | undefined> {
  const cache = new Map<number, Promise<avro.Type | undefined>>();
  return (id) => {
    let hit = cache.get(id);
    if (!hit) {
      hit = registry.getSchema(id).then(
        // rebuilt from its JSON: a plain type of our own avsc, as the decoder does
        (fetched) => avro.Type.forSchema((fetched as unknown as avro.Type).schema() as avro.Schema),
        (err: unknown) => {
          if ((err as { status?: number } | undefined)?.status === 404) return undefined;
          throw err;
        },
      );
      cache.set(id, hit);
    }
    return hit;
  };
}
