import { randomBytes } from 'node:crypto';
import type { AvroDecoder, CallAttempt } from '@sipflow/codec';
import { readRanges } from '@sipflow/kafka';
import { mapState, type NumberStateView } from '@sipflow/pipeline';
import { historyKeepMs, type NumberHistory, type Rules } from '@sipflow/rules';
import type { Kafka } from 'kafkajs';
import { inTimeWindow, type EventFilter } from './event-filter';
import type { ReplayJob } from './job';
import { recordMessages, warmUpRanges, type StateWarmUp } from './number-state';
import { offsetsAtTime, snapshotWatermarks } from './offsets-snapshot';
import { groupPrefix } from './replay-groups';
import type { ReplayHooks } from './request';
import { rangeDone, rangeSize, type PartitionRange } from './window-plan';

export type ReplayState = {
  state: NumberStateView & { map: Map<string, NumberHistory> };
  warmUp: StateWarmUp;
};

/**
 * The per-number state a replay classifies the window with, rebuilt from the raw topic alone:
 * the calls of the records stamped in [from − 2 × rules.stateWindowMs, from) (as long as the
 * processor's state keeps them: historyKeepMs), on every partition, then
 * (on `--resume`) those of the window records already replayed. Never the live store of a running
 * processor: a replay must not depend on, or disturb, what a processor holds right now, and the
 * same topic, window and rules give the same state every time. A window given by offsets has no
 * start time to count back from: it starts from an empty state. Null when the rules keep none.
 */
export async function rebuildState(
  kafka: Kafka,
  job: ReplayJob,
  deps: { decoder: AvroDecoder<CallAttempt>; rules: Rules },
  resumedAt: ReadonlyMap<number, bigint> | undefined,
  hooks: ReplayHooks,
): Promise<ReplayState | null> {
  if (deps.rules.stateWindowMs === 0) return null;
  // as far back as the processor's state keeps a number's calls, so a late call is judged alike
  const windowMs = historyKeepMs(deps.rules.stateWindowMs);
  const state = mapState();
  const record = { ...deps, maxRecordBytes: job.maxRecordBytes, state };
  const from = job.filter.from;
  const read = async (label: string, ranges: PartitionRange[], counts: (ts: number) => boolean) => {
    const positions = new Map<number, bigint>();
    const progress = hooks.progress?.(label, rangeSize(ranges), 0);
    try {
      await readRanges({
        kafka,
        topic: job.topics.input,
        groupId: `${groupPrefix(job.replayId)}-state-${randomBytes(3).toString('hex')}`,
        ranges,
        positions,
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        handle: async ({ messages }) => {
          await recordMessages(messages, record, counts);
          progress?.update(rangeDone(ranges, positions));
          return true;
        },
      });
    } finally {
      progress?.stop();
    }
  };

  if (from !== undefined) {
    const admin = kafka.admin();
    await admin.connect();
    let ranges: PartitionRange[];
    try {
      const input = job.topics.input;
      const watermarks = await snapshotWatermarks(admin, input);
      ranges = warmUpRanges(
        watermarks,
        await offsetsAtTime(admin, input, from - windowMs),
        await offsetsAtTime(admin, input, from),
      );
    } finally {
      await admin.disconnect();
    }
    await read('state', ranges, (ts) => ts >= from - windowMs && ts < from);
  }
  let calls = 0; // as the state holds them: a record read twice is one call
  for (const history of state.map.values()) calls += history.length;
  const warmUp: StateWarmUp = {
    calls,
    numbers: state.map.size,
    from: from === undefined ? null : from - windowMs,
    to: from ?? null,
  };
  if (resumedAt) {
    // the window records replayed before the stop: their calls, so the rest sees them as a run
    // without the stop did
    const done = job.ranges
      .map((r) => ({ ...r, end: resumedAt.get(r.partition) ?? r.start }))
      .filter((r) => r.end > r.start);
    const filter: EventFilter = job.filter;
    await read('state (resumed part)', done, (ts) => inTimeWindow(filter, ts));
  }
  return { state, warmUp };
}
