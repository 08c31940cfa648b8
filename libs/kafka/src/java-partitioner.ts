import { randomBytes } from 'node:crypto';
import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';

// Java's murmur2 (org.apache.kafka.common.utils.Utils.murmur2, the default partitioner's hash for a
// keyed record since Kafka 0.8.2) in 32-bit arithmetic. kafkajs' port (src/producer/partitioners/
// default/murmur2.js) gives the same values through its 64-bit Long class, allocating several Longs
// per 4 bytes of key plus a Buffer per string key: 3.5 % of a stateful processor's self time, with
// its Long helpers, in a CPU profile of 2026-12-01. Math.imul is Java's int multiply.
const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** The hash of `bytes[0, length)`, as Java's `Utils.murmur2` returns it (a signed int). */
function murmur2Bytes(byteAt: (i: number) => number, length: number): number {
  let h = SEED ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i << 2;
    let k = byteAt(i4) | (byteAt(i4 + 1) << 8) | (byteAt(i4 + 2) << 16) | (byteAt(i4 + 3) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // the last 1–3 bytes (Java's switch on length % 4, whose cases fall through)
  const tail = length & ~3;
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= byteAt(tail + 2) << 16;
    if (rest >= 2) h ^= byteAt(tail + 1) << 8;
    h ^= byteAt(tail);
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** True when every UTF-16 unit of `s` is ASCII, so its UTF-8 bytes are its char codes. */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Java's `Utils.murmur2` of a key: a Buffer's bytes, or a string's UTF-8 bytes (read from the
 * string itself when it is ASCII, as phone numbers and ids are, so no Buffer is made).
 */
export function murmur2(key: Buffer | string): number {
  if (typeof key === 'string' && isAscii(key)) return murmur2Bytes((i) => key.charCodeAt(i), key.length);
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  return murmur2Bytes((i) => bytes[i]!, bytes.length);
}

/** Java's `Utils.toPositive`: the sign bit cleared (not the absolute value). */
const toPositive = (x: number) => x & 0x7fffffff;

/** The partition Java's default partitioner gives a keyed record on `partitions` partitions. */
export const javaPartitionOf = (key: Buffer | string, partitions: number): number =>
  toPositive(murmur2(key)) % partitions;

/**
 * kafkajs' DefaultPartitioner (Java's rule for keyed records; round-robin over the partitions that
 * have a leader for keyless ones, from a random start), with the hash above and without filtering
 * the partition list for every keyed message. An explicit `partition` wins, as in kafkajs.
 */
export const JavaCompatiblePartitioner: ICustomPartitioner = () => {
  const counters = new Map<string, number>();
  return ({ topic, partitionMetadata, message }: PartitionerArgs) => {
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    const numPartitions = partitionMetadata.length;
    const { key } = message;
    if (key !== null && key !== undefined) return javaPartitionOf(key, numPartitions);
    const counter = (counters.get(topic) ?? randomBytes(4).readUInt32BE(0)) + 1;
    counters.set(topic, counter);
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    // no partition has a leader: a partition all the same, as kafkajs does
    if (available.length === 0) return toPositive(counter) % numPartitions;
    return available[toPositive(counter) % available.length]!.partitionId;
  };
};
