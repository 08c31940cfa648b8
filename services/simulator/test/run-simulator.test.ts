import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { isSipflowError } from '@sipflow/errors';
import type { Kafka, ProducerRecord } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { runSimulator } from '../src/run-simulator';
import type { SimulatorOptions, SimulatorStats } from '../src/options';
import { isPoison } from './support/call-attempt-contract';

/** Just enough of kafkajs and the registry client to watch what the loop sends. */
function fakes(topics = ['raw']) {
  const sends: ProducerRecord[] = [];
  const calls: string[] = [];
  const kafka = {
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      listTopics: async () => topics,
    }),
    producer: (config: { allowAutoTopicCreation?: boolean }) => {
      calls.push(`producer allowAutoTopicCreation=${config.allowAutoTopicCreation}`);
      return {
        connect: async () => void calls.push('connect'),
        disconnect: async () => void calls.push('disconnect'),
        send: async (record: ProducerRecord) => void sends.push(record),
      };
    },
  } as unknown as Kafka;
  const registry = {
    register: async (_schema: unknown, opts: { subject: string }) => {
      calls.push(`register ${opts.subject}`);
      return { id: 42 };
    },
  } as unknown as SchemaRegistry;
  return { kafka, registry, sends, calls };
}

const run = (f: ReturnType<typeof fakes>, opts: Partial<SimulatorOptions>) =>
  runSimulator({ kafka: f.kafka, registry: f.registry, topic: 'raw', rate: 1000, ...opts });

describe('runSimulator', () => {
  it('registers <topic>-value, then sends count records in paced batches with acks=-1', async () => {
    const f = fakes();
    const stats = await run(f, { count: 200, rate: 2000, seed: 1, poisonRatio: 0.1 });
    const messages = f.sends.flatMap((s) => s.messages);
    expect(messages).toHaveLength(200);
    expect(stats).toMatchObject({ seed: 1, produced: 200 });
    expect(stats.poison).toBe(messages.filter((m) => isPoison(m.value as Buffer, 42)).length);
    expect(stats.poison).toBeGreaterThan(0);
    expect(f.sends.length).toBeGreaterThan(1);
    expect(f.sends.length).toBeLessThan(20);
    expect(f.sends.every((s) => s.acks === -1 && s.topic === 'raw')).toBe(true);
    expect(f.calls).toEqual([
      'register raw-value',
      'producer allowAutoTopicCreation=false',
      'connect',
      'disconnect',
    ]);
  });

  it('stops after the duration with rate × duration records', async () => {
    const f = fakes();
    const stats = await run(f, { durationSeconds: 0.3, rate: 100 });
    expect(stats.produced).toBe(30);
    expect(stats.elapsedMs).toBeLessThan(1000);
  });

  it('stops on abort, reports progress every second, and disconnects', async () => {
    const f = fakes();
    const progress: SimulatorStats[] = [];
    const stats = await run(f, {
      rate: 200,
      signal: AbortSignal.timeout(1500),
      onProgress: (s) => progress.push(s),
    });
    // paced from elapsed time, so a slow machine still lands near 1.5 s × 200/s, never past it
    expect(stats.produced).toBeGreaterThan(200);
    expect(stats.produced).toBeLessThanOrEqual(301);
    expect(stats.ratePerSec).toBeGreaterThan(150);
    expect(progress).toHaveLength(1);
    expect(f.calls.at(-1)).toBe('disconnect');
  });

  it('refuses a missing topic, pointing at `sipflow setup`', async () => {
    await expect(run(fakes(['other']), { count: 1 })).rejects.toThrow(
      /topic "raw" does not exist.*sipflow setup/,
    );
  });

  it.each([
    [{ rate: 0.5, count: 1 }, /invalid rate: 0.5/],
    [{ rate: Number.NaN, count: 1 }, /invalid rate/],
    [{ count: 0 }, /invalid count: 0/],
    [{ count: 1.5 }, /invalid count/],
    [{ durationSeconds: -1 }, /invalid durationSeconds/],
    [{ count: 1, seed: -1 }, /invalid seed/],
    [{ count: 1, poisonRatio: 1.5 }, /invalid poisonRatio/],
    [{ topic: '', count: 1 }, /invalid topic/],
    [{}, /needs count, durationSeconds or an abort signal/],
  ])('validates options before connecting: %o', async (opts, message) => {
    const f = fakes();
    const err = await run(f, opts).catch((e: unknown) => e);
    expect(isSipflowError(err, 'SIPFLOW_INVALID_OPTION')).toBe(true);
    expect((err as Error).message).toMatch(message);
    expect(f.calls).toEqual([]);
  });
});
