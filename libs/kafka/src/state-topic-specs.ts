import { CHANGELOG_CONFIGS, REPARTITION_CONFIGS, type StateTopics } from '@sipflow/pipeline';
import type { TopicSpec } from './topic-setup';

/**
 * The per-number state's topics as created by `sipflow setup` and, when missing, by the processor
 * (docs/state.md): the changelog always, the repartition topic unless the input is keyed by number.
 */
export function stateTopicSpecs(
  topics: StateTopics,
  opts: {
    partitions: number;
    replicationFactor: number;
    repartition: boolean;
    /** settings every topic gets, e.g. min.insync.replicas */
    common?: Record<string, string>;
  },
): TopicSpec[] {
  const spec = (topic: string, configs: Readonly<Record<string, string>>): TopicSpec => ({
    topic,
    partitions: opts.partitions,
    replicationFactor: opts.replicationFactor,
    configs: { ...opts.common, ...configs },
  });
  return [
    spec(topics.changelog, CHANGELOG_CONFIGS),
    ...(opts.repartition ? [spec(topics.repartition, REPARTITION_CONFIGS)] : []),
  ];
}
