import { frame, HEADER_SIZE, type CallAttempt, type RegisteredType } from '@sipflow/codec';
import type { Prng } from './prng';

/**
 * The ways a record on the raw topic can be bad, one per DLQ path of the processor:
 * - bad-magic-byte: not Confluent-framed (first byte is not 0)
 * - unknown-schema-id: framed, but with an id the registry does not have
 * - truncated-avro: valid header and id, the Avro body cut short
 * - invalid-event: decodes fine, but breaks the contract (SIP code, phone number or timestamps)
 */
export const POISON_KINDS = [
  'bad-magic-byte',
  'unknown-schema-id',
  'truncated-avro',
  'invalid-event',
] as const;
export type PoisonKind = (typeof POISON_KINDS)[number];

/** Far above any id a test or local registry hands out. */
export const UNKNOWN_SCHEMA_ID = 2_000_000_000;

const BAD_SIP_CODES = [0, 42, 99, 700, 799, 1000];
const BAD_PHONE_NUMBERS = [
  '5550123',
  '+0123456789',
  '+1 212 555 0100',
  'tel:+14155550123',
  '00442079460000',
  '',
];

/** Encodes `event` as a poison record of the given kind (deterministic from `rng`). */
export function createPoison(
  kind: PoisonKind,
  event: CallAttempt,
  schema: RegisteredType<CallAttempt>,
  rng: Prng,
): Buffer {
  switch (kind) {
    case 'bad-magic-byte': {
      const value = schema.encode(event);
      value[0] = rng.int(1, 255);
      return value;
    }
    case 'unknown-schema-id':
      return frame(UNKNOWN_SCHEMA_ID, schema.type.toBuffer(event));
    case 'truncated-avro': {
      const value = schema.encode(event);
      // any cut of an Avro record leaves the decoder short: it needs every byte it wrote
      return value.subarray(0, rng.int(HEADER_SIZE, value.length - 1));
    }
    case 'invalid-event':
      return schema.encode(invalidEvent(event, rng));
  }
}

function invalidEvent(event: CallAttempt, rng: Prng): CallAttempt {
  switch (rng.int(0, 2)) {
    case 0:
      return { ...event, sipCode: rng.pick(BAD_SIP_CODES) };
    case 1:
      return { ...event, phoneNumber: rng.pick(BAD_PHONE_NUMBERS) };
    default:
      return { ...event, endedAt: event.startedAt - rng.int(1_000, 60_000) };
  }
}
