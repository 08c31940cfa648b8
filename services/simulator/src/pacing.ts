/** Most records in one produce request: kafkajs copies batches in O(n²), so stay at a few thousand. */
export const MAX_BATCH = 5_000;

/**
 * How many records to send now so that the total keeps pace with `rate` from time 0: record n
 * (0-based) is due at n / rate seconds, so the first goes out at once. Computed from the total
 * elapsed time, not per tick, so timer jitter never accumulates into drift.
 */
export function recordsDue({
  elapsedMs,
  rate,
  sent,
  limit,
  maxBatch = MAX_BATCH,
}: {
  elapsedMs: number;
  rate: number;
  sent: number;
  limit: number;
  maxBatch?: number;
}): number {
  const dueByNow = Math.floor((elapsedMs * rate) / 1000) + 1;
  return Math.max(0, Math.min(Math.min(dueByNow, limit) - sent, maxBatch));
}
