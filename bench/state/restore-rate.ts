// How fast a processor restores its per-number state: restoreFromChangelog, in this process, on
// every partition of a changelog, as a member that owns them all would after a crash.
import { randomUUID } from 'node:crypto';
import { ensureTopics } from '@sipflow/kafka';
import { CHANGELOG_CONFIGS } from '@sipflow/pipeline';
import { eventKey, recordAttempt, type NumberHistory } from '@sipflow/rules';
import { encodeValue, historyWords } from '@sipflow/state';
import type { Admin, Kafka, Message } from 'kafkajs';
import { encodeJsonHistory } from '../../services/processor/src/state/history-codec';
import { NumberStateStore } from '../../services/processor/src/state/number-state-store';
import { restoreFromChangelog } from '../../services/processor/src/state/restore';

export type RestoreRate = {
  changelog: string;
  numbers: number;
  records: number;
  seconds: number;
  numbersPerSec: number;
  recordsPerSec: number;
};

export async function measureRestore(kafka: Kafka, admin: Admin, changelog: string): Promise<RestoreRate> {
  const partitions = (await admin.fetchTopicOffsets(changelog)).map((p) => p.partition);
  const store = new NumberStateStore();
  const result = await restoreFromChangelog({
    kafka,
    admin,
    changelog,
    partitions,
    groupId: `sipflow-bench-restore-${randomUUID()}`,
    // no group of ours to keep alive
    heartbeat: async () => undefined,
    newTable: () => store.newTable(),
  });
  let numbers = 0;
  for (const loaded of result.tables.values()) numbers += loaded.table.size;
  return {
    changelog,
    numbers,
    records: result.records,
    seconds: result.seconds,
    numbersPerSec: numbers / result.seconds,
    recordsPerSec: result.records / result.seconds,
  };
}

const DAY_MS = 86_400_000;

/**
 * A flat copy of a string, as Avro or JSON decoding makes: a string built from pieces (randomUUID()
 * returns a rope of them, several times the size of its 36 characters) would inflate the memory
 * figures.
 */
const flat = (s: string) => Buffer.from(s, 'latin1').toString('latin1');

/**
 * A number's history of `calls` calls an hour apart, built as the processor records them: each
 * keyed by its eventId's hash (a random UUID's; the id itself is not kept).
 */
export function syntheticHistory(calls: number, start: number): NumberHistory {
  let history: NumberHistory = [];
  for (let c = 0; c < calls; c++)
    history = recordAttempt(
      history,
      { at: start + c * 3_600_000, eventKey: eventKey(randomUUID()), unanswered: c % 2 === 0 },
      DAY_MS,
    );
  return history;
}

/** The i-th synthetic number: E.164, +1 and ten digits, distinct for i below ten million. */
export const syntheticNumber = (i: number) => flat(`+1555${String(i).padStart(7, '0')}`);

/**
 * A compacted topic with the changelog's settings holding `numbers` numbers of 3 calls each,
 * one record per number (what compaction leaves of a changelog), spread over its partitions.
 * `format`: the record values as written today (`binary`, version 2) or before the compact store
 * (`json`, version 1, which a restore still reads).
 */
export async function writeSyntheticChangelog(opts: {
  kafka: Kafka;
  admin: Admin;
  topic: string;
  partitions: number;
  numbers: number;
  format: 'binary' | 'json';
  log: (line: string) => void;
}): Promise<void> {
  await ensureTopics(opts.admin, [
    {
      topic: opts.topic,
      partitions: opts.partitions,
      replicationFactor: 1,
      configs: { ...CHANGELOG_CONFIGS },
    },
  ]);
  const producer = opts.kafka.producer();
  await producer.connect();
  const CHUNK = 5000;
  const start = Date.UTC(2026, 11, 1);
  try {
    const inFlight = new Set<Promise<unknown>>();
    for (let sent = 0; sent < opts.numbers; sent += CHUNK) {
      const messages: Message[] = [];
      for (let i = sent; i < Math.min(sent + CHUNK, opts.numbers); i++)
        messages.push({
          key: syntheticNumber(i),
          value:
            opts.format === 'binary'
              ? encodeValue(historyWords, syntheticHistory(3, start + (i % 1000) * 60_000))
              : encodeJsonHistory(
                  [0, 1, 2].map((c) => ({
                    at: start + (i % 1000) * 60_000 + c * 3_600_000,
                    eventId: randomUUID(),
                    unanswered: c % 2 === 0,
                  })),
                ),
          partition: i % opts.partitions,
        });
      const p = producer.send({ topic: opts.topic, messages, acks: -1 }).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= 4) await Promise.race(inFlight);
      if ((sent + CHUNK) % 100_000 === 0) opts.log(`  synthetic changelog ${sent + CHUNK}/${opts.numbers}`);
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
}
