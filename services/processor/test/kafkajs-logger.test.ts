import { Writable } from 'node:stream';
import { logLevel } from 'kafkajs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { kafkajsLogCreator } from '../src/kafkajs-logger';

function capture() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  return { lines, logger: pino({ level: 'debug' }, stream) };
}

describe('kafkajs log lines', () => {
  it('keep their level, except the retried CONCURRENT_TRANSACTIONS, which go to debug', () => {
    const { lines, logger } = capture();
    const log = kafkajsLogCreator(logger)(logLevel.INFO);
    const concurrent =
      'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing';
    log({
      namespace: 'x',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: 't', message: 'Response AddPartitionsToTxn(key: 24, version: 1)', error: concurrent },
    });
    log({
      namespace: 'x',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: 't', message: `Failed to send messages: ${concurrent}` },
    });
    log({
      namespace: 'x',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: 't', message: 'Connection error: ECONNREFUSED' },
    });
    expect(lines.map((l) => l.level)).toEqual([20, 20, 50]); // pino: debug 20, error 50
  });
});
