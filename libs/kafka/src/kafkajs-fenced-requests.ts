// The two requests of KIP-447 that kafkajs 2.2.4 does not speak, encoded with kafkajs' own
// Encoder and Decoder: TxnOffsetCommit v3 (the transaction's offsets with the consumer's group
// generation, member id and group instance id, so the group coordinator refuses a member that is no
// longer in the generation) and OffsetFetch v7 (require_stable: the coordinator answers
// UNSTABLE_OFFSET_COMMIT while a transaction holds offsets for a partition, so a new owner does not
// start from the offset before a zombie's transaction that may still commit).
//
// Both versions are "flexible" (KIP-482): compact strings and arrays, a tagged-fields section after
// every structure, request header v2 (header v1 plus tagged fields after client_id) and response
// header v1 (correlation id plus tagged fields). kafkajs writes header v1 and reads only the
// correlation id, so the body written here starts with the header's empty tagged-fields byte and
// the decoder skips the response header's tagged fields first: the bytes on the wire are those of
// header v2 / v1. Field lists: Kafka's clients/src/main/resources/common/message/
// TxnOffsetCommitRequest.json, TxnOffsetCommitResponse.json, OffsetFetchRequest.json and
// OffsetFetchResponse.json (KIP-447 and KIP-482, checked 2026-12-07).
import Decoder from 'kafkajs/src/protocol/decoder.js';
import Encoder from 'kafkajs/src/protocol/encoder.js';
import { createErrorFromCode, failure } from 'kafkajs/src/protocol/error.js';

export const TXN_OFFSET_COMMIT = { apiKey: 28, fencedVersion: 3 } as const;
export const OFFSET_FETCH = { apiKey: 9, stableVersion: 7 } as const;

/** The consumer's group metadata a transactional offset commit carries (KIP-447). */
export type GroupMetadata = {
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
};

export type TxnOffsetCommitV3 = GroupMetadata & {
  transactionalId: string;
  groupId: string;
  producerId: number | string;
  producerEpoch: number;
  topics: { topic: string; partitions: { partition: number; offset: string; metadata?: string | null }[] }[];
};

/** A request as kafkajs' connection sends it, and its response as the connection decodes it. */
export type KafkajsProtocolRequest<T> = {
  request: { apiKey: number; apiVersion: number; apiName: string; encode: () => Promise<Encoder> };
  response: { decode: (raw: Buffer) => Promise<T>; parse: (data: T) => Promise<T> };
  /**
   * kafkajs logs every error response at error level; these errors are expected (a refused
   * zombie, offsets waiting for a transaction) and their callers log what they mean
   */
  logResponseError: false;
};

const NO_TAGGED_FIELDS = 0;

function compactArray<T>(encoder: Encoder, items: readonly T[], write: (item: T) => void): void {
  encoder.writeUVarInt(items.length + 1);
  for (const item of items) write(item);
}

function readCompactArray<T>(decoder: Decoder, read: () => T): T[] {
  const length = decoder.readUVarInt();
  const items: T[] = [];
  for (let i = 1; i < length; i++) items.push(read());
  return items;
}

export type TxnOffsetCommitResult = {
  throttleTime: number;
  topics: { topic: string; partitions: { partition: number; errorCode: number }[] }[];
};

