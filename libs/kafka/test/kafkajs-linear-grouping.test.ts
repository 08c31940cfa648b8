import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import type { Message, PartitionerArgs } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { groupMessagesPerPartition } from '../src/kafkajs-linear-grouping';
import { partitionMetadata } from './support/partition-metadata';

const require = createRequire(import.meta.url);

/** kafkajs 2.2.4's own groupMessagesPerPartition, evaluated from its file: the reference. */
const kafkajsGrouping = (() => {
  const source = readFileSync(require.resolve('kafkajs/src/producer/groupMessagesPerPartition'), 'utf8');
  const module = { exports: undefined as unknown };
  new Function('module', source)(module);
  return module.exports as typeof groupMessagesPerPartition;
})();

describe('groupMessagesPerPartition', () => {
  it("gives kafkajs' result: per partition, the messages in send order (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(7), { maxLength: 300 }), fc.integer({ min: 0, max: 8 }), (placement, n) => {
        const messages: Message[] = placement.map((p, i) => ({ key: String(p), value: String(i) }));
        const partitioner = ({ message }: PartitionerArgs) => Number(message.key) % Math.max(n, 1);
        const args = { topic: 't', partitionMetadata: partitionMetadata(n), messages, partitioner };
        const ours = groupMessagesPerPartition(args);
        expect(ours).toEqual(kafkajsGrouping(args));
        expect(Object.keys(ours)).toEqual(Object.keys(kafkajsGrouping(args)));
      }),
      { numRuns: 300 },
    );
  });
});
