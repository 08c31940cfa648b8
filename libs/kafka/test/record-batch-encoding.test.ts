import { createRequire } from 'node:module';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useSingleBufferProduceEncoding } from '../src/kafkajs-produce-encoder';
import { crc32c, crc32cImplementation, crc32cPortable } from '../src/crc32c';
import { encodeProduceRequest, type EncodableMessage } from '../src/record-batch-encoding';

const require = createRequire(import.meta.url);
type Encoded = { buffer: Buffer };
// kafkajs' own v3 request and checksum, loaded directly: the reference the encoder must match
const kafkajsV3 = require('kafkajs/src/protocol/requests/produce/v3/request') as (args: object) => {
  encode: () => Promise<Encoded>;
};
const kafkajsCrc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;
const Long = require('kafkajs/src/utils/long') as { fromValue(v: unknown): object };
const produce = require('kafkajs/src/protocol/requests/produce') as {
  protocol: (v: { version: number }) => (args: object) => { request: { encode: () => Promise<Encoded> } };
};

const NOW = 1_764_590_400_123;

/** Where two encodings first differ, or 'same': toEqual on large Buffers is slow element by element. */
function firstDifference(a: Buffer | undefined, b: Buffer): string {
  if (a === undefined) return 'not encoded';
  if (a.equals(b)) return 'same';
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `lengths ${a.length}/${b.length}, first difference at byte ${i}`;
}
afterEach(() => vi.restoreAllMocks());

async function kafkajsBytes(args: object): Promise<Buffer> {
  vi.spyOn(Date, 'now').mockReturnValue(NOW);
  return (await kafkajsV3(args).encode()).buffer;
}

const sipflowShaped = (n: number): EncodableMessage[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `lead-${i % 37}`,
    value: Buffer.from(`\u0000\u0000\u0000\u0000\u0007value ${i} ${'x'.repeat(i % 300)}`),
    headers: {
      'sipflow-source-topic': 'call-attempts.raw',
      'sipflow-source-partition': String(i % 3),
      'sipflow-source-offset': String(1_000_000 + i),
      'sipflow-event-id': `e7a1f3c2-${i}`,
    },
  }));

const args = (messages: EncodableMessage[][], extra: object = {}) => ({
  acks: -1,
  timeout: 30000,
  topicData: [
    {
      topic: 'call-attempts.enriched',
      partitions: messages.map((m, partition) => ({ partition, firstSequence: partition * 7, messages: m })),
    },
    { topic: 'leads.removal', partitions: [{ partition: 2, messages: messages[0]!.slice(0, 3) }] },
  ],
  ...extra,
});

const ours = (
  a: ReturnType<typeof args> & { transactionalId?: string; producerId?: unknown; producerEpoch?: number },
) => {
  const id = Long.fromValue(a.producerId ?? -1) as { getHighBits(): number; getLowBits(): number };
  return encodeProduceRequest(
    {
      ...a,
      transactionalId: a.transactionalId ?? null,
      producerId: { high: id.getHighBits(), low: id.getLowBits() },
      producerEpoch: a.producerEpoch ?? 0,
    },
    () => NOW,
  );
};

