import { readSchema, registerSchema } from '@sipflow/codec';
import type { ConnectionSettings } from '@sipflow/config';
import {
  INPUT,
  ledgerTopicsOf,
  OUTPUT_KINDS,
  OUTPUTS,
  stateTopicsOf,
  subjectOf,
  type Topics,
} from '@sipflow/pipeline';
import { createKafka, createRegistry } from './clients';
import { stateTopicSpecs } from './state-topic-specs';
import { ensureTopics, type TopicSetupResult } from './topic-setup';

export type ProvisionOptions = {
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas?: number;
  /**
   * The processor's consumer group: also creates its per-number state topics (repartition and
   * changelog, named from the input and the group; docs/state.md). The processor creates them
   * itself when missing, so this is for deployments that create every topic ahead.
   */
  stateGroup?: string;
};

export type ProvisionResult = {
  topics: TopicSetupResult[];
  subjects: Array<{ subject: string; id: number }>;
};

const DAY_MS = 24 * 3600 * 1000;

/**
 * `sipflow setup`: creates the input and every output topic of the outputs table (with the table's
 * retention), the per-number state topics when given the group, and registers the value schemas
 * with BACKWARD compatibility. Idempotent: run it on every deploy.
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
    const state = opts.stateGroup === undefined ? null : stateTopicsOf(topics.input, opts.stateGroup);
    const result = await ensureTopics(admin, [
      ...specs.map(({ topic, spec }) => ({
        topic,
        partitions: opts.partitions,
        replicationFactor: opts.replicationFactor,
        configs: {
          ...common,
          // a compacted output keeps each key's latest record (the ledger's periods) indefinitely
          ...(spec.retentionDays === null
            ? { 'cleanup.policy': 'compact' }
            : { 'retention.ms': String(spec.retentionDays * DAY_MS) }),
        },
      })),
      // the ledger's partials and changelog, named and configured like the per-number state's
      ...(opts.stateGroup === undefined
        ? []
        : [state!, ledgerTopicsOf(topics.input, opts.stateGroup)].flatMap((internal) =>
            stateTopicSpecs(internal, {
              partitions: opts.partitions,
              replicationFactor: opts.replicationFactor,
              repartition: true,
              common,
            }),
          )),
    ]);
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
