import { setTimeout as sleep } from 'node:timers/promises';
import { AvroDecoder, type CallAttempt } from '@sipflow/codec';
import type { ConnectionSettings } from '@sipflow/config';
import { createKafka, createRegistry, sendAll, type PartitionRange } from '@sipflow/kafka';
import {
  formatOutcome,
  HEADER,
  inputReaderType,
  offlineEncoders,
  processBatch,
  type Topics,
} from '@sipflow/pipeline';
import type { Rules } from '@sipflow/rules';
import type { KafkaMessage, Message } from 'kafkajs';
import { headerText, readDeadLetter, type DeadLetterRecord } from './dead-letter-record';
import { commandLogCreator } from './kafka-log';
import { readLog, watermarks, wholeTopic } from './read-log';
import { redriveCopy } from './redrive-copy';
import { selects, type Selection } from './selection';

export type RedriveOptions = {
  connection: ConnectionSettings;
  topics: Topics;
  selection: Selection;
  /** at most this many copies written (after leaving out those already redriven) */
  limit?: number;
  /** at most this many records per second */
  rate?: number;
  /** write nothing: report each copy that would be written, and what the pipeline would now do with it */
  dryRun: boolean;
  /** for the dry run's verdict: the rules and MAX_RECORD_BYTES the processor runs with now */
  pipeline: { rules: Rules; maxRecordBytes: number };
  signal?: AbortSignal;
  /** the dry run's lines, one per copy it would write */
  onPlanned?: (planned: PlannedCopy) => void;
  /** copies written so far, of how many */
  progress?: (sent: number, total: number) => void;
};

export type PlannedCopy = {
  deadLetter: string;
  code: string | undefined;
  /** where the copy goes */
  partition: number;
  key: string | undefined;
  bytes: number;
  /** what the pipeline, with today's rules and limits, does with it: `BUSY RETRY`, `DLQ SIPFLOW_…` */
  verdict: string;
};

export type RedriveSummary = {
  mode: 'dry-run' | 'live';
  dlqTopic: string;
  inputTopic: string;
  /** records on the DLQ topic when the redrive started */
  dlqRecords: number;
  /** dead letters the filters take (replays' left out) */
  selected: number;
  /** of those, with a copy on the input topic already: left alone (that is what makes a rerun safe) */
  alreadyRedriven: number;
  /** of those, left alone because they cannot be redriven exactly once (see `skippedReasons`) */
  skipped: number;
  skippedReasons: Record<SkipReason, number>;
  /** left for a later run by --limit */
  leftByLimit: number;
  /** copies to write in this run */
  planned: number;
  /** copies written (0 in a dry run) */
  sent: number;
  /** dry run: what the pipeline would do with the copies, by outcome */
  verdicts: Record<string, number>;
  status: 'complete' | 'stopped';
  elapsedMs: number;
};

export type SkipReason =
  /** a replay's dead letter: the live run has its own for the same record */
  | 'from-replay'
  /** no source topic/partition/offset headers to say where it goes and to check for copies */
  | 'no-source'
  /** its original was read from another topic than INPUT_TOPIC, or a partition it lacks */
  | 'other-topic'
  /** the input topic no longer holds everything after the original, so an earlier copy may be gone */
  | 'unverifiable';

const SKIP_REASONS: SkipReason[] = ['from-replay', 'no-source', 'other-topic', 'unverifiable'];

/**
 * Sends selected dead letters back to the input topic, each once. Three reads, nothing written
 * before the third:
 *
 * 1. the DLQ topic up to its end at start: which dead letters the filters select;
 * 2. the input topic, on each partition from just after the earliest selected original up to its
 *    end at start: every record with a `sipflow-redrive-of` header naming a selected dead letter.
 *    A copy always goes to its original's partition, after it, so this finds every earlier copy:
 *    the input topic is the ledger, and a run that died half-way is simply run again. A dead
 *    letter whose partition has lost records after its original (retention) cannot be checked,
 *    and is left alone;
 * 3. the DLQ again, over the selected offsets only: each dead letter not yet redriven becomes one
 *    copy (redrive-copy.ts), written with an idempotent producer (acks=all, no duplicates from
 *    the client's own retries), paced by `rate`.
 *
 * Two redrives at the same time could both miss the other's copies: run one at a time.
 */
