import { createKafka, ensureTopics } from '@sipflow/kafka';
import { CHANGELOG_CONFIGS } from '@sipflow/pipeline';
import { eventKey, type NumberHistory } from '@sipflow/rules';
import { encodeValue, historyWords } from '@sipflow/state';
import type { Admin, Kafka, Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeJsonHistory } from '../../services/processor/src/state/history-codec';
import { NumberStateStore } from '../../services/processor/src/state/number-state-store';
import { restoreFromChangelog } from '../../services/processor/src/state/restore';
import { uniqueName } from '../support/cluster';
import { testConnection } from '../support/processor-harness';

// A changelog partition larger than one fetch (kafkajs fetches up to 1 MiB per partition): the
// restore must read on past the first fetch, as it must for any real number count. Every other
// number's value is version 1 (JSON, as written before the compact store, which compaction keeps
// until the number is written again) and the rest version 2: a restore reads both.
const NUMBERS = 20_000;
const idOf = (i: number, c: number) => `event-${i}-${c}-0000-0000-000000000000`;

describe('restoreFromChangelog', () => {
  let kafka: Kafka;
  let admin: Admin;
  const topic = uniqueName('state-restore-changelog');
  let bytesWritten = 0;

  beforeAll(async () => {
    kafka = createKafka(testConnection());
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [
      { topic, partitions: 1, replicationFactor: 1, configs: { ...CHANGELOG_CONFIGS } },
    ]);
    const producer = kafka.producer();
    await producer.connect();
    for (let sent = 0; sent < NUMBERS; sent += 5000) {
      const messages: Message[] = Array.from({ length: 5000 }, (_, k) => {
        const i = sent + k;
        const calls = [0, 1, 2].map((c) => ({
          at: 1_780_000_000_000 + c * 3_600_000,
          eventId: idOf(i, c),
          unanswered: c !== 1,
        }));
        const value =
          i % 2 === 0
            ? encodeJsonHistory(calls)
            : encodeValue(
                historyWords,
                calls.map((c) => ({ at: c.at, eventKey: eventKey(c.eventId), unanswered: c.unanswered })),
              );
        const key = `+1555${String(i).padStart(7, '0')}`;
        bytesWritten += key.length + value.length;
        return { key, value, partition: 0 };
      });
      await producer.send({ topic, messages, acks: -1 });
    }
    await producer.disconnect();
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  /** Partition 0 of the changelog restored into `store`'s tables, from a snapshot when given. */
  const restoreInto = (
    store: NumberStateStore,
    resume?: Parameters<typeof restoreFromChangelog<NumberHistory>>[0]['resume'],
  ) =>
    restoreFromChangelog({
      kafka,
      admin,
      changelog: topic,
      partitions: [0],
      groupId: uniqueName('state-restore'),
      heartbeat: async () => undefined,
      newTable: () => store.newTable(),
      ...(resume ? { resume } : {}),
    });

  it('reads a partition longer than one fetch to its end, version 1 and version 2 values alike', async () => {
    // keys and values alone, without the record framing: more than one fetch
    expect(bytesWritten).toBeGreaterThan(2 ** 20);
    const store = new NumberStateStore();
    const result = await restoreInto(store);
    expect(result.records).toBe(NUMBERS);
    store.load(0, result.tables.get(0)!);
    expect(store.size()).toBe(NUMBERS);
    const view = store.stage(0);
    for (const i of [19_998, 19_999]) {
      expect(view.get(`+1555${String(i).padStart(7, '0')}`)).toEqual(
        [0, 1, 2].map((c) => ({
          at: 1_780_000_000_000 + c * 3_600_000,
          eventKey: eventKey(idOf(i, c)),
          unanswered: c !== 1,
        })),
      );
    }
  }, 60_000);

  it('goes on from a snapshot only when its offset is still in the changelog: reads the tail after it, else everything', async () => {
    const store = new NumberStateStore();
    // an empty table stands for the snapshot: what it holds is not the point here
    const restore = (from: number) => restoreInto(store, new Map([[0, { table: store.newTable(), from }]]));
    const tail = await restore(NUMBERS - 100);
    expect(tail.resumed).toEqual([0]);
    expect(tail.records).toBe(100);
    expect(tail.ends.get(0)).toBe(NUMBERS);
    // an offset past the end: a snapshot of another topic of the same name, or of before a reset
    const beyond = await restore(NUMBERS + 5);
    expect(beyond.resumed).toEqual([]);
    expect(beyond.records).toBe(NUMBERS);
  }, 60_000);
});
