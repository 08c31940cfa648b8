import type { AbandonmentPeriod } from '@sipflow/codec';
import { LEDGER_COUNT_FIELDS, type LedgerCounts, type PeriodLedger } from '@sipflow/rules';

/** One period whose live record does not hold what the raw topic says it should. */
export type LedgerMismatch = {
  /** `<group>/<period>` */
  key: string;
  /** recomputed from the raw topic; null: no call of the raw topic falls in it */
  expected: LedgerCounts | null;
  /** on the ledger's topic; null: no record */
  found: LedgerCounts | null;
  /** some count is lower than recomputed: calls went uncounted (a failure under any guarantee) */
  under: boolean;
};

/** The abandoned-call ledger's topic, checked against the ledger recomputed from the raw topic. */
export type LedgerAudit = {
  /** false when the topic holds no record (the processor ran with ABANDONMENT_LEDGER=off) */
  checked: boolean;
  /** periods compared */
  periods: number;
  /** periods that began before the raw topic's oldest record: not compared */
  incomplete: number;
  mismatches: LedgerMismatch[];
  /** the alerts on abandoned calls without the message, against those calls on the raw topic */
  alerts: LedgerAlertAudit;
};

export type LedgerAlertAudit = {
  expected: number;
  found: number;
  /** calls abandoned without the message that have no alert */
  missing: string[];
  /** alerts for a call that is not one */
  unexpected: string[];
  /** alerts beyond one per call */
  duplicated: number;
};

/** The ledger's alerts, by eventId, against the calls that should have one. */
function auditAlerts(expected: readonly string[], found: readonly string[]): LedgerAlertAudit {
  const want = new Set(expected);
  const seen = new Map<string, number>();
  for (const id of found) seen.set(id, (seen.get(id) ?? 0) + 1);
  let duplicated = 0;
  for (const n of seen.values()) duplicated += n - 1;
  return {
    expected: expected.length,
    found: found.length,
    missing: expected.filter((id) => !seen.has(id)),
    unexpected: [...seen.keys()].filter((id) => !want.has(id)),
    duplicated,
  };
}

const countsOf = (record: AbandonmentPeriod): LedgerCounts =>
  Object.fromEntries(LEDGER_COUNT_FIELDS.map((f) => [f, record.counts[f]])) as unknown as LedgerCounts;

/**
 * Compares every period the raw topic holds whole with its latest record on the ledger's topic,
 * count by count. Under exactly-once they must be equal; under at-least-once a redelivered batch
 * counts its calls again, so a live count may be higher, never lower.
 */
export function auditLedger(
  recomputed: readonly PeriodLedger[],
  live: ReadonlyMap<string, AbandonmentPeriod>,
  /** calls before this may have left the raw topic; null: none has */
  retainedSinceMs: number | null,
  alerts: { expected: readonly string[]; found: readonly string[] } = { expected: [], found: [] },
): LedgerAudit {
  if (live.size === 0)
    return { checked: false, periods: 0, incomplete: 0, mismatches: [], alerts: auditAlerts([], []) };
  const whole = (fromMs: number) => retainedSinceMs === null || fromMs >= retainedSinceMs;
  const mismatches: LedgerMismatch[] = [];
  const expected = new Map(recomputed.map((p) => [`${p.group}/${p.period}`, p]));
  let periods = 0;
  let incomplete = 0;
  for (const key of new Set([...expected.keys(), ...live.keys()])) {
    const want = expected.get(key);
    const record = live.get(key);
    if (!whole(want?.fromMs ?? record!.periodStart)) {
      incomplete++;
      continue;
    }
    periods++;
    const found = record === undefined ? null : countsOf(record);
    const counts = want?.counts ?? null;
    const differs = LEDGER_COUNT_FIELDS.some((f) => (found?.[f] ?? 0) !== (counts?.[f] ?? 0));
    if (!differs) continue;
    const under = LEDGER_COUNT_FIELDS.some((f) => (found?.[f] ?? 0) < (counts?.[f] ?? 0));
    mismatches.push({ key, expected: counts, found, under });
  }
  return {
    checked: true,
    periods,
    incomplete,
    mismatches,
    alerts: auditAlerts(alerts.expected, alerts.found),
  };
}
