/**
 * A hash table from a numeric key to a run of 32-bit words, kept in typed arrays: their memory is
 * outside the V8 heap (the garbage collector neither scans nor moves it) and a table dropped is
 * freed whole. One per input partition and keyed state; what the words mean is the codec's.
 *
 * Keys are positive integers below 2^53 (an E.164 number read as digits fits, 15 digits < 2^50).
 * Open addressing with linear probing over three parallel arrays (key, word offset, word count):
 * 14 bytes a slot. Values live in one arena, written end to end; a value replaced or deleted
 * leaves its old words behind, and when the arena is full the live values are copied into a new
 * one (compaction), sized so the garbage never costs more than a quarter of the arena.
 */
const EMPTY = 0;
const DELETED = -1;
/** Slots over capacity before the table grows: linear probing stays short below 0.8. */
const MAX_LOAD = 0.8;
/** Growth factors: small steps keep the slack (memory per key) low, at more copies. */
const TABLE_GROWTH = 1.5;
const ARENA_GROWTH = 1.25;
/** A value is at most this many words (the word count is a Uint16). */
export const MAX_VALUE_WORDS = 0xffff;

export class CompactTable {
  private keys: Float64Array;
  private offsets: Uint32Array;
  private lengths: Uint16Array;
  private arena: Uint32Array;
  /** words of the arena written so far */
  private top = 0;
  /** words of the arena no slot points at any more */
  private garbage = 0;
  private live = 0;
  private deleted = 0;

  constructor(expectedKeys = 0, expectedWords = 0) {
    const capacity = Math.max(16, Math.ceil(expectedKeys / MAX_LOAD) + 1);
    this.keys = new Float64Array(capacity);
    this.offsets = new Uint32Array(capacity);
    this.lengths = new Uint16Array(capacity);
    this.arena = new Uint32Array(Math.max(64, expectedWords));
  }

  /** Keys held. */
  get size(): number {
    return this.live;
  }

  /** Bytes of the typed arrays (what the table costs outside the heap). */
  get bytes(): number {
    return this.keys.byteLength + this.offsets.byteLength + this.lengths.byteLength + this.arena.byteLength;
  }

  /**
   * The arena: read a value at `offsetOf(slot)`, `lengthOf(slot)` words. Replaced when the table
   * writes (growth, compaction): do not keep it across a `put`.
   */
  get words(): Uint32Array {
    return this.arena;
  }

  /** The slot holding `key`, or -1. */
  find(key: number): number {
    const keys = this.keys;
    const capacity = keys.length;
    let slot = home(key, capacity);
    for (;;) {
      const k = keys[slot]!;
      if (k === key) return slot;
      if (k === EMPTY) return -1;
      slot = slot + 1 === capacity ? 0 : slot + 1;
    }
  }

  offsetOf(slot: number): number {
    return this.offsets[slot]!;
  }

  lengthOf(slot: number): number {
    return this.lengths[slot]!;
  }

  keyOf(slot: number): number {
    return this.keys[slot]!;
  }

  /**
   * Makes room for `key`'s value of `length` words and returns the offset in `words` to write it
   * at. A value no longer than the one it replaces is written in its place; otherwise at the end.
   */
  put(key: number, length: number): number {
    if (!(key > 0 && key <= Number.MAX_SAFE_INTEGER && Number.isInteger(key)))
      throw new RangeError(`a compact table key is a positive integer below 2^53, not ${key}`);
    if (length > MAX_VALUE_WORDS)
      throw new RangeError(`a value of ${length} words is over ${MAX_VALUE_WORDS}`);
    let slot = this.find(key);
    if (slot >= 0 && length <= this.lengths[slot]!) {
      this.garbage += this.lengths[slot]! - length;
      this.lengths[slot] = length;
      return this.offsets[slot]!;
    }
    if (slot < 0) {
      if (this.live + this.deleted + 1 > this.keys.length * MAX_LOAD) this.rehash();
      slot = this.insertSlot(key);
      this.live++;
    } else {
      this.garbage += this.lengths[slot]!;
      this.lengths[slot] = 0;
    }
    if (this.top + length > this.arena.length) this.makeRoom(length);
    const offset = this.top;
    this.top += length;
    this.offsets[slot] = offset;
    this.lengths[slot] = length;
    return offset;
  }

