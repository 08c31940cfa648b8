import { LEDGER_COUNT_FIELDS, type LedgerCounts, type LedgerState, type LedgerStatus } from '@sipflow/rules';
import type { ValueCodec } from './value-codec';

/**
 * An abandonment group's period as words of a compact table:
 *
 *   word 0:       flags: closed (bit 0), configured (bit 1), the status alerted (bits 2–3: OK, WARNING, OVER)
 *   words 1–8:    fromMs, toMs, firstCallAt, lastCallAt, each a float64 in two words
 *   words 9–21:   the counts, in LEDGER_COUNT_FIELDS order
 */
const TIMES = 4;
export const LEDGER_WORDS = 1 + 2 * TIMES + LEDGER_COUNT_FIELDS.length;
const STATUSES: readonly LedgerStatus[] = ['OK', 'WARNING', 'OVER'];

// one float64 seen as two words: exact for every double, negative times included
const float = new Float64Array(1);
const halves = new Uint32Array(float.buffer);

function writeTime(into: Uint32Array, w: number, ms: number): void {
  float[0] = ms;
  into[w] = halves[0]!;
  into[w + 1] = halves[1]!;
}

function readTime(from: Uint32Array, w: number): number {
  halves[0] = from[w]!;
  halves[1] = from[w + 1]!;
  return float[0]!;
}

export const ledgerWords: ValueCodec<LedgerState> = {
  words: () => LEDGER_WORDS,

  write(value, into, offset) {
    into[offset] =
      (value.closed ? 1 : 0) | (value.configured ? 2 : 0) | (STATUSES.indexOf(value.alerted) << 2);
    writeTime(into, offset + 1, value.fromMs);
    writeTime(into, offset + 3, value.toMs);
    writeTime(into, offset + 5, value.firstCallAt);
    writeTime(into, offset + 7, value.lastCallAt);
    let w = offset + 1 + 2 * TIMES;
    for (const field of LEDGER_COUNT_FIELDS) into[w++] = value.counts[field];
  },

  read(from, offset) {
    const flags = from[offset]!;
    const counts = {} as LedgerCounts;
    let w = offset + 1 + 2 * TIMES;
    for (const field of LEDGER_COUNT_FIELDS) counts[field] = from[w++]!;
    return {
      closed: (flags & 1) !== 0,
      configured: (flags & 2) !== 0,
      alerted: STATUSES[(flags >>> 2) & 3]!,
      fromMs: readTime(from, offset + 1),
      toMs: readTime(from, offset + 3),
      firstCallAt: readTime(from, offset + 5),
      lastCallAt: readTime(from, offset + 7),
      counts,
    };
  },

  latest: (value) => value.lastCallAt,
  latestIn: (from, offset) => readTime(from, offset + 7),

  check(from, offset, length) {
    if (length !== LEDGER_WORDS) return `${length} words, not the ${LEDGER_WORDS} of a ledger period`;
    const flags = from[offset]!;
    if (flags > 0b1011 || ((flags >>> 2) & 3) === 3) return `flags ${flags} are not a ledger period's`;
    for (const w of [1, 3, 5, 7])
      if (!Number.isFinite(readTime(from, offset + w))) return 'a time that is not a number';
    return null;
  },
};
