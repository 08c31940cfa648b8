import { crc32c } from './crc32c';
/**
 * A produce request body (Produce v3–v7, record batch magic 2, uncompressed) written in one pass
 * into one buffer of the exact size, byte for byte what kafkajs 2.2.4 writes.
 *
 * Why: in a CPU profile of `sipflow process` kafkajs' encoding was most of the processor's time.
 * It builds a `new Encoder()` (a zero-filled 512-byte `Buffer.alloc`) per record and per header,
 * a `Buffer.from([...])` per varint, spreads every message into a new object, then copies each
 * record and header into the batch. Buffer construction and the garbage it left were about half
 * the main thread (docs/performance.md, "Per-record cost"). Pre-encoding constant header values
 * as Buffers does not help there: kafkajs still allocates the header's Encoder and its varints.
 *
 * The layout is Kafka's (the RecordBatch and Record formats of KIP-98, checked 2026-12-01:
 * https://kafka.apache.org/documentation/#recordbatch); the field order and defaults follow
 * kafkajs' own src/protocol/requests/produce/v3/request.js and src/protocol/recordBatch/.
 * Anything outside the shape handled here (compression, a timestamp that is not a whole number of
 * milliseconds, a key, value or header of another type) returns `undefined`, and kafkajs' own
 * encoder runs instead.
 */

/** The parts of kafkajs' message the encoder reads. */
export type EncodableMessage = {
  key?: unknown;
  value: unknown;
  headers?: Record<string, unknown>;
  timestamp?: unknown;
};

export type ProduceRequestData = {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  /** the two halves of the 64-bit producer id (-1, -1 when not idempotent) */
  producerId: { high: number; low: number };
  producerEpoch: number;
  topicData: {
    topic: string;
    partitions: { partition: number; firstSequence?: number; messages: EncodableMessage[] }[];
  }[];
};

/** Header names are the same few strings on every record: their bytes are made once. */
const MAX_CACHED_HEADER_NAMES = 256;
const headerNames = new Map<string, Buffer>();

function headerName(name: string): Buffer {
  let bytes = headerNames.get(name);
  if (bytes === undefined) {
    const n = Buffer.byteLength(name, 'utf8');
    bytes = Buffer.allocUnsafeSlow(sizeOfVarInt(n) + n);
    bytes.write(name, writeVarInt(bytes, 0, n), 'utf8');
    if (headerNames.size < MAX_CACHED_HEADER_NAMES) headerNames.set(name, bytes);
  }
  return bytes;
}

const zigZag = (v: number) => (v << 1) ^ (v >> 31);

/** The bytes of kafkajs' `writeVarInt` (zig-zag, then LEB128 7 bits at a time). */
function sizeOfVarInt(v: number): number {
  let u = zigZag(v);
  let n = 1;
  while ((u & 0xffffff80) !== 0) {
    n++;
    u >>>= 7;
  }
  return n;
}

