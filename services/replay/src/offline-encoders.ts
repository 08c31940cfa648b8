import { frame, readSchema, type RegisteredType } from '@sipflow/codec';
import type { Topics } from '@sipflow/config';
import { SCHEMA_FILES, subjectOf, type OutputEncoders } from '@sipflow/processor';
import avro from 'avsc';

/**
 * Encoders that register nothing, for `--dry-run`: records are encoded (so a record the output
 * schema refuses still counts as a DLQ record, as it would for real) under schema id 0, and
 * thrown away.
 */
export function offlineEncoders(topics: Topics): OutputEncoders {
  const bind = <T>(topic: string, file: string): RegisteredType<T> => {
    const type = avro.Type.forSchema(readSchema(file) as avro.Schema);
    return { subject: subjectOf(topic), id: 0, type, encode: (value: T) => frame(0, type.toBuffer(value)) };
  };
  return {
    enriched: bind(topics.enriched, SCHEMA_FILES.enriched),
    retry: bind(topics.retry, SCHEMA_FILES.retry),
    removal: bind(topics.removal, SCHEMA_FILES.removal),
    compliance: bind(topics.compliance, SCHEMA_FILES.compliance),
  };
}
