import { readSchema, registerSchema } from '@sipflow/codec';
import type { ConnectionSettings, Topics } from '@sipflow/config';
import { createKafka, createRegistry, ensureTopics, type TopicSetupResult } from '@sipflow/kafka';
import { SCHEMA_FILES, subjectOf } from './output-types';

export type SetupOptions = { partitions: number; replicationFactor: number; minInsyncReplicas?: number };

export type SetupResult = { topics: TopicSetupResult[]; subjects: Array<{ subject: string; id: number }> };

/**
 * Creates sipflow's topics and registers their value schemas with BACKWARD compatibility.
 * Idempotent: run it on every deploy. The DLQ keeps its records four times longer than the rest,
 * since it is read by people, not services.
 */
export async function setup(
  conn: ConnectionSettings,
  topics: Topics,
  opts: SetupOptions,
): Promise<SetupResult> {
  const kafka = createKafka(conn);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const common: Record<string, string> = opts.minInsyncReplicas
      ? { 'min.insync.replicas': String(opts.minInsyncReplicas) }
      : {};
    const week = String(7 * 24 * 3600 * 1000);
    const spec = (topic: string, retentionMs = week) => ({
      topic,
      partitions: opts.partitions,
      replicationFactor: opts.replicationFactor,
      configs: { ...common, 'retention.ms': retentionMs },
    });
    const result = await ensureTopics(admin, [
      spec(topics.input),
      spec(topics.enriched),
      spec(topics.retry),
      spec(topics.removal),
      spec(topics.compliance),
      spec(topics.dlq, String(4 * 7 * 24 * 3600 * 1000)),
    ]);
    const registry = createRegistry(conn);
    const subjects = [];
    for (const [role, file] of Object.entries(SCHEMA_FILES) as Array<[keyof Topics, string]>) {
      const subject = subjectOf(topics[role]);
      const { id } = await registerSchema(registry, subject, readSchema(file), 'BACKWARD');
      subjects.push({ subject, id });
    }
    return { topics: result, subjects };
  } finally {
    await admin.disconnect();
  }
}
