import type { BatchResult } from '@sipflow/processor';

/** What a replay did so far; plain data, so it goes into the checkpoint as is. */
export type ReplayCounts = {
  /** records read from the window's offset ranges */
  scanned: number;
  /** went through decode → classify → route */
  replayed: number;
  /** left out by --campaign / --sip-code (records that do not decode included, when those are set) */
  filtered: number;
  /** inside the offset ranges, but with a record timestamp outside --from/--to */
  outsideWindow: number;
  /** "DISPOSITION ACTION" → events */
  outcomes: Record<string, number>;
  /** output topic → records (would be) produced, the DLQ included */
  produced: Record<string, number>;
  /** SIPFLOW_* code → records (would be) sent to the DLQ */
  dlq: Record<string, number>;
};

export function emptyCounts(): ReplayCounts {
  return { scanned: 0, replayed: 0, filtered: 0, outsideWindow: 0, outcomes: {}, produced: {}, dlq: {} };
}

const add = (into: Record<string, number>, from: Map<string, number>) => {
  for (const [k, n] of from) into[k] = (into[k] ?? 0) + n;
};

export function addPipelineResult(counts: ReplayCounts, result: BatchResult): void {
  add(counts.outcomes, result.outcomes);
  add(counts.produced, result.produced);
  add(counts.dlq, result.dlq);
}

export const dlqTotal = (counts: ReplayCounts) => Object.values(counts.dlq).reduce((n, v) => n + v, 0);

/** Events per disposition (or per action, `part` 1) from the "DISPOSITION ACTION" outcomes. */
export function outcomesBy(counts: ReplayCounts, part: 0 | 1): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [outcome, n] of Object.entries(counts.outcomes)) {
    const key = outcome.split(' ')[part]!;
    out[key] = (out[key] ?? 0) + n;
  }
  return out;
}