  /** Writes `key`'s value from `words` (copied). */
  set(key: number, words: Uint32Array): void {
    const offset = this.put(key, words.length);
    this.arena.set(words, offset);
  }

  delete(key: number): boolean {
    const slot = this.find(key);
    if (slot < 0) return false;
    this.keys[slot] = DELETED;
    this.garbage += this.lengths[slot]!;
    this.lengths[slot] = 0;
    this.live--;
    this.deleted++;
    return true;
  }

  /** Calls `visit` with each key's slot, in no particular order. Do not write meanwhile. */
  forEachSlot(visit: (slot: number) => void): void {
    const keys = this.keys;
    for (let slot = 0; slot < keys.length; slot++) if (keys[slot]! > 0) visit(slot);
  }

  /** A slot for a key not in the table: the first deleted or empty one on its probe sequence. */
  private insertSlot(key: number): number {
    const keys = this.keys;
    const capacity = keys.length;
    let slot = home(key, capacity);
    for (;;) {
      const k = keys[slot]!;
      if (k === EMPTY || k === DELETED) {
        if (k === DELETED) this.deleted--;
        keys[slot] = key;
        return slot;
      }
      slot = slot + 1 === capacity ? 0 : slot + 1;
    }
  }

  /** A larger table (or the same size, to clear deleted slots), every key placed again. */
  private rehash(): void {
    const { keys, offsets, lengths } = this;
    const capacity =
      this.live + 1 > keys.length * MAX_LOAD * 0.5 ? Math.ceil(keys.length * TABLE_GROWTH) : keys.length;
    this.keys = new Float64Array(capacity);
    this.offsets = new Uint32Array(capacity);
    this.lengths = new Uint16Array(capacity);
    this.deleted = 0;
    for (let old = 0; old < keys.length; old++) {
      const key = keys[old]!;
      if (key <= 0) continue;
      const slot = this.insertSlot(key);
      this.offsets[slot] = offsets[old]!;
      this.lengths[slot] = lengths[old]!;
    }
  }

  /**
   * Room for `length` more words: the live values copied into a new arena, in slot order, with a
   * quarter to spare (or the old arena grown when it holds little garbage, which copies the same).
   */
  private makeRoom(length: number): void {
    const liveWords = this.top - this.garbage;
    const size = Math.max(64, Math.ceil((liveWords + length) * ARENA_GROWTH));
    const next = new Uint32Array(size);
    if (this.garbage === 0) {
      next.set(this.arena.subarray(0, this.top));
    } else {
      let top = 0;
      const { keys, offsets, lengths, arena } = this;
      for (let slot = 0; slot < keys.length; slot++) {
        if (keys[slot]! <= 0) continue;
        const n = lengths[slot]!;
        const from = offsets[slot]!;
        // a loop, not set(subarray()): values are a few words, and a subarray is an object each
        for (let i = 0; i < n; i++) next[top + i] = arena[from + i]!;
        offsets[slot] = top;
        top += n;
      }
      this.top = top;
      this.garbage = 0;
    }
    this.arena = next;
  }
}

/** A key's first slot: the key's two 32-bit halves mixed (murmur3's finaliser), scaled to the capacity. */
function home(key: number, capacity: number): number {
  let h = (key >>> 0) ^ Math.imul((key / 4294967296) >>> 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  // Lemire's multiply-shift range reduction, in floating point: the product stays below
  // capacity · 2^32, and its rounding is far smaller than 2^32, so the slot is below capacity
  return Math.floor(((h >>> 0) * capacity) / 4294967296);
}
