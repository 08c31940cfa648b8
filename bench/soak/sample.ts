// One soak sample: the processor's memory and CPU from /proc, its event loop and counters from
// its own /metrics, and its consumer lag from the broker (committed offsets, i.e. finished work).
import type { Admin } from 'kafkajs';
import { cpuSeconds, rssBytes } from '../e2e/proc-stats';
import { sumByMetric } from './prom-text';

export type SoakSample = {
  /** seconds since the first event was offered */
  t: number;
  at: string;
  phase: 'load' | 'catch-up';
  /** events the load generator has had acknowledged so far */
  offered: number;
  rssMB: number;
  /** CPU over the interval since the previous sample; 100 = one core */
  cpuPercent: number;
  /** null when the scrape failed (then the event-loop fields are null too) */
  heapUsedMB: number | null;
  /**
   * V8's committed heap and the memory outside it (Buffers): when RSS grows and used heap does
   * not, these tell kept-but-free heap pages from off-heap growth. Absent from runs before them.
   */
  heapTotalMB?: number | null;
  externalMB?: number | null;
  loopP50Ms: number | null;
  loopP99Ms: number | null;
  loopMaxMs: number | null;
  /** records fetched / records acknowledged on every output topic (the DLQ included) */
  consumed: number | null;
  produced: number | null;
  /** input end offsets minus the group's committed offsets, over all partitions */
  lag: number;
};

const MB = 2 ** 20;

export type Sampler = {
  take: (phase: SoakSample['phase'], offered: number) => Promise<SoakSample>;
  /** the consumer lag alone: cheap enough to poll while timing the catch-up */
  lag: () => Promise<number>;
};

export function createSampler(opts: {
  pid: number;
  metricsUrl: string;
  admin: Admin;
  groupId: string;
  inputTopic: string;
  startedAt: number;
}): Sampler {
  let prev = { at: Date.now(), cpu: cpuSeconds(opts.pid) };

  const lag = async () => {
    // committed first: end offsets read afterwards can only be further on, so lag is never negative
    const [committed] = await opts.admin.fetchOffsets({ groupId: opts.groupId, topics: [opts.inputTopic] });
    const ends = await opts.admin.fetchTopicOffsets(opts.inputTopic);
    const done = new Map(committed!.partitions.map((p) => [p.partition, Math.max(0, Number(p.offset))]));
    return ends.reduce((n, p) => n + Number(p.high) - (done.get(p.partition) ?? 0), 0);
  };

  const scrape = async () => {
    try {
      const res = await fetch(opts.metricsUrl, { signal: AbortSignal.timeout(5000) });
      return res.ok ? sumByMetric(await res.text()) : undefined;
    } catch {
      return undefined; // a missed scrape is recorded as nulls, not as a failed run
    }
  };

  return {
    lag,
    take: async (phase, offered) => {
      // /proc first: the figures the soak is about should not wait on the network
      const now = Date.now();
      const rss = rssBytes(opts.pid);
      const cpu = cpuSeconds(opts.pid);
      const cpuPercent = ((cpu - prev.cpu) / Math.max(0.001, (now - prev.at) / 1000)) * 100;
      prev = { at: now, cpu };
      const [metrics, lagRecords] = await Promise.all([scrape(), lag()]);
      const ms = (name: string) => (metrics?.has(name) ? metrics.get(name)! * 1000 : null);
      const total = (name: string) => (metrics?.has(name) ? metrics.get(name)! : null);
      const mb = (name: string) => {
        const bytes = total(name);
        return bytes === null ? null : bytes / MB;
      };
      return {
        t: Math.round((now - opts.startedAt) / 100) / 10,
        at: new Date(now).toISOString(),
        phase,
        offered,
        rssMB: rss / MB,
        cpuPercent,
        heapUsedMB: mb('nodejs_heap_size_used_bytes'),
        heapTotalMB: mb('nodejs_heap_size_total_bytes'),
        externalMB: mb('nodejs_external_memory_bytes'),
        loopP50Ms: ms('nodejs_eventloop_lag_p50_seconds'),
        loopP99Ms: ms('nodejs_eventloop_lag_p99_seconds'),
        loopMaxMs: ms('nodejs_eventloop_lag_max_seconds'),
        consumed: total('sipflow_events_consumed_total'),
        produced: total('sipflow_records_produced_total'),
        lag: lagRecords,
      };
    },
  };
}
