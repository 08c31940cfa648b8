import { createRequire } from 'node:module';
import { encodeProduceRequest, type ProduceRequestData } from './record-batch-encoding';

const require = createRequire(import.meta.url);

/** The kafkajs release whose produce encoding record-batch-encoding.ts reproduces byte for byte. */
export const KAFKAJS_ENCODING_VERSION = '2.2.4';

type ProduceArgs = Omit<ProduceRequestData, 'producerId' | 'producerEpoch'> & {
  compression?: number;
  producerId?: unknown;
  producerEpoch?: number;
};
type Built = { request: { encode: () => Promise<unknown> }; response: unknown };
type ProduceDefinition = { protocol: (v: { version: number }) => (args: ProduceArgs) => Built };
type LongLike = { getHighBits(): number; getLowBits(): number };

let installed = false;

/**
 * Makes kafkajs' Produce requests (v3–v7, uncompressed) use encodeProduceRequest. kafkajs looks the
 * request definition up on every produce (src/broker/index.js, `lookupRequest`), so replacing
 * `protocol` on its exported definition object takes effect whatever was loaded before, and
 * leaves everything else (retries, idempotence, transactions, the response) kafkajs'. A request of
 * another shape keeps kafkajs' own encode. Another kafkajs release keeps all of its own encoding:
 * the byte-for-byte tests hold for the pinned one only. Returns whether it is in use.
 */
export function useSingleBufferProduceEncoding(): boolean {
  if (installed) return true;
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== KAFKAJS_ENCODING_VERSION) return false;
  const produce = require('kafkajs/src/protocol/requests/produce') as ProduceDefinition;
  const Encoder = require('kafkajs/src/protocol/encoder') as new (size: number) => {
    buf: Buffer;
    offset: number;
  };
  const Long = require('kafkajs/src/utils/long') as { fromValue(v: unknown): LongLike };
  const original = produce.protocol;
  produce.protocol = ({ version: apiVersion }) => {
    const build = original({ version: apiVersion });
    if (apiVersion < 3 || apiVersion > 7) return build;
    return (args) => {
      const built = build(args);
      // 0 is CompressionTypes.None
      if ((args.compression ?? 0) !== 0) return built;
      const kafkajsEncode = built.request.encode;
      built.request.encode = async () => {
        const id = Long.fromValue(args.producerId ?? -1);
        const buf = encodeProduceRequest({
          acks: args.acks,
          timeout: args.timeout,
          transactionalId: args.transactionalId ?? null,
          producerId: { high: id.getHighBits(), low: id.getLowBits() },
          producerEpoch: args.producerEpoch ?? 0,
          topicData: args.topicData,
        });
        if (buf === undefined) return kafkajsEncode();
        // kafkajs frames the body with Encoder.writeEncoder, which reads `buf` and `offset`
        const encoder = new Encoder(0);
        encoder.buf = buf;
        encoder.offset = buf.length;
        return encoder;
      };
      return built;
    };
  };
  installed = true;
  return true;
}
