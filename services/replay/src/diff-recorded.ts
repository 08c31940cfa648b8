import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { AvroDecoder, type EnrichedCallAttempt } from '@sipflow/codec';
import { classified, HEADER, outputReaderType } from '@sipflow/pipeline';
import { readRanges } from '@sipflow/kafka';
import type { Kafka } from 'kafkajs';
import type { OutcomeDiff } from './outcome-diff';
import type { ProgressReporter } from './progress';
import { rangeDone, rangeSize, type PartitionRange } from './window-plan';

/**
 * The second pass of `--dry-run --diff`: reads what the enriched topic recorded (up to its end
 * offsets snapshotted at start) and hands each window event's recorded outcome to the diff.
 * Replay outputs (a `replay-id` header, or a `replayId` in the record) are not history and are
 * skipped. Ends early once every window event has been found. Returns true when stopped by a signal.
 */
export async function diffRecorded(opts: {
  kafka: Kafka;
  registry: SchemaRegistry;
  diff: OutcomeDiff;
  topic: string;
  ranges: PartitionRange[];
  groupId: string;
  signal?: AbortSignal;
  progress?: (label: string, total: number, done: number) => ProgressReporter;
}): Promise<boolean> {
  const { diff } = opts;
  if (diff.waiting === 0) return false;
  const decoder = new AvroDecoder<EnrichedCallAttempt>(opts.registry, outputReaderType('enriched'));
  const positions = new Map(opts.ranges.map((r) => [r.partition, r.start]));
  const progress = opts.progress?.('diff', rangeSize(opts.ranges), 0);
  try {
    const result = await readRanges({
      kafka: opts.kafka,
      topic: opts.topic,
      groupId: opts.groupId,
      ranges: opts.ranges,
      positions,
      enough: () => diff.waiting === 0,
      ...(opts.signal ? { signal: opts.signal } : {}),
      handle: async ({ partition, messages }) => {
        const candidates = messages.filter((m) => {
          if (m.headers?.[HEADER.replayId] !== undefined) return false;
          const id = m.headers?.[HEADER.eventId]?.toString();
          return id === undefined || diff.awaits(id);
        });
        await decoder.prepare(candidates.map((m) => m.value));
        for (const m of candidates) {
          let record: EnrichedCallAttempt;
          try {
            record = decoder.decode(m.value);
          } catch {
            continue; // not an enriched record sipflow can read: nothing to compare
          }
          if (record.replayId !== null) continue;
          diff.recorded(record.eventId, classified(record.disposition, record.action), record.retryAt);
        }
        const next = BigInt(messages.at(-1)!.offset) + 1n;
        progress?.update(rangeDone(opts.ranges, new Map(positions).set(partition, next)));
        return !opts.signal?.aborted;
      },
    });
    return result === 'stopped';
  } finally {
    progress?.stop();
  }
}
