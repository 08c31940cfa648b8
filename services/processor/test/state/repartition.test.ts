import { HEADER } from '@sipflow/pipeline';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { SOURCE_KEY_HEADER, unwrapForwarded } from '../../src/state/repartition';

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
