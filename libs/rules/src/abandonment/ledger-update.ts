import { addCounts, emptyCounts, ledgerStatus, type LedgerCounts, type LedgerStatus } from './ledger';
import type { AbandonmentPolicy } from './policy';

/** What a group's period holds: its bounds and counts, and when its first and last calls ended. */
interface PeriodCounts {
  readonly fromMs: number;
  readonly toMs: number;
  /** the rules name the group (else it is a campaign numbered from periodsFrom) */
  readonly configured: boolean;
  readonly counts: LedgerCounts;
  /** endedAt of the earliest and latest call counted (0 and 0 before the first) */
  readonly firstCallAt: number;
  readonly lastCallAt: number;
}

/**
 * One group's period as the processor keeps it (keyed by group and period): the counts so far,
 * and what has been said of it: whether it is closed, and the highest status raised.
 */
export interface LedgerState extends PeriodCounts {
  readonly closed: boolean;
  /** the highest status the period has risen to and said so (a metric): OK (none yet), WARNING, OVER */
  readonly alerted: LedgerStatus;
}

/**
 * What one batch of the classify stage counted in one group's period: the ledger stage adds
 * these up. Counts only, so their order does not matter.
 */
export interface LedgerPartial extends PeriodCounts {
  readonly group: string;
  readonly period: number;
}

export const EMPTY_LEDGER: LedgerState = Object.freeze({
  fromMs: 0,
  toMs: 0,
  configured: false,
  counts: Object.freeze(emptyCounts()),
  firstCallAt: 0,
  lastCallAt: 0,
  closed: false,
  alerted: 'OK',
});

const SEVERITY: Readonly<Record<LedgerStatus, number>> = { OK: 0, WARNING: 1, OVER: 2 };

/** `state` with `partial` added; a period ever seen keeps its bounds. */
export function addPartial(state: LedgerState, partial: LedgerPartial): LedgerState {
  const counts = { ...state.counts };
  addCounts(counts, partial.counts);
  const first = state.counts.calls === 0;
  return {
    fromMs: first ? partial.fromMs : state.fromMs,
    toMs: first ? partial.toMs : state.toMs,
    configured: partial.configured,
    counts,
    firstCallAt: first ? partial.firstCallAt : Math.min(state.firstCallAt, partial.firstCallAt),
    lastCallAt: Math.max(state.lastCallAt, partial.lastCallAt),
    closed: state.closed,
    alerted: state.alerted,
  };
}

/**
 * The status to raise now, or null: a period raises each status once, WARNING then OVER, as
 * its rate so far rises past each (ledgerStatus); falling back below says nothing.
 */
export function alertDue(
  state: LedgerState,
  policy: Pick<AbandonmentPolicy, 'unknownCountsAsPerson' | 'warnAt' | 'minAnswered'>,
): LedgerStatus | null {
  const status = ledgerStatus(state.counts, policy, state.closed);
  return SEVERITY[status] > SEVERITY[state.alerted] ? status : null;
}
