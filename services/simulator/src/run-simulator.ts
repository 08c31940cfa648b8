import { setTimeout as sleep } from 'node:timers/promises';
import { readSchema, registerSchema, type CallAttempt } from '@sipflow/codec';
import type { Message, Producer } from 'kafkajs';
import { resolveOptions, type ResolvedOptions, type SimulatorOptions, type SimulatorStats } from './options';
import { recordsDue } from './pacing';
import { createRecordSource, type RecordSource } from './record-source';
import { assertTopicExists } from './topic-check';

const TICK_MS = 50;
const PROGRESS_EVERY_MS = 1000;

/**
 * Produces simulated call attempts to `topic` at `rate` events/s until `count`, the duration or
 * the abort signal, and returns the final stats. One produce request per ~50 ms tick, never one
 * await per record: that is what lets a single process reach tens of thousands of events/s.
 */
export async function runSimulator(options: SimulatorOptions): Promise<SimulatorStats> {
  const opts = resolveOptions(options);
  await assertTopicExists(opts.kafka, opts.topic);
  const schema = await registerSchema<CallAttempt>(
    opts.registry,
    `${opts.topic}-value`,
    readSchema('call-attempt.avsc'),
  );
  const source = createRecordSource({
    seed: opts.seed,
    poisonRatio: opts.poisonRatio,
    answeringMachineDetection: opts.answeringMachineDetection,
    ...(opts.abandonmentDriftTo === undefined ? {} : { abandonmentDriftTo: opts.abandonmentDriftTo }),
    schema,
  });
  // never auto-create: the topic's partitioning is `sipflow setup`'s decision
  const producer = opts.kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    return await produceLoop(opts, producer, source);
  } finally {
    await producer.disconnect();
  }
}

async function produceLoop(
  opts: ResolvedOptions,
  producer: Producer,
  source: RecordSource,
): Promise<SimulatorStats> {
  const { rate, limit, durationMs, signal } = opts;
  const startedMono = performance.now();
  const startedWall = Date.now();
  let produced = 0;
  let poison = 0;
  let lastProgress = startedMono;

  const stats = (): SimulatorStats => {
    const elapsedMs = performance.now() - startedMono;
    const ratePerSec = elapsedMs > 0 ? (produced * 1000) / elapsedMs : 0;
    return { seed: opts.seed, produced, poison, elapsedMs, ratePerSec };
  };

  for (;;) {
    if (signal?.aborted) break;
    const tickStart = performance.now();
    const elapsedMs = tickStart - startedMono;
    const due = recordsDue({ elapsedMs: Math.min(elapsedMs, durationMs), rate, sent: produced, limit });
    if (due > 0) {
      const messages: Message[] = [];
      let batchPoison = 0;
      for (let i = 0; i < due; i++) {
        // event time = when the record was due, so a batch is spread over its tick, not stacked on one ms
        const record = source.next(Math.round(startedWall + ((produced + i) * 1000) / rate));
        if (record.poison) batchPoison++;
        messages.push({
          key: record.key,
          value: record.value,
          ...(record.headers ? { headers: record.headers } : {}),
        });
      }
      await producer.send({ topic: opts.topic, acks: -1, messages });
      produced += due;
      poison += batchPoison;
    }
    if (produced >= limit || elapsedMs >= durationMs) break;
    if (tickStart - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = tickStart;
      opts.onProgress?.(stats());
    }
    await pause(TICK_MS - (performance.now() - tickStart), signal);
  }
  return stats();
}

/** Waits, or returns early when the run is aborted (an abort is a normal way to stop). */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return;
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (err) {
    if (!signal?.aborted) throw err;
  }
}
