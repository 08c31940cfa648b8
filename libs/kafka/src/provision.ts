import { readSchema, registerSchema } from '@sipflow/codec';
import type { ConnectionSettings } from '@sipflow/config';
import { INPUT, OUTPUT_KINDS, OUTPUTS, subjectOf, type Topics } from '@sipflow/pipeline';
import { createKafka, createRegistry } from './clients';
import { ensureTopics, type TopicSetupResult } from './topic-setup';

export type ProvisionOptions = { partitions: number; replicationFactor: number; minInsyncReplicas?: number };

export type ProvisionResult = {
  topics: TopicSetupResult[];
  subjects: Array<{ subject: string; id: number }>;
};

const DAY_MS = 24 * 3600 * 1000;

/**
 * `sipflow setup`: creates the input and every output topic of the outputs table (with the table's
 * retention), and registers their value schemas with BACKWARD compatibility. Idempotent: run it on
 * every deploy.
 */
export async function provisionTopicsAndSchemas(
  conn: ConnectionSettings,
  topics: Topics,
  opts: ProvisionOptions,
): Promise<ProvisionResult> {
  const admin = createKafka(conn).admin();
  await admin.connect();
  try {
    const common: Record<string, string> = opts.minInsyncReplicas
      ? { 'min.insync.replicas': String(opts.minInsyncReplicas) }
      : {};
    const specs = [
      { topic: topics.input, spec: INPUT },
      ...OUTPUT_KINDS.map((kind) => ({ topic: topics[kind], spec: OUTPUTS[kind] })),
    ];
    const result = await ensureTopics(
      admin,
      specs.map(({ topic, spec }) => ({
        topic,
        partitions: opts.partitions,
        replicationFactor: opts.replicationFactor,
        configs: { ...common, 'retention.ms': String(spec.retentionDays * DAY_MS) },
      })),
    );
    const registry = createRegistry(conn);
    const subjects = [];
    for (const { topic, spec } of specs) {
      if (spec.schemaFile === null) continue;
      const subject = subjectOf(topic);
      const { id } = await registerSchema(registry, subject, readSchema(spec.schemaFile), 'BACKWARD');
      subjects.push({ subject, id });
    }
    return { topics: result, subjects };
  } finally {
    await admin.disconnect();
  }
}
