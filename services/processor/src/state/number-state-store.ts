import type { NumberStateView } from '@sipflow/pipeline';
import { isExpired, type NumberHistory } from '@sipflow/rules';
import type { Message } from 'kafkajs';
import { encodeHistory } from './history-codec';

const EMPTY: NumberHistory = Object.freeze([]);

/** One partition's numbers, and its stream time: the latest call it has recorded. */
type PartitionState = { numbers: Map<string, NumberHistory>; streamTime: number; sweptAt: number };

/**
 * What one batch changed, not yet applied: the batch reads through it, and it is applied to the
 * store only once the batch's outputs (and changelog records) are committed. A batch that fails
 * leaves the store as the last committed batch left it, so its redelivery sees the same state.
 */
export type StagedBatch = NumberStateView & {
  readonly partition: number;
  /** number → its new history, or null for a number that expired (a tombstone) */
  readonly changes: ReadonlyMap<string, NumberHistory | null>;
};

/**
 * The per-number state of the partitions this member owns: for each, every number's recent calls,
 * in memory, with the changelog topic as the copy that survives a crash or a move to another
 * member (restore.ts reads it back). Like a Kafka Streams in-memory store with logging on.
 */
export class NumberStateStore {
  private readonly partitions = new Map<number, PartitionState>();
  /** bumped when a partition's state is thrown away, so a restore begun before cannot load it */
  private readonly epochs = new Map<number, number>();

  /** How far stream time must move before expired numbers are looked for again. */
  constructor(private readonly sweepEveryMs: number = 3_600_000) {}

  isLoaded(partition: number): boolean {
    return this.partitions.has(partition);
  }

  /** Changes when the partition's state is thrown away (invalidate, retainOnly). */
  epoch(partition: number): number {
    return this.epochs.get(partition) ?? 0;
  }

  /**
   * Throws a partition's state away, loaded or being restored: it may miss what another member
   * or a batch of an earlier generation wrote to the changelog, and is restored again from it.
   */
  invalidate(partition: number): void {
    this.partitions.delete(partition);
    this.epochs.set(partition, this.epoch(partition) + 1);
  }

  /** A partition's numbers as restored from the changelog. */
  load(partition: number, numbers: Map<string, NumberHistory>): void {
    let streamTime = 0;
    for (const history of numbers.values()) streamTime = Math.max(streamTime, history.at(-1)?.at ?? 0);
    this.partitions.set(partition, { numbers, streamTime, sweptAt: streamTime });
  }

  /**
   * Forgets the partitions no longer assigned: another member owns them now and writes their
   * changelog, so ours would go stale; if one comes back it is restored again.
   */
  retainOnly(assigned: ReadonlySet<number>): number[] {
    const dropped: number[] = [];
    for (const partition of this.partitions.keys()) {
      if (!assigned.has(partition)) {
        this.invalidate(partition);
        dropped.push(partition);
      }
    }
    return dropped;
  }

  /** A batch's view of a loaded partition. */
  stage(partition: number): StagedBatch {
    const state = this.partitions.get(partition);
    if (state === undefined) throw new Error(`state of partition ${partition} is not restored`);
    const changes = new Map<string, NumberHistory | null>();
    return {
      partition,
      changes,
      get: (phoneNumber) => changes.get(phoneNumber) ?? state.numbers.get(phoneNumber) ?? EMPTY,
      set: (phoneNumber, history) => void changes.set(phoneNumber, history),
    };
  }

  /**
   * Adds tombstones for the partition's numbers whose calls are all older than `keepMs` before its
   * stream time (after this batch's): nothing they hold can matter to a cap any more. Scans the
   * partition only when stream time moved `sweepEveryMs` since the last scan, so a busy partition
   * does not pay a scan per batch.
   */
  expire(staged: StagedBatch, keepMs: number): void {
    const state = this.partitions.get(staged.partition)!;
    const streamTime = Math.max(state.streamTime, latestIn(staged.changes));
    if (streamTime - state.sweptAt < this.sweepEveryMs) return;
    const changes = staged.changes as Map<string, NumberHistory | null>;
    for (const [phoneNumber, history] of state.numbers) {
      if (!changes.has(phoneNumber) && isExpired(history, streamTime, keepMs)) changes.set(phoneNumber, null);
    }
  }

  /** The changelog records of a batch's changes, on the partition's own changelog partition. */
  changelogMessages(staged: StagedBatch): Message[] {
    const messages: Message[] = [];
    for (const [phoneNumber, history] of staged.changes) {
      messages.push({
        key: phoneNumber,
        value: history === null ? null : encodeHistory(history),
        partition: staged.partition,
      });
    }
    return messages;
  }

  /** Applies a committed batch's changes. */
  apply(staged: StagedBatch): void {
    const state = this.partitions.get(staged.partition);
    // revoked while the batch ran: the partition is another member's now
    if (state === undefined) return;
    const latest = latestIn(staged.changes);
    for (const [phoneNumber, history] of staged.changes) {
      if (history === null) state.numbers.delete(phoneNumber);
      else state.numbers.set(phoneNumber, history);
    }
    if (latest > state.streamTime) state.streamTime = latest;
    if (state.streamTime - state.sweptAt >= this.sweepEveryMs) state.sweptAt = state.streamTime;
  }

  /** Numbers tracked, over all loaded partitions. */
  size(): number {
    let n = 0;
    for (const state of this.partitions.values()) n += state.numbers.size;
    return n;
  }
}

function latestIn(changes: ReadonlyMap<string, NumberHistory | null>): number {
  let latest = 0;
  for (const history of changes.values())
    if (history !== null) latest = Math.max(latest, history.at(-1)?.at ?? 0);
  return latest;
}