export async function runRedrive(opts: RedriveOptions): Promise<RedriveSummary> {
  const started = Date.now();
  const kafka = createKafka(opts.connection, {
    clientId: 'sipflow-dlq-redrive',
    logCreator: commandLogCreator('dlq redrive'),
  });
  const { topics, signal } = opts;
  const summary: RedriveSummary = {
    mode: opts.dryRun ? 'dry-run' : 'live',
    dlqTopic: topics.dlq,
    inputTopic: topics.input,
    dlqRecords: 0,
    selected: 0,
    alreadyRedriven: 0,
    skipped: 0,
    skippedReasons: Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>,
    leftByLimit: 0,
    planned: 0,
    sent: 0,
    verdicts: {},
    status: 'complete',
    elapsedMs: 0,
  };
  const finish = (status: 'complete' | 'stopped') => {
    summary.status = status;
    summary.elapsedMs = Date.now() - started;
    return summary;
  };
  const skip = (reason: SkipReason) => {
    summary.skipped++;
    summary.skippedReasons[reason]++;
  };

  // 1. what the filters select
  const dlqRanges = wholeTopic(await watermarks(kafka, topics.dlq, 'DLQ_TOPIC'));
  const inputMarks = await watermarks(kafka, topics.input, 'INPUT_TOPIC');
  summary.dlqRecords = dlqRanges.reduce((n, r) => n + Number(r.end - r.start), 0);
  const candidates = new Map<string, DeadLetterRecord>();
  const read1 = await readLog(
    kafka,
    topics.dlq,
    dlqRanges,
    (partition, messages) => {
      for (const m of messages) {
        const letter = readDeadLetter(topics.dlq, partition, m);
        if (!selects(opts.selection, letter)) continue;
        summary.selected++;
        if (letter.replayId !== undefined) skip('from-replay');
        else if (!letter.source) skip('no-source');
        else if (letter.source.topic !== topics.input || !inputMarks.has(letter.source.partition))
          skip('other-topic');
        else if (inputMarks.get(letter.source.partition)!.low > letter.source.offset + 1n)
          skip('unverifiable');
        else candidates.set(letter.id, letter);
      }
    },
    signal,
  );
  if (read1 === 'stopped') return finish('stopped');

  // 2. the copies already on the input topic
  const scanFrom = new Map<number, bigint>();
  for (const { source } of candidates.values()) {
    const from = source!.offset + 1n;
    const at = scanFrom.get(source!.partition);
    if (at === undefined || from < at) scanFrom.set(source!.partition, from);
  }
  const scan: PartitionRange[] = [];
  for (const [partition, start] of scanFrom) {
    const { high } = inputMarks.get(partition)!;
    if (start < high) scan.push({ partition, start, end: high });
  }
  const redriven = new Set<string>();
  const read2 = await readLog(
    kafka,
    topics.input,
    scan,
    (_partition, messages) => {
      for (const m of messages) {
        const of = headerText(m.headers, HEADER.redriveOf);
        if (of !== undefined && candidates.has(of)) redriven.add(of);
      }
    },
    signal,
  );
  if (read2 === 'stopped') return finish('stopped');
  summary.alreadyRedriven = redriven.size;

  // 3. the copies to write, in DLQ order
  let todo = [...candidates.values()]
    .filter((l) => !redriven.has(l.id))
    .sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  if (opts.limit !== undefined && todo.length > opts.limit) {
    summary.leftByLimit = todo.length - opts.limit;
    todo = todo.slice(0, opts.limit);
  }
  summary.planned = todo.length;
  if (todo.length === 0) return finish('complete');
  const wanted = new Map(todo.map((l) => [l.id, l]));
  const ranges = new Map<number, PartitionRange>();
  for (const l of todo) {
    const o = BigInt(l.offset);
    const r = ranges.get(l.partition);
    if (!r) ranges.set(l.partition, { partition: l.partition, start: o, end: o + 1n });
    else if (o + 1n > r.end) r.end = o + 1n;
  }

  const verdictOf = opts.dryRun ? await dryRunVerdicts(opts) : undefined;
  const producer = opts.dryRun
    ? undefined
    : kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer?.connect();
  const written = new Set<string>(); // a batch seen twice (a rebalance mid-read) is written once
  const perChunk = opts.rate === undefined ? Number.POSITIVE_INFINITY : Math.max(1, Math.ceil(opts.rate / 5));
  const sendStarted = Date.now();
  let handled = 0;
  try {
    const read3 = await readLog(
      kafka,
      topics.dlq,
      [...ranges.values()],
      async (partition, messages) => {
        let chunk: Message[] = [];
        const flush = async () => {
          if (chunk.length === 0) return;
          if (opts.rate !== undefined) {
            // copy n is due at n / rate seconds from the first: timer jitter does not add up
            const due = (handled * 1000) / opts.rate - (Date.now() - sendStarted);
            if (due > 0) await sleep(due, undefined, signal ? { signal } : {}).catch(() => undefined);
          }
          if (signal?.aborted) return;
          if (producer) await sendAll(producer, [{ topic: topics.input, messages: chunk }]);
          handled += chunk.length;
          if (producer) summary.sent += chunk.length;
          chunk = [];
          opts.progress?.(handled, summary.planned);
        };
        for (const m of messages) {
          const id = `${topics.dlq}/${partition}/${m.offset}`;
          const letter = wanted.get(id);
          if (!letter || written.has(id)) continue;
          written.add(id);
          const copy = redriveCopy(id, m, letter.source!.partition);
          if (verdictOf) {
            const verdict = await verdictOf(copy, m);
            summary.verdicts[verdict] = (summary.verdicts[verdict] ?? 0) + 1;
            opts.onPlanned?.({
              deadLetter: id,
              code: letter.code,
              partition: copy.partition!,
              key: m.key?.toString('utf8'),
              bytes: m.value?.length ?? 0,
              verdict,
            });
          }
          chunk.push(copy);
          if (chunk.length >= perChunk) await flush();
          if (signal?.aborted) return;
        }
        await flush();
      },
      signal,
    );
    return finish(read3);
  } finally {
    await producer?.disconnect().catch(() => undefined);
  }
}

/**
 * The dry run's verdict on one copy: the pipeline itself (the size limit, decode with the
 * registry's writer schemas, the rules), as the processor would run it now. So a dry run shows
 * whether the fix took before anything is written.
 */
async function dryRunVerdicts(
  opts: RedriveOptions,
): Promise<(copy: Message, original: KafkaMessage) => Promise<string>> {
  const decoder = new AvroDecoder<CallAttempt>(createRegistry(opts.connection), inputReaderType());
  const deps = {
    decoder,
    rules: opts.pipeline.rules,
    encoders: offlineEncoders(opts.topics),
    topics: opts.topics,
    maxRecordBytes: opts.pipeline.maxRecordBytes,
    replayId: null,
  };
  return async (copy, original) => {
    const value = (copy.value as Buffer | null) ?? null;
    if (value && value.length <= deps.maxRecordBytes) await decoder.prepare([value]);
    // the copy as the processor will fetch it: the original's bytes, the copy's headers
    const message = Object.assign({}, original, { headers: copy.headers ?? {} }) as KafkaMessage;
    const { records } = processBatch(
      { topic: opts.topics.input, partition: copy.partition! },
      [message],
      deps,
    );
    return formatOutcome(records[0]!.outcome);
  };
}
