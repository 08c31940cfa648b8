import { AvroDecoder, type CallAttempt } from '@sipflow/codec';
import type { ConnectionSettings } from '@sipflow/config';
import { createKafka, createRegistry } from '@sipflow/kafka';
import { inputReaderType } from '@sipflow/pipeline';
import { LedgerBook, validateCallAttempt, type PeriodReport, type Rules } from '@sipflow/rules';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { readTopicsToEnd, type ReadResult } from './read-topics';
import { RetainedSince } from './retained-since';

/** A period as recomputed: `complete` when the raw topic still held every call since its start. */
export type RecomputedPeriod = PeriodReport & { readonly complete: boolean };

export type LedgerRecompute = {
  periods: RecomputedPeriod[];
  /**
   * Calls before this instant (epoch ms) may have left the raw topic (retention): the latest, over
   * partitions that have lost records, of its first retained record's time. Null: none has.
   */
  retainedSinceMs: number | null;
  /** raw records read, and those counted (the rest are dead letters of the processor: not calls) */
  records: number;
  counted: number;
  read: ReadResult;
  asOfMs: number;
  elapsedMs: number;
};

/**
 * The abandoned-call ledger rebuilt from the raw topic (read_committed, to its end offsets at
 * start): every valid call attempt counted in its group's 30-day period, as the rules say. The
 * counts do not depend on the order the partitions are read in (ledger.ts), so this is the
 * ledger's reference. A period that began before the raw topic's retention reaches back is
 * marked incomplete rather than reported short.
 */
export async function recomputeLedger(opts: {
  connection: ConnectionSettings;
  input: string;
  rules: Rules;
  /** closed periods are those ended before this (default: now) */
  asOfMs?: number;
  /** only these groups (default: all) */
  groups?: readonly string[];
  maxRecordBytes?: number;
  timeoutMs?: number;
  /** called after each batch read: the records read so far, of the total to read */
  progress?: (records: number, total: number) => void;
}): Promise<LedgerRecompute> {
  const started = Date.now();
  const kafka = createKafka(opts.connection, { clientId: 'sipflow-abandonment' });
  const decoder = new AvroDecoder<CallAttempt>(createRegistry(opts.connection), inputReaderType());
  const maxRecordBytes = opts.maxRecordBytes ?? 1024 * 1024;
  const book = new LedgerBook(opts.rules.abandonment);
  let records = 0;
  let counted = 0;
  const total = await recordsToRead(kafka, opts.input);
  const retained = new RetainedSince();
  const handle = async (_topic: string, partition: number, messages: KafkaMessage[]) => {
    retained.batch(partition, messages);
    const sized = messages.filter((m) => (m.value?.length ?? 0) <= maxRecordBytes);
    await decoder.prepare(sized.map((m) => m.value));
    for (const m of sized) {
      let event;
      try {
        event = validateCallAttempt(decoder.decode(m.value));
      } catch {
        // the processor dead-letters it: not a call the dialer can be held to
        continue;
      }
      book.add(event);
      counted++;
    }
    records += messages.length;
    opts.progress?.(records, total);
  };
  const read = await readTopicsToEnd(kafka, [opts.input], handle, { timeoutMs: opts.timeoutMs ?? 300_000 });
  const retainedSinceMs = retained.ms;
  const asOfMs = opts.asOfMs ?? Date.now();
  const wanted = opts.groups === undefined || opts.groups.length === 0 ? undefined : new Set(opts.groups);
  const periods = book
    .report(asOfMs)
    .filter((p) => wanted === undefined || wanted.has(p.group))
    .map((p) => ({ ...p, complete: retainedSinceMs === null || p.fromMs >= retainedSinceMs }));
  return { periods, retainedSinceMs, records, counted, read, asOfMs, elapsedMs: Date.now() - started };
}

/** The records the raw topic holds now, over all partitions: what a progress line counts towards. */
async function recordsToRead(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
