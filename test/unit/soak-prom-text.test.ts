import { describe, expect, it } from 'vitest';
import { sumByMetric } from '../../bench/soak/prom-text';

const EXPOSITION = `# HELP sipflow_events_consumed_total Records fetched from an input topic.
# TYPE sipflow_events_consumed_total counter
sipflow_events_consumed_total{topic="soak.raw"} 1200

# HELP sipflow_records_produced_total Records acknowledged by the broker on an output topic.
# TYPE sipflow_records_produced_total counter
sipflow_records_produced_total{topic="soak.enriched"} 1188
sipflow_records_produced_total{topic="soak.retry"} 640
sipflow_records_produced_total{topic="soak.dlq"} 12
nodejs_eventloop_lag_p99_seconds 0.013451007
nodejs_heap_size_used_bytes 52428800 1764080000000
odd_label{message="a } b"} 2
sipflow_batch_duration_seconds_bucket{le="+Inf"} 7
not_a_number NaN
`;

describe('sumByMetric', () => {
  const totals = sumByMetric(EXPOSITION);

  it('sums a metric over its label sets', () => {
    expect(totals.get('sipflow_records_produced_total')).toBe(1188 + 640 + 12);
    expect(totals.get('sipflow_events_consumed_total')).toBe(1200);
  });

  it('reads unlabelled series, ignoring an optional timestamp', () => {
    expect(totals.get('nodejs_eventloop_lag_p99_seconds')).toBe(0.013451007);
    expect(totals.get('nodejs_heap_size_used_bytes')).toBe(52428800);
  });

  it('copes with braces and spaces inside label values, and with special values', () => {
    expect(totals.get('odd_label')).toBe(2);
    expect(totals.get('sipflow_batch_duration_seconds_bucket')).toBe(7);
    expect(totals.get('not_a_number')).toBeNaN();
  });

  it('skips comments and blank lines', () => {
    expect([...totals.keys()].some((k) => k.startsWith('#') || k === '')).toBe(false);
    expect(totals.has('HELP')).toBe(false);
  });
});
