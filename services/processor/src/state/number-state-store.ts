import { e164Key, historyWords, KeyedStateStore, type StagedBatch as KeyedStagedBatch } from '@sipflow/state';
import { EMPTY_HISTORY, type NumberHistory } from '@sipflow/rules';
import { decodeJsonHistory } from './history-codec';

/** What one batch changed in the per-number state, not yet applied (keyed-state-store.ts). */
export type StagedBatch = KeyedStagedBatch<NumberHistory>;

/**
 * The per-number state of the partitions this member owns: for each, every number's recent calls
 * in a compact table outside the heap (twelve bytes a call: history-words.ts in @sipflow/state),
 * with the changelog topic as the copy that survives a crash or a move to another member
 * (restore.ts reads it back). Like a Kafka Streams store with logging on.
 */
export class NumberStateStore extends KeyedStateStore<NumberHistory> {
  /** `sweepEveryMs`: how far stream time must move before expired numbers are looked for again. */
  constructor(sweepEveryMs?: number) {
    super({
      keys: e164Key,
      values: historyWords,
      empty: EMPTY_HISTORY,
      legacy: decodeJsonHistory,
      sweepEveryMs,
    });
  }
}
