import { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createKafka } from '../src/clients';
import { confluentAvailability, loadConfluent } from '../src/confluent/load';

const conn = {
  brokers: ['127.0.0.1:9092'],
  clientId: 'test',
  ssl: false as const,
  registry: { url: 'http://x' },
};

/** What Node's require throws for a package that is not installed. */
function notInstalled(id: string): never {
  throw Object.assign(new Error(`Cannot find module '${id}'\nRequire stack:\n- here`), {
    code: 'MODULE_NOT_FOUND',
  });
}

describe('the peer client is optional and loaded only when asked for', () => {
  it('kafkajs stays the default and needs nothing else', () => {
    expect(createKafka(conn)).toBeInstanceOf(Kafka);
    expect(createKafka(conn, { client: 'kafkajs' })).toBeInstanceOf(Kafka);
  });

  it('not installed: says how to install it', () => {
    expect(() => loadConfluent(notInstalled)).toThrow(
      /^KAFKA_CLIENT=confluent needs @confluentinc\/kafka-javascript, which is not installed: run `npm run peer:install`/,
    );
    expect(confluentAvailability(notInstalled)).toEqual({
      installed: false,
      reason: expect.stringContaining('npm run peer:install'),
    });
  });

  it('installed but broken (e.g. its native build is missing): says so, and how to reinstall', () => {
    const broken = (): never => {
      throw Object.assign(
        new Error("Cannot find module '../build/Release/confluent-kafka-javascript.node'"),
        {
          code: 'MODULE_NOT_FOUND',
        },
      );
    };
    expect(() => loadConfluent(broken)).toThrow(
      "KAFKA_CLIENT=confluent: @confluentinc/kafka-javascript is installed but does not load (Cannot find module '../build/Release/confluent-kafka-javascript.node'); reinstall it with `npm run peer:install`",
    );
  });
});
