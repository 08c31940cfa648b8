import { createKafka, ensureTopics } from '@sipflow/kafka';
import { CHANGELOG_CONFIGS } from '@sipflow/pipeline';
import type { Admin, Kafka, Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHistory } from '../../services/processor/src/state/history-codec';
import { restoreFromChangelog } from '../../services/processor/src/state/restore';
import { uniqueName } from '../support/cluster';
import { testConnection } from '../support/processor-harness';

// A changelog partition larger than one fetch (kafkajs fetches up to 1 MiB per partition): the
// restore must read on past the first fetch, as it must for any real number count.
const NUMBERS = 20_000;

describe('restoreFromChangelog', () => {
  let kafka: Kafka;
  let admin: Admin;
  const topic = uniqueName('state-restore-changelog');

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
        const history = [0, 1, 2].map((c) => ({
          at: 1_780_000_000_000 + c * 3_600_000,
          eventId: `event-${i}-${c}-0000-0000-000000000000`,
          unanswered: c !== 1,
        }));
        return { key: `+1555${String(i).padStart(7, '0')}`, value: encodeHistory(history), partition: 0 };
      });
      await producer.send({ topic, messages, acks: -1 });
    }
    await producer.disconnect();
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('reads a partition longer than one fetch to its end', async () => {
    const [end] = await admin.fetchTopicOffsets(topic);
    expect(Number(end!.high) * 130).toBeGreaterThan(2 ** 20); // ~130 B a record: more than one fetch
    const result = await restoreFromChangelog({
      kafka,
      admin,
      changelog: topic,
      partitions: [0],
      groupId: uniqueName('state-restore'),
      heartbeat: async () => undefined,
    });
    expect(result.records).toBe(NUMBERS);
    const numbers = result.numbers.get(0)!;
    expect(numbers.size).toBe(NUMBERS);
    expect(numbers.get('+15550019999')!.map((e) => e.eventId)).toEqual([
      'event-19999-0-0000-0000-000000000000',
      'event-19999-1-0000-0000-000000000000',
      'event-19999-2-0000-0000-000000000000',
    ]);
  }, 60_000);
});
