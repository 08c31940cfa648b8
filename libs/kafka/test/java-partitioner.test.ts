import { createRequire } from 'node:module';
import fc from 'fast-check';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { JavaCompatiblePartitioner, javaPartitionOf, murmur2 } from '../src/java-partitioner';
import { partitionMetadata as metadata } from './support/partition-metadata';

const require = createRequire(import.meta.url);
// kafkajs' port of Java's murmur2 (64-bit Long arithmetic): the reference
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (
  key: Buffer | string,
) => number;

describe('murmur2', () => {
  it("gives Java's values (Kafka's UtilsTest.testMurmur2, clients/src/test/.../utils/UtilsTest.java)", () => {
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of cases) {
      expect(murmur2(key)).toBe(hash);
      expect(murmur2(Buffer.from(key))).toBe(hash);
    }
  });

  it("is kafkajs' murmur2 for any string (UTF-8, not only ASCII) and any bytes (property)", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'grapheme' }), fc.string(), fc.stringMatching(/^\+1\d{10}$/)),
        (key) => {
          expect(murmur2(key)).toBe(kafkajsMurmur2(key));
        },
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const b = Buffer.from(bytes);
        expect(murmur2(b)).toBe(kafkajsMurmur2(b));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('JavaCompatiblePartitioner', () => {
  it("places a keyed message where kafkajs' DefaultPartitioner does, whatever the leaders (property)", () => {
    const ours = JavaCompatiblePartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 64 }), (key, n) => {
        const args = { topic: 't', partitionMetadata: metadata(n, [0]), message: { key, value: 'v' } };
        expect(ours(args)).toBe(theirs(args));
        expect(ours(args)).toBe(javaPartitionOf(key, n));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps an explicit partition, and round-robins keyless messages over the partitions with a leader', () => {
    const pick = JavaCompatiblePartitioner();
    const partitionMetadata = metadata(4, [1]);
    expect(pick({ topic: 't', partitionMetadata, message: { key: 'k', value: 'v', partition: 3 } })).toBe(3);
    const keyless = Array.from({ length: 9 }, () =>
      pick({ topic: 't', partitionMetadata, message: { value: 'v' } }),
    );
    expect(new Set(keyless)).toEqual(new Set([0, 2, 3]));
    // in turn: each of the three once in every three messages
    for (let i = 3; i < keyless.length; i++) expect(keyless[i]).toBe(keyless[i - 3]);
    // no partition has a leader: one is chosen all the same
    const none = pick({ topic: 'u', partitionMetadata: metadata(2, [0, 1]), message: { value: 'v' } });
    expect([0, 1]).toContain(none);
  });
});
