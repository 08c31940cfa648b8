// kafkajs' request queue is not part of its public types; request-queue-timer.ts replaces one of
// its methods. Only what that file touches is declared.
declare module 'kafkajs/src/network/requestQueue/index.js' {
  const RequestQueue: { prototype: { scheduleCheckPendingRequests?: unknown } };
  export default RequestQueue;
}

// kafkajs' protocol encoder and decoder, and its error table: kafkajs-fenced-requests.ts writes
// the two KIP-447 requests kafkajs lacks with them. Only the methods used are declared.
declare module 'kafkajs/src/protocol/encoder.js' {
  export default class Encoder {
    writeInt8(value: number): this;
    writeInt16(value: number): this;
    writeInt32(value: number): this;
    writeInt64(value: number | string | bigint): this;
    writeBoolean(value: boolean): this;
    writeUVarInt(value: number): this;
    writeUVarIntString(value: string | null): this;
    size(): number;
    buffer: Buffer;
  }
}
declare module 'kafkajs/src/protocol/decoder.js' {
  export default class Decoder {
    constructor(buffer: Buffer);
    readInt8(): number;
    readInt16(): number;
    readInt32(): number;
    readInt64(): { toString(): string };
    readBoolean(): boolean;
    readUVarInt(): number;
    readUVarIntString(): string | null;
    readTaggedFields(): unknown;
  }
}
declare module 'kafkajs/src/protocol/error.js' {
  export function failure(code: number): boolean;
  export function createErrorFromCode(
    code: number,
  ): Error & { type: string; code: number; retriable: boolean };
}

// The classes kafkajs-group-fencing.ts patches: the broker connection (two requests), the consumer
// group (fetch and join, to know each batch's generation), its offset manager (stable offsets)
// and the runner (a batch's handling runs with the batch's membership in scope).
declare module 'kafkajs/src/broker/index.js' {
  const Broker: { prototype: Record<string, unknown> };
  export default Broker;
}
declare module 'kafkajs/src/consumer/consumerGroup.js' {
  const ConsumerGroup: { prototype: Record<string, unknown> };
  export default ConsumerGroup;
}
declare module 'kafkajs/src/consumer/offsetManager/index.js' {
  const OffsetManager: { prototype: Record<string, unknown> };
  export default OffsetManager;
}
declare module 'kafkajs/src/consumer/runner.js' {
  const Runner: { prototype: Record<string, unknown> };
  export default Runner;
}

// kafkajs' error classes, the real ones its retry logic recognises (kafkajs-write-guard.ts)
declare module 'kafkajs/src/errors.js' {
  export class KafkaJSNonRetriableError extends Error {
    constructor(e: Error | string);
    retriable: boolean;
  }
  /** a broker's error code as kafkajs throws it (tests build the ones a broker would answer) */
  export class KafkaJSProtocolError extends Error {
    constructor(e: Error & { type: string; code: number; retriable: boolean });
    type: string;
    code: number;
    retriable: boolean;
  }
}
