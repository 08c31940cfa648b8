import { Counter, Gauge, type Registry } from 'prom-client';
import { keyedStateMetrics, type StateMetrics } from './state-metrics';

/** The abandonment ledger's statuses: a closed set, never a group's name (docs/abandonment.md). */
export const LEDGER_STATUSES = ['OK', 'WARNING', 'OVER'] as const;
export type LedgerStatusLabel = (typeof LEDGER_STATUSES)[number];

/** The abandoned-call ledger's metrics (services/processor/src/state/ledger-state.ts). */
export type LedgerMetrics = {
  /** Its keyed state: groups' periods held, bytes, restores, changelog. */
  state: StateMetrics;
  /** Periods still running, by status, over the partitions this member owns. */
  runningPeriods: Gauge<'status'>;
  /** Times a period's rate so far rose to WARNING or OVER (each period says each once). */
  raised: Counter<'status'>;
};

export function createLedgerMetrics(registry: Registry): LedgerMetrics {
  const registers = [registry];
  const runningPeriods = new Gauge({
    name: 'sipflow_abandonment_running_periods',
    help: "Abandonment groups' 30-day periods still running, by status: OVER above 3 % abandoned, WARNING at or above the rules' warnAt (docs/abandonment.md).",
    labelNames: ['status'],
    registers,
  });
  const raised = new Counter({
    name: 'sipflow_abandonment_status_raised_total',
    help: "Times a period's abandonment rate so far rose to WARNING or OVER.",
    labelNames: ['status'],
    registers,
  });
  // every status present from the start: a rule on OVER reads 0, not no data
  for (const status of LEDGER_STATUSES) runningPeriods.labels(status).set(0);
  for (const status of ['WARNING', 'OVER']) raised.labels(status).inc(0);
  return {
    state: keyedStateMetrics(
      registry,
      'sipflow_abandonment_state',
      'abandonment ledger',
      'Periods of abandonment groups',
    ),
    runningPeriods,
    raised,
  };
}