describe("encodeProduceRequest: byte for byte kafkajs 2.2.4's Produce v3 body", () => {
  it('sipflow-shaped records: string keys, Buffer values, the four sipflow-* headers', async () => {
    const a = args([sipflowShaped(1000), sipflowShaped(10), []]);
    expect(firstDifference(ours(a), await kafkajsBytes(a))).toBe('same');
  });

  it('transactional and idempotent: transactional id, producer id and epoch, sequences', async () => {
    const a = {
      ...args([sipflowShaped(50)]),
      transactionalId: 'sipflow-processor-α-3',
      producerId: Long.fromValue(4_000_000_123),
      producerEpoch: 9,
    };
    expect(firstDifference(ours(a), await kafkajsBytes(a))).toBe('same');
  });

  it('null and missing keys, empty values, array headers, non-ASCII text, no headers', async () => {
    const messages: EncodableMessage[] = [
      { key: null, value: Buffer.alloc(0) },
      { value: 'plain string value ✓' },
      {
        key: Buffer.from([1, 2, 3]),
        value: 'v',
        headers: { multi: ['a', Buffer.from('b')], ключ: 'значение' },
      },
      { key: 'k', value: null, headers: {} },
    ];
    const a = args([messages]);
    expect(firstDifference(ours(a), await kafkajsBytes(a))).toBe('same');
  });

  it('any keys, values and headers of strings and Buffers (property)', async () => {
    const bytesOrText = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    );
    const message = fc.record(
      {
        key: fc.oneof(fc.constant(null), bytesOrText),
        value: fc.oneof(fc.constant(null), bytesOrText),
        headers: fc.dictionary(
          fc.string({ minLength: 1, maxLength: 20 }),
          fc.oneof(bytesOrText, fc.array(bytesOrText, { maxLength: 3 })),
          { maxKeys: 6 },
        ),
      },
      { requiredKeys: ['value'] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(message, { maxLength: 40 }), { minLength: 1, maxLength: 3 }),
        async (parts) => {
          const a = args(parts);
          expect(firstDifference(ours(a), await kafkajsBytes(a))).toBe('same');
          vi.restoreAllMocks();
        },
      ),
      { numRuns: 150 },
    );
  });

  it("message timestamps: the batch's first and max, each record's delta, a record without one at now", async () => {
    const stamped = sipflowShaped(30).map((m, i) => ({
      ...m,
      // out of order, a string (as kafkajs' consumer gives) or a number, some far from NOW
      timestamp:
        i % 5 === 0 ? undefined : i % 2 ? String(NOW - 86_400_000 * (i % 7)) : NOW + 3_000_000_000 * (i % 3),
    }));
    const a = args([
      stamped,
      stamped.slice(0, 1).map((m) => ({ ...m, timestamp: undefined })),
      stamped.slice(3, 9),
    ]);
    expect(firstDifference(ours(a), await kafkajsBytes(a))).toBe('same');
  });

  it('message timestamps of any whole milliseconds, as strings or numbers (property)', async () => {
    const timestamp = fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: 0, max: 4_102_444_800_000 }),
      fc.integer({ min: 0, max: 4_102_444_800_000 }).map(String),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(timestamp, { minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 3 }),
        async (parts) => {
          const a = args(parts.map((ts) => ts.map((t, i) => ({ key: `k${i}`, value: 'v', timestamp: t }))));
          expect(firstDifference(ours(a), await kafkajsBytes(a))).toBe('same');
          vi.restoreAllMocks();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('leaves what it does not handle to kafkajs: timestamps not whole ms, other value types, null header values', () => {
    expect(ours(args([[{ value: 'v', timestamp: 'yesterday' }]]))).toBeUndefined();
    expect(ours(args([[{ value: 'v', timestamp: 1764590400000.5 }]]))).toBeUndefined();
    expect(ours(args([[{ value: 42 }]]))).toBeUndefined();
    expect(ours(args([[{ value: 'v', headers: { h: null } }]]))).toBeUndefined();
  });
});

describe('crc32c', () => {
  it("is kafkajs' CRC-32C, on any bytes, any alignment and any end, native and portable alike", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(7), fc.nat(7), (bytes, skip, cut) => {
        const b = Buffer.from(bytes);
        const start = Math.min(skip, b.length);
        const end = Math.max(start, b.length - cut);
        const expected = kafkajsCrc32C(b.subarray(start, end));
        expect(crc32c(b, start, end)).toBe(expected);
        expect(crc32cPortable(b, start, end)).toBe(expected);
      }),
    );
    // the check value of CRC-32C for "123456789" (RFC 3720 B.4 polynomial; reveng catalogue)
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32cPortable(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('runs the native implementation where @node-rs/crc32 has a binary (linux x64 and arm64, macOS, Windows)', () => {
    const covered = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];
    if (covered.includes(`${process.platform}-${process.arch}`)) expect(crc32cImplementation).toBe('native');
    else expect(crc32cImplementation).toBe('portable');
  });
});

describe('useSingleBufferProduceEncoding', () => {
  it("is what kafkajs' Produce v7 request encodes with once installed, compression left to kafkajs", async () => {
    expect(useSingleBufferProduceEncoding()).toBe(true);
    const a = args([sipflowShaped(20)]);
    vi.spyOn(Date, 'now').mockReturnValue(NOW);
    const viaKafkajs = (await produce.protocol({ version: 7 })(a).request.encode()).buffer;
    expect(firstDifference(viaKafkajs, await kafkajsBytes(a))).toBe('same');
    expect(firstDifference(ours(a), viaKafkajs)).toBe('same');
    // gzip (1) goes through kafkajs' own encoder
    const gz = await produce
      .protocol({ version: 7 })({ ...a, compression: 1 })
      .request.encode();
    expect(gz.buffer.equals(viaKafkajs)).toBe(false);
  });
});
