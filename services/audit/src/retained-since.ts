import type { KafkaMessage } from 'kafkajs';

/**
 * How far back a topic read from its start still reaches: for each partition whose first offset
 * is gone (retention deleted it), the time of its first retained record. Records before the
 * latest of those may be missing; a period that began earlier cannot be recomputed whole.
 */
export class RetainedSince {
  private readonly seen = new Set<number>();
  private readonly cut = new Map<number, number>();

  /** A batch of `partition`, read in order from the partition's start: the first one counts. */
  batch(partition: number, messages: readonly KafkaMessage[]): void {
    if (this.seen.has(partition) || messages.length === 0) return;
    this.seen.add(partition);
    const first = messages[0]!;
    if (first.offset !== '0') this.cut.set(partition, Number(first.timestamp));
  }

  /** Epoch ms since when every partition holds all its records; null: none lost any. */
  get ms(): number | null {
    return this.cut.size === 0 ? null : Math.max(...this.cut.values());
  }
}
