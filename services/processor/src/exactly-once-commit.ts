import { isFencedByGroup, sendAll, withFencedOffsets, type GroupMembership } from '@sipflow/kafka';
import type { ProcessorMetrics } from '@sipflow/telemetry';
import type { RecordMetadata, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import type { OutputProducer } from './batch-handler';
import type { BatchTrace } from './batch-tracer';
import type { FaultHook } from './fault-hook';
import { transactionGroups } from './transaction-groups';

/** One processed batch, ready to be written under exactly-once. */
export type TransactionalBatch = {
  topic: string;
  partition: number;
  /** the offset to commit: the batch's last offset + 1 */
  nextOffset: string;
  /** its outputs (and changelog records), per topic in order */
  toSend: TopicMessages[];
  /** the group generation it was fetched in (undefined only when unfenced: not on kafkajs) */
  membership: GroupMembership | undefined;
  /** kafkajs' isStale: the partition was revoked since the fetch */
  isStale: () => boolean;
  /** where each acknowledged request's records landed (the state's changelog offsets) */
  sent?: (chunk: readonly TopicMessages[], metadata: readonly RecordMetadata[]) => void;
  trace?: Pick<BatchTrace, 'produce'>;
  /** the batch's ordinal for the test-only fault points */
  ordinal: number;
};

/**
 * Writes batches under exactly-once, several at once when they are ready together
 * (transaction-groups.ts): their outputs, then their offsets with the generation they were fetched
 * in (KIP-447: the coordinator refuses them once the member has left it), then the commit.
 * Resolves true when the batch is committed, false when it was left out unwritten (revoked, or
 * fetched in a generation the member has left, while it waited); rejects when its transaction
 * failed and was aborted.
 */
export function exactlyOnceCommitter(deps: {
  producer: OutputProducer;
  groupId: string;
  metrics: ProcessorMetrics;
  logger: Logger;
  fault?: FaultHook;
}): (batch: TransactionalBatch) => Promise<boolean> {
  const { metrics, logger } = deps;
  return transactionGroups<TransactionalBatch>({
    writable: (b) => {
      // revoked while it waited: the new owner processes it from the last commit
      if (b.isStale()) return false;
      if (b.membership?.isCurrent() === false) {
        metrics.fencedBatch('stale_generation').inc();
        return false;
      }
      return true;
    },
    commit: async (batches) => {
      const tx = await deps.producer.transaction();
      try {
        const toSend = batches.length === 1 ? batches[0]!.toSend : mergeByTopic(batches.map((b) => b.toSend));
        const sent = (chunk: TopicMessages[], metadata: RecordMetadata[]) => {
          for (const b of batches) b.sent?.(chunk, metadata);
        };
        let send = () => sendAll(tx, toSend, undefined, sent);
        // each traced batch's produce span covers the one send they share
        for (const b of batches) {
          const inner = send;
          if (b.trace) send = () => b.trace!.produce(inner);
        }
        await send();
        for (const b of batches) deps.fault?.at('after-outputs', b.ordinal);
        const sendOffsets = () =>
          tx.sendOffsets({ consumerGroupId: deps.groupId, topics: offsetsOf(batches) });
        // every batch still writable when the group began is in the member's current generation
        const membership = batches.find((b) => b.membership !== undefined)?.membership;
        await (membership ? withFencedOffsets(membership, sendOffsets) : sendOffsets());
        for (const b of batches) deps.fault?.at('before-commit', b.ordinal);
        await tx.commit();
      } catch (err) {
        await tx.abort().catch(() => undefined);
        if (isFencedByGroup(err)) {
          metrics.fencedBatch('commit_refused').inc(batches.length);
          logger.warn(
            {
              err,
              batches: batches.map((b) => `${b.topic}[${b.partition}]`),
              generationId: batches[0]!.membership?.generationId,
            },
            "the group coordinator refused this batch's offsets (the member left its generation): transaction aborted, nothing of it is visible; re-joining",
          );
        }
        throw err;
      }
    },
  });
}

/** The batches' records per topic, each topic's in the batches' order (so each lead's order holds). */
function mergeByTopic(all: TopicMessages[][]): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages>();
  for (const topicMessages of all)
    for (const { topic, messages } of topicMessages) {
      const into = byTopic.get(topic);
      if (into === undefined) byTopic.set(topic, { topic, messages: [...messages] });
      else for (const m of messages) into.messages.push(m);
    }
  return [...byTopic.values()];
}

function offsetsOf(batches: readonly TransactionalBatch[]) {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const b of batches) {
    const partitions = byTopic.get(b.topic) ?? [];
    partitions.push({ partition: b.partition, offset: b.nextOffset });
    byTopic.set(b.topic, partitions);
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}
