import type { LedgerRecompute, RecomputedPeriod } from './ledger-recompute';

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "4.00 %", or "-" for a period with no person-answered call. */
export function formatRate(rate: number | null): string {
  return rate === null ? '-' : `${(rate * 100).toFixed(2)} %`;
}

function stateOf(p: RecomputedPeriod): string {
  return [p.closed ? 'closed' : 'running', ...(p.complete ? [] : ['INCOMPLETE'])].join(', ');
}

/**
 * The ledger as a table: one line per group and period, the rate's numerator and denominator as
 * counted, then what each period holds besides (machine answers, messages not played, short rings).
 */
export function formatLedger(result: LedgerRecompute): string {
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
  const rows = result.periods.map((p) => [
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
    stateOf(p),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
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
  if (rows.length === 0) return [...notes, 'no calls in any abandonment group'].join('\n') + '\n';
  return [line(header), ...rows.map(line), '', ...notes].join('\n') + '\n';
}
