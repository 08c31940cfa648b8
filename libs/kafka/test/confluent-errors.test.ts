import type { Consumer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { isSipflowError, type SipflowError } from '@sipflow/errors';
import { peerCommonConfig } from '../src/confluent/config';
import { loadConfluent } from '../src/confluent/load';
import { notWired } from '../src/confluent/not-wired';

function thrownBy(run: () => unknown): SipflowError {
  try {
    run();
  } catch (err) {
    if (isSipflowError(err)) return err;
    throw err;
  }
  throw new Error('expected a SipflowError');
}

// what the wrapper refuses is coded SIPFLOW_KAFKA_CLIENT, so the CLI exits 69 with the peer's help
describe('the peer client wrapper codes what it cannot do', () => {
  it('not installed', () => {
    const notInstalled = (id: string): never => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    };
    const err = thrownBy(() => loadConfluent(notInstalled));
    expect(err.code).toBe('SIPFLOW_KAFKA_CLIENT');
    expect(err.details).toEqual({ package: '@confluentinc/kafka-javascript' });
    expect((err.cause as Error).message).toContain('Cannot find module');
  });

  it('a kafkajs method the wrapper does not carry', () => {
    const consumer = notWired<Consumer>('consumer', {});
    const err = thrownBy(() => consumer.seek({ topic: 't', partition: 0, offset: '0' }));
    expect(err).toMatchObject({ code: 'SIPFLOW_KAFKA_CLIENT', details: { method: 'consumer.seek' } });
  });

  it('a broker discovery function', () => {
    const err = thrownBy(() => peerCommonConfig({ brokers: async () => ['b1:9092'] }));
    expect(err.code).toBe('SIPFLOW_KAFKA_CLIENT');
  });
});
