import { SipflowError } from '@sipflow/errors';
import { runKafkaTool } from '@sipflow/stack';
import type { FaultCluster } from './cluster';

/**
 * The node id of a consumer group's coordinator, as Kafka's own `kafka-consumer-groups --describe
 * --state` reports it (column "COORDINATOR (ID)"): the public way to ask, where kafkajs keeps its
 * lookup internal. About two seconds (a JVM start).
 */
export async function groupCoordinatorNode(cluster: FaultCluster, groupId: string): Promise<number> {
  const out = await runKafkaTool(
    'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
    ['--bootstrap-server', cluster.env.KAFKA_BROKERS, '--describe', '--state', '--group', groupId],
    { heap: '256m' },
  );
  const row = out.split('\n').find((line) => line.trim().startsWith(`${groupId} `));
  const id = row && /\((\d+)\)/.exec(row)?.[1];
  if (!id) throw new SipflowError('SIPFLOW_STACK', `no coordinator for ${groupId} in:\n${out}`);
  return Number(id);
}
