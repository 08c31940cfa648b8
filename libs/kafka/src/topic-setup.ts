import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, ITopicConfig } from 'kafkajs';

export type TopicSpec = {
  topic: string;
  partitions: number;
  replicationFactor: number;
  configs?: Record<string, string>;
};

export type TopicSetupResult = { topic: string; status: 'created' | 'exists'; partitions: number };

/**
 * Creates the topics that do not exist yet; idempotent. An existing topic with fewer partitions
 * than asked is reported, not changed: adding partitions re-maps keys (leadId) and would break
 * per-lead ordering, so that stays an operator's decision.
 */
export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<TopicSetupResult[]> {
  // A busy broker may answer the metadata request that follows a create with "unknown topic"
  // before the new partitions reach its metadata cache; the topics exist, so look again.
  const created = new Set<string>();
  for (let attempt = 1; ; attempt++) {
    try {
      return await createMissing(admin, specs, created);
    } catch (err) {
      if ((err as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || attempt >= 10) throw err;
      await sleep(500);
    }
  }
}

async function createMissing(
  admin: Admin,
  specs: TopicSpec[],
  created: Set<string>,
): Promise<TopicSetupResult[]> {
  const existing = new Set(await admin.listTopics());
  const toCreate: ITopicConfig[] = specs
    .filter((s) => !existing.has(s.topic))
    .map((s) => ({
      topic: s.topic,
      numPartitions: s.partitions,
      replicationFactor: s.replicationFactor,
      configEntries: Object.entries(s.configs ?? {}).map(([name, value]) => ({ name, value })),
    }));
  for (const t of toCreate) created.add(t.topic);
  if (toCreate.length > 0) await admin.createTopics({ topics: toCreate, waitForLeaders: true });

  const metadata = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
  const partitionsOf = new Map(metadata.topics.map((t) => [t.name, t.partitions.length]));
  return specs.map((s) => ({
    topic: s.topic,
    status: existing.has(s.topic) && !created.has(s.topic) ? 'exists' : 'created',
    partitions: partitionsOf.get(s.topic) ?? 0,
  }));
}
