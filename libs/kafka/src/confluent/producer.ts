import { SipflowError } from '@sipflow/errors';
import type { Producer, ProducerBatch, ProducerRecord, Transaction } from 'kafkajs';
import type { ConfluentConsumer, ConfluentProducer } from './load';
import { notWired } from './not-wired';

/**
 * The peer takes acks per producer (created with -1), and refuses them per send; a send asking for
 * anything weaker than what the producer does is refused rather than quietly made stronger.
 */
function withoutAcks<T extends { acks?: number }>(request: T): Omit<T, 'acks'> {
  const { acks, ...rest } = request;
  if (acks !== undefined && acks !== -1)
    throw new SipflowError(
      'SIPFLOW_KAFKA_CLIENT',
      `KAFKA_CLIENT=confluent: the producer acknowledges with acks=-1, not per send (asked ${acks})`,
      { acks },
    );
  return rest;
}

/** A transaction of the peer, with kafkajs' `sendOffsets({ consumerGroupId })` mapped to its consumer. */
function peerTransaction(tx: ConfluentProducer, groups: Map<string, ConfluentConsumer>): Transaction {
  return notWired<Transaction>('transaction', {
    send: (record: ProducerRecord) => tx.send(withoutAcks(record)),
    sendBatch: (batch: ProducerBatch) => tx.sendBatch(withoutAcks(batch)),
    // the peer identifies the group by the consumer object (its generation fences zombies)
    sendOffsets: async ({ consumerGroupId, topics }: { consumerGroupId: string; topics: unknown }) => {
      const consumer = groups.get(consumerGroupId);
      if (!consumer)
        throw new SipflowError(
          'SIPFLOW_KAFKA_CLIENT',
          `KAFKA_CLIENT=confluent: sendOffsets for group ${consumerGroupId} needs that group's running consumer from the same client`,
          { groupId: consumerGroupId },
        );
      await tx.sendOffsets({ consumer, topics });
    },
    commit: () => tx.commit(),
    abort: () => tx.abort(),
  });
}

export function peerProducer(producer: ConfluentProducer, groups: Map<string, ConfluentConsumer>): Producer {
  return notWired<Producer>('producer', {
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    send: (record: ProducerRecord) => producer.send(withoutAcks(record)),
    sendBatch: (batch: ProducerBatch) => producer.sendBatch(withoutAcks(batch)),
    transaction: async () => peerTransaction(await producer.transaction(), groups),
  });
}
