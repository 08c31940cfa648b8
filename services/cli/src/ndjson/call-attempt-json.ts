import { SipflowError } from '@sipflow/errors';
import type { CallAttempt, Enrichment } from '@sipflow/rules';

// Fields a hand-written NDJSON line may leave out: absent reads as null.
const NULLABLE_FIELDS = [
  'callerId',
  'sipReason',
  'q850Cause',
  'retryAfterSeconds',
  'leadTimezone',
  'carrier',
  'reasonHeader',
  'leadRegion',
  'answeredBy',
  'answeredAt',
  'agentConnectedAt',
  'abandoned',
  'abandonMessagePlayed',
  'ringingAt',
] as const;

// The instants a line may write as ISO-8601 strings; the nullable ones may be null.
const INSTANT_FIELDS = ['startedAt', 'endedAt', 'answeredAt', 'agentConnectedAt', 'ringingAt'] as const;
type InstantField = (typeof INSTANT_FIELDS)[number];

// Full ISO-8601 date-time with an explicit zone, so "2026-03-08 09:00" is not read in the host's zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

function toEpochMs(field: InstantField, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const ms = ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new SipflowError(
      'SIPFLOW_INVALID_TIMESTAMPS',
      `${field} must be epoch milliseconds or an ISO-8601 instant with a zone, got ${JSON.stringify(value)}`,
      { field, value },
    );
  }
  return ms;
}

/**
 * One NDJSON line → a call-attempt candidate (still to be validated by classify): timestamps may
 * be ISO-8601 strings or epoch ms, and absent nullable fields become null.
 */
export function parseAttemptLine(line: string): CallAttempt {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new SipflowError(
      'SIPFLOW_INVALID_JSON',
      `not JSON: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SipflowError('SIPFLOW_INVALID_JSON', 'expected a JSON object', {});
  }
  const record = value as Record<string, unknown>;
  for (const field of NULLABLE_FIELDS) record[field] ??= null;
  for (const field of INSTANT_FIELDS) record[field] = toEpochMs(field, record[field]);
  return record as unknown as CallAttempt;
}

// Spread first so that output lines list the CallAttempt fields in contract order, whatever the
// input order; fields a newer producer added follow them.
const FIELD_ORDER: Record<keyof CallAttempt, undefined> = {
  eventId: undefined,
  leadId: undefined,
  campaignId: undefined,
  phoneNumber: undefined,
  callerId: undefined,
  sipCode: undefined,
  sipReason: undefined,
  q850Cause: undefined,
  retryAfterSeconds: undefined,
  attemptNumber: undefined,
  startedAt: undefined,
  endedAt: undefined,
  leadTimezone: undefined,
  carrier: undefined,
  reasonHeader: undefined,
  leadRegion: undefined,
  answeredBy: undefined,
  answeredAt: undefined,
  agentConnectedAt: undefined,
  abandoned: undefined,
  abandonMessagePlayed: undefined,
  ringingAt: undefined,
};

const isoOrNull = (ms: number | null | undefined): string | null | undefined =>
  ms === null || ms === undefined ? ms : new Date(ms).toISOString();

/** The enriched record as one NDJSON line, timestamps as ISO-8601 UTC. */
export function formatEnrichedLine(event: CallAttempt, enrichment: Enrichment): string {
  return JSON.stringify({
    ...FIELD_ORDER,
    ...event,
    startedAt: new Date(event.startedAt).toISOString(),
    endedAt: new Date(event.endedAt).toISOString(),
    answeredAt: isoOrNull(event.answeredAt),
    agentConnectedAt: isoOrNull(event.agentConnectedAt),
    ringingAt: isoOrNull(event.ringingAt),
    ...enrichment,
    retryAt: enrichment.retryAt === null ? null : new Date(enrichment.retryAt).toISOString(),
  });
}
