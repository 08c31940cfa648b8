import { spawn } from 'node:child_process';
import { SipflowError } from '@sipflow/errors';
import { kafkaToolsClasspath } from '@sipflow/stack';
import type { FaultCluster } from './cluster';

/**
 * The node id of a consumer group's coordinator, as Kafka's own `kafka-consumer-groups --describe
 * --state` reports it (column "COORDINATOR (ID)"): the public way to ask, where kafkajs keeps its
 * lookup internal. About two seconds (a JVM start).
 */
export async function groupCoordinatorNode(cluster: FaultCluster, groupId: string): Promise<number> {
  const { java, classpath } = await kafkaToolsClasspath(() => undefined);
  const args = [
    '-Xmx256m',
    '-cp',
    classpath,
    'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
    '--bootstrap-server',
    cluster.env.KAFKA_BROKERS,
    '--describe',
    '--state',
    '--group',
    groupId,
  ];
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(text)
        : reject(new SipflowError('SIPFLOW_STACK', `kafka-consumer-groups exited ${code}:\n${text}`)),
    );
  });
  const row = out.split('\n').find((line) => line.trim().startsWith(`${groupId} `));
  const id = row && /\((\d+)\)/.exec(row)?.[1];
  if (!id) throw new SipflowError('SIPFLOW_STACK', `no coordinator for ${groupId} in:\n${out}`);
  return Number(id);
}
