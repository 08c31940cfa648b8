import { INPUT } from './outputs';

/**
 * The processor's internal topics for per-number state, named from the input topic and the
 * consumer group as Kafka Streams names its own (`<application.id>-<name>-repartition` and
 * `-changelog`): two deployments reading one input keep separate state, and a renamed group starts
 * afresh rather than reading another's.
 */
export type StateTopics = {
  /** The input re-keyed by phone number: every call to one number reaches one partition. */
  readonly repartition: string;
  /** Compacted: the latest history of each number, per partition of the state's source topic. */
  readonly changelog: string;
};

export function stateTopicsOf(inputTopic: string, groupId: string): StateTopics {
  return Object.freeze({
    repartition: `${groupId}-${inputTopic}-by-number-repartition`,
    changelog: `${groupId}-${inputTopic}-number-state-changelog`,
  });
}

/**
 * The abandoned-call ledger's internal topics, named the same way: the classify stage's partials
 * keyed by abandonment group (ledger-partials.ts), and the changelog of the groups' periods.
 */
export function ledgerTopicsOf(inputTopic: string, groupId: string): StateTopics {
  return Object.freeze({
    repartition: `${groupId}-${inputTopic}-by-abandonment-group-repartition`,
    changelog: `${groupId}-${inputTopic}-abandonment-changelog`,
  });
}

/**
 * Topic settings of the changelog: compacted, so it holds one record per number (its latest
 * history) however long it runs, and a restore reads about as many records as there are numbers.
 * A tombstone (an expired number) is kept a day so a restore running meanwhile still sees it.
 */
export const CHANGELOG_CONFIGS: Readonly<Record<string, string>> = Object.freeze({
  'cleanup.policy': 'compact',
  'delete.retention.ms': String(24 * 3_600_000),
  'min.cleanable.dirty.ratio': '0.1',
  'segment.ms': String(3_600_000),
});

/**
 * The repartition topic is a pipe, but a record forwarded and not yet classified must outlive any
 * outage the raw topic itself outlives: the raw topic's retention (7 days), not shorter.
 */
export const REPARTITION_CONFIGS: Readonly<Record<string, string>> = Object.freeze({
  'cleanup.policy': 'delete',
  'retention.ms': String(INPUT.retentionDays * 24 * 3_600_000),
});
