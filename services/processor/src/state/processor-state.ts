import type { Source, StateTopics } from '@sipflow/pipeline';
import { historyKeepMs, type NumberHistory, type Rules } from '@sipflow/rules';
import type { StateMetrics } from '@sipflow/telemetry';
import type { Admin, Kafka, KafkaMessage, RecordMetadata, TopicMessages } from 'kafkajs';
import type { KeyedStateStore, StagedBatch, TableLoader } from '@sipflow/state';
import type { Logger } from 'pino';
import { NumberStateStore } from './number-state-store';
import { restoreFromChangelog } from './restore';
import type { SnapshotFiles } from './snapshot-files';
import { unwrapForwarded } from './repartition';

/**
 * `repartition`: the raw topic is re-keyed by number first (any keying works; the default).
 * `input`: the raw topic is already keyed by the E.164 number, with the Java client's default
 * partitioner, so the state lives on the input's own partitions and the extra hop is saved.
 */
export type StatePartitioning = 'repartition' | 'input';

/** One stateful batch in progress: its view of the state, and what to do once it is committed. */
export type StatefulBatch<V = NumberHistory> = {
  view: StagedBatch<V>;
  /** the changelog records of this batch (tombstones of expired keys included), under `rules` */
  changelog: (rules: Rules) => TopicMessages | null;
  /** a produce request of the batch was acknowledged: where its changelog records landed */
  sent: (chunk: readonly TopicMessages[], metadata: readonly RecordMetadata[]) => void;
  /** the batch is committed: its changes are now the state */
  committed: () => void;
};

/**
 * How long the per-number state keeps a number after its latest call: as long as the longest cap
 * looks back (0, when a reload turned every cap off: keep the numbers rather than expire them all).
 */
const numberKeepMs = (rules: Rules): number =>
  rules.stateWindowMs > 0 ? historyKeepMs(rules.stateWindowMs) : 0;

/**
 * One keyed state of the processor (the per-number state; the abandonment ledger's): which topic
 * carries it, the store of the partitions owned, their restore on assignment, and each batch's
 * staged changes. Restores happen before the partition's first batch is processed: the batch
 * waits for it.
 */
