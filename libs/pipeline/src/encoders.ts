import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import {
  frame,
  readSchema,
  registerSchema,
  type AbandonmentPeriod,
  type RegisteredType,
} from '@sipflow/codec';
import avro from 'avsc';
import { INPUT, OUTPUTS, RECORD_KINDS, type RecordKind } from './outputs';
import type { Topics } from './topics';

/** The record type each kind's builder returns. */
export type RecordOf<K extends RecordKind> = ReturnType<(typeof OUTPUTS)[K]['record']>;

/** The kinds sipflow encodes: every record kind, and the ledger's periods (ledger-stage.ts). */
export type EncodedKind = RecordKind | 'abandonment';
const ENCODED_KINDS: readonly EncodedKind[] = [...RECORD_KINDS, 'abandonment'];

/** One encoder per encoded kind, bound to its registered schema id. */
export type OutputEncoders = { readonly [K in RecordKind]: RegisteredType<RecordOf<K>> } & {
  readonly abandonment: RegisteredType<AbandonmentPeriod>;
};

/** Subjects follow the topic-name strategy. */
export const subjectOf = (topic: string) => `${topic}-value`;

/** The schema file of an encoded kind's values. */
export const schemaFileOf = (kind: EncodedKind): string => OUTPUTS[kind].schemaFile;

/**
 * Registers (idempotently) the output schemas under their topics' subjects and returns encoders
 * bound to the ids: a producer registers what it writes, and a newer compatible version of a
 * schema is registered on the first start of the version that carries it.
 */
export async function registerOutputEncoders(
  registry: SchemaRegistry,
  topics: Topics,
): Promise<OutputEncoders> {
  const bound = await Promise.all(
    ENCODED_KINDS.map(async (kind) => {
      const schema = readSchema(schemaFileOf(kind));
      return [kind, await registerSchema(registry, subjectOf(topics[kind]), schema)] as const;
    }),
  );
  return Object.freeze(Object.fromEntries(bound)) as unknown as OutputEncoders;
}

/**
 * Encoders that register nothing, for dry runs and the audit: records are encoded (so a record the
 * output schema refuses is a dead letter, as it would be for real) under schema id 0.
 */
export function offlineEncoders(topics: Topics): OutputEncoders {
  const entries = ENCODED_KINDS.map((kind) => {
    const type = avro.Type.forSchema(readSchema(schemaFileOf(kind)) as avro.Schema);
    const encoder: RegisteredType<unknown> = {
      subject: subjectOf(topics[kind]),
      id: 0,
      type,
      encode: (value) => frame(0, type.toBuffer(value)),
    };
    return [kind, encoder] as const;
  });
  return Object.freeze(Object.fromEntries(entries)) as unknown as OutputEncoders;
}

/** The processor's own reader schema for the input: older and newer writers resolve to it. */
export function inputReaderType(): avro.Type {
  return avro.Type.forSchema(readSchema(INPUT.schemaFile) as avro.Schema);
}

/**
 * The input's reader schema with only the phone number: what the repartition stage reads to re-key
 * a record. An avsc resolver from the writer skips every other field without building it (no
 * strings copied, no objects made), where the full reader decoded each record whole just to read
 * its number. The record keeps its full name, which schema resolution matches on.
 */
export function inputPhoneNumberReaderType(): avro.Type {
  const full = readSchema(INPUT.schemaFile) as avro.schema.RecordType;
  const phoneNumber = full.fields.find((f) => f.name === 'phoneNumber');
  if (phoneNumber === undefined) throw new Error(`${INPUT.schemaFile} has no phoneNumber field`);
  const { fields: _all, ...record } = full;
  return avro.Type.forSchema({ ...record, fields: [phoneNumber] } as avro.Schema);
}

/** The reader schema of an encoded kind, for tools that read an output topic back (audit, replay diff). */
export function outputReaderType(kind: EncodedKind): avro.Type {
  return avro.Type.forSchema(readSchema(schemaFileOf(kind)) as avro.Schema);
}
