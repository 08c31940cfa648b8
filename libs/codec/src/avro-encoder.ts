import { COMPATIBILITY, SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import { frame } from './wire-format';

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

function boundType<T>(subject: string, id: number, schema: object): RegisteredType<T> {
  const type = avro.Type.forSchema(schema as avro.Schema);
  return { subject, id, type, encode: (value: T) => frame(id, type.toBuffer(value)) };
}
