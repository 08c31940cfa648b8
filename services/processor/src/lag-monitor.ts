import type { ProcessorMetrics } from '@sipflow/telemetry';
import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';

/**
 * Consumer lag per partition (high watermark minus the group's committed offset), measured on
 * a timer with the admin client, so it is right even when this instance owns no partition.
 */
export function startLagMonitor(opts: {
  admin: Admin;
  groupId: string;
  topic: string;
  intervalMs: number;
  metrics: ProcessorMetrics;
  logger: Logger;
}): { refresh: () => Promise<Map<number, number>>; stop: () => void } {
  const refresh = async () => {
    // committed first, then the log ends: read the other way round, a commit landing in between
    // would make the lag negative
    const committed = await opts.admin.fetchOffsets({ groupId: opts.groupId, topics: [opts.topic] });
    const ends = await opts.admin.fetchTopicOffsets(opts.topic);
    const committedOf = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
    const lags = new Map<number, number>();
    for (const { partition, high, low } of ends) {
      const done = committedOf.get(partition) ?? -1;
      const lag = Math.max(0, Number(high) - (done >= 0 ? done : Number(low)));
      lags.set(partition, lag);
      opts.metrics.consumerLag(opts.topic, partition).set(lag);
    }
    return lags;
  };
  const timer = setInterval(() => {
    refresh().catch((err: unknown) => opts.logger.debug({ err }, 'lag refresh failed'));
  }, opts.intervalMs);
  timer.unref();
  return { refresh, stop: () => clearInterval(timer) };
}
