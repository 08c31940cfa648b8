import { readSchema, type CallAttempt } from '@sipflow/codec';
import { runSimulator, type SimulatorStats } from '@sipflow/simulator';
import avro from 'avsc';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testKafka, testRegistry, uniqueName } from '../support/cluster';

const COUNT = 500;
const callAttemptType = avro.Type.forSchema(readSchema('call-attempt.avsc') as avro.Schema);
const E164 = /^\+[1-9]\d{6,14}$/;

/** A decoded event that still breaks the contract is an 'invalid-event' poison record. */
const breaksContract = (ev: CallAttempt): boolean =>
  ev.sipCode < 100 || ev.sipCode > 699 || !E164.test(ev.phoneNumber) || ev.endedAt < ev.startedAt;

describe(`simulator into a real broker and registry (${inject('clusterSource')})`, () => {
  const kafka = testKafka('sipflow-simulator-test');
  const registry = testRegistry();
  const admin = kafka.admin();
  const topic = uniqueName('sim-raw');

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('produces COUNT keyed records; the clean ones decode, the poison ones match the stats', async () => {
    const stats: SimulatorStats = await runSimulator({
      kafka,
      registry,
      topic,
      rate: 2000,
      count: COUNT,
      seed: 2024,
      poisonRatio: 0.1,
    });
    expect(stats.produced).toBe(COUNT);

    const messages = await consumeAll(topic, COUNT);
    expect(messages).toHaveLength(COUNT);

    let poison = 0;
    for (const message of messages) {
      const event = (await registry.decode(message.value!).catch(() => undefined)) as CallAttempt | undefined;
      if (event === undefined || breaksContract(event)) {
        poison++;
        continue;
      }
      expect(callAttemptType.isValid(event)).toBe(true);
      expect(message.key?.toString()).toBe(event.leadId);
    }
    for (const message of messages) expect(message.key?.toString()).toMatch(/^lead-[0-9a-f]{12}$/);
    const traced = messages.filter((m) => m.headers?.traceparent !== undefined);
    expect(traced.length).toBeGreaterThan(COUNT * 0.3);
    expect(traced.length).toBeLessThan(COUNT * 0.7);
    expect(poison).toBe(stats.poison);
    expect(poison).toBeGreaterThan(COUNT * 0.04);
    expect(poison).toBeLessThan(COUNT * 0.2);
  });

  it('refuses a topic that does not exist', async () => {
    await expect(
      runSimulator({ kafka, registry, topic: uniqueName('missing'), rate: 10, count: 1 }),
    ).rejects.toThrow(/does not exist.*sipflow setup/);
  });
});

/** Reads the topic from the beginning until `expected` records arrived (or 30 s passed). */
async function consumeAll(topic: string, expected: number): Promise<KafkaMessage[]> {
  const consumer = testKafka('sipflow-simulator-test-reader').consumer({ groupId: uniqueName('sim-reader') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: KafkaMessage[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${received.length} of ${expected} records in 30 s`)),
        30_000,
      );
      void consumer.run({
        eachBatch: async ({ batch }) => {
          received.push(...batch.messages);
          if (received.length >= expected) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    return received;
  } finally {
    await consumer.disconnect();
  }
}
