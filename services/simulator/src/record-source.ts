import type { CallAttempt, RegisteredType } from '@sipflow/codec';
import { createAttemptGenerator } from './attempt-generator';
import { traceparent } from './identifiers';
import { createPoison, POISON_KINDS, type PoisonKind } from './poison';
import { createPrng } from './prng';

/** Separate PRNG streams: changing the poison ratio must not change the clean events. */
const POISON_STREAM = 1;
const TRACE_STREAM = 2;

/** Share of records carrying a `traceparent` header, as from a partly instrumented dialer fleet. */
const TRACED_SHARE = 0.5;

export type SimulatedRecord = {
  key: string;
  value: Buffer;
  headers?: { traceparent: string };
  /** the kind of bad record this is, or null for a valid call attempt */
  poison: PoisonKind | null;
};

export type RecordSource = { next(now?: number): SimulatedRecord };

export type RecordSourceOptions = {
  seed: number;
  poisonRatio: number;
  schema: RegisteredType<CallAttempt>;
  startTime?: number;
  /**
   * The record key: the lead (a dialer's usual keying, the default) or the E.164 number, as an
   * input for STATE_PARTITIONING=input must be keyed.
   */
  keyBy?: 'leadId' | 'phoneNumber';
  /** who answered each 2xx, as from answering-machine detection (off by default) */
  answeringMachineDetection?: boolean;
  /** report the abandonment fields, one campaign drifting to this share (attempt-generator.ts) */
  abandonmentDriftTo?: number;
};

/** Kafka records for the raw topic, keyed by leadId (or keyBy): call attempts with some poison mixed in. */
export function createRecordSource({
  seed,
  poisonRatio,
  schema,
  startTime,
  keyBy = 'leadId',
  answeringMachineDetection = false,
  abandonmentDriftTo,
}: RecordSourceOptions): RecordSource {
  const attempts = createAttemptGenerator({
    seed,
    answeringMachineDetection,
    ...(abandonmentDriftTo === undefined ? {} : { abandonmentDriftTo }),
    ...(startTime === undefined ? {} : { startTime }),
  });
  const faults = createPrng(seed, POISON_STREAM);
  const tracing = createPrng(seed, TRACE_STREAM);

  return {
    next(now) {
      const event = attempts.next(now);
      const poison = faults.chance(poisonRatio) ? faults.pick(POISON_KINDS) : null;
      const value = poison ? createPoison(poison, event, schema, faults) : schema.encode(event);
      const record: SimulatedRecord = { key: event[keyBy], value, poison };
      if (tracing.chance(TRACED_SHARE)) record.headers = { traceparent: traceparent(tracing) };
      return record;
    },
  };
}
