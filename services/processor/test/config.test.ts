import { describeEnv } from '@sipflow/config';
import { describe, expect, it } from 'vitest';
import { allProcessorEnv, processorConfigFromEnv } from '../src/config';

describe('processorConfigFromEnv: KAFKA_CLIENT', () => {
  it('runs on kafkajs unless told otherwise', () => {
    expect(processorConfigFromEnv({}).client).toBe('kafkajs');
  });

  it('runs on the peer client with KAFKA_CLIENT=confluent, whatever the guarantee', () => {
    expect(processorConfigFromEnv({ KAFKA_CLIENT: 'confluent' }).client).toBe('confluent');
    const eos = processorConfigFromEnv({ KAFKA_CLIENT: 'confluent', PROCESSING_GUARANTEE: 'exactly_once' });
    expect(eos).toMatchObject({ client: 'confluent', guarantee: 'exactly_once' });
  });

  it('stops start-up on an unknown client, naming the variable', () => {
    expect(() => processorConfigFromEnv({ KAFKA_CLIENT: 'rdkafka' })).toThrow(
      /^invalid KAFKA_CLIENT="rdkafka": /,
    );
  });

  it('lists KAFKA_CLIENT in `sipflow process --help`', () => {
    expect(describeEnv(allProcessorEnv)).toMatch(/KAFKA_CLIENT +Kafka client of the processor/);
  });
});
