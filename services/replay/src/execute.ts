import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AvroDecoder, type CallAttempt } from '@sipflow/codec';
import type { ConnectionSettings } from '@sipflow/config';
import { createRegistry, readRanges, sendAll } from '@sipflow/kafka';
import {
  inputReaderType,
  offlineEncoders,
  outputTopics,
  processBatch,
  registerOutputEncoders,
  tallyBatch,
  type Classified,
  type OutputEncoders,
  type PipelineDeps,
  type RecordResult,
} from '@sipflow/pipeline';
import { historyKeepMs, type Rules } from '@sipflow/rules';
import type { Kafka, KafkaMessage, Producer } from 'kafkajs';
import { checkpointPath, writeCheckpoint, type Checkpoint } from './checkpoint';
import { addBatchTally, type ReplayCounts } from './counts';
import { diffRecorded } from './diff-recorded';
import { hasFieldFilters, inTimeWindow, matchesFields } from './event-filter';
import { recordCall } from './number-state';
import type { ReplayJob } from './job';
import { OutcomeDiff } from './outcome-diff';
import { chunkSize, pacingDelayMs } from './pacing';
import { groupPrefix } from './replay-groups';
import type { ReplayHooks } from './request';
import { createSandbox } from './sandbox';
import { rebuildState } from './state-warm-up';
import { summarize, type ReplaySummary } from './summary';
import { rangeDone, rangeSize, type PartitionRange } from './window-plan';

export type RunOptions = {
  dryRun: boolean;
  /** --diff: the enriched topic's ranges to compare with */
  recorded: { topic: string; ranges: PartitionRange[] } | undefined;
  rate: number | undefined;
  checkpointDir: string;
  resumed: boolean;
};

/**
 * Runs a planned (or resumed) replay: reads the window chunk by chunk, sends each chunk through the
 * same pipeline as the processor, produces its outputs (unless a dry run), checkpoints, and for
 * `--diff` compares the outcomes with what the enriched topic recorded.
 */
