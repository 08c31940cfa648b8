import type { Kafka, Message, Producer, ProducerBatch, ProducerConfig, RecordMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import {
  unacknowledgedMessages,
  withAcknowledgedWrites,
  type UnacknowledgedWrite,
} from '../src/acknowledged-writes';
import { partitionMetadata } from './support/partition-metadata';

const ack = (topicName: string, partition: number, errorCode = 0): RecordMetadata => ({
  topicName,
  partition,
  errorCode,
});
const msg = (key: string): Message => ({ key, value: key });

describe('unacknowledgedMessages', () => {
  it('keeps the messages whose partition is absent from the response, in their order', () => {
    const [a, b, c, d] = [msg('a'), msg('b'), msg('c'), msg('d')];
    const partition = new Map([
      [a, 0],
      [b, 2],
      [c, 1],
      [d, 2],
    ]);
    const missing = unacknowledgedMessages(
      [
        { topic: 'out', messages: [a, b, c, d] },
        { topic: 'dlq', messages: [a] },
      ],
      [ack('out', 0), ack('out', 1), ack('dlq', 0)],
      (m) => partition.get(m),
    );
    expect(missing).toEqual([{ topic: 'out', messages: [b, d] }]);
  });

  it('matches partitions per topic, counts an error code as not written, and a message never placed as missing', () => {
    const [a, b, c] = [msg('a'), msg('b'), msg('c')];
    const partition = new Map([
      [a, 0],
      [b, 1],
    ]);
    const missing = unacknowledgedMessages(
      [{ topic: 'out', messages: [a, b, c] }],
      [ack('other', 0), ack('out', 1, 6)],
      (m) => partition.get(m),
    );
    expect(missing).toEqual([{ topic: 'out', messages: [a, b, c] }]);
  });

  it('returns nothing when every partition answered', () => {
    const a = msg('a');
    expect(unacknowledgedMessages([{ topic: 'out', messages: [a] }], [ack('out', 3)], () => 3)).toEqual([]);
  });
});

/**
 * A producer that behaves like kafkajs 2.2.4 in tulios/kafkajs#1303: it places messages with the
 * configured partitioner, but its response leaves out the partitions listed in `drops` (one entry
 * per call), as when a leader that already answered is skipped on retry.
 */
function droppingKafka(partitions: number, drops: number[][]) {
  const calls: ProducerBatch[] = [];
  /** per call, where each message was placed */
  const placed: Map<Message, number>[] = [];
  const kafka = {
    producer: (config: ProducerConfig = {}) => {
      const pick = config.createPartitioner!();
      const metadata = partitionMetadata(partitions);
      const sendBatch = async (batch: ProducerBatch): Promise<RecordMetadata[]> => {
        calls.push(batch);
        const dropped = new Set(drops.shift() ?? []);
        const written = new Set<string>();
        const placement = new Map<Message, number>();
        placed.push(placement);
        for (const { topic, messages } of batch.topicMessages ?? []) {
          for (const message of messages) {
            const p = pick({ topic, partitionMetadata: metadata, message });
            placement.set(message, p);
            if (!dropped.has(p)) written.add(`${topic}:${p}`);
          }
        }
        return [...written].map((s) => ack(s.split(':')[0]!, Number(s.split(':')[1])));
      };
      return {
        sendBatch,
        send: async () => [],
        transaction: async () => ({ sendBatch }),
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, calls, placed };
}

describe('withAcknowledgedWrites', () => {
  const keys = Array.from({ length: 40 }, (_, i) => `lead-${i}`);

  it('sends again, to the same partition, what the response left out, and reports it', async () => {
    const { kafka, calls, placed } = droppingKafka(3, [[2]]);
    const reports: UnacknowledgedWrite[] = [];
    const producer = withAcknowledgedWrites(kafka, (w) => reports.push(w)).producer();
    const messages = keys.map(msg);
    await producer.sendBatch({ topicMessages: [{ topic: 'out', messages }], acks: -1 });

    expect(calls).toHaveLength(2);
    const resent = calls[1]!.topicMessages![0]!.messages;
    expect(resent.length).toBeGreaterThan(0);
    expect(resent.length).toBeLessThan(messages.length);
    expect(reports).toEqual([{ messages: resent.length, partitions: ['out[2]'], attempt: 1 }]);
    // exactly the messages placed on partition 2, placed there again
    expect(resent).toEqual(messages.filter((m) => placed[0]!.get(m) === 2));
    expect(resent.map((m) => placed[1]!.get(m))).toEqual(resent.map(() => 2));
  });

  it('keeps a keyless message on its first partition when it is sent again', async () => {
    const { kafka, calls, placed } = droppingKafka(3, [[0, 1, 2]]);
    const producer = withAcknowledgedWrites(kafka).producer();
    const keyless: Message = { value: 'x' };
    await producer.send({ topic: 'out', messages: [keyless], acks: -1 });
    // the round-robin partitioner would move it; the recorded choice keeps it
    expect(calls).toHaveLength(2);
    expect(calls[1]!.topicMessages![0]!.messages).toEqual([keyless]);
    expect(placed[1]!.get(keyless)).toBe(placed[0]!.get(keyless));
  });

  it('checks transactional sends the same way', async () => {
    const { kafka, calls } = droppingKafka(3, [[0]]);
    const producer = withAcknowledgedWrites(kafka).producer({ transactionalId: 't', idempotent: true });
    const tx = await producer.transaction();
    await tx.sendBatch({ topicMessages: [{ topic: 'out', messages: keys.map(msg) }], acks: -1 });
    expect(calls).toHaveLength(2);
  });

  it('fails, retriably, when a partition never acknowledges', async () => {
    const { kafka } = droppingKafka(
      3,
      Array.from({ length: 10 }, () => [1]),
    );
    const producer = withAcknowledgedWrites(kafka).producer();
    await expect(
      producer.sendBatch({ topicMessages: [{ topic: 'out', messages: keys.map(msg) }], acks: -1 }),
    ).rejects.toMatchObject({
      retriable: true,
      message: expect.stringMatching(/to out\[1\] were not acknowledged after 6 sends/),
    });
  });

  it('does not check acks=0 sends, which get no response', async () => {
    const { kafka, calls } = droppingKafka(3, [[0, 1, 2]]);
    const producer = withAcknowledgedWrites(kafka).producer();
    await producer.sendBatch({ topicMessages: [{ topic: 'out', messages: keys.map(msg) }], acks: 0 });
    expect(calls).toHaveLength(1);
  });
});
