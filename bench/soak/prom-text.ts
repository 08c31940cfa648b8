// Reads the few figures the soak needs from a Prometheus text exposition, without a client
// library: the soak only sums series by metric name.

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)/;

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text); // "NaN" parses to NaN, as the format means
}

/**
 * Every metric name with the sum of its series' values (labels dropped): the soak's counters are
 * split by topic or disposition, and it wants the totals. Comments and blank lines are skipped.
 */
export function sumByMetric(text: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE_LINE.exec(line);
    if (!m) continue;
    totals.set(m[1]!, (totals.get(m[1]!) ?? 0) + parseValue(m[3]!));
  }
  return totals;
}
