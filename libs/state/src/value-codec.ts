import type { CompactTable } from './compact-table';

/**
 * How one kind of keyed state lays its values out in a compact table's words. A new keyed state
 * (a caller ID's counts, an abandonment group's ledger) is a codec like this and a key codec, in
 * the same store.
 */
export interface ValueCodec<V> {
  /** The words `value` takes (at most MAX_VALUE_WORDS). */
  words(value: V): number;
  write(value: V, into: Uint32Array, offset: number): void;
  read(from: Uint32Array, offset: number, length: number): V;
  /** The latest time (epoch ms) the value holds: the partition's stream time, and its expiry. */
  latest(value: V): number;
  latestIn(from: Uint32Array, offset: number, length: number): number;
  /** Why words read from outside (a changelog record, a snapshot) are not a value, or null. */
  check(from: Uint32Array, offset: number, length: number): string | null;
}

/** A state's keys as the table's numeric keys, and back (for changelog records' keys). */
export interface KeyCodec {
  /** undefined for text that is not a key of this state (it has no value) */
  toKey(text: string): number | undefined;
  fromKey(key: number): string;
}

/**
 * Writes `value` into `table` under `key`. The put comes first: it may replace the arena that
 * `table.words` returns, so the words are taken after it.
 */
export function putDecoded<V>(table: CompactTable, key: number, codec: ValueCodec<V>, value: V): void {
  const offset = table.put(key, codec.words(value));
  codec.write(value, table.words, offset);
}
