import { CHANGELOG_CONFIGS, REPARTITION_CONFIGS, stateTopicsOf } from '@sipflow/pipeline';
import { describe, expect, it } from 'vitest';
import { stateTopicSpecs } from '../src/state-topic-specs';

describe('stateTopicSpecs', () => {
  const topics = stateTopicsOf('calls.raw', 'sipflow-processor');

  it('a compacted changelog and a repartition topic, both with the given partitions and common settings', () => {
    const specs = stateTopicSpecs(topics, {
      partitions: 6,
      replicationFactor: 3,
      repartition: true,
      common: { 'min.insync.replicas': '2' },
    });
    expect(specs).toEqual([
      {
        topic: topics.changelog,
        partitions: 6,
        replicationFactor: 3,
        configs: { 'min.insync.replicas': '2', ...CHANGELOG_CONFIGS },
      },
      {
        topic: topics.repartition,
        partitions: 6,
        replicationFactor: 3,
        configs: { 'min.insync.replicas': '2', ...REPARTITION_CONFIGS },
      },
    ]);
    expect(specs[0]!.configs!['cleanup.policy']).toBe('compact');
  });

  it('only the changelog when the input is keyed by number', () => {
    const specs = stateTopicSpecs(topics, { partitions: 3, replicationFactor: 1, repartition: false });
    expect(specs.map((s) => s.topic)).toEqual([topics.changelog]);
  });
});
