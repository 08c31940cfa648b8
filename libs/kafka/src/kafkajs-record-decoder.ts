import { createRequire } from 'node:module';
import { preloadKafkajsModule } from './kafkajs-module-cache';

const require = createRequire(import.meta.url);

/** kafkajs' 64-bit integer (src/utils/long.js), as far as the record decoder uses it. */
type Long = { add(other: Long | number): Long; toString(): string };
type LongClass = { fromValue(v: unknown): Long };

/** kafkajs' Decoder (src/protocol/decoder.js), as far as a record is read with it. */
type KafkajsDecoder = {
  buffer: Buffer;
  offset: number;
  readInt8(): number;
  readVarInt(): number;
  readVarLong(): Long;
  readVarIntBytes(): Buffer | null;
  readVarIntString(): string | null;
};

type BatchContext = {
  firstOffset?: string;
  firstTimestamp?: string;
  magicByte?: number;
  isControlBatch?: boolean;
  timestampType?: number;
  maxTimestamp?: string;
};

type HeaderValue = Buffer | null;
type Headers = Record<string, HeaderValue | HeaderValue[]>;

// loaded lazily: kafkajs must not load while this module is evaluated (see kafkajs-patches.ts)
let longClass: LongClass | undefined;
const LongValue = (): LongClass => (longClass ??= require('kafkajs/src/utils/long') as LongClass);

/** kafkajs' TimestampTypes.LOG_APPEND_TIME (src/protocol/timestampTypes.js). */
const LOG_APPEND_TIME = 1;

/**
 * A zig-zag varlong read as a JS number, for the values that fit in 49 bits (7 bytes: a timestamp
 * delta is a few bytes at most); undefined, with the decoder where it was, for anything else.
 */
function readSmallVarLong(decoder: KafkajsDecoder): number | undefined {
  const { buffer } = decoder;
  let at = decoder.offset;
  let u = 0;
  let scale = 1;
  for (let i = 0; i < 7; i++) {
    const byte = buffer[at++];
    if (byte === undefined) return undefined;
    u += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      decoder.offset = at;
      return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    }
    scale *= 0x80;
  }
  return undefined;
}

/** `base + delta` as kafkajs' Long writes it, in float arithmetic when that is exact. */
function addToDecimal(base: string, delta: number | Long): string {
  if (typeof delta === 'number') {
    const start = Number(base);
    const sum = start + delta;
    if (Number.isSafeInteger(start) && Number.isSafeInteger(sum)) return String(sum);
  }
  return LongValue().fromValue(base).add(delta).toString();
}

/**
 * kafkajs 2.2.4's src/protocol/recordBatch/record/v0/decoder.js: the same record object, without its
 * per-record costs. kafkajs parses the batch's first offset and timestamp from strings into Longs
 * for every record, reads the timestamp delta a Long per byte, and merges headers with an object
 * spread per header (quadratic in a record's headers); in a CPU profile of a stateful processor of
 * 2026-12-01 that was 5–6 % of its time. Here the offset and timestamp are added as numbers when
 * exact (Long otherwise) and headers go into one object, in kafkajs' order and shape (one value, or
 * an array of them for a repeated key).
 */
export function decodeRecord(decoder: KafkajsDecoder, batchContext: BatchContext = {}) {
  const {
    firstOffset,
    firstTimestamp,
    magicByte,
    isControlBatch = false,
    timestampType,
    maxTimestamp,
  } = batchContext;
  const attributes = decoder.readInt8();

  const timestampDelta = readSmallVarLong(decoder) ?? decoder.readVarLong();
  const timestamp =
    timestampType === LOG_APPEND_TIME && maxTimestamp
      ? maxTimestamp
      : addToDecimal(firstTimestamp as string, timestampDelta);

  const offsetDelta = decoder.readVarInt();
  const offset = addToDecimal(firstOffset as string, offsetDelta);

  const key = decoder.readVarIntBytes();
  const value = decoder.readVarIntBytes();
  const headers: Headers = {};
  const count = decoder.readVarInt();
  for (let i = 0; i < count; i++) {
    const name = decoder.readVarIntString() as string;
    const one = decoder.readVarIntBytes();
    const known = Object.hasOwn(headers, name) ? headers[name] : undefined;
    const merged = known === undefined ? one : Array.isArray(known) ? known.concat([one]) : [known, one];
    // an own property even for "__proto__", as kafkajs' computed key in an object literal makes it
    if (name === '__proto__')
      Object.defineProperty(headers, name, {
        value: merged,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else headers[name] = merged;
  }

  return {
    magicByte,
    attributes, // Record level attributes are presently unused
    timestamp,
    offset,
    key,
    value,
    headers,
    isControlRecord: isControlBatch,
    batchContext,
  };
}

/**
 * Whether the record decoder above went into the module cache before kafkajs' record batch decoder
 * (which takes it with `require` once) was loaded; clients.ts' kafkajsPatchesInUse says whether the
 * kafkajs in use is the cached one.
 */
export const recordDecoderInstalled: boolean = preloadKafkajsModule(
  'kafkajs/src/protocol/recordBatch/record/v0/decoder',
  decodeRecord,
  'kafkajs/src/protocol/recordBatch/v0/decoder',
);
