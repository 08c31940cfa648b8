import type { AttemptEntry, NumberHistory } from '@sipflow/rules';
import type { ValueCodec } from './value-codec';

/**
 * A number's history as words of a compact table: three 32-bit words a call, in the history's
 * order (oldest first).
 *
 *   word 0: eventKey bits 0–31
 *   word 1: eventKey bits 32–46 (bits 0–14), unanswered (bit 15), startedAt bits 32–47 (bits 16–31)
 *   word 2: startedAt bits 0–31
 *
 * eventKey is 47 bits (event-key.ts in @sipflow/rules); startedAt is epoch milliseconds, which
 * input validation keeps between 1970 and 9999, below 2^48 (year 10889). Twelve bytes a call,
 * where the heap kept an object, a 36-character string and an array slot (about 150).
 */
export const WORDS_PER_CALL = 3;
const TWO_32 = 4294967296;

/** The startedAt of the call whose words begin at `w`. */
const atOf = (from: Uint32Array, w: number) => (from[w + 1]! >>> 16) * TWO_32 + from[w + 2]!;

export const historyWords: ValueCodec<NumberHistory> = {
  words: (history) => history.length * WORDS_PER_CALL,

  write(history, into, offset) {
    let w = offset;
    for (const entry of history) {
      const key = entry.eventKey;
      const at = entry.at;
      into[w] = key >>> 0;
      into[w + 1] = ((key / TWO_32) & 0x7fff) | (entry.unanswered ? 0x8000 : 0) | ((at / TWO_32) << 16);
      into[w + 2] = at >>> 0;
      w += WORDS_PER_CALL;
    }
  },

  read(from, offset, length) {
    const entries: AttemptEntry[] = new Array(length / WORDS_PER_CALL);
    for (let i = 0, w = offset; i < entries.length; i++, w += WORDS_PER_CALL) {
      const middle = from[w + 1]!;
      entries[i] = {
        at: atOf(from, w),
        eventKey: (middle & 0x7fff) * TWO_32 + from[w]!,
        unanswered: (middle & 0x8000) !== 0,
      };
    }
    return entries;
  },

  latest: (history) => history.at(-1)?.at ?? 0,

  latestIn(from, offset, length) {
    return length === 0 ? 0 : atOf(from, offset + length - WORDS_PER_CALL);
  },

  check(from, offset, length) {
    if (length % WORDS_PER_CALL !== 0) return `${length} words is not a whole number of calls`;
    let previous = -1;
    for (let w = offset; w < offset + length; w += WORDS_PER_CALL) {
      const at = atOf(from, w);
      if (at < previous) return 'calls out of order';
      previous = at;
    }
    return null;
  },
};
