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
};

/** Kafka records for the raw topic, keyed by leadId: call attempts with some poison mixed in. */
export function createRecordSource({
  seed,
  poisonRatio,
  schema,
  startTime,
}: RecordSourceOptions): RecordSource {
  const attempts = createAttemptGenerator({ seed, ...(startTime === undefined ? {} : { startTime }) });
  const faults = createPrng(seed, POISON_STREAM);
  const tracing = createPrng(seed, TRACE_STREAM);

  return {
    next(now) {
      const event = attempts.next(now);
      const poison = faults.chance(poisonRatio) ? faults.pick(POISON_KINDS) : null;
      const value = poison ? createPoison(poison, event, schema, faults) : schema.encode(event);
      const record: SimulatedRecord = { key: event.leadId, value, poison };
      if (tracing.chance(TRACED_SHARE)) record.headers = { traceparent: traceparent(tracing) };
      return record;
    },
  };
}
