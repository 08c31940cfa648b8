import { HEADER } from '@sipflow/pipeline';

/** One output record as sipflow's processor hands it to a client: string key and headers, Buffer value. */
export type BenchRecord = { key: string; value: Buffer; headers: Record<string, string> };

/** Records per send: what the processor's sendAll sends at most per request (MAX_MESSAGES_PER_SEND). */
export const RECORDS_PER_SEND = 1000;

/**
 * Value size: the earlier micro-benchmark's ~200 B (docs/performance.md puts an output record at
 * ~300 B with its `sipflow-*` headers, which these records carry as well).
 */
export const VALUE_BYTES = 200;

/** A small deterministic generator, so every client and every round sends the same bytes. */
function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

const hex = (next: () => number, digits: number) =>
  Array.from({ length: digits }, () => (next() & 15).toString(16)).join('');

/** A leadId as the simulator makes them (services/simulator/src/lead-pool.ts): `lead-` and 12 hex digits. */
export function leadIds(count: number, seed = 16): string[] {
  const next = xorshift(seed);
  return Array.from({ length: count }, () => `lead-${hex(next, 12)}`);
}

/**
 * `count` sipflow-shaped records: a leadId key, a 200-byte value (magic byte 0, a 4-byte schema id,
 * then pseudo-random bytes: Avro output does not compress well either), and the four headers
 * `sourceHeaders` writes on every output (libs/pipeline/src/headers.ts).
 */
export function benchRecords(count: number, seed = 16): BenchRecord[] {
  const next = xorshift(seed * 7919);
  const keys = leadIds(Math.min(count, 50_000), seed);
  // 64 distinct values: realistic variety without allocating 200 B per record up front
  const values = Array.from({ length: 64 }, () => {
    const v = Buffer.allocUnsafe(VALUE_BYTES);
    for (let i = 0; i < VALUE_BYTES; i++) v[i] = next() & 255;
    v[0] = 0;
    v.writeUInt32BE(7, 1);
    return v;
  });
  return Array.from({ length: count }, (_, i) => ({
    key: keys[i % keys.length]!,
    value: values[i % values.length]!,
    headers: {
      [HEADER.sourceTopic]: 'sipflow.call-attempts',
      [HEADER.sourcePartition]: String(i % 3),
      [HEADER.sourceOffset]: String(1_000_000 + i),
      [HEADER.eventId]: `${hex(next, 8)}-${hex(next, 4)}-4${hex(next, 3)}-a${hex(next, 3)}-${hex(next, 12)}`,
    },
  }));
}

/** The records cut into sends of RECORDS_PER_SEND. */
export function inSends<T>(records: T[], size = RECORDS_PER_SEND): T[][] {
  const sends: T[][] = [];
  for (let i = 0; i < records.length; i += size) sends.push(records.slice(i, i + size));
  return sends;
}
