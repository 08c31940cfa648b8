import { SipflowError } from '@sipflow/errors';
import type { AttemptEntry, NumberHistory } from '@sipflow/rules';

/**
 * A number's history as a changelog record value: JSON, versioned, `[at, eventId, unanswered]` per
 * call. JSON rather than Avro because the changelog is internal (only sipflow reads it) and an
 * operator inspecting it with kafka-console-consumer can read it; ≈60 bytes per call.
 */
const VERSION = 1;

type Encoded = { v: number; a: [number, string, 0 | 1][] };

export function encodeHistory(history: NumberHistory): Buffer {
  const encoded: Encoded = { v: VERSION, a: history.map((e) => [e.at, e.eventId, e.unanswered ? 1 : 0]) };
  return Buffer.from(JSON.stringify(encoded));
}

/** Throws SIPFLOW_STATE_CORRUPT naming the record when it is not one encodeHistory wrote. */
export function decodeHistory(value: Buffer, where: string): NumberHistory {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    throw corrupt(where, 'not JSON');
  }
  const encoded = parsed as Partial<Encoded>;
  if (encoded.v !== VERSION || !Array.isArray(encoded.a))
    throw corrupt(where, `unknown version ${String(encoded.v)}`);
  const entries: AttemptEntry[] = [];
  for (const item of encoded.a) {
    if (!Array.isArray(item) || typeof item[0] !== 'number' || typeof item[1] !== 'string')
      throw corrupt(where, 'an entry is not [at, eventId, unanswered]');
    entries.push(Object.freeze({ at: item[0], eventId: item[1], unanswered: item[2] === 1 }));
  }
  return Object.freeze(entries);
}

function corrupt(where: string, why: string): SipflowError {
  return new SipflowError('SIPFLOW_STATE_CORRUPT', `state changelog record ${where} is unreadable: ${why}`);
}
