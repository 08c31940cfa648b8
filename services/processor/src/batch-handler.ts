import type { AvroDecoder, CallAttempt } from '@sipflow/codec';
import { isSipflowError } from '@sipflow/errors';
import type { ProcessorMetrics } from '@sipflow/telemetry';
import type { EachBatchPayload, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { retryWithBackoff } from './backoff';
import { runPipeline, type PipelineDeps } from './batch-pipeline';
import { sendAll } from './produce';

export type BatchHandlerDeps = PipelineDeps & {
  decoder: AvroDecoder<CallAttempt>;
  producer: Producer;
  guarantee: 'at_least_once' | 'exactly_once';
  groupId: string;
  metrics: ProcessorMetrics;
  logger: Logger;
};

/**
 * One fetched batch of one partition: decode → classify → route, one produce for all outputs,
 * then the offset. At-least-once: the offset is resolved only after every output is acknowledged
 * (kafkajs commits resolved offsets after each batch and on leaving the group). Exactly-once: the
 * outputs and the offset commit are one Kafka transaction.
 *
 * Bad records never throw (they go to the DLQ). What does throw — the broker unreachable for
 * longer than the client retries — leaves the offset untouched, so the batch is fetched again
 * after kafkajs restarts the consumer: nothing is lost.
 */
export function createBatchHandler(deps: BatchHandlerDeps) {
  const { metrics, logger } = deps;
  return async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> => {
    const messages = batch.messages;
    if (messages.length === 0) return;
    const started = performance.now();
    metrics.inFlight.inc(messages.length);
    try {
      // the writer schemas of this batch, fetched once; the registry being away is waited out
      await retryWithBackoff({
        fn: () => deps.decoder.prepare(messages.map((m) => m.value)),
        retryable: (err) => isSipflowError(err, 'SIPFLOW_REGISTRY_UNAVAILABLE'),
        keepGoing: () => isRunning() && !isStale(),
        whileWaiting: heartbeat,
        onRetry: (err, attempt, delayMs) => {
          metrics.clientRestart('registry_unavailable').inc();
          logger.warn(
            { err: (err as Error).message, attempt, delayMs },
            'schema registry unavailable; batch waits',
          );
        },
      });

      const source = { topic: batch.topic, partition: batch.partition };
      const result = runPipeline(source, messages, deps);
      const nextOffset = (BigInt(batch.lastOffset()) + 1n).toString();

      if (deps.guarantee === 'exactly_once') {
        const tx = await deps.producer.transaction();
        try {
          await sendAll(tx, result.topicMessages);
          await tx.sendOffsets({
            consumerGroupId: deps.groupId,
            topics: [
              { topic: batch.topic, partitions: [{ partition: batch.partition, offset: nextOffset }] },
            ],
          });
          await tx.commit();
        } catch (err) {
          await tx.abort().catch(() => undefined);
          throw err;
        }
      } else {
        await sendAll(deps.producer, result.topicMessages);
        // revoked while we worked: the new owner re-processes from the last commit (duplicates,
        // never a gap), so this batch's offset must not be committed by us
        if (isStale()) return;
      }
      resolveOffset(batch.lastOffset());

      const ackedAt = Date.now();
      metrics.consumed(batch.topic).inc(messages.length);
      for (const [topic, n] of result.produced) metrics.produced(topic).inc(n);
      for (const [outcome, n] of result.outcomes) {
        const [disposition, action] = outcome.split(' ') as [never, never];
        metrics.disposition(disposition, action).inc(n);
      }
      for (const [code, n] of result.dlq) metrics.dlq(code).inc(n);
      for (const t of result.eventTimes) metrics.observeEventLatency(t, ackedAt);
      metrics.batchSize.observe(messages.length);
      metrics.batchDuration.observe((performance.now() - started) / 1000);
      await heartbeat();
    } finally {
      metrics.inFlight.dec(messages.length);
    }
  };
}
