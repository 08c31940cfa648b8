import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AvroDecoder, type CallAttempt } from '@sipflow/codec';
import type { ConnectionSettings, Topics } from '@sipflow/config';
import { createKafka, createRegistry } from '@sipflow/kafka';
import {
  inputReaderType,
  registerOutputSchemas,
  runPipeline,
  sendAll,
  setup,
  type OutputEncoders,
  type PipelineDeps,
} from '@sipflow/processor';
import { classify, defaultRules, isSipflowError, loadRules, type Rules } from '@sipflow/rules';
import type { Kafka, KafkaMessage, Producer } from 'kafkajs';
import { readRanges } from './bounded-reader';
import { checkpointPath, readCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoint';
import { addPipelineResult, emptyCounts, type ReplayCounts } from './counts';
import { diffRecorded } from './diff-recorded';
import { invalidOption } from './errors';
import {
  hasFieldFilters,
  inTimeWindow,
  matchesFields,
  type EventFilter,
  type SipCodeMatch,
} from './event-filter';
import { sandboxTopics, type ReplayJob } from './job';
import { offlineEncoders } from './offline-encoders';
import { offsetsAtTime, snapshotWatermarks } from './offsets-snapshot';
import { OutcomeDiff } from './outcome-diff';
import { chunkSize, pacingDelayMs } from './pacing';
import type { ProgressReporter } from './progress';
import { generateReplayId, validateReplayId } from './replay-id';
import { summarize, type ReplaySummary } from './summary';
import { planWindow, rangeDone, rangeSize, type PartitionRange } from './window-plan';
import type { OffsetSpec } from './window-spec';

export type ReplayRequest = {
  connection: ConnectionSettings;
  /** the deployed topics: history is read from `input`; live outputs go to the others */
  topics: Topics;
  replayId?: string;
  /** record-timestamp window, epoch ms: [from, to) */
  from?: number;
  to?: number;
  fromOffsets?: OffsetSpec;
  toOffsets?: OffsetSpec;
  partitions?: number[];
  campaigns?: string[];
  sipCodes?: SipCodeMatch;
  target?: 'live' | 'sandbox';
  prefix?: string;
  dryRun?: boolean;
  diff?: boolean;
  /** a candidate rule set; the shipped defaults when unset */
  rulesFile?: string;
  maxRecordBytes: number;
  /** events per second */
  rate?: number;
  checkpointDir: string;
};

export type ResumeRequest = {
  connection: ConnectionSettings;
  replayId: string;
  checkpointDir: string;
  /** overrides the rate the replay started with */
  rate?: number;
};

export type StartInfo = {
  replayId: string;
  mode: ReplaySummary['mode'];
  inputTopic: string;
  outputTopics: string[];
  records: number;
  ranges: PartitionRange[];
  resumed: boolean;
  checkpoint: string | null;
};

export type ReplayHooks = {
  /** stops after the chunk in hand; the checkpoint lets `--resume` continue */
  signal?: AbortSignal;
  onStart?: (info: StartInfo) => void;
  progress?: (label: string, total: number, done: number) => ProgressReporter;
};

/** Slack for producer clocks when finding a window's enriched records by their timestamps. */
const CLOCK_SKEW_MS = 60 * 60 * 1000;
const TOPIC_PREFIX = /^[A-Za-z0-9._-]{1,100}$/;

/** Plans the window (end offsets snapshotted now) and replays it. */
export async function runReplay(req: ReplayRequest, hooks: ReplayHooks = {}): Promise<ReplaySummary> {
  validate(req);
  const dryRun = req.dryRun === true;
  const target = req.target ?? 'live';
  const replayId = req.replayId === undefined ? generateReplayId() : validateReplayId(req.replayId);
  if (!dryRun && existsSync(checkpointPath(req.checkpointDir, replayId)))
    throw invalidOption(
      '--replay-id',
      `replay ${replayId} already exists; continue it with --resume ${replayId}`,
    );
  const rulesFile = req.rulesFile === undefined ? null : resolve(req.rulesFile);
  const rules = rulesFile === null ? defaultRules() : loadRules(rulesFile);

  const kafka = createKafka(req.connection, { clientId: `${req.connection.clientId}-replay` });
  const admin = kafka.admin();
  await admin.connect();
  let ranges: PartitionRange[];
  let recorded: { topic: string; ranges: PartitionRange[] } | undefined;
  try {
    const input = req.topics.input;
    // the high watermarks first: every other offset is capped by them
    const watermarks = await snapshotWatermarks(admin, input);
    ranges = planWindow({
      watermarks,
      ...(req.from === undefined ? {} : { startByTime: await offsetsAtTime(admin, input, req.from) }),
      ...(req.to === undefined ? {} : { endByTime: await offsetsAtTime(admin, input, req.to) }),
      ...(req.fromOffsets ? { fromOffsets: req.fromOffsets } : {}),
      ...(req.toOffsets ? { toOffsets: req.toOffsets } : {}),
      ...(req.partitions ? { partitions: req.partitions } : {}),
    });
    if (req.diff) {
      // what the processor recorded: enriched records are written after their input, so those of
      // the window are at or after --from (less any producer clock skew), up to the snapshot
      const enriched = req.topics.enriched;
      const marks = await snapshotWatermarks(admin, enriched);
      const startByTime =
        req.from === undefined ? undefined : await offsetsAtTime(admin, enriched, req.from - CLOCK_SKEW_MS);
      recorded = {
        topic: enriched,
        ranges: planWindow({ watermarks: marks, ...(startByTime ? { startByTime } : {}) }),
      };
    }
  } finally {
    await admin.disconnect();
  }

  const filter: EventFilter = {
    ...(req.campaigns ? { campaigns: req.campaigns } : {}),
    ...(req.sipCodes ? { sipCodes: req.sipCodes } : {}),
    ...(req.from === undefined ? {} : { from: req.from }),
    ...(req.to === undefined ? {} : { to: req.to }),
  };
  const job: ReplayJob = {
    replayId,
    topics:
      target === 'sandbox'
        ? { ...sandboxTopics(req.topics, req.prefix!), input: req.topics.input }
        : req.topics,
    target,
    prefix: target === 'sandbox' ? req.prefix! : null,
    rulesFile,
    rulesVersion: rules.version,
    filter,
    ranges,
    maxRecordBytes: req.maxRecordBytes,
    rate: req.rate ?? null,
  };
  const now = new Date().toISOString();
  return execute(
    kafka,
    req.connection,
    rules,
    job,
    {
      replayId,
      status: 'running',
      createdAt: now,
      updatedAt: now,
      job,
      positions: new Map(ranges.map((r) => [r.partition, r.start])),
      counts: emptyCounts(),
      elapsedMs: 0,
    },
    { dryRun, recorded, rate: job.rate ?? undefined, checkpointDir: req.checkpointDir, resumed: false },
    hooks,
  );
}

/** Continues a replay from its checkpoint: the same window, rules, filters and target. */
export async function resumeReplay(req: ResumeRequest, hooks: ReplayHooks = {}): Promise<ReplaySummary> {
  const cp = readCheckpoint(req.checkpointDir, validateReplayId(req.replayId));
  const { job } = cp;
  const rules = job.rulesFile === null ? defaultRules() : loadRules(job.rulesFile);
  if (rules.version !== job.rulesVersion)
    throw invalidOption(
      '--resume',
      `${job.rulesFile ?? 'the default rules'} is now version ${rules.version}, but replay ${job.replayId} started with ${job.rulesVersion}; start a new replay`,
    );
  const kafka = createKafka(req.connection, { clientId: `${req.connection.clientId}-replay` });
  await deleteLeftoverGroups(kafka, job.replayId);
  const summary = await execute(
    kafka,
    req.connection,
    rules,
    job,
    cp,
    {
      dryRun: false,
      recorded: undefined,
      rate: req.rate ?? job.rate ?? undefined,
      checkpointDir: req.checkpointDir,
      resumed: true,
    },
    hooks,
  );
  await deleteLeftoverGroups(kafka, job.replayId);
  return summary;
}

type RunOptions = {
  dryRun: boolean;
  /** --diff: the enriched topic's ranges to compare with */
  recorded: { topic: string; ranges: PartitionRange[] } | undefined;
  rate: number | undefined;
  checkpointDir: string;
  resumed: boolean;
};

async function execute(
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
  const summary = (status: ReplaySummary['status'], elapsedMs: number, diff?: ReplaySummary['diff']) =>
    summarize({
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
  const outputTopics = [
    job.topics.enriched,
    job.topics.retry,
    job.topics.removal,
    job.topics.compliance,
    job.topics.dlq,
  ];
  hooks.onStart?.({
    replayId: job.replayId,
    mode,
    inputTopic: job.topics.input,
    outputTopics,
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
    encoders = await registerOutputSchemas(registry, job.topics);
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
  const diff = opts.recorded ? new OutcomeDiff() : undefined;
  const fieldFilters = hasFieldFilters(job.filter);
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
    await decoder.prepare(chunk.map((m) => m.value));
    const kept: KafkaMessage[] = [];
    const expected: CallAttempt[] = [];
    for (const m of chunk) {
      counts.scanned++;
      if (!inTimeWindow(job.filter, Number(m.timestamp))) {
        counts.outsideWindow++;
        continue;
      }
      if (fieldFilters || diff) {
        const event = tryDecode(decoder, m, job.maxRecordBytes);
        if (fieldFilters && (!event || !matchesFields(job.filter, event))) {
          counts.filtered++;
          continue;
        }
        if (event) expected.push(event);
      }
      kept.push(m);
    }
    counts.replayed += kept.length;
    const result = runPipeline({ topic: job.topics.input, partition }, kept, deps);
    if (producer) await sendAll(producer, result.topicMessages);
    addPipelineResult(counts, result);
    if (diff) for (const event of expected) diff.expect(event.eventId, outcomeOf(event, rules));
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

/**
 * A killed replay cannot leave its group: the group stays behind, without offsets, and empty once
 * the dead member's session (10 s) expires; the broker then drops it at its next clean-up. The
 * run that resumes the replay deletes it, before and after reading, if it is empty by then.
 */
async function deleteLeftoverGroups(kafka: Kafka, replayId: string): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const { groups } = await admin.listGroups();
    const leftovers = groups.map((g) => g.groupId).filter((id) => id.startsWith(`${groupPrefix(replayId)}-`));
    if (leftovers.length > 0) await admin.deleteGroups(leftovers);
  } catch {
    // housekeeping only: a group that is still there expires by itself
  } finally {
    await admin.disconnect();
  }
}

const groupPrefix = (replayId: string) => `sipflow-replay-${replayId}`;

function validate(req: ReplayRequest): void {
  if (req.from === undefined && req.fromOffsets === undefined)
    throw invalidOption('window', 'give --from ISO or --from-offset SPEC');
  if (req.from !== undefined && req.fromOffsets !== undefined)
    throw invalidOption('window', '--from and --from-offset exclude each other');
  if (req.to !== undefined && req.toOffsets !== undefined)
    throw invalidOption('window', '--to and --to-offset exclude each other');
  if (req.from !== undefined && req.to !== undefined && req.to <= req.from)
    throw invalidOption('--to', 'must be after --from');
  if (req.target === 'sandbox' && req.prefix === undefined)
    throw invalidOption('--prefix', 'required with --target sandbox');
  if (req.prefix !== undefined && req.target !== 'sandbox')
    throw invalidOption('--prefix', 'only with --target sandbox');
  if (req.prefix !== undefined && !TOPIC_PREFIX.test(req.prefix))
    throw invalidOption('--prefix', `"${req.prefix}" (letters, digits, ".", "_", "-")`);
  if (!req.dryRun && req.target === undefined)
    throw invalidOption(
      '--target',
      'say where the outputs go: --target live or --target sandbox --prefix P (or --dry-run)',
    );
  if (req.diff && !req.dryRun) throw invalidOption('--diff', 'only with --dry-run');
  if (req.rate !== undefined && !(req.rate > 0)) throw invalidOption('--rate', 'must be positive');
}

/** Sandbox topics like the input (partitions, replication), with schemas, via `setup`. */
async function createSandbox(kafka: Kafka, conn: ConnectionSettings, job: ReplayJob): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  let partitions: number;
  let replicationFactor: number;
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [job.topics.input] });
    const meta = topics[0]!.partitions;
    partitions = meta.length;
    replicationFactor = meta[0]?.replicas.length ?? 1;
  } finally {
    await admin.disconnect();
  }
  // setup is idempotent; a topic just created can briefly be unknown to a metadata request
  for (let attempt = 1; ; attempt++) {
    try {
      await setup(conn, sandboxInput(job), { partitions, replicationFactor });
      return;
    } catch (err) {
      if (attempt >= 5 || (err as { retriable?: boolean }).retriable !== true) throw err;
      await sleep(250 * attempt);
    }
  }
}

/** The sandbox's own (empty) input topic, so `setup` creates all six `P.` topics. */
function sandboxInput(job: ReplayJob): Topics {
  return { ...job.topics, input: `${job.prefix}.${job.topics.input}` };
}

function tryDecode(
  decoder: AvroDecoder<CallAttempt>,
  message: KafkaMessage,
  maxRecordBytes: number,
): CallAttempt | undefined {
  if ((message.value?.length ?? 0) > maxRecordBytes) return undefined;
  try {
    return decoder.decode(message.value);
  } catch {
    return undefined;
  }
}

/** The outcome the pipeline gives an event: classify is pure, so this is what it produced. */
function outcomeOf(event: CallAttempt, rules: Rules): string {
  try {
    const e = classify(event, rules);
    return `${e.disposition} ${e.action}`;
  } catch (err) {
    return `DLQ ${isSipflowError(err) ? err.code : 'SIPFLOW_INTERNAL_ERROR'}`;
  }
}
