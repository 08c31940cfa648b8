import { describe, expect, it } from 'vitest';
import { describeEnv, kafkaClientEnv, kafkaClientFromEnv } from '../src/index';

describe('KAFKA_CLIENT', () => {
  it('defaults to kafkajs, unset or empty', () => {
    expect(kafkaClientFromEnv({})).toBe('kafkajs');
    expect(kafkaClientFromEnv({ KAFKA_CLIENT: '' })).toBe('kafkajs');
  });

  it('takes kafkajs or confluent', () => {
    expect(kafkaClientFromEnv({ KAFKA_CLIENT: 'kafkajs' })).toBe('kafkajs');
    expect(kafkaClientFromEnv({ KAFKA_CLIENT: 'confluent' })).toBe('confluent');
  });

  it('refuses anything else with one line naming the variable, its value and the choices', () => {
    for (const value of ['librdkafka', 'Confluent', 'node-rdkafka']) {
      expect(() => kafkaClientFromEnv({ KAFKA_CLIENT: value })).toThrow(
        `invalid KAFKA_CLIENT="${value}": Invalid option: expected one of "kafkajs"|"confluent"`,
      );
    }
    const thrown = (() => {
      try {
        return kafkaClientFromEnv({ KAFKA_CLIENT: 'rdkafka' });
      } catch (err) {
        return err;
      }
    })();
    expect(thrown).toMatchObject({ code: 'SIPFLOW_INVALID_CONFIG', details: { variable: 'KAFKA_CLIENT' } });
  });

  it('is documented in --help with its default and how to get the peer', () => {
    const help = describeEnv(kafkaClientEnv);
    expect(help).toContain('KAFKA_CLIENT');
    expect(help).toContain('[default: kafkajs]');
    expect(help).toContain('npm run peer:install');
  });
});
