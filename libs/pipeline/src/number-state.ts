import type { NumberHistory } from '@sipflow/rules';

/**
 * The per-number state a batch reads and writes: the calls made to each number, what frequency
 * caps and `stopAfterUnanswered` count. The processor backs it with a store per partition and a
 * changelog topic (services/processor/src/state/), replay with a map rebuilt from the raw topic,
 * `sipflow classify` with a map built from its input. Writes made by a batch are the caller's to
 * keep or drop: a batch whose outputs are not committed must not leave its writes behind.
 */
export interface NumberStateView {
  /** The number's calls as far as this batch knows: earlier batches', then this batch's earlier records. */
  get(phoneNumber: string): NumberHistory;
  set(phoneNumber: string, history: NumberHistory): void;
}

/** A NumberStateView over a plain map: for tools that keep all numbers in memory (classify, replay). */
export function mapState(map: Map<string, NumberHistory> = new Map()): NumberStateView & {
  readonly map: Map<string, NumberHistory>;
} {
  return {
    map,
    get: (phoneNumber) => map.get(phoneNumber) ?? EMPTY,
    set: (phoneNumber, history) => void map.set(phoneNumber, history),
  };
}

const EMPTY: NumberHistory = Object.freeze([]);
