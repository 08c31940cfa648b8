import type { EachBatchPayload } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { peerConsumer } from '../src/confluent/consumer';
import type { ConfluentConsumer } from '../src/confluent/load';

const ERR__NO_OFFSET = -168;

/** The peer's consumer at the calls the wrapper makes; `run` hands one batch to eachBatch. */
function peer(calls: string[]) {
  const consumer: ConfluentConsumer = {
    connect: async () => void calls.push('connect'),
    disconnect: async () => void calls.push('disconnect'),
    subscribe: async () => void calls.push('subscribe'),
    commitOffsets: async () => void calls.push('commit stored'),
    seek: (at) => void calls.push(`seek ${at.topic}[${at.partition}] ${at.offset}`),
    pause: (topics) => void calls.push(`pause ${topics.map((t) => t.topic).join()}`),
    resume: (topics) => void calls.push(`resume ${topics.map((t) => t.topic).join()}`),
    run: async (config) => {
      const eachBatch = config.eachBatch as (payload: EachBatchPayload) => Promise<void>;
      await eachBatch({
        batch: { topic: 't', partition: 0, messages: [] },
        // as the peer's own: not implemented
        uncommittedOffsets: () => {
          throw new Error('Not implemented');
        },
      } as unknown as EachBatchPayload);
    },
  };
  return consumer;
}

/** sipflow's kafkajs-shaped wrapper over `peer(calls)`. */
const wrapped = (calls: string[]) =>
  peerConsumer({
    groupId: 'g',
    create: () => peer(calls),
    errorCodes: { ERR__NO_OFFSET, ERR__ASSIGN_PARTITIONS: -175 },
    groups: new Map(),
  });

describe("the peer's consumer as kafkajs' Consumer", () => {
  it("commits what a handler resolved through kafkajs' commitOffsetsIfNecessary(uncommittedOffsets())", async () => {
    const calls: string[] = [];
    const consumer = wrapped(calls);
    await consumer.subscribe({ topics: ['t'] });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ commitOffsetsIfNecessary, uncommittedOffsets }) => {
        calls.push('handler');
        await commitOffsetsIfNecessary(uncommittedOffsets());
      },
    });
    expect(calls).toEqual(['connect', 'subscribe', 'handler', 'commit stored']);
  });

  it('passes seek, pause and resume to the running consumer (and does nothing before it runs)', async () => {
    const calls: string[] = [];
    const consumer = wrapped(calls);
    consumer.pause([{ topic: 't' }]);
    expect(calls).toEqual([]);
    await consumer.subscribe({ topics: ['t'] });
    await consumer.run({ autoCommit: false, eachBatch: async () => undefined });
    consumer.seek({ topic: 't', partition: 1, offset: '5' });
    consumer.pause([{ topic: 't', partitions: [1] }]);
    consumer.resume([{ topic: 't' }]);
    expect(calls.slice(-3)).toEqual(['seek t[1] 5', 'pause t', 'resume t']);
  });

  it('emits no END_BATCH_PROCESS: kafkajs-only listeners can tell', () => {
    const consumer = peerConsumer({
      groupId: 'g',
      create: () => peer([]),
      errorCodes: {},
      groups: new Map(),
    });
    expect(consumer.events.END_BATCH_PROCESS).toBeUndefined();
  });
});
