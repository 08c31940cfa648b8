import { logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { peerCommonConfig, peerLogger } from '../src/confluent/config';

describe('peerCommonConfig: the peer gets the settings kafkajs gets', () => {
  const base: KafkaConfig = {
    clientId: 'sipflow',
    brokers: ['b1:9092', 'b2:9092'],
    ssl: false,
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
  };

  it('brokers, client id, timeouts, retry bounds and log level in the kafkaJS block', () => {
    expect(peerCommonConfig(base)).toEqual({
      kafkaJS: {
        brokers: ['b1:9092', 'b2:9092'],
        clientId: 'sipflow',
        ssl: false,
        connectionTimeout: 3000,
        requestTimeout: 30_000,
        retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
        logLevel: 2,
      },
    });
  });

  it('SASL as is; TLS as ssl: true plus the PEM material as librdkafka properties', () => {
    const config = peerCommonConfig({
      ...base,
      ssl: { ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM', rejectUnauthorized: false },
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
    });
    expect(config).toMatchObject({
      kafkaJS: { ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } },
      'ssl.ca.pem': 'CA PEM',
      'ssl.certificate.pem': 'CERT PEM',
      'ssl.key.pem': 'KEY PEM',
      'enable.ssl.certificate.verification': false,
    });
    // TLS with the system's CAs and verification on: nothing undefined reaches librdkafka
    expect(peerCommonConfig({ ...base, ssl: { rejectUnauthorized: true } })).toEqual({
      kafkaJS: { ...(peerCommonConfig(base).kafkaJS as object), ssl: true },
      'enable.ssl.certificate.verification': true,
    });
  });

  it('refuses a broker discovery function, which the peer cannot take', () => {
    expect(() => peerCommonConfig({ ...base, brokers: async () => ['b1:9092'] })).toThrow(
      'KAFKA_CLIENT=confluent takes a fixed list of brokers',
    );
  });

  it("maps kafkajs' log levels to the peer's numbering (INFO and DEBUG differ)", () => {
    const level = (l: logLevel) =>
      (peerCommonConfig({ ...base, logLevel: l }).kafkaJS as { logLevel: number }).logLevel;
    expect([logLevel.ERROR, logLevel.WARN, logLevel.INFO, logLevel.DEBUG].map(level)).toEqual([1, 2, 3, 4]);
  });
});

describe('peerLogger: librdkafka lines through a kafkajs logCreator', () => {
  it('writes kafkajs log entries at kafkajs levels, and follows the level the peer sets', () => {
    const entries: LogEntry[] = [];
    const logger = peerLogger(() => (entry) => entries.push(entry), logLevel.WARN);
    logger.info('dropped below WARN');
    logger.warn('broker down', { fac: 'FAIL' });
    logger.setLogLevel(3); // the peer's INFO
    logger.info('now shown');
    expect(entries.map((e) => [e.level, e.label, e.log.message])).toEqual([
      [logLevel.WARN, 'WARN', 'broker down'],
      [logLevel.INFO, 'INFO', 'now shown'],
    ]);
    expect(entries[0]).toMatchObject({ namespace: 'librdkafka', log: { fac: 'FAIL' } });
    expect(logger.namespace()).toBe(logger);
  });
});
