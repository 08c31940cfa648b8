import type { Kafka, KafkaMessage } from 'kafkajs';

/** Offsets [start, end) of one partition. */
export type PartitionRange = { partition: number; start: bigint; end: bigint };

export type ReadBatch = { partition: number; messages: KafkaMessage[] };

export type BoundedRead = {
  kafka: Kafka;
  topic: string;
  /** a throwaway group of this read alone: it never commits, and is deleted afterwards */
  groupId: string;
  ranges: readonly PartitionRange[];
  /**
   * Next offset to read per partition: the read starts there, and it is advanced past each
   * batch the handler completed. The handler may advance it itself within a batch (per chunk).
   */
  positions: Map<number, bigint>;
  /** Handles records of [position, end); returns false when it stopped before the end (a signal). */
  handle: (batch: ReadBatch, heartbeat: () => Promise<void>) => Promise<boolean>;
  /** checked after each batch: true ends the read early (e.g. nothing more to look for) */
  enough?: () => boolean;
  signal?: AbortSignal;
};

/**
 * Reads offset ranges of a topic once, without committing anything. kafkajs has no
 * assign-without-group, so this joins a group of its own (a fresh id, autoCommit off) and, on
 * every join, seeks each partition to its position and pauses those already done or not in the
 * window. A partition is done once its position reaches its end offset; the read ends when all
 * are done (or the signal fires, or the handler fails), then the consumer leaves and the group is
 * deleted. Records outside [position, end) — a stale fetch, the tail of the last batch — are
 * dropped here, so the handler sees each record of the window once.
 */
export async function readRanges(read: BoundedRead): Promise<'complete' | 'stopped'> {
  const { topic, positions } = read;
  const ends = new Map(read.ranges.map((r) => [r.partition, r.end]));
  const pending = new Set(
    read.ranges.filter((r) => (positions.get(r.partition) ?? r.start) < r.end).map((r) => r.partition),
  );
  for (const r of read.ranges) if (!positions.has(r.partition)) positions.set(r.partition, r.start);
  if (pending.size === 0) return 'complete';
  if (read.signal?.aborted) return 'stopped';

  const consumer = read.kafka.consumer({
    groupId: read.groupId,
    readUncommitted: false,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 250,
    // short, so that the group of a killed run is empty (and deletable) soon
    sessionTimeout: 10_000,
    heartbeatInterval: 2000,
  });
  let settle!: (result: 'complete' | 'stopped') => void;
  let fail!: (err: Error) => void;
  let settled = false;
  const finished = new Promise<'complete' | 'stopped'>((resolve, reject) => {
    settle = (r) => {
      settled = true;
      resolve(r);
    };
    fail = (e) => {
      settled = true;
      reject(e);
    };
  });
  const onAbort = () => settle('stopped');
  read.signal?.addEventListener('abort', onAbort, { once: true });

  const pause = (partitions: number[]) => {
    if (partitions.length > 0) consumer.pause([{ topic, partitions }]);
  };
  const advance = (partition: number, lastOffset: string) => {
    const end = ends.get(partition);
    if (end === undefined) return;
    const next = BigInt(lastOffset) + 1n;
    const at = positions.get(partition)!;
    positions.set(partition, next > end ? end : next > at ? next : at);
  };
  const checkDone = (partition: number) => {
    if (pending.has(partition) && positions.get(partition)! >= ends.get(partition)!) {
      pending.delete(partition);
      pause([partition]);
    }
    if (!settled && (pending.size === 0 || read.enough?.())) settle('complete');
  };

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const assigned = payload.memberAssignment[topic] ?? [];
    pause(assigned.filter((p) => !pending.has(p)));
    for (const p of assigned)
      if (pending.has(p)) consumer.seek({ topic, partition: p, offset: String(positions.get(p)) });
  });
  // a fetch of nothing but transaction markers or aborted records never reaches eachBatch
  // (kafkajs only: the peer client emits no such event)
  if (consumer.events.END_BATCH_PROCESS !== undefined)
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic !== topic || payload.batchSize !== 0 || settled) return;
      advance(payload.partition, payload.lastOffset);
      checkDone(payload.partition);
    });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) fail(payload.error);
  });

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, resolveOffset }) => {
        const { partition } = batch;
        if (settled) return;
        if (!pending.has(partition)) return pause([partition]);
        const from = positions.get(partition)!;
        const end = ends.get(partition)!;
        const messages = batch.messages.filter((m) => {
          const o = BigInt(m.offset);
          return o >= from && o < end;
        });
        try {
          // a heartbeat refused by a rebalance is not the handler's failure: kafkajs rejoins, and
          // the join seeks every partition back to its position
          const beat = () => heartbeat().catch(() => undefined);
          const complete = messages.length === 0 || (await read.handle({ partition, messages }, beat));
          if (!complete) return settle('stopped');
        } catch (err) {
          return fail(err as Error);
        }
        advance(partition, batch.lastOffset());
        // kafkajs fetches from the last resolved offset: unresolved, the next fetch would return
        // this batch again, forever, and a range longer than one fetch would never be read. No
        // commit follows (autoCommit is off), so the read still leaves nothing behind.
        resolveOffset(batch.lastOffset());
        checkDone(partition);
      },
    });
    return await finished;
  } finally {
    read.signal?.removeEventListener('abort', onAbort);
    await consumer.disconnect().catch(() => undefined);
    const admin = read.kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([read.groupId]))
      .catch(() => undefined)
      .finally(() => admin.disconnect());
  }
}
