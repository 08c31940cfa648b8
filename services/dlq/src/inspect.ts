import type { ConnectionSettings } from '@sipflow/config';
import { createKafka, createRegistry } from '@sipflow/kafka';
import { maskPhoneNumbersIn } from '@sipflow/telemetry';
import type { Topics } from '@sipflow/pipeline';
import { decodeSample, registryWriters, type DecodedSample } from './decode-sample';
import { readDeadLetter, type DeadLetterRecord } from './dead-letter-record';
import { commandLogCreator } from './kafka-log';
import { readLog, watermarks, wholeTopic } from './read-log';
import { selects, type Selection } from './selection';

export type InspectOptions = {
  connection: ConnectionSettings;
  topics: Topics;
  selection: Selection;
  /** samples kept per code (default 3) */
  samplesPerCode?: number;
  signal?: AbortSignal;
  /** called with the records read so far, about every batch */
  progress?: (read: number, total: number) => void;
};

export type CodeCount = {
  code: string;
  count: number;
  /** original record times, epoch ms */
  first: number;
  last: number;
};

export type Sample = {
  id: string;
  code: string;
  message: string | undefined;
  source: string | undefined;
  sourceTimestamp: number;
  key: string | undefined;
  redriveOf: string | undefined;
  value: DecodedSample;
};

export type InspectReport = {
  topic: string;
  /** records on the DLQ topic when the read started */
  total: number;
  /** of those, the ones the selection takes (replays' dead letters left out) */
  selected: number;
  /** replays' dead letters (a `replay-id` header): not the live run's, counted apart */
  fromReplays: number;
  /** selected dead letters that are themselves of a redriven copy (it failed again) */
  ofRedrives: number;
  /** original record times of the selected, epoch ms */
  first: number | undefined;
  last: number | undefined;
  byCode: CodeCount[];
  samples: Sample[];
  status: 'complete' | 'stopped';
};

/**
 * Reads the DLQ topic up to its end at start and reports what is in it: counts by code with their
 * time range, and a few samples per code decoded as far as they go (decode-sample.ts).
 */
export async function runInspect(opts: InspectOptions): Promise<InspectReport> {
  const kafka = createKafka(opts.connection, {
    clientId: 'sipflow-dlq',
    logCreator: commandLogCreator('dlq inspect'),
  });
  const writers = registryWriters(createRegistry(opts.connection));
  const topic = opts.topics.dlq;
  const ranges = wholeTopic(await watermarks(kafka, topic, 'DLQ_TOPIC'));
  const total = ranges.reduce((n, r) => n + Number(r.end - r.start), 0);
  const perCode = opts.samplesPerCode ?? 3;
  const report: InspectReport = {
    topic,
    total,
    selected: 0,
    fromReplays: 0,
    ofRedrives: 0,
    first: undefined,
    last: undefined,
    byCode: [],
    samples: [],
    status: 'complete',
  };
  const counts = new Map<string, CodeCount>();
  const pending: Array<{ letter: DeadLetterRecord; key: Buffer | null; value: Buffer | null }> = [];
  let read = 0;
  report.status = await readLog(
    kafka,
    topic,
    ranges,
    (partition, messages) => {
      for (const m of messages) {
        const letter = readDeadLetter(topic, partition, m);
        if (letter.replayId !== undefined) {
          report.fromReplays++;
          continue;
        }
        if (!selects(opts.selection, letter)) continue;
        report.selected++;
        if (letter.redriveOf !== undefined) report.ofRedrives++;
        const code = letter.code ?? '(no code)';
        const t = letter.sourceTimestamp;
        report.first = report.first === undefined ? t : Math.min(report.first, t);
        report.last = report.last === undefined ? t : Math.max(report.last, t);
        const c = counts.get(code);
        if (c) {
          c.count++;
          c.first = Math.min(c.first, t);
          c.last = Math.max(c.last, t);
          if (c.count <= perCode) pending.push({ letter, key: m.key, value: m.value });
        } else {
          counts.set(code, { code, count: 1, first: t, last: t });
          if (perCode > 0) pending.push({ letter, key: m.key, value: m.value });
        }
      }
      read += messages.length;
      opts.progress?.(read, total);
    },
    opts.signal,
  );
  report.byCode = [...counts.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  for (const { letter, key, value } of pending) {
    report.samples.push({
      id: letter.id,
      code: letter.code ?? '(no code)',
      message: letter.message === undefined ? undefined : maskPhoneNumbersIn(letter.message),
      source: letter.source
        ? `${letter.source.topic}/${letter.source.partition}/${letter.source.offset}`
        : undefined,
      sourceTimestamp: letter.sourceTimestamp,
      key: key?.toString('utf8'),
      redriveOf: letter.redriveOf,
      value: await decodeSample(value, writers),
    });
  }
  report.samples.sort((a, b) => a.code.localeCompare(b.code));
  return report;
}