function writeVarInt(buf: Buffer, at: number, v: number): number {
  let u = zigZag(v);
  while ((u & 0xffffff80) !== 0) {
    buf[at++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  buf[at++] = u & 0x7f;
  return at;
}

/**
 * The bytes of kafkajs' `writeVarLong` (zig-zag over 64 bits, then LEB128) for a safe integer, in
 * float arithmetic: a timestamp delta can pass 32 bits (a record's time minus the batch's first).
 */
function zigZagLong(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

function sizeOfVarLong(v: number): number {
  let u = zigZagLong(v);
  let n = 1;
  while (u >= 0x80) {
    n++;
    u = Math.floor(u / 0x80);
  }
  return n;
}

function writeVarLong(buf: Buffer, at: number, v: number): number {
  let u = zigZagLong(v);
  while (u >= 0x80) {
    buf[at++] = (u % 0x80) | 0x80;
    u = Math.floor(u / 0x80);
  }
  buf[at++] = u;
  return at;
}

/**
 * A partition's batch timestamps as kafkajs sets them (produce/v3/request.js): first and max of
 * the messages' own timestamps, compared as strings (its `.sort()` has no comparator), or `now`
 * for both when no message has one; a message without one is `now` relative to the first.
 * Undefined when a timestamp is not a whole number of milliseconds (kafkajs' encoder decides then).
 */
type BatchTime = { first: number; max: number; now: number };

function batchTime(messages: readonly EncodableMessage[], now: number): BatchTime | undefined {
  let first: string | undefined;
  let max: string | undefined;
  for (const m of messages) {
    const ts = m.timestamp;
    if (ts === undefined || ts === null) continue;
    const text = String(ts);
    if (first === undefined || text < first) first = text;
    if (max === undefined || text > max) max = text;
  }
  if (first === undefined || max === undefined) return { first: now, max: now, now };
  const time = { first: Number(first), max: Number(max), now };
  return Number.isSafeInteger(time.first) && Number.isSafeInteger(time.max) ? time : undefined;
}

/** kafkajs' `(message.timestamp || dateNow) - firstTimestamp`, or undefined when not a whole ms. */
function timestampDelta(m: EncodableMessage, time: BatchTime): number | undefined {
  const ts = m.timestamp;
  if (!ts) return time.now - time.first;
  const delta = Number(ts) - time.first;
  return Number.isSafeInteger(delta) ? delta : undefined;
}

/** null/undefined → -1; a Buffer or string → its length; anything else: not ours (-2). */
function bytesLength(v: unknown): number {
  if (v === null || v === undefined) return -1;
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (Buffer.isBuffer(v)) return v.length;
  return -2;
}

function writeBytes(buf: Buffer, at: number, v: unknown, length: number): number {
  at = writeVarInt(buf, at, length);
  if (length <= 0) return at;
  if (typeof v === 'string') return at + buf.write(v, at, length, 'utf8');
  return at + (v as Buffer).copy(buf, at);
}

/** Sizes of one record's body, or undefined when it is not the shape handled here. */
function recordBodySize(m: EncodableMessage, offsetDelta: number, tsDelta: number): number | undefined {
  const k = bytesLength(m.key);
  const v = bytesLength(m.value);
  if (k === -2 || v === -2) return undefined;
  // attributes (1) + timestampDelta as a varlong
  let size =
    1 +
    sizeOfVarLong(tsDelta) +
    sizeOfVarInt(offsetDelta) +
    sizeOfVarInt(k) +
    Math.max(k, 0) +
    sizeOfVarInt(v) +
    Math.max(v, 0);
  let count = 0;
  const headers = m.headers;
  if (headers !== undefined) {
    for (const name in headers) {
      const value = headers[name];
      if (Array.isArray(value)) {
        for (const one of value) {
          const n = bytesLength(one);
          if (n < 0) return undefined; // kafkajs fails on a null header value: its encoder says so
          size += headerName(name).length + sizeOfVarInt(n) + n;
          count++;
        }
      } else {
        const n = bytesLength(value);
        if (n < 0) return undefined;
        size += headerName(name).length + sizeOfVarInt(n) + n;
        count++;
      }
    }
  }
  return size + sizeOfVarInt(count);
}

function writeRecord(
  buf: Buffer,
  at: number,
  m: EncodableMessage,
  offsetDelta: number,
  tsDelta: number,
  body: number,
): number {
  at = writeVarInt(buf, at, body);
  buf[at++] = 0; // attributes
  at = writeVarLong(buf, at, tsDelta);
  at = writeVarInt(buf, at, offsetDelta);
  at = writeBytes(buf, at, m.key, bytesLength(m.key));
  at = writeBytes(buf, at, m.value, bytesLength(m.value));
  const headers = m.headers;
  let count = 0;
  if (headers !== undefined)
    for (const name in headers) {
      const value = headers[name];
      count += Array.isArray(value) ? value.length : 1;
    }
  at = writeVarInt(buf, at, count);
  if (headers !== undefined)
    for (const name in headers) {
      const value = headers[name];
      const bytes = headerName(name);
      if (Array.isArray(value)) {
        for (const one of value) {
          at += bytes.copy(buf, at);
          at = writeBytes(buf, at, one, bytesLength(one));
        }
      } else {
        at += bytes.copy(buf, at);
        at = writeBytes(buf, at, value, bytesLength(value));
      }
    }
  return at;
}

// firstOffset (8) + length (4) + partitionLeaderEpoch (4) + magic (1) + crc (4)
const BATCH_HEADER = 21;
// attributes 2, lastOffsetDelta 4, first and max timestamp 16, producer id 8, epoch 2, sequence 4, count 4
const BATCH_BODY_HEADER = 40;
const TRANSACTIONAL = 16;

/**
 * The request body kafkajs' `encode()` would produce, or undefined when the request is not of the
 * handled shape. `now` is the batch timestamp of a partition whose messages carry none (kafkajs
 * takes Date.now() per partition).
 */
export function encodeProduceRequest(
  req: ProduceRequestData,
  now: () => number = Date.now,
): Buffer | undefined {
  const tx = req.transactionalId ?? null;
  const txBytes = tx === null ? 0 : Buffer.byteLength(tx, 'utf8');
  let size = 2 + txBytes + 2 + 4 + 4;
  const bodySizes: number[][] = [];
  const deltas: number[][] = [];
  const times: BatchTime[] = [];
  for (const { topic, partitions } of req.topicData) {
    size += 2 + Buffer.byteLength(topic, 'utf8') + 4;
    for (const { messages } of partitions) {
      const time = batchTime(messages, now());
      if (time === undefined) return undefined;
      const sizes: number[] = new Array<number>(messages.length);
      const tsDeltas: number[] = new Array<number>(messages.length);
      let records = 0;
      for (let i = 0; i < messages.length; i++) {
        const tsDelta = timestampDelta(messages[i]!, time);
        if (tsDelta === undefined) return undefined;
        const body = recordBodySize(messages[i]!, i, tsDelta);
        if (body === undefined) return undefined;
        sizes[i] = body;
        tsDeltas[i] = tsDelta;
        records += sizeOfVarInt(body) + body;
      }
      bodySizes.push(sizes);
      deltas.push(tsDeltas);
      times.push(time);
      size += 4 + 4 + BATCH_HEADER + BATCH_BODY_HEADER + records;
    }
  }

  const buf = Buffer.allocUnsafe(size);
  let at = 0;
  if (tx === null) at = buf.writeInt16BE(-1, at);
  else {
    at = buf.writeInt16BE(txBytes, at);
    at += buf.write(tx, at, txBytes, 'utf8');
  }
  at = buf.writeInt16BE(req.acks, at);
  at = buf.writeInt32BE(req.timeout, at);
  at = buf.writeInt32BE(req.topicData.length, at);
  let p = 0;
  for (const { topic, partitions } of req.topicData) {
    const topicBytes = Buffer.byteLength(topic, 'utf8');
    at = buf.writeInt16BE(topicBytes, at);
    at += buf.write(topic, at, topicBytes, 'utf8');
    at = buf.writeInt32BE(partitions.length, at);
    for (const { partition, firstSequence, messages } of partitions) {
      const sizes = bodySizes[p]!;
      const tsDeltas = deltas[p]!;
      const time = times[p++]!;
      at = buf.writeInt32BE(partition, at);
      const sizeAt = at; // the record batch's size, and its length field, once it is written
      at += 4;
      const batchStart = at;
      at = buf.writeInt32BE(0, at); // firstOffset, high
      at = buf.writeInt32BE(0, at); // firstOffset, low
      const lengthAt = at;
      at += 4;
      at = buf.writeInt32BE(0, at); // partitionLeaderEpoch
      buf[at++] = 2; // magic
      const crcAt = at;
      at += 4;
      const bodyStart = at;
      at = buf.writeInt16BE(tx === null ? 0 : TRANSACTIONAL, at);
      at = buf.writeInt32BE(messages.length - 1, at);
      at = writeInt64(buf, at, time.first);
      at = writeInt64(buf, at, time.max);
      at = buf.writeInt32BE(req.producerId.high, at);
      at = buf.writeInt32BE(req.producerId.low, at);
      at = buf.writeInt16BE(req.producerEpoch, at);
      at = buf.writeInt32BE(firstSequence ?? 0, at);
      at = buf.writeInt32BE(messages.length, at);
      for (let i = 0; i < messages.length; i++)
        at = writeRecord(buf, at, messages[i]!, i, tsDeltas[i]!, sizes[i]!);
      buf.writeUInt32BE(crc32c(buf, bodyStart, at), crcAt);
      buf.writeInt32BE(at - lengthAt - 4, lengthAt);
      buf.writeInt32BE(at - batchStart, sizeAt);
    }
  }
  return buf;
}

function writeInt64(buf: Buffer, at: number, v: number): number {
  at = buf.writeInt32BE(Math.floor(v / 2 ** 32) | 0, at);
  return buf.writeInt32BE((v % 2 ** 32) | 0, at);
}
