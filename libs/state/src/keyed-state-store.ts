import { SipflowError } from '@sipflow/errors';
import { encodeValue, putValue } from './changelog-value';
import { CompactTable } from './compact-table';
import { putDecoded, type KeyCodec, type ValueCodec } from './value-codec';

/** A changelog record: the key as text, the value (null: a tombstone), its changelog partition. */
export type ChangelogRecord = { key: string; value: Buffer | null; partition: number };

/**
 * What one batch changed, not yet applied: the batch reads through it, and it is applied to the
 * store only once the batch's outputs (and changelog records) are committed. A batch that fails
 * leaves the store as the last committed batch left it, so its redelivery sees the same state.
 */
export type StagedBatch<V> = {
  readonly partition: number;
  /** key → its new value, or null for a key that expired (a tombstone) */
  readonly changes: ReadonlyMap<string, V | null>;
  get(key: string): V;
  set(key: string, value: V): void;
};

/** One partition's table and its stream time: the latest time any value holds. */
type PartitionState = { table: CompactTable; streamTime: number; sweptAt: number };

export type KeyedStateOptions<V> = {
  keys: KeyCodec;
  values: ValueCodec<V>;
  /** what a key without a value reads as */
  empty: V;
  /** changelog values of version 1 (JSON), for keys not written since */
  legacy?: (value: Buffer, where: string) => V;
  /** how far stream time must move before expired keys are looked for again */
  sweepEveryMs?: number;
};

/**
 * The keyed state of the partitions this member owns, one compact table per partition (outside
 * the heap: compact-table.ts), with the changelog topic as the copy that survives a crash or a
 * move to another member. Like a Kafka Streams store with logging on. Values are decoded for the
 * batch that reads them and encoded back when it is applied; the table holds only words.
 */
export class KeyedStateStore<V> {
  private readonly partitions = new Map<number, PartitionState>();
  /** bumped when a partition's state is thrown away, so a restore begun before cannot load it */
  private readonly epochs = new Map<number, number>();
  private readonly sweepEveryMs: number;

