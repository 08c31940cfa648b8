import type { Kafka } from 'kafkajs';
import { offsetsAtTime, snapshotWatermarks } from './offsets-snapshot';
import type { ReplayRequest } from './request';
import { planWindow, type PartitionRange } from './window-plan';

/** Slack for producer clocks when finding a window's enriched records by their timestamps. */
const CLOCK_SKEW_MS = 60 * 60 * 1000;

export type ReplayPlan = {
  /** the window of the input topic, end offsets snapshotted now */
  ranges: PartitionRange[];
  /** --diff: the enriched topic's ranges that hold what the processor recorded for the window */
  recorded: { topic: string; ranges: PartitionRange[] } | undefined;
};

/** Turns the request's times and offsets into offset ranges, against the topics as they are now. */
export async function planReplay(kafka: Kafka, req: ReplayRequest): Promise<ReplayPlan> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const input = req.topics.input;
    // the high watermarks first: every other offset is capped by them
    const watermarks = await snapshotWatermarks(admin, input);
    const ranges = planWindow({
      watermarks,
      ...(req.from === undefined ? {} : { startByTime: await offsetsAtTime(admin, input, req.from) }),
      ...(req.to === undefined ? {} : { endByTime: await offsetsAtTime(admin, input, req.to) }),
      ...(req.fromOffsets ? { fromOffsets: req.fromOffsets } : {}),
      ...(req.toOffsets ? { toOffsets: req.toOffsets } : {}),
      ...(req.partitions ? { partitions: req.partitions } : {}),
    });
    if (!req.diff) return { ranges, recorded: undefined };
    // what the processor recorded: enriched records are written after their input, so those of
    // the window are at or after --from (less any producer clock skew), up to the snapshot
    const enriched = req.topics.enriched;
    const marks = await snapshotWatermarks(admin, enriched);
    const startByTime =
      req.from === undefined ? undefined : await offsetsAtTime(admin, enriched, req.from - CLOCK_SKEW_MS);
    return {
      ranges,
      recorded: {
        topic: enriched,
        ranges: planWindow({ watermarks: marks, ...(startByTime ? { startByTime } : {}) }),
      },
    };
  } finally {
    await admin.disconnect();
  }
}
