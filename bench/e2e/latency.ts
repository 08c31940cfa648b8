import { setTimeout as sleep } from 'node:timers/promises';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { SipflowError } from '@sipflow/errors';
import { readSchema, registerSchema, type CallAttempt } from '@sipflow/codec';
import { sendAll } from '@sipflow/kafka';
import { createAttemptGenerator } from '@sipflow/simulator';
import type { Kafka } from 'kafkajs';

export type LatencyResult = {
  offeredPerSec: number;
  deliveredPerSec: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
};

const TICK_MS = 10;

/**
 * The counted window of a latency run: the warm-up comes first and is not counted, then `seconds`
 * are. (The window used to be `seconds` in all, warm-up included, so `--latency-seconds 5` with
 * its 5 s warm-up counted nothing and printed NaN.)
 */
export function latencyWindow(
  start: number,
  opts: { seconds: number; warmUpSeconds: number },
): { countFrom: number; until: number } {
  if (!(opts.seconds > 0) || !(opts.warmUpSeconds >= 0))
    throw new SipflowError(
      'SIPFLOW_BENCH_FAILED',
      `a latency run needs seconds > 0 and a warm-up >= 0 (got ${opts.seconds} and ${opts.warmUpSeconds})`,
      { seconds: opts.seconds, warmUpSeconds: opts.warmUpSeconds },
    );
  const countFrom = start + opts.warmUpSeconds * 1000;
  return { countFrom, until: countFrom + opts.seconds * 1000 };
}

/** p50, p99, p99.9 and max of `latencies`; none at all is a failed measurement, never NaN. */
export function latencyPercentiles(
  latencies: readonly number[],
): Pick<LatencyResult, 'samples' | 'p50Ms' | 'p99Ms' | 'p999Ms' | 'maxMs'> {
  if (latencies.length === 0)
    throw new SipflowError(
      'SIPFLOW_BENCH_FAILED',
      'the latency run has no samples: no event produced after the warm-up reached the enriched topic',
      { samples: 0 },
    );
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { samples: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), p999Ms: at(0.999), maxMs: at(1) };
}

/**
 * Offers `rate` events/s to a running processor for `warmUpSeconds` (not counted), then for
 * `seconds` (counted), and measures, per event, the time from its produce call to its arrival on
 * the enriched topic.
 */
export async function measureLatency(opts: {
  kafka: Kafka;
  registry: SchemaRegistry;
  inputTopic: string;
  enrichedTopic: string;
  rate: number;
  seconds: number;
  warmUpSeconds: number;
  seed: number;
}): Promise<LatencyResult> {
  const schema = await registerSchema<CallAttempt>(
    opts.registry,
    `${opts.inputTopic}-value`,
    readSchema('call-attempt.avsc'),
  );
  const generator = createAttemptGenerator({ seed: opts.seed });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let countFrom = Infinity;

  const consumer = opts.kafka.consumer({
    groupId: `${opts.enrichedTopic}-latency-${opts.seed}`,
    maxWaitTimeInMs: 10,
    minBytes: 1,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [opts.enrichedTopic], fromBeginning: true });
  let received = 0;
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) {
        const id = m.headers?.['sipflow-event-id']?.toString();
        const t = id ? sentAt.get(id) : undefined;
        if (t === undefined) continue;
        received++;
        if (t >= countFrom) latencies.push(now - t);
      }
    },
  });
  await sleep(3000); // the reader joins its group before anything is timed

  const producer = opts.kafka.producer();
  await producer.connect();
  const start = Date.now();
  const window = latencyWindow(start, opts);
  countFrom = window.countFrom;
  let produced = 0;
  let failed: unknown;
  while (Date.now() < window.until) {
    const due = Math.floor(((Date.now() - start) / 1000) * opts.rate) - produced;
    if (due > 0) {
      const now = Date.now();
      const messages = Array.from({ length: due }, () => {
        const event = generator.next(now);
        sentAt.set(event.eventId, now);
        return { key: event.leadId, value: schema.encode(event) };
      });
      produced += due;
      // chunked: after a stall (a loaded machine) one tick's backlog can pass the broker's 1 MiB
      // batch limit, which a single send would hit (MESSAGE_TOO_LARGE); a failed send fails the run
      void sendAll(producer, [{ topic: opts.inputTopic, messages }]).catch(
        (err: unknown) => (failed ??= err),
      );
    }
    await sleep(TICK_MS);
  }
  if (failed !== undefined) throw failed;
  const elapsed = (Date.now() - start) / 1000;
  for (let i = 0; i < 100 && received < produced; i++) await sleep(100);
  await producer.disconnect();
  await consumer.disconnect();

  return {
    offeredPerSec: produced / elapsed,
    deliveredPerSec: received / elapsed,
    ...latencyPercentiles(latencies),
  };
}