  constructor(private readonly opts: KeyedStateOptions<V>) {
    this.sweepEveryMs = opts.sweepEveryMs ?? 3_600_000;
  }

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
   * Its table's memory goes with it.
   */
  invalidate(partition: number): void {
    this.partitions.delete(partition);
    this.epochs.set(partition, this.epoch(partition) + 1);
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

  /** A table to restore a partition into (loader.ts fills it from changelog records). */
  newTable(expectedKeys = 0): TableLoader<V> {
    return new TableLoader(new CompactTable(expectedKeys), this.opts);
  }

  /** A loader that goes on from `table` (a snapshot's): the changelog's tail is applied over it. */
  resume(table: CompactTable): TableLoader<V> {
    return new TableLoader(table, this.opts);
  }

  /** A partition's state as restored. */
  load(partition: number, loaded: TableLoader<V>): void {
    const { table } = loaded;
    let streamTime = 0;
    const words = table.words;
    table.forEachSlot((slot) => {
      const t = this.opts.values.latestIn(words, table.offsetOf(slot), table.lengthOf(slot));
      if (t > streamTime) streamTime = t;
    });
    this.partitions.set(partition, { table, streamTime, sweptAt: streamTime });
  }

  /**
   * A loaded partition's table, for a snapshot (its stream time is derived again on load). The
   * table is the live one: encode it before the next batch of the partition is applied.
   */
  current(partition: number): CompactTable | undefined {
    return this.partitions.get(partition)?.table;
  }

  /** A batch's view of a loaded partition. */
  stage(partition: number): StagedBatch<V> {
    const state = this.partitions.get(partition);
    if (state === undefined) throw new Error(`state of partition ${partition} is not restored`);
    const { keys, values, empty } = this.opts;
    const changes = new Map<string, V | null>();
    return {
      partition,
      changes,
      get: (text) => {
        const changed = changes.get(text);
        if (changed !== undefined) return changed ?? empty;
        const key = keys.toKey(text);
        if (key === undefined) return empty;
        const slot = state.table.find(key);
        if (slot < 0) return empty;
        return values.read(state.table.words, state.table.offsetOf(slot), state.table.lengthOf(slot));
      },
      set: (text, value) => {
        if (keys.toKey(text) === undefined)
          throw new SipflowError(
            'SIPFLOW_INTERNAL_ERROR',
            `state key ${JSON.stringify(text)} is not a key of this state`,
          );
        changes.set(text, value);
      },
    };
  }

  /**
   * Adds tombstones for the partition's keys whose latest time is more than `keepMs` before its
   * stream time (after this batch's): nothing they hold can matter any more. Scans the partition
   * only when stream time moved `sweepEveryMs` since the last scan, so a busy partition does not
   * pay a scan per batch.
   */
  expire(staged: StagedBatch<V>, keepMs: number): void {
    const state = this.partitions.get(staged.partition)!;
    const streamTime = Math.max(state.streamTime, this.latestIn(staged.changes));
    if (streamTime - state.sweptAt < this.sweepEveryMs) return;
    const changes = staged.changes as Map<string, V | null>;
    const { table } = state;
    const { keys, values } = this.opts;
    const words = table.words;
    table.forEachSlot((slot) => {
      if (values.latestIn(words, table.offsetOf(slot), table.lengthOf(slot)) > streamTime - keepMs) return;
      const text = keys.fromKey(table.keyOf(slot));
      if (!changes.has(text)) changes.set(text, null);
    });
  }

  /** The changelog records of a batch's changes, on the partition's own changelog partition. */
  changelogMessages(staged: StagedBatch<V>): ChangelogRecord[] {
    const records: ChangelogRecord[] = [];
    for (const [key, value] of staged.changes)
      records.push({
        key,
        value: value === null ? null : encodeValue(this.opts.values, value),
        partition: staged.partition,
      });
    return records;
  }

  /** Applies a committed batch's changes. */
  apply(staged: StagedBatch<V>): void {
    const state = this.partitions.get(staged.partition);
    // revoked while the batch ran: the partition is another member's now
    if (state === undefined) return;
    const { keys, values } = this.opts;
    const { table } = state;
    for (const [text, value] of staged.changes) {
      const key = keys.toKey(text)!;
      if (value === null) table.delete(key);
      else putDecoded(table, key, values, value);
    }
    const latest = this.latestIn(staged.changes);
    if (latest > state.streamTime) state.streamTime = latest;
    if (state.streamTime - state.sweptAt >= this.sweepEveryMs) state.sweptAt = state.streamTime;
  }

  /** Every key and value held, over all loaded partitions (decoded: for states of few keys). */
  forEach(fn: (key: string, value: V) => void): void {
    const { keys, values } = this.opts;
    for (const { table } of this.partitions.values()) {
      const words = table.words;
      table.forEachSlot((slot) =>
        fn(keys.fromKey(table.keyOf(slot)), values.read(words, table.offsetOf(slot), table.lengthOf(slot))),
      );
    }
  }

  /** Keys held, over all loaded partitions. */
  size(): number {
    let n = 0;
    for (const state of this.partitions.values()) n += state.table.size;
    return n;
  }

  /** Bytes the tables hold outside the heap, over all loaded partitions. */
  bytes(): number {
    let n = 0;
    for (const state of this.partitions.values()) n += state.table.bytes;
    return n;
  }

  private latestIn(changes: ReadonlyMap<string, V | null>): number {
    let latest = 0;
    for (const value of changes.values())
      if (value !== null) latest = Math.max(latest, this.opts.values.latest(value));
    return latest;
  }
}

/** A table being filled from changelog records (restore), latest record per key winning. */
export class TableLoader<V> {
  constructor(
    readonly table: CompactTable,
    private readonly opts: Pick<KeyedStateOptions<V>, 'keys' | 'values' | 'legacy'>,
  ) {}

  /** A decoded value (tools and tests that hold values rather than changelog records). */
  value(keyText: string, value: V): void {
    const key = this.opts.keys.toKey(keyText);
    if (key === undefined) throw new RangeError(`${JSON.stringify(keyText)} is not a key of this state`);
    putDecoded(this.table, key, this.opts.values, value);
  }

  /** A changelog record: `value` null is a tombstone. `where` names it in an error. */
  record(keyText: string, value: Buffer | null, where: string): void {
    const key = this.opts.keys.toKey(keyText);
    if (key === undefined) return;
    if (value === null) this.table.delete(key);
    else putValue(this.table, key, value, this.opts.values, this.opts.legacy, where);
  }
}
