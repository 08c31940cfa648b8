/**
 * With `--rate N`, a fetched batch goes through in chunks of about a fifth of a second's worth,
 * so the pace stays even and each chunk is one produce and one checkpoint. Without a rate, the
 * fetched batch is one chunk.
 */
export function chunkSize(rate: number | undefined): number {
  return rate === undefined ? Number.POSITIVE_INFINITY : Math.max(1, Math.min(2000, Math.ceil(rate / 5)));
}

/**
 * How long to wait before the next chunk so that the total keeps pace with `rate` events/s from
 * the start of this run: event n (0-based) is due at n / rate seconds. Computed from the total
 * elapsed time, so timer jitter never accumulates into drift.
 */
export function pacingDelayMs({
  elapsedMs,
  done,
  rate,
}: {
  elapsedMs: number;
  done: number;
  rate: number;
}): number {
  return Math.max(0, Math.ceil((done * 1000) / rate - elapsedMs));
}
