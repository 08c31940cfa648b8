import { AvroDecoder, frame } from '@sipflow/codec';
import {
  HEADER,
  inputPhoneNumberReaderType,
  inputReaderType,
  prefixedTopics,
  topicsFromEnv,
} from '@sipflow/pipeline';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import {
  forwardBatch,
  SOURCE_KEY_HEADER,
  unwrapForwarded,
  type PhoneNumberOnly,
} from '../../src/state/repartition';
import { attempt } from '../../../../test/support/call-attempt';
import { readerType, registryStub, SCHEMA_ID } from '../../../../libs/pipeline/test/support/pipeline';

const copy = (headers: KafkaMessage['headers']): KafkaMessage =>
  ({
    key: Buffer.from('+13055550100'),
    value: Buffer.from([0, 0, 0, 0, 1]),
    offset: '42',
    timestamp: '1781100000000',
    attributes: 0,
    headers,
  }) as KafkaMessage;

describe('a repartition copy, unwrapped', () => {
  it('is the raw record again: its key, offset, partition and headers, without the forwarding ones', () => {
    const { message, source } = unwrapForwarded(
      copy({
        [HEADER.sourceTopic]: Buffer.from('calls.raw'),
        [HEADER.sourcePartition]: Buffer.from('2'),
        [HEADER.sourceOffset]: Buffer.from('1910'),
        [SOURCE_KEY_HEADER]: Buffer.from('lead-7'),
        traceparent: Buffer.from('00-abc-def-01'),
      }),
      { topic: 'g-calls.raw-by-number-repartition', partition: 0 },
    );
    expect(source).toEqual({ topic: 'calls.raw', partition: 2 });
    expect(message.offset).toBe('1910');
    expect(message.key?.toString()).toBe('lead-7');
    expect(Object.keys(message.headers ?? {})).toEqual(['traceparent']);
    expect(message.value).toEqual(Buffer.from([0, 0, 0, 0, 1]));
  });

  it('stands for itself when it was not written by the forwarder, and keeps a null raw key null', () => {
    const self = { topic: 'g-calls.raw-by-number-repartition', partition: 1 };
    const plain = copy({});
    expect(unwrapForwarded(plain, self)).toEqual({ message: plain, source: self });
    const keyless = unwrapForwarded(
      copy({
        [HEADER.sourceTopic]: Buffer.from('calls.raw'),
        [HEADER.sourcePartition]: Buffer.from('0'),
        [HEADER.sourceOffset]: Buffer.from('5'),
      }),
      self,
    );
    expect(keyless.message.key).toBeNull();
  });
});

describe('forwardBatch', () => {
  const topics = prefixedTopics(topicsFromEnv({}), 'test');
  const raw = (value: Buffer | null, offset: number): KafkaMessage =>
    ({
      key: Buffer.from(`lead-${offset}`),
      value,
      offset: String(offset),
      timestamp: '1781100000000',
      attributes: 0,
      headers: { traceparent: Buffer.from('t') },
    }) as KafkaMessage;

  it('re-keys by the phone number read alone, and dead-letters what has no readable number', async () => {
    const decoder = new AvroDecoder<PhoneNumberOnly>(registryStub, inputPhoneNumberReaderType());
    const event = { ...attempt(), phoneNumber: '+13055550100' };
    const good = frame(SCHEMA_ID, readerType.toBuffer(event));
    const messages = [
      raw(good, 10),
      raw(good.subarray(0, good.length - 3), 11), // truncated
      raw(Buffer.concat([good, Buffer.from([0])]), 12), // trailing bytes
      raw(frame(99, readerType.toBuffer(event)), 13), // unknown schema
      raw(Buffer.alloc(300), 14), // over maxRecordBytes
    ];
    await decoder.prepare(messages.map((m) => m.value));
    const result = forwardBatch({ topic: 'calls.raw', partition: 2 }, messages, {
      decoder,
      topics,
      repartitionTopic: 'g-calls.raw-by-number-repartition',
      maxRecordBytes: 256,
    });
    const [copies, letters] = result.topicMessages;
    expect(copies!.topic).toBe('g-calls.raw-by-number-repartition');
    expect(copies!.messages).toEqual([
      {
        key: '+13055550100',
        value: good,
        timestamp: '1781100000000',
        headers: {
          traceparent: Buffer.from('t'),
          [HEADER.sourceTopic]: 'calls.raw',
          [HEADER.sourcePartition]: '2',
          [HEADER.sourceOffset]: '10',
          [SOURCE_KEY_HEADER]: Buffer.from('lead-10'),
        },
      },
    ]);
    expect(letters!.topic).toBe(topics.dlq);
    expect(result.records.map((r) => [r.offset, r.outcome])).toEqual([
      ['11', { kind: 'dead-letter', code: 'SIPFLOW_DECODE_CORRUPT_AVRO' }],
      ['12', { kind: 'dead-letter', code: 'SIPFLOW_DECODE_CORRUPT_AVRO' }],
      ['13', { kind: 'dead-letter', code: 'SIPFLOW_DECODE_UNKNOWN_SCHEMA' }],
      ['14', { kind: 'dead-letter', code: 'SIPFLOW_OVERSIZE_RECORD' }],
    ]);
  });

  it('the phone-number reader builds nothing but the number', () => {
    const event = { ...attempt(), phoneNumber: '+14155550123' };
    const reader = inputPhoneNumberReaderType();
    const value = reader.createResolver(inputReaderType());
    expect(reader.fromBuffer(inputReaderType().toBuffer(event), value)).toEqual({
      phoneNumber: '+14155550123',
    });
  });
});
