import type { InputRecord, OutputRecord, RecordHeaders, TopicRecords } from '@sipflow/pipeline';
import type { IHeaders, KafkaMessage, Message, TopicMessages } from 'kafkajs';
import { describe, expectTypeOf, it } from 'vitest';

/**
 * The pipeline's own record types (libs/pipeline/src/records.ts) against kafkajs': a kafkajs batch
 * goes into the pipeline, and its outputs into a kafkajs send, as they are. These are type-level
 * assertions: `npm run typecheck` (the first step of .ci/run) fails when one breaks.
 */
describe("the pipeline's record types fit kafkajs' both ways", () => {
  it('a fetched kafkajs record is an InputRecord', () => {
    expectTypeOf<KafkaMessage>().toExtend<InputRecord>();
    expectTypeOf<KafkaMessage[]>().toExtend<InputRecord[]>();
  });

  it('what the pipeline writes is what a kafkajs send takes', () => {
    expectTypeOf<OutputRecord>().toExtend<Message>();
    expectTypeOf<TopicRecords>().toExtend<TopicMessages>();
    expectTypeOf<RecordHeaders>().toEqualTypeOf<IHeaders>();
  });
});
