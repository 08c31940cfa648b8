import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { isSipflowError } from '@sipflow/errors';
import { kafkaUnavailableError } from '../src/unavailable';

describe('kafkaUnavailableError', () => {
  it('codes a refused connection, also when kafkajs wrapped it after its retries', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    for (const thrown of [
      refused,
      new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 5, retryTime: 100 }),
    ]) {
      const coded = kafkaUnavailableError(thrown);
      expect(isSipflowError(coded, 'SIPFLOW_KAFKA_UNAVAILABLE')).toBe(true);
      expect(coded?.message).toBe(
        'Kafka is unavailable: Connection error: connect ECONNREFUSED 127.0.0.1:9092',
      );
      expect(coded?.cause).toBe(thrown);
    }
  });

  it('leaves other errors alone', () => {
    expect(
      kafkaUnavailableError(new KafkaJSProtocolError('This server does not host this topic-partition')),
    ).toBe(undefined);
    expect(kafkaUnavailableError(new Error('boom'))).toBe(undefined);
    expect(kafkaUnavailableError('boom')).toBe(undefined);
  });
});
