import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import {
  readSchema,
  registerSchema,
  type CallAttempt,
  type ComplianceAlert,
  type EnrichedCallAttempt,
  type LeadRemoval,
  type RegisteredType,
  type RetryRequest,
} from '@sipflow/codec';
import type { Topics } from '@sipflow/config';
import avro from 'avsc';

export type OutputEncoders = {
  enriched: RegisteredType<EnrichedCallAttempt>;
  retry: RegisteredType<RetryRequest>;
  removal: RegisteredType<LeadRemoval>;
  compliance: RegisteredType<ComplianceAlert>;
};

/** The schema file of each topic's values; subjects follow the topic-name strategy. */
export const SCHEMA_FILES = {
  input: 'call-attempt.avsc',
  enriched: 'call-attempt-enriched.avsc',
  retry: 'retry-request.avsc',
  removal: 'lead-removal.avsc',
  compliance: 'compliance-alert.avsc',
} as const;

export const subjectOf = (topic: string) => `${topic}-value`;

/**
 * Registers (idempotently) the output schemas under their topics' subjects and returns encoders
 * bound to the ids: a producer registers what it writes, and a newer compatible version of a
 * schema is registered on the first start of the version that carries it.
 */
export async function registerOutputSchemas(
  registry: SchemaRegistry,
  topics: Topics,
): Promise<OutputEncoders> {
  const [enriched, retry, removal, compliance] = await Promise.all([
    registerSchema<EnrichedCallAttempt>(
      registry,
      subjectOf(topics.enriched),
      readSchema(SCHEMA_FILES.enriched),
    ),
    registerSchema<RetryRequest>(registry, subjectOf(topics.retry), readSchema(SCHEMA_FILES.retry)),
    registerSchema<LeadRemoval>(registry, subjectOf(topics.removal), readSchema(SCHEMA_FILES.removal)),
    registerSchema<ComplianceAlert>(
      registry,
      subjectOf(topics.compliance),
      readSchema(SCHEMA_FILES.compliance),
    ),
  ]);
  return { enriched, retry, removal, compliance };
}

/** The processor's own reader schema for the input: older and newer writers resolve to it. */
export function inputReaderType(): avro.Type {
  return avro.Type.forSchema(readSchema(SCHEMA_FILES.input) as avro.Schema);
}

export type { CallAttempt };
