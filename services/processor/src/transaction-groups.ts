/**
 * Group commit for exactly-once: one transactional producer holds one transaction at a time, and a
 * transaction costs the same round trips to the broker whatever it carries (AddPartitionsToTxn,
 * AddOffsetsToTxn, TxnOffsetCommit, EndTxn and its markers). Batches of different partitions are
 * processed at once; those that finish while a transaction is being committed wait, and then go
 * into the next transaction together: one send of all their outputs, one offset commit for all
 * their partitions, one commit. A lone batch starts its transaction at once, so a light load
 * waits for nothing; under load the transactions carry several batches, as a Kafka Streams task
 * commits every batch processed within its commit interval in one transaction.
 *
 * A batch that may no longer be written when its group starts (its partition revoked while it
 * waited) is left out and resolves false. If the transaction fails, every batch in it fails with
 * that error: none of their outputs is visible to read_committed readers, and each is fetched
 * again from its last committed offset.
 */
export function transactionGroups<E>(opts: {
  /** whether a waiting batch may still be written, asked when its group starts */
  writable: (entry: E) => boolean;
  /** runs one transaction for `entries` (never empty); resolves once it is committed */
  commit: (entries: E[]) => Promise<void>;
}): (entry: E) => Promise<boolean> {
  type Waiting = { entry: E; resolve: (committed: boolean) => void; reject: (err: unknown) => void };
  let waiting: Waiting[] = [];
  let running = false;

  const drain = async () => {
    running = true;
    try {
      while (waiting.length > 0) {
        const group = waiting;
        waiting = [];
        const live: Waiting[] = [];
        for (const w of group) {
          if (opts.writable(w.entry)) live.push(w);
          else w.resolve(false);
        }
        if (live.length === 0) continue;
        try {
          await opts.commit(live.map((w) => w.entry));
          for (const w of live) w.resolve(true);
        } catch (err) {
          for (const w of live) w.reject(err);
        }
      }
    } finally {
      running = false;
    }
  };

  return (entry) =>
    new Promise<boolean>((resolve, reject) => {
      waiting.push({ entry, resolve, reject });
      if (!running) void drain();
    });
}
