import type { BatchTally } from '@sipflow/pipeline';

/** What a replay did so far; plain data, so it goes into the checkpoint as is. */
export type ReplayCounts = {
  /** records read from the window's offset ranges */
  scanned: number;
  /** went through decode → classify → outputs */
  replayed: number;
  /** left out by --campaign / --sip-code (records that do not decode included, when those are set) */
  filtered: number;
  /** inside the offset ranges, but with a record timestamp outside --from/--to */
  outsideWindow: number;
  /** classified events: disposition → action → events */
  outcomes: Record<string, Record<string, number>>;
  /** output topic → records (would be) produced, the DLQ included */
  produced: Record<string, number>;
  /** SIPFLOW_* code → records (would be) sent to the DLQ */
  dlq: Record<string, number>;
};

export function emptyCounts(): ReplayCounts {
  return { scanned: 0, replayed: 0, filtered: 0, outsideWindow: 0, outcomes: {}, produced: {}, dlq: {} };
}

const add = (into: Record<string, number>, key: string, n: number) => {
  into[key] = (into[key] ?? 0) + n;
};

export function addBatchTally(counts: ReplayCounts, tally: BatchTally): void {
  for (const [{ disposition, action }, n] of tally.classified)
    add((counts.outcomes[disposition] ??= {}), action, n);
  for (const [topic, n] of tally.produced) add(counts.produced, topic, n);
  for (const [code, n] of tally.deadLetters) add(counts.dlq, code, n);
  counts.filtered += tally.filtered;
}

export const dlqTotal = (counts: ReplayCounts) => Object.values(counts.dlq).reduce((n, v) => n + v, 0);

export function eventsByDisposition(counts: ReplayCounts): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts.outcomes).map(([d, byAction]) => [
      d,
      Object.values(byAction).reduce((a, b) => a + b, 0),
    ]),
  );
}

export function eventsByAction(counts: ReplayCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const byAction of Object.values(counts.outcomes))
    for (const [a, n] of Object.entries(byAction)) add(out, a, n);
  return out;
}