export async function executeReplay(
  kafka: Kafka,
  conn: ConnectionSettings,
  rules: Rules,
  job: ReplayJob,
  state: Checkpoint,
  opts: RunOptions,
  hooks: ReplayHooks,
): Promise<ReplaySummary> {
  const { dryRun } = opts;
  const mode: ReplaySummary['mode'] = dryRun ? 'dry-run' : job.target;
  const positions = new Map(state.positions);
  const counts: ReplayCounts = structuredClone(state.counts);
  let warmUp: ReplaySummary['state'];
  const summary = (status: ReplaySummary['status'], elapsedMs: number, diff?: ReplaySummary['diff']) =>
    summarize({
      ...(warmUp ? { state: warmUp } : {}),
      replayId: job.replayId,
      mode,
      status,
      inputTopic: job.topics.input,
      rulesVersion: job.rulesVersion,
      ranges: job.ranges.map((r) => ({ partition: r.partition, start: String(r.start), end: String(r.end) })),
      counts,
      elapsedMs,
      ...(diff ? { diff } : {}),
    });
  const total = rangeSize(job.ranges);
  hooks.onStart?.({
    replayId: job.replayId,
    mode,
    inputTopic: job.topics.input,
    outputTopics: outputTopics(job.topics),
    records: total,
    ranges: job.ranges,
    resumed: opts.resumed,
    checkpoint: dryRun ? null : checkpointPath(opts.checkpointDir, job.replayId),
  });
  if (state.status === 'complete') return summary('complete', state.elapsedMs);

  const registry = createRegistry(conn);
  const decoder = new AvroDecoder<CallAttempt>(registry, inputReaderType());
  let encoders: OutputEncoders;
  let producer: Producer | undefined;
  if (dryRun) encoders = offlineEncoders(job.topics);
  else {
    if (job.target === 'sandbox') await createSandbox(kafka, conn, job);
    encoders = await registerOutputEncoders(registry, job.topics);
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  }
  const deps: PipelineDeps = {
    decoder,
    rules,
    encoders,
    topics: job.topics,
    maxRecordBytes: job.maxRecordBytes,
    replayId: job.replayId,
  };
  // the same state for the live, sandbox and dry-run paths: what the window is classified with
  const rebuilt = await rebuildState(
    kafka,
    job,
    { decoder, rules },
    opts.resumed ? positions : undefined,
    hooks,
  );
  if (rebuilt) {
    deps.state = rebuilt.state;
    warmUp = { ...rebuilt.warmUp, windowMs: historyKeepMs(rules.stateWindowMs) };
    hooks.onState?.(warmUp);
  }
  const numberState = rebuilt?.state;
  const keep = hasFieldFilters(job.filter)
    ? (event: CallAttempt) => matchesFields(job.filter, event)
    : undefined;
  const diff = opts.recorded ? new OutcomeDiff() : undefined;
  const started = performance.now();
  const elapsed = () => state.elapsedMs + Math.round(performance.now() - started);
  const checkpoint = (status: Checkpoint['status']) => {
    if (dryRun) return;
    writeCheckpoint(opts.checkpointDir, {
      ...state,
      status,
      updatedAt: new Date().toISOString(),
      positions,
      counts,
      elapsedMs: elapsed(),
    });
  };
  checkpoint('running');

  const size = chunkSize(opts.rate);
  let readThisRun = 0;
  const progress = hooks.progress?.(dryRun ? 'dry run' : 'replay', total, rangeDone(job.ranges, positions));

  const processChunk = async (partition: number, chunk: KafkaMessage[]) => {
    counts.scanned += chunk.length;
    const inWindow = chunk.filter((m) => inTimeWindow(job.filter, Number(m.timestamp)));
    counts.outsideWindow += chunk.length - inWindow.length;
    await decoder.prepare(inWindow.map((m) => m.value));
    const result = processBatch({ topic: job.topics.input, partition }, inWindow, deps, keep ? { keep } : {});
    // a record the field filters leave out was still a call the processor counted
    if (numberState && keep)
      for (const r of result.records)
        if (r.outcome.kind === 'filtered' && r.event) recordCall(numberState, r.event, rules);
    if (producer) await sendAll(producer, result.topicMessages);
    const tally = tallyBatch(result);
    addBatchTally(counts, tally);
    counts.replayed += inWindow.length - tally.filtered;
    if (diff) {
      for (const r of result.records) {
        if (r.event === undefined || r.outcome.kind === 'filtered') continue;
        if (r.outcome.kind === 'classified') {
          const e = (r as Extract<RecordResult, { outcome: Classified }>).enrichment;
          diff.expect(r.event.eventId, r.outcome, e.retryAt, e.retryMovedBy);
        } else diff.expect(r.event.eventId, r.outcome);
      }
    }
    positions.set(partition, BigInt(chunk.at(-1)!.offset) + 1n);
    checkpoint('running');
    progress?.update(rangeDone(job.ranges, positions));
  };

  let result: 'complete' | 'stopped';
  try {
    result = await readRanges({
      kafka,
      topic: job.topics.input,
      groupId: `${groupPrefix(job.replayId)}-${randomBytes(3).toString('hex')}`,
      ranges: job.ranges,
      positions,
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      handle: async ({ partition, messages }, heartbeat) => {
        for (let i = 0; i < messages.length; i += size) {
          const chunk = messages.slice(i, i + size);
          if (opts.rate !== undefined) {
            const wait = pacingDelayMs({
              elapsedMs: performance.now() - started,
              done: readThisRun,
              rate: opts.rate,
            });
            if (wait > 0) await sleep(wait, undefined, { signal: hooks.signal }).catch(() => undefined);
          }
          if (hooks.signal?.aborted) return false;
          await processChunk(partition, chunk);
          readThisRun += chunk.length;
          await heartbeat();
        }
        return true;
      },
    });
    // positions may have moved past trailing markers after the last chunk
    checkpoint(result === 'complete' ? 'complete' : 'running');
  } finally {
    progress?.stop();
    await producer?.disconnect();
  }

  if (result === 'stopped' || !diff || !opts.recorded)
    return summary(result === 'complete' ? 'complete' : 'interrupted', elapsed());
  const stopped = await diffRecorded({
    kafka,
    registry,
    diff,
    topic: opts.recorded.topic,
    ranges: opts.recorded.ranges,
    groupId: `${groupPrefix(job.replayId)}-diff-${randomBytes(3).toString('hex')}`,
    ...hooks,
  });
  return summary(stopped ? 'interrupted' : 'complete', elapsed(), {
    enrichedTopic: opts.recorded.topic,
    ...diff.report(),
  });
}
