import { callVerdict, type CallVerdict, type LedgerCall } from './call-verdict';
import {
  abandonmentRate,
  countCall,
  emptyCounts,
  ledgerStatus,
  type LedgerCounts,
  type LedgerStatus,
} from './ledger';
import { periodBounds, periodOf, type AbandonmentGroup, type AbandonmentPolicy } from './policy';

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
  /** campaign → its group and that group's periods: one lookup a call, no key built */
  private readonly campaigns = new Map<
    string,
    { group: AbandonmentGroup; periods: Map<number, PeriodLedger> }
  >();
  /** group → its periods, which the campaigns of the group share */
  private readonly groups = new Map<string, Map<number, PeriodLedger>>();
  private readonly periods: PeriodLedger[] = [];

  constructor(private readonly policy: AbandonmentPolicy) {}

  /** Counts one call attempt in its group's period (by its endedAt); its verdict. */
  add(event: LedgerCall): CallVerdict {
    let campaign = this.campaigns.get(event.campaignId);
    if (campaign === undefined) {
      const group = this.policy.groupOf(event.campaignId);
      let periods = this.groups.get(group.name);
      if (periods === undefined) this.groups.set(group.name, (periods = new Map()));
      campaign = { group, periods };
      this.campaigns.set(event.campaignId, campaign);
    }
    const { group } = campaign;
    const period = periodOf(group, event.endedAt);
    let ledger = campaign.periods.get(period);
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
      campaign.periods.set(period, ledger);
      this.periods.push(ledger);
    }
    const verdict = callVerdict(event);
    countCall(ledger.counts, verdict);
    if (event.endedAt < ledger.firstCallAt) ledger.firstCallAt = event.endedAt;
    if (event.endedAt > ledger.lastCallAt) ledger.lastCallAt = event.endedAt;
    return verdict;
  }

  /** The periods held, unordered: what one batch counted, for the ledger stage to add up. */
  ledgers(): readonly PeriodLedger[] {
    return this.periods;
  }

  /** Every period held, by group then period. */
  report(asOfMs: number): PeriodReport[] {
    return [...this.periods]
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
