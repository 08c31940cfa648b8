import type { AbandonmentPeriod } from '@sipflow/codec';
import type { LedgerCounts } from '@sipflow/rules';
import type { LedgerRecompute } from './ledger-recompute';

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "4.00 %", or "-" for a period with no person-answered call. */
export function formatRate(rate: number | null): string {
  return rate === null ? '-' : `${(rate * 100).toFixed(2)} %`;
}

/** One line of the table, from a recomputed period or a record of the ledger's topic. */
type PeriodRow = {
  group: string;
  period: number;
  fromMs: number;
  toMs: number;
  numerator: number;
  denominator: number;
  rate: number | null;
  status: string;
  counts: Pick<LedgerCounts, 'withoutMessage' | 'shortRingCancels' | 'machineAnswered'>;
  closed: boolean;
  /** false: the raw topic no longer holds all of it (recompute only) */
  complete?: boolean;
};

/**
 * Periods as a table: one line per group and period, the rate's numerator and denominator as
 * counted, then what each period holds besides (messages not played, short rings, machine answers).
 */
function periodTable(rows: readonly PeriodRow[]): string[] {
  const header = [
    'group',
    'period',
    'from',
    'to (excl.)',
    'abandoned',
    'answered',
    'rate',
    'status',
    'no message',
    'short rings',
    'machine',
    'state',
  ];
  const cells = rows.map((p) => [
    p.group,
    String(p.period),
    day(p.fromMs),
    day(p.toMs),
    int.format(p.numerator),
    int.format(p.denominator),
    formatRate(p.rate),
    p.status,
    int.format(p.counts.withoutMessage),
    int.format(p.counts.shortRingCancels),
    int.format(p.counts.machineAnswered),
    [p.closed ? 'closed' : 'running', ...(p.complete === false ? ['INCOMPLETE'] : [])].join(', '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line)];
}

/** `sipflow abandonment recompute`: the table, then what it was computed from. */
export function formatLedger(result: LedgerRecompute): string {
  const mode = result.periods[0]?.unknownCountsAsPerson
    ? 'UNKNOWN answers counted as a person (conservative)'
    : 'UNKNOWN answers not counted';
  const notes = [
    `${int.format(result.counted)} calls counted of ${int.format(result.records)} raw records; ${mode}; as of ${new Date(result.asOfMs).toISOString()}`,
    ...(result.retainedSinceMs === null
      ? []
      : [
          `the raw topic holds calls since ${new Date(result.retainedSinceMs).toISOString()}: periods that began earlier are INCOMPLETE`,
        ]),
    ...(result.read.complete
      ? []
      : [`read incomplete: ${result.read.unfinished.join(', ')} not read to the end`]),
  ];
  if (result.periods.length === 0) return [...notes, 'no calls in any abandonment group'].join('\n') + '\n';
  return [...periodTable(result.periods), '', ...notes].join('\n') + '\n';
}

/** `sipflow abandonment show`: the ledger's topic as it stands. */
export function formatPeriods(periods: readonly AbandonmentPeriod[]): string {
  if (periods.length === 0) return 'no abandonment period on the ledger topic\n';
  const rows = periods.map((p) => ({ ...p, fromMs: p.periodStart, toMs: p.periodEnd }));
  return periodTable(rows).join('\n') + '\n';
}