export function txnOffsetCommitV3(req: TxnOffsetCommitV3): KafkajsProtocolRequest<TxnOffsetCommitResult> {
  return {
    request: {
      apiKey: TXN_OFFSET_COMMIT.apiKey,
      apiVersion: TXN_OFFSET_COMMIT.fencedVersion,
      apiName: 'TxnOffsetCommit',
      encode: async () => {
        const e = new Encoder();
        e.writeUVarInt(NO_TAGGED_FIELDS); // request header v2's tagged fields
        e.writeUVarIntString(req.transactionalId);
        e.writeUVarIntString(req.groupId);
        e.writeInt64(req.producerId);
        e.writeInt16(req.producerEpoch);
        e.writeInt32(req.generationId);
        e.writeUVarIntString(req.memberId);
        e.writeUVarIntString(req.groupInstanceId);
        compactArray(e, req.topics, ({ topic, partitions }) => {
          e.writeUVarIntString(topic);
          compactArray(e, partitions, ({ partition, offset, metadata }) => {
            e.writeInt32(partition);
            e.writeInt64(offset);
            e.writeInt32(-1); // committed_leader_epoch: unknown
            e.writeUVarIntString(metadata ?? null);
            e.writeUVarInt(NO_TAGGED_FIELDS);
          });
          e.writeUVarInt(NO_TAGGED_FIELDS);
        });
        e.writeUVarInt(NO_TAGGED_FIELDS);
        return e;
      },
    },
    logResponseError: false,
    response: {
      decode: async (raw) => {
        const d = new Decoder(raw);
        d.readTaggedFields(); // response header v1
        const throttleTime = d.readInt32();
        const topics = readCompactArray(d, () => {
          const topic = d.readUVarIntString() ?? '';
          const partitions = readCompactArray(d, () => {
            const partition = d.readInt32();
            const errorCode = d.readInt16();
            d.readTaggedFields();
            return { partition, errorCode };
          });
          d.readTaggedFields();
          return { topic, partitions };
        });
        d.readTaggedFields();
        return { throttleTime, topics };
      },
      parse: async (data) => {
        for (const { partitions } of data.topics)
          for (const { errorCode } of partitions)
            if (failure(errorCode)) throw createErrorFromCode(errorCode);
        return data;
      },
    },
  };
}

/** What kafkajs' OffsetFetch v2–v4 responses give its consumer, so the caller sees no difference. */
export type OffsetFetchResult = {
  throttleTime: number;
  clientSideThrottleTime: number;
  errorCode: number;
  responses: {
    topic: string;
    partitions: { partition: number; offset: string; metadata: string | null; errorCode: number }[];
  }[];
};

export function offsetFetchV7(req: {
  groupId: string;
  topics: { topic: string; partitions: { partition: number }[] }[];
  requireStable: boolean;
}): KafkajsProtocolRequest<OffsetFetchResult> {
  return {
    request: {
      apiKey: OFFSET_FETCH.apiKey,
      apiVersion: OFFSET_FETCH.stableVersion,
      apiName: 'OffsetFetch',
      encode: async () => {
        const e = new Encoder();
        e.writeUVarInt(NO_TAGGED_FIELDS); // request header v2's tagged fields
        e.writeUVarIntString(req.groupId);
        compactArray(e, req.topics, ({ topic, partitions }) => {
          e.writeUVarIntString(topic);
          compactArray(e, partitions, ({ partition }) => e.writeInt32(partition));
          e.writeUVarInt(NO_TAGGED_FIELDS);
        });
        e.writeBoolean(req.requireStable);
        e.writeUVarInt(NO_TAGGED_FIELDS);
        return e;
      },
    },
    logResponseError: false,
    response: {
      decode: async (raw) => {
        const d = new Decoder(raw);
        d.readTaggedFields(); // response header v1
        const throttleTime = d.readInt32();
        const responses = readCompactArray(d, () => {
          const topic = d.readUVarIntString() ?? '';
          const partitions = readCompactArray(d, () => {
            const partition = d.readInt32();
            const offset = d.readInt64().toString();
            d.readInt32(); // committed_leader_epoch
            const metadata = d.readUVarIntString();
            const errorCode = d.readInt16();
            d.readTaggedFields();
            return { partition, offset, metadata, errorCode };
          });
          d.readTaggedFields();
          return { topic, partitions };
        });
        const errorCode = d.readInt16();
        d.readTaggedFields();
        return { throttleTime: 0, clientSideThrottleTime: throttleTime, errorCode, responses };
      },
      parse: async (data) => {
        if (failure(data.errorCode)) throw createErrorFromCode(data.errorCode);
        for (const { partitions } of data.responses)
          for (const { errorCode } of partitions)
            if (failure(errorCode)) throw createErrorFromCode(errorCode);
        return data;
      },
    },
  };
}
