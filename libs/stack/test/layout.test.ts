import { describe, expect, it } from 'vitest';
import { serverProperties } from '../src/kafka-broker';
import { kafkaNodes, layoutDataDir } from '../src/layout';
import { stackOptionsFromEnv } from '../src/options';
import { stackPaths } from '../src/paths';
import type { StackSecrets } from '../src/secrets';

const opts = stackOptionsFromEnv({});
const props = (text: string) =>
  new Map(
    text
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

describe('local stack layouts', () => {
  it('places node n on the base ports + 10(n-1)', () => {
    expect(kafkaNodes(opts, { brokers: 3, secure: false })).toEqual([
      { id: 1, port: 9092, controllerPort: 9093 },
      { id: 2, port: 9102, controllerPort: 9103 },
      { id: 3, port: 9112, controllerPort: 9113 },
    ]);
  });

  it('keeps the single plaintext node in the top data folder and every other layout apart', () => {
    const paths = stackPaths('/srv/sipflow');
    const dirs = [
      layoutDataDir(paths, { brokers: 1, secure: false }),
      layoutDataDir(paths, { brokers: 3, secure: false }),
      layoutDataDir(paths, { brokers: 1, secure: true }),
      layoutDataDir(paths, { brokers: 3, secure: true }),
    ];
    expect(dirs[0]).toBe('/srv/sipflow/data');
    expect(new Set(dirs).size).toBe(4);
  });

  it('reads --brokers and --secure from the environment and refuses nonsense, naming the variable', () => {
    expect(stackOptionsFromEnv({ SIPFLOW_STACK_BROKERS: '3', SIPFLOW_STACK_SECURE: 'true' })).toMatchObject({
      brokers: 3,
      secure: true,
    });
    expect(() => stackOptionsFromEnv({ SIPFLOW_STACK_BROKERS: '9' })).toThrow(/SIPFLOW_STACK_BROKERS/);
    expect(() => stackOptionsFromEnv({ SIPFLOW_STACK_SECURE: 'yes please' })).toThrow(/SIPFLOW_STACK_SECURE/);
  });
});

describe('Kafka node properties', () => {
  it('a three-node cluster replicates its internal topics three ways with two in sync', () => {
    const nodes = kafkaNodes(opts, { brokers: 3, secure: false });
    const p = props(serverProperties(nodes[1]!, nodes, '/data/kafka-2', undefined));
    expect(p.get('node.id')).toBe('2');
    expect(p.get('controller.quorum.voters')).toBe('1@127.0.0.1:9093,2@127.0.0.1:9103,3@127.0.0.1:9113');
    expect(p.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9102,CONTROLLER://127.0.0.1:9103');
    for (const key of ['offsets.topic.replication.factor', 'transaction.state.log.replication.factor']) {
      expect(p.get(key)).toBe('3');
    }
    expect(p.get('transaction.state.log.min.isr')).toBe('2');
    expect(p.get('min.insync.replicas')).toBe('2');
  });

  it('a single node cannot replicate: factor 1, one in sync', () => {
    const nodes = kafkaNodes(opts, { brokers: 1, secure: false });
    const p = props(serverProperties(nodes[0]!, nodes, '/data/kafka-1', undefined));
    expect(p.get('offsets.topic.replication.factor')).toBe('1');
    expect(p.get('min.insync.replicas')).toBe('1');
  });

  it('a secure node serves clients and brokers on SASL_SSL with SCRAM-SHA-512 only', () => {
    const nodes = kafkaNodes(opts, { brokers: 1, secure: true });
    const secrets: StackSecrets = {
      dir: '/s',
      keystore: '/s/broker.p12',
      truststore: '/s/truststore.p12',
      caFile: '/s/ca.pem',
      storePassword: 'store',
      interBroker: { username: 'broker', password: 'inter' },
      client: { username: 'sipflow', password: 'client' },
      registry: { username: 'sipflow', password: 'reg' },
    };
    const p = props(serverProperties(nodes[0]!, nodes, '/data/kafka-1', secrets));
    expect(p.get('listeners')).toBe('SASL_SSL://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
    expect(p.get('listener.security.protocol.map')).toBe('SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT');
    expect(p.get('inter.broker.listener.name')).toBe('SASL_SSL');
    expect(p.get('sasl.enabled.mechanisms')).toBe('SCRAM-SHA-512');
    expect(p.get('listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config')).toContain(
      'username="broker" password="inter"',
    );
    expect(p.get('ssl.keystore.location')).toBe('/s/broker.p12');
    // the client's password is not the brokers' business: it lives in the SCRAM metadata only
    expect([...p.values()].some((v) => v.includes('client'))).toBe(false);
  });
});
