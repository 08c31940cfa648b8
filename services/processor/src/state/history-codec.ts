import { corruptRecord } from '@sipflow/state';
import { compareEntries, eventKey, type AttemptEntry, type NumberHistory } from '@sipflow/rules';

/**
 * Version 1 of a number's changelog record value: JSON, `{ v: 1, a: [[at, eventId, unanswered]] }`
 * per call. Written until the compact store (version 2: changelog-value.ts in @sipflow/state);
 * a compacted changelog keeps a number's version-1 record until the number is called again, so a
 * restore still reads it. The eventId is hashed as the state keeps it now.
 */
const VERSION = 1;

type Encoded = { v: number; a: [number, string, 0 | 1][] };

/** Throws SIPFLOW_STATE_CORRUPT naming the record when it is not one version 1 wrote. */
export function decodeJsonHistory(value: Buffer, where: string): NumberHistory {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    throw corruptRecord(where, 'not JSON');
  }
  const encoded = parsed as Partial<Encoded>;
  if (encoded.v !== VERSION || !Array.isArray(encoded.a))
    throw corruptRecord(where, `unknown version ${String(encoded.v)}`);
  const entries: AttemptEntry[] = [];
  for (const item of encoded.a) {
    if (!Array.isArray(item) || typeof item[0] !== 'number' || typeof item[1] !== 'string')
      throw corruptRecord(where, 'an entry is not [at, eventId, unanswered]');
    entries.push({ at: item[0], eventKey: eventKey(item[1]), unanswered: item[2] === 1 });
  }
  // version 1 ordered calls of one millisecond by eventId; the state orders them by eventKey now
  entries.sort(compareEntries);
  return entries;
}

/** A version-1 value, as sipflow wrote them before: for tests and benchmarks of the restore. */
export function encodeJsonHistory(
  calls: readonly { at: number; eventId: string; unanswered: boolean }[],
): Buffer {
  const encoded: Encoded = { v: VERSION, a: calls.map((c) => [c.at, c.eventId, c.unanswered ? 1 : 0]) };
  return Buffer.from(JSON.stringify(encoded));
}
