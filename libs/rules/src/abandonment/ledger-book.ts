import { callVerdict, type LedgerCall } from './call-verdict';
import {
  abandonmentRate,
  countCall,
  emptyCounts,
  ledgerStatus,
  type LedgerCounts,
  type LedgerStatus,
} from './ledger';
import { periodBounds, periodOf, type AbandonmentPolicy } from './policy';

/** One group's ledger over one 30-day period. */
export interface PeriodLedger {
  readonly group: string;
  /** 1 for the group's first 30 days */
  readonly period: number;
  /** [fromMs, toMs), epoch ms */
  readonly fromMs: number;
  readonly toMs: number;
  /** the start date the periods are numbered from, and whether the rules name the group */
  readonly start: string;
  readonly configured: boolean;
  readonly counts: LedgerCounts;
  /** endedAt of the earliest and latest call counted */
  firstCallAt: number;
  lastCallAt: number;
}

/** A period's ledger as reported: the rate the regulations limit, and its status. */
export interface PeriodReport extends PeriodLedger {
  readonly numerator: number;
  readonly denominator: number;
  readonly rate: number | null;
  /** the period ended before `asOfMs` */
  readonly closed: boolean;
  readonly status: LedgerStatus;
  readonly unknownCountsAsPerson: boolean;
}

/**
 * Every group's periods, folded from call attempts in memory: what `sipflow abandonment recompute`
 * and the audit build from the raw topic. Pure: the same calls in any order give the same book.
 */
export class LedgerBook {
  private readonly periods = new Map<string, PeriodLedger>();

  constructor(private readonly policy: AbandonmentPolicy) {}

  /** Counts one call attempt in its group's period (by its endedAt). */
  add(event: LedgerCall): PeriodLedger {
    const group = this.policy.groupOf(event.campaignId);
    const period = periodOf(group, event.endedAt);
    const key = `${group.name}\u0000${period}`;
    let ledger = this.periods.get(key);
    if (ledger === undefined) {
      ledger = {
        group: group.name,
        period,
        ...periodBounds(group, period),
        start: group.start,
        configured: group.configured,
        counts: emptyCounts(),
        firstCallAt: event.endedAt,
        lastCallAt: event.endedAt,
      };
      this.periods.set(key, ledger);
    }
    countCall(ledger.counts, callVerdict(event));
    ledger.firstCallAt = Math.min(ledger.firstCallAt, event.endedAt);
    ledger.lastCallAt = Math.max(ledger.lastCallAt, event.endedAt);
    return ledger;
  }

  /** The periods held, unordered: what one batch counted, for the ledger stage to add up. */
  ledgers(): IterableIterator<PeriodLedger> {
    return this.periods.values();
  }

  /** Every period held, by group then period. */
  report(asOfMs: number): PeriodReport[] {
    return [...this.periods.values()]
      .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.period - b.period))
      .map((ledger) => reportPeriod(ledger, this.policy, asOfMs));
  }
}

export function reportPeriod(ledger: PeriodLedger, policy: AbandonmentPolicy, asOfMs: number): PeriodReport {
  const closed = asOfMs >= ledger.toMs;
  return {
    ...ledger,
    ...abandonmentRate(ledger.counts, policy),
    closed,
    status: ledgerStatus(ledger.counts, policy, closed),
    unknownCountsAsPerson: policy.unknownCountsAsPerson,
  };
}
