import { createRequire } from 'node:module';
import { SipflowError } from '@sipflow/errors';

export const CONFLUENT_PACKAGE = '@confluentinc/kafka-javascript';

/**
 * The part of @confluentinc/kafka-javascript sipflow touches, typed here because the package is
 * optional (not installed by `npm ci`), so its own type declarations cannot be imported.
 */
export type ConfluentModule = {
  librdkafkaVersion: string;
  KafkaJS: {
    Kafka: new (config: Record<string, unknown>) => ConfluentKafka;
    ErrorCodes: Record<string, number>;
  };
};

export type ConfluentKafka = {
  producer(config: Record<string, unknown>): ConfluentProducer;
  consumer(config: Record<string, unknown>): ConfluentConsumer;
  admin(config?: Record<string, unknown>): object;
};

export type ConfluentProducer = {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(record: object): Promise<unknown>;
  sendBatch(batch: object): Promise<unknown>;
  /** resolves with the producer itself: one transaction at a time per producer */
  transaction(): Promise<ConfluentProducer>;
  sendOffsets(args: { consumer: ConfluentConsumer; topics: unknown }): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
};

export type ConfluentConsumer = {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(subscription: { topics: string[] }): Promise<void>;
  run(config: Record<string, unknown>): Promise<void>;
  commitOffsets(): Promise<void>;
  seek(at: { topic: string; partition: number; offset: string }): void;
  pause(topics: Array<{ topic: string; partitions?: number[] }>): void;
  resume(topics: Array<{ topic: string; partitions?: number[] }>): void;
};

type Require = (id: string) => unknown;

/**
 * Loads the peer client on first use, so kafkajs users never need the native module; a missing
 * or broken install fails with what to do about it.
 */
export function loadConfluent(require: Require = createRequire(import.meta.url)): ConfluentModule {
  try {
    return require(CONFLUENT_PACKAGE) as ConfluentModule;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' && e.message.includes(`'${CONFLUENT_PACKAGE}'`)) {
      throw new SipflowError(
        'SIPFLOW_KAFKA_CLIENT',
        `KAFKA_CLIENT=confluent needs ${CONFLUENT_PACKAGE}, which is not installed: run ` +
          '`npm run peer:install` (it builds librdkafka from source and names the Debian packages that needs)',
        { package: CONFLUENT_PACKAGE },
        { cause: err },
      );
    }
    throw new SipflowError(
      'SIPFLOW_KAFKA_CLIENT',
      `KAFKA_CLIENT=confluent: ${CONFLUENT_PACKAGE} is installed but does not load ` +
        `(${e.message.split('\n')[0]}); reinstall it with \`npm run peer:install\``,
      { package: CONFLUENT_PACKAGE },
      { cause: err },
    );
  }
}

export type ConfluentAvailability =
  { installed: true; version: string; librdkafka: string } | { installed: false; reason: string };

/** Whether the peer client can be used here, and why not: for the benchmark and the tests. */
export function confluentAvailability(
  require: Require = createRequire(import.meta.url),
): ConfluentAvailability {
  try {
    const peer = loadConfluent(require);
    const { version } = require(`${CONFLUENT_PACKAGE}/package.json`) as { version: string };
    return { installed: true, version, librdkafka: peer.librdkafkaVersion };
  } catch (err) {
    return { installed: false, reason: (err as Error).message };
  }
}