export class ProcessorState<V = NumberHistory> {
  readonly store: KeyedStateStore<V>;
  /** partitions of `stateTopic` this member was assigned at its last join */
  private assigned = new Set<number>();
  /** the group generation of the last join, when the client reports it */
  private generation: number | undefined;
  private restoring: Promise<void> | null = null;
  /** per loaded partition, the first changelog offset its table does not reflect */
  private readonly covered = new Map<number, number>();
  /** per loaded partition, when its last snapshot was taken (or it was restored) */
  private readonly snapshotAt = new Map<number, number>();

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
      /** local snapshots (STATE_DIR), taken every `everyMs` between batches and on close */
      snapshots?: { files: SnapshotFiles; everyMs: number };
      /** the store (default: the per-number state's) */
      store?: KeyedStateStore<V>;
      /** what the state is called in the log (default: per-number state) */
      name?: string;
      /** how long a key is kept after its latest time, under some rules; 0: not expired */
      keepMs?: (rules: Rules) => number;
    },
  ) {
    this.store = opts.store ?? (new NumberStateStore() as unknown as KeyedStateStore<V>);
  }

  private get name(): string {
    return this.opts.name ?? 'per-number state';
  }

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

  /**
   * The member joined generation `generationId` with this assignment: forget what it no longer
   * owns. A partition's state is kept only when the member owned it in the generation just before
   * this one (the group's generations are numbered one by one): then nobody else can have written
   * its changelog in between. A member that was out of the group meanwhile (paused past its
   * session timeout, say) may get a partition back that another member owned and wrote to, so its
   * whole state is thrown away and restored from the changelog; so is it when the client does not
   * report the generation.
   */
  assignedPartitions(partitions: readonly number[], generationId?: number): void {
    const previous = this.generation;
    const continuous = generationId !== undefined && previous !== undefined && generationId === previous + 1;
    this.generation = generationId;
    const before = this.assigned;
    this.assigned = new Set(partitions);
    // a restore still running for a partition not assigned any more must not load it
    for (const p of before) if (!this.assigned.has(p)) this.store.invalidate(p);
    const dropped = this.store.retainOnly(continuous ? this.assigned : new Set());
    for (const p of [...this.covered.keys()]) if (!this.store.isLoaded(p)) this.covered.delete(p);
    if (dropped.length > 0)
      this.opts.logger.info(
        continuous
          ? { partitions: dropped }
          : { partitions: dropped, generation: generationId ?? null, previousGeneration: previous ?? null },
        continuous
          ? 'state of revoked partitions dropped'
          : 'member may have been out of the group since its last generation: its state is restored from the changelog again',
      );
    this.setSizeMetrics();
  }

  /**
   * A batch of `partition` wrote its changes but cannot apply them here (the member left the
   * generation the batch was fetched in): the partition's state is restored again before its next
   * batch, from the changelog that now holds them.
   */
  invalidate(partition: number): void {
    this.store.invalidate(partition);
    this.covered.delete(partition);
    this.setSizeMetrics();
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
    const epochs = new Map(partitions.map((p) => [p, this.store.epoch(p)]));
    logger.info({ partitions, changelog: this.opts.topics.changelog }, `restoring ${this.name}`);
    const resume = new Map<number, { table: TableLoader<V>; from: number }>();
    for (const p of partitions) {
      const snapshot = await this.opts.snapshots?.files.read(p, Date.now());
      if (snapshot) resume.set(p, { table: this.store.resume(snapshot.table), from: snapshot.nextOffset });
    }
    const result = await restoreFromChangelog({
      kafka: this.opts.kafka,
      admin: this.opts.admin,
      changelog: this.opts.topics.changelog,
      partitions,
      groupId: this.opts.groupId,
      heartbeat,
      newTable: () => this.store.newTable(),
      resume,
    });
    let numbers = 0;
    for (const [p, loaded] of result.tables) {
      // thrown away while this restore ran: a later restore reads the changelog again
      if (this.store.epoch(p) !== epochs.get(p)) continue;
      this.store.load(p, loaded);
      this.covered.set(p, result.ends.get(p)!);
      numbers += loaded.table.size;
      // what was just read is the next restart's starting point: a member killed before its first
      // interval is up (a crash loop, a busy catch-up) then does not read the whole changelog again
      if (result.records > 0) this.maybeSnapshot(p, true);
      else this.snapshotAt.set(p, Date.now());
    }
    metrics.restoreSeconds.set(result.seconds);
    metrics.restoredRecords.inc(result.records);
    metrics.restoredNumbers.inc(numbers);
    this.setSizeMetrics();
    logger.info(
      {
        partitions,
        fromSnapshot: result.resumed,
        records: result.records,
        numbers,
        seconds: Number(result.seconds.toFixed(3)),
      },
      `${this.name} restored`,
    );
  }

  /** A snapshot of the partition when one is due: its table as of `covered`. */
  private maybeSnapshot(partition: number, force = false): Promise<void> | undefined {
    const snapshots = this.opts.snapshots;
    if (snapshots === undefined) return undefined;
    const now = Date.now();
    if (!force && now - (this.snapshotAt.get(partition) ?? now) < snapshots.everyMs) return undefined;
    const current = this.store.current(partition);
    const nextOffset = this.covered.get(partition);
    if (current === undefined || nextOffset === undefined) return undefined;
    this.snapshotAt.set(partition, now);
    return snapshots.files.write({
      partition,
      nextOffset,
      writtenAt: now,
      table: current,
    });
  }

  /**
   * A clean stop, after the last batch is committed: a snapshot of every partition still held, so
   * the next start replays nothing it does not have to.
   */
  async close(): Promise<void> {
    if (this.opts.snapshots === undefined) return;
    for (const p of this.assigned) this.maybeSnapshot(p, true);
    await this.opts.snapshots.files.flush();
  }

  private setSizeMetrics(): void {
    this.opts.metrics.numbers.set(this.store.size());
    this.opts.metrics.stateBytes.set(this.store.bytes());
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
  begin(partition: number): StatefulBatch<V> {
    const staged: StagedBatch<V> = this.store.stage(partition);
    const changelogTopic = this.opts.topics.changelog;
    // the last changelog offset this batch wrote, once acknowledged
    let lastWritten = -1;
    return {
      view: staged,
      sent: (chunk, metadata) => {
        // every changelog record of a batch goes to its own partition (one entry in the metadata);
        // a transaction may carry other partitions' batches in the same chunk (transaction-groups.ts)
        let count = 0;
        for (const t of chunk)
          if (t.topic === changelogTopic) for (const m of t.messages) if (m.partition === partition) count++;
        if (count === 0) return;
        const landed = metadata.find((m) => m.topicName === changelogTopic && m.partition === partition);
        if (landed?.baseOffset !== undefined)
          lastWritten = Math.max(lastWritten, Number(landed.baseOffset) + count - 1);
      },
      changelog: (rules) => {
        const keepMs = (this.opts.keepMs ?? numberKeepMs)(rules);
        if (keepMs > 0) this.store.expire(staged, keepMs);
        const messages = this.store.changelogMessages(staged);
        return messages.length === 0 ? null : { topic: this.opts.topics.changelog, messages };
      },
      committed: () => {
        this.store.apply(staged);
        this.opts.metrics.changelogRecords.inc(staged.changes.size);
        this.setSizeMetrics();
        if (staged.changes.size > 0) {
          // a batch whose changelog records were written without their offsets being known
          // leaves the partition without a snapshot point until its next restore
          if (lastWritten < 0) this.covered.delete(partition);
          else if (this.covered.has(partition)) this.covered.set(partition, lastWritten + 1);
        }
        this.maybeSnapshot(partition);
      },
    };
  }
}
