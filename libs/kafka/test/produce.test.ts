import type { TopicMessages } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { chunkTopicMessages } from '../src/produce';

const msgs = (topic: string, n: number, size: number): TopicMessages => ({
  topic,
  messages: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: Buffer.alloc(size) })),
});

describe('chunkTopicMessages', () => {
  it('keeps every message, in order, per topic', () => {
    const input = [msgs('a', 5000, 10), msgs('b', 3000, 10)];
    const chunks = chunkTopicMessages(input, 4000, 10_000_000);
    const flat = (topic: string) =>
      chunks
        .flat()
        .filter((t) => t.topic === topic)
        .flatMap((t) => t.messages);
    expect(flat('a')).toEqual(input[0]!.messages);
    expect(flat('b')).toEqual(input[1]!.messages);
    expect(chunks.map((c) => c.reduce((n, t) => n + t.messages.length, 0))).toEqual([4000, 4000]);
  });

  it('bounds the bytes of a chunk so the broker never sees a record batch over its limit', () => {
    const chunks = chunkTopicMessages([msgs('a', 3000, 400)], 4000, 768 * 1024);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      const bytes = chunk.flatMap((t) => t.messages).reduce((n, m) => n + (m.value as Buffer).length, 0);
      expect(bytes).toBeLessThanOrEqual(768 * 1024);
    }
  });

  it('sends an oversized single message alone rather than dropping it', () => {
    const chunks = chunkTopicMessages([msgs('a', 2, 2_000_000)], 4000, 768 * 1024);
    expect(chunks).toHaveLength(2);
  });

  it('returns nothing for nothing', () => {
    expect(chunkTopicMessages([])).toEqual([]);
  });
});
