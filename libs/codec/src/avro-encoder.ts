import { COMPATIBILITY, SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import { frame, HEADER_SIZE } from './wire-format';

/**
 * An output schema registered under its subject, ready to frame records synchronously: the id
 * is looked up once at start-up, never per record.
 */
export type RegisteredType<T> = {
  subject: string;
  id: number;
  type: avro.Type;
  encode: (value: T) => Buffer;
};

export async function registerSchema<T>(
  registry: SchemaRegistry,
  subject: string,
  schema: object,
  compatibility: keyof typeof COMPATIBILITY = 'BACKWARD',
): Promise<RegisteredType<T>> {
  const { id } = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
    { subject, compatibility: COMPATIBILITY[compatibility] },
  );
  return boundType<T>(subject, id, schema);
}

/** For a schema already registered (e.g. by `sipflow setup`): look up its id without writing. */
export async function lookupSchema<T>(
  registry: SchemaRegistry,
  subject: string,
  schema: object,
): Promise<RegisteredType<T>> {
  const id = await registry.getRegistryIdBySchema(subject, {
    type: SchemaType.AVRO,
    schema: JSON.stringify(schema),
  });
  return boundType<T>(subject, id, schema);
}

/** Records larger than this are rare; they take the slower two-buffer path. */
const SCRATCH_BYTES = 64 * 1024;

function boundType<T>(subject: string, id: number, schema: object): RegisteredType<T> {
  const type = avro.Type.forSchema(schema as avro.Schema);
  // header written once; each record is encoded behind it in place and copied out in one
  // allocation (toBuffer + frame would allocate and copy twice, on the hottest path there is)
  const scratch = frame(id, Buffer.alloc(SCRATCH_BYTES - HEADER_SIZE));
  const encode = (value: T): Buffer => {
    const end = type.encode(value, scratch, HEADER_SIZE);
    if (end < 0) return frame(id, type.toBuffer(value));
    const out = Buffer.allocUnsafe(end);
    scratch.copy(out, 0, 0, end);
    return out;
  };
  return { subject, id, type, encode };
}
