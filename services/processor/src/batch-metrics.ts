import type { BatchTally } from '@sipflow/pipeline';
import type { ProcessorMetrics } from '@sipflow/telemetry';

/** One acknowledged batch into the metrics: one `inc(n)` per label set, never one per record. */
export function recordBatchMetrics(
  metrics: ProcessorMetrics,
  /** the input topic the records were read from; null for repartition copies (counted when read as input) */
  inputTopic: string | null,
  tally: BatchTally,
  batch: { records: number; seconds: number; acknowledgedAt: number },
): void {
  if (inputTopic !== null) metrics.consumed(inputTopic).inc(batch.records);
  for (const [topic, n] of tally.produced) metrics.produced(topic).inc(n);
  for (const [outcome, n] of tally.classified)
    metrics.disposition(outcome.disposition, outcome.action).inc(n);
  for (const [code, n] of tally.deadLetters) metrics.dlq(code).inc(n);
  if (tally.retriesMoved.jurisdiction > 0)
    metrics.retriesMoved('jurisdiction').inc(tally.retriesMoved.jurisdiction);
  if (tally.retriesMoved.campaign > 0) metrics.retriesMoved('campaign').inc(tally.retriesMoved.campaign);
  if (tally.retriesMoved.cap > 0) metrics.retriesMoved('cap').inc(tally.retriesMoved.cap);
  for (const t of tally.eventTimes) metrics.observeEventLatency(t, batch.acknowledgedAt);
  metrics.batchSize.observe(batch.records);
  metrics.batchDuration.observe(batch.seconds);
}
