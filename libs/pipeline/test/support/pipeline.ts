import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { AvroDecoder, frame, type CallAttempt } from '@sipflow/codec';
import { defaultRules } from '@sipflow/rules';
import { attempt } from '../../../../test/support/call-attempt';
import {
  inputReaderType,
  offlineEncoders,
  prefixedTopics,
  topicsFromEnv,
  type InputRecord,
  type PipelineDeps,
} from '../../src/index';

export const SCHEMA_ID = 7;
export const readerType = inputReaderType();
export const topics = prefixedTopics(topicsFromEnv({}), 'test');

/** The decoder asks the registry only for writer schemas: the known id, and a 404 for any other. */
export const registryStub = {
  getSchema: async (id: number) => {
    if (id === SCHEMA_ID) return readerType;
    throw Object.assign(new Error(`schema ${id} not found`), { status: 404 });
  },
} as unknown as SchemaRegistry;

export async function pipelineDeps(overrides: Partial<PipelineDeps> = {}): Promise<PipelineDeps> {
  const decoder = new AvroDecoder<CallAttempt>(registryStub, readerType);
  await decoder.prepare([frame(SCHEMA_ID, Buffer.alloc(1))]);
  return {
    decoder,
    rules: defaultRules(),
    encoders: offlineEncoders(topics),
    topics,
    maxRecordBytes: 4096,
    replayId: null,
    ...overrides,
  };
}

export const encoded = (event: CallAttempt): Buffer => frame(SCHEMA_ID, readerType.toBuffer(event));

/** Input records as kafkajs hands them to eachBatch, at offsets 100, 101, ... */
export function messages(values: Array<Buffer | null>, headers: InputRecord['headers'] = {}): InputRecord[] {
  return values.map((value, i) => ({
    key: Buffer.from(`key-${i}`),
    value,
    offset: String(100 + i),
    timestamp: '1780000000000',
    attributes: 0,
    headers,
  }));
}

export { attempt };
