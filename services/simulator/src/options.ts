import { randomInt } from 'node:crypto';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { SipflowError } from '@sipflow/errors';
import type { Kafka } from 'kafkajs';

export type SimulatorStats = {
  /** the seed the run used: pass it again to reproduce the same events */
  seed: number;
  /** records sent, poison included */
  produced: number;
  poison: number;
  elapsedMs: number;
  /** average since the start */
  ratePerSec: number;
};

export type SimulatorOptions = {
  kafka: Kafka;
  registry: SchemaRegistry;
  topic: string;
  /** events per second, ≥ 1 */
  rate: number;
  /** stop after this long (then rate × duration events have been sent, if the broker kept up) */
  durationSeconds?: number;
  /** stop after this many events */
  count?: number;
  /** uint32; default: a random one, reported in the stats */
  seed?: number;
  /** share of poison records, 0..1 (default 0) */
  poisonRatio?: number;
  /** report who answered each 2xx (`answeredBy`), as a dialer running answering-machine detection */
  answeringMachineDetection?: boolean;
  /**
   * report the abandonment fields as a predictive dialer does; cmp-solar-leads' abandonment drifts
   * from 1 % to this share (0..1) of its person-answered calls over the first 20,000 events
   */
  abandonmentDriftTo?: number;
  /** called about once a second */
  onProgress?: (stats: SimulatorStats) => void;
  /** stops the run: the batch in flight is still acknowledged */
  signal?: AbortSignal;
};

export type ResolvedOptions = Readonly<
  Required<
    Pick<
      SimulatorOptions,
      'kafka' | 'registry' | 'topic' | 'rate' | 'seed' | 'poisonRatio' | 'answeringMachineDetection'
    >
  > & {
    /** Infinity when not bounded by time */
    durationMs: number;
    /** Infinity when not bounded by count or time */
    limit: number;
    abandonmentDriftTo?: number;
    onProgress?: SimulatorOptions['onProgress'];
    signal?: AbortSignal;
  }
>;

/** Validates once, up front: a bad option fails with its name and what was expected. */
export function resolveOptions(o: SimulatorOptions): ResolvedOptions {
  if (typeof o.topic !== 'string' || o.topic.length === 0) invalid('topic', o.topic, 'a topic name');
  if (!Number.isFinite(o.rate) || o.rate < 1) invalid('rate', o.rate, 'a number of events per second ≥ 1');
  if (o.durationSeconds !== undefined && !(Number.isFinite(o.durationSeconds) && o.durationSeconds > 0)) {
    invalid('durationSeconds', o.durationSeconds, 'a number of seconds > 0');
  }
  if (o.count !== undefined && !(Number.isSafeInteger(o.count) && o.count > 0)) {
    invalid('count', o.count, 'a whole number > 0');
  }
  if (o.seed !== undefined && !(Number.isInteger(o.seed) && o.seed >= 0 && o.seed <= 0xffffffff)) {
    invalid('seed', o.seed, 'a whole number from 0 to 4294967295');
  }
  const poisonRatio = o.poisonRatio ?? 0;
  if (o.abandonmentDriftTo !== undefined && !(o.abandonmentDriftTo >= 0 && o.abandonmentDriftTo <= 1))
    invalid('abandonmentDriftTo', o.abandonmentDriftTo, 'a share from 0 to 1');
  if (!(poisonRatio >= 0 && poisonRatio <= 1)) invalid('poisonRatio', poisonRatio, 'a ratio from 0 to 1');
  // an unbounded run could never end: something has to stop it
  if (o.count === undefined && o.durationSeconds === undefined && o.signal === undefined) {
    throw new SipflowError(
      'SIPFLOW_INVALID_OPTION',
      'the simulator needs count, durationSeconds or an abort signal',
      { option: 'count' },
    );
  }

  const durationMs = o.durationSeconds === undefined ? Infinity : o.durationSeconds * 1000;
  return Object.freeze({
    kafka: o.kafka,
    registry: o.registry,
    topic: o.topic,
    rate: o.rate,
    seed: o.seed ?? randomInt(2 ** 32),
    poisonRatio,
    answeringMachineDetection: o.answeringMachineDetection ?? false,
    ...(o.abandonmentDriftTo === undefined ? {} : { abandonmentDriftTo: o.abandonmentDriftTo }),
    durationMs,
    limit: Math.min(o.count ?? Infinity, Math.ceil((o.rate * durationMs) / 1000)),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
}

// SIPFLOW_INVALID_OPTION (exit 64): these arrive as `sipflow simulate` flags or a caller's options,
// not from the environment.
function invalid(option: string, value: unknown, expected: string): never {
  throw new SipflowError(
    'SIPFLOW_INVALID_OPTION',
    `invalid ${option}: ${String(value)} (expected ${expected})`,
    {
      option,
    },
  );
}
