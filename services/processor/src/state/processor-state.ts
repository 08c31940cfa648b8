import type { NumberStateView, Source, StateTopics } from '@sipflow/pipeline';
import { historyKeepMs } from '@sipflow/rules';
import type { StateMetrics } from '@sipflow/telemetry';
import type { Admin, Kafka, KafkaMessage, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import { NumberStateStore, type StagedBatch } from './number-state-store';
import { restoreFromChangelog } from './restore';
import { unwrapForwarded } from './repartition';

/**
 * `repartition`: the raw topic is re-keyed by number first (any keying works; the default).
 * `input`: the raw topic is already keyed by the E.164 number, with the Java client's default
 * partitioner, so the state lives on the input's own partitions and the extra hop is saved.
 */
export type StatePartitioning = 'repartition' | 'input';

/** One stateful batch in progress: its view of the state, and what to do once it is committed. */
export type StatefulBatch = {
  view: NumberStateView;
  /** the changelog records of this batch (tombstones of expired numbers included) */
  changelog: (keepMs: number) => TopicMessages | null;
  /** the batch is committed: its changes are now the state */
  committed: () => void;
};

/**
 * The processor's per-number state: which topic carries it, the store of the partitions owned,
 * their restore on assignment, and each batch's staged changes. Restores happen before the
 * partition's first batch is processed: the batch waits for it.
 */
export class ProcessorState {
  readonly store = new NumberStateStore();
  /** partitions of `stateTopic` this member was assigned at its last join */
  private assigned = new Set<number>();
  private restoring: Promise<void> | null = null;

  constructor(
    private readonly opts: {
      kafka: Kafka;
      admin: Admin;
      topics: StateTopics;
      /** the topic whose partitions hold the state: the repartition topic, or the input */
      stateTopic: string;
      groupId: string;
      metrics: StateMetrics;
      logger: Logger;
    },
  ) {}

  get stateTopic(): string {
    return this.opts.stateTopic;
  }

  /** The partitions of the state topic this member owns (its last join's assignment). */
  owned(): ReadonlySet<number> {
    return this.assigned;
  }

  isRestoring(): boolean {
    return this.restoring !== null;
  }

  /** The member joined with this assignment: forget what it no longer owns. */
  assignedPartitions(partitions: readonly number[]): void {
    this.assigned = new Set(partitions);
    const dropped = this.store.retainOnly(this.assigned);
    if (dropped.length > 0)
      this.opts.logger.info({ partitions: dropped }, 'state of revoked partitions dropped');
    this.opts.metrics.numbers.set(this.store.size());
  }

  /** Restores `partition` (with every other assigned partition not yet restored) if it is not. */
  async ready(partition: number, heartbeat: () => Promise<void>): Promise<void> {
    while (!this.store.isLoaded(partition)) {
      if (this.restoring === null) {
        this.restoring = this.restore(partition, heartbeat).finally(() => {
          this.restoring = null;
          this.opts.metrics.restoring.set(0);
        });
      }
      await this.restoring;
    }
  }

  private async restore(partition: number, heartbeat: () => Promise<void>): Promise<void> {
    const { metrics, logger } = this.opts;
    const partitions = [...new Set([partition, ...this.assigned])].filter((p) => !this.store.isLoaded(p));
    metrics.restoring.set(1);
    logger.info({ partitions, changelog: this.opts.topics.changelog }, 'restoring per-number state');
    const result = await restoreFromChangelog({
      kafka: this.opts.kafka,
      admin: this.opts.admin,
      changelog: this.opts.topics.changelog,
      partitions,
      groupId: this.opts.groupId,
      heartbeat,
    });
    let numbers = 0;
    for (const [p, map] of result.numbers) {
      this.store.load(p, map);
      numbers += map.size;
    }
    metrics.restoreSeconds.set(result.seconds);
    metrics.restoredRecords.inc(result.records);
    metrics.restoredNumbers.inc(numbers);
    metrics.numbers.set(this.store.size());
    logger.info(
      { partitions, records: result.records, numbers, seconds: Number(result.seconds.toFixed(3)) },
      'per-number state restored',
    );
  }

  /**
   * The raw records a batch of the state topic stands for, and the raw partition of each (one
   * for the batch when the state is on the input): a
   * repartition copy's (repartition.ts), or the batch's own records when the state is on the input.
   */
  unwrap(
    batchTopic: string,
    partition: number,
    messages: KafkaMessage[],
  ): { messages: KafkaMessage[]; sources: Source | Source[] } {
    const self: Source = { topic: batchTopic, partition };
    if (batchTopic !== this.opts.topics.repartition) return { messages, sources: self };
    const sources: Source[] = [];
    const unwrapped = messages.map((m) => {
      const u = unwrapForwarded(m, self);
      sources.push(u.source);
      return u.message;
    });
    return { messages: unwrapped, sources };
  }

  /** A batch of `partition` of the state topic; call ready() first. */
  begin(partition: number): StatefulBatch {
    const staged: StagedBatch = this.store.stage(partition);
    return {
      view: staged,
      changelog: (keepMs) => {
        // a reload may turn every cap off (0): keep the numbers rather than expire them all
        if (keepMs > 0) this.store.expire(staged, historyKeepMs(keepMs));
        const messages = this.store.changelogMessages(staged);
        return messages.length === 0 ? null : { topic: this.opts.topics.changelog, messages };
      },
      committed: () => {
        this.store.apply(staged);
        this.opts.metrics.changelogRecords.inc(staged.changes.size);
        this.opts.metrics.numbers.set(this.store.size());
      },
    };
  }
}
