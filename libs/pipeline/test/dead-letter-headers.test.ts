import { describe, expect, it } from 'vitest';
import { CONNECT_HEADER, CONNECT_HEADER_NAMES, deadLetter, HEADER, processBatch } from '../src/index';
import { attempt, encoded, messages, pipelineDeps, topics } from './support/pipeline';

const source = { topic: topics.input, partition: 2 };
const text = (headers: Record<string, unknown> | undefined, name: string) => headers?.[name]?.toString();

describe('dead-letter headers', () => {
  it("carry Kafka Connect's context headers beside sipflow's, with Connect's names and string values", () => {
    const [message] = messages([Buffer.from('not avro')], { traceparent: 'tp' });
    const letter = deadLetter(source, message!, 'SIPFLOW_DECODE_MAGIC_BYTE', 'first byte is 110', null);
    expect(letter.headers).toMatchObject({
      [CONNECT_HEADER.topic]: topics.input,
      [CONNECT_HEADER.partition]: '2',
      [CONNECT_HEADER.offset]: '100',
      [CONNECT_HEADER.connectorName]: 'sipflow',
      [CONNECT_HEADER.stage]: 'VALUE_CONVERTER',
      [CONNECT_HEADER.className]: '@sipflow/codec.AvroDecoder',
      [CONNECT_HEADER.exceptionClassName]: 'SipflowError',
      [CONNECT_HEADER.exceptionMessage]: 'SIPFLOW_DECODE_MAGIC_BYTE: first byte is 110',
      [HEADER.errorCode]: 'SIPFLOW_DECODE_MAGIC_BYTE',
      [HEADER.errorMessage]: 'first byte is 110',
      [HEADER.sourceTopic]: topics.input,
      [HEADER.sourcePartition]: '2',
      [HEADER.sourceOffset]: '100',
      traceparent: 'tp',
    });
    // every value a string, as Connect writes them (kafkajs sends strings as UTF-8)
    for (const name of CONNECT_HEADER_NAMES) {
      const value = letter.headers![name];
      if (value !== undefined) expect(typeof value, name).toBe('string');
    }
    // left out on purpose (connect-headers.ts says why)
    expect(letter.headers).not.toHaveProperty(CONNECT_HEADER.taskId);
    expect(letter.headers).not.toHaveProperty(CONNECT_HEADER.exceptionStacktrace);
  });

  it("name Connect's header prefix and reporter fields exactly", () => {
    expect(CONNECT_HEADER_NAMES).toEqual([
      '__connect.errors.topic',
      '__connect.errors.partition',
      '__connect.errors.offset',
      '__connect.errors.connector.name',
      '__connect.errors.task.id',
      '__connect.errors.stage',
      '__connect.errors.class.name',
      '__connect.errors.exception.class.name',
      '__connect.errors.exception.message',
      '__connect.errors.exception.stacktrace',
    ]);
  });

  it('say TRANSFORMATION for an event that decoded and was refused, and bound the message in both', async () => {
    const deps = await pipelineDeps();
    const bad = encoded(attempt({ sipCode: 42 }));
    const { topicMessages } = processBatch(source, messages([bad]), deps);
    const letter = topicMessages.find((t) => t.topic === topics.dlq)!.messages[0]!;
    expect(text(letter.headers, CONNECT_HEADER.stage)).toBe('TRANSFORMATION');
    expect(text(letter.headers, CONNECT_HEADER.exceptionMessage)).toMatch(/^SIPFLOW_INVALID_SIP_CODE: /);

    const [message] = messages([Buffer.from('x')]);
    const long = deadLetter(source, message!, 'SIPFLOW_INTERNAL_ERROR', 'y'.repeat(5000), 'r-1');
    expect(text(long.headers, HEADER.errorMessage)).toHaveLength(1001);
    expect(text(long.headers, CONNECT_HEADER.exceptionMessage)).toBe(
      `SIPFLOW_INTERNAL_ERROR: ${text(long.headers, HEADER.errorMessage)}`,
    );
    expect(text(long.headers, HEADER.replayId)).toBe('r-1');
  });
});
