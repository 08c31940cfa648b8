import type { PartitionRange } from '@sipflow/kafka';
import { invalidOption } from './errors';
import type { OffsetSpec } from './window-spec';

/** A partition's log as snapshotted at start: the first offset kept and the high watermark. */
export type PartitionWatermarks = { partition: number; low: bigint; high: bigint };

/** What to read of one partition: offsets `start` (inclusive) to `end` (exclusive). */
export type { PartitionRange };

export type WindowRequest = {
  watermarks: readonly PartitionWatermarks[];
  /** --from: per partition, the first offset whose record timestamp is at or after it */
  startByTime?: ReadonlyMap<number, bigint>;
  /** --to: per partition, the first offset whose record timestamp is at or after it */
  endByTime?: ReadonlyMap<number, bigint>;
  fromOffsets?: OffsetSpec;
  toOffsets?: OffsetSpec;
  /** --partitions */
  partitions?: readonly number[];
};

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * The offset ranges a replay reads, one per selected partition. Every end is at most the high
 * watermark snapshotted at start, so the job ends by itself while new events keep arriving; a
 * start is clamped into [low, end] (records removed by retention cannot be replayed).
 *
 * `--from-offset P:O,...` replays only the partitions it names; a bare offset applies to all.
 * `--to-offset` ends the partitions it names there; the others end at the snapshot.
 */
export function planWindow(req: WindowRequest): PartitionRange[] {
  const known = new Set(req.watermarks.map((w) => w.partition));
  const check = (option: string, partitions: Iterable<number>) => {
    for (const p of partitions)
      if (!known.has(p))
        throw invalidOption(option, `partition ${p} does not exist (the topic has ${known.size})`);
  };
  if (req.partitions) check('--partitions', req.partitions);
  if (req.fromOffsets?.kind === 'partitions') check('--from-offset', req.fromOffsets.offsets.keys());
  if (req.toOffsets?.kind === 'partitions') check('--to-offset', req.toOffsets.offsets.keys());

  const only = req.partitions ? new Set(req.partitions) : undefined;
  const named = req.fromOffsets?.kind === 'partitions' ? req.fromOffsets.offsets : undefined;
  return [...req.watermarks]
    .filter((w) => (!only || only.has(w.partition)) && (!named || named.has(w.partition)))
    .sort((a, b) => a.partition - b.partition)
    .map(({ partition, low, high }) => {
      let end = high;
      const endTime = req.endByTime?.get(partition);
      if (endTime !== undefined && endTime >= 0n) end = min(end, endTime);
      const endOffset = offsetFor(req.toOffsets, partition);
      if (endOffset !== undefined) end = min(end, endOffset);
      end = max(end, low);

      let start = low;
      const startTime = req.startByTime?.get(partition);
      if (startTime !== undefined) start = startTime < 0n ? high : startTime;
      const startOffset = offsetFor(req.fromOffsets, partition);
      if (startOffset !== undefined) start = startOffset;
      start = min(max(start, low), end);
      return { partition, start, end };
    });
}

function offsetFor(spec: OffsetSpec | undefined, partition: number): bigint | undefined {
  if (!spec) return undefined;
  return spec.kind === 'all' ? spec.offset : spec.offsets.get(partition);
}

/** Records in the ranges (an upper bound: compaction and transaction markers leave gaps). */
export function rangeSize(ranges: readonly PartitionRange[]): number {
  return ranges.reduce((n, r) => n + Number(r.end - r.start), 0);
}

/** How far the replay is: records behind each partition's position, summed. */
export function rangeDone(ranges: readonly PartitionRange[], positions: ReadonlyMap<number, bigint>): number {
  return ranges.reduce((n, r) => {
    const at = positions.get(r.partition) ?? r.start;
    return n + Number(min(max(at, r.start), r.end) - r.start);
  }, 0);
}
