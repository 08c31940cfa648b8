import { Registry } from 'prom-client';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { SIPFLOW_ERROR_CODES, type SipflowErrorCode } from '@sipflow/errors';
import { createProcessorMetrics, type ClientRestartReason, type SchemaCacheResult } from '../src/index';

// What getMetricsAsJSON() really returns: prom-client's typings declare `type` a numeric enum and
// leave out the `metricName` of histogram series.
type MetricJson = {
  name: string;
  type: string;
  values: Array<{ labels: Record<string, string | number>; value: number; metricName?: string }>;
};

async function allMetrics(registry: Registry): Promise<MetricJson[]> {
  return (await registry.getMetricsAsJSON()) as unknown as MetricJson[];
}

function setup() {
  const registry = new Registry();
  const metrics = createProcessorMetrics<'BUSY' | 'NO_ANSWER', 'NONE' | 'RETRY'>(registry, {
    defaultMetrics: false,
    version: '1.2.3',
  });
  return { registry, metrics };
}

async function metric(registry: Registry, name: string): Promise<MetricJson> {
  const found = (await allMetrics(registry)).find((m) => m.name === name);
  if (!found) throw new Error(`${name} is not registered`);
  return found;
}

async function value(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const entry = (await metric(registry, name)).values.find(
    (v) => JSON.stringify(v.labels) === JSON.stringify(labels),
  );
  if (!entry) throw new Error(`${name} has no series ${JSON.stringify(labels)}`);
  return entry.value;
}

describe('createProcessorMetrics', () => {
  it('registers every processor metric with its type', async () => {
    const { registry } = setup();
    const types = Object.fromEntries((await allMetrics(registry)).map((m) => [m.name, m.type]));
    expect(types).toEqual({
      sipflow_events_consumed_total: 'counter',
      sipflow_records_produced_total: 'counter',
      sipflow_dispositions_total: 'counter',
      sipflow_dlq_records_total: 'counter',
      sipflow_retries_moved_total: 'counter',
      sipflow_fenced_batches_total: 'counter',
      sipflow_client_restarts_total: 'counter',
      sipflow_schema_cache_lookups_total: 'counter',
      sipflow_consumer_rebalances_total: 'counter',
      sipflow_producer_resent_records_total: 'counter',
      sipflow_consumer_lag_records: 'gauge',
      sipflow_in_flight_records: 'gauge',
      sipflow_build_info: 'gauge',
      sipflow_rules_reload_total: 'counter',
      sipflow_rules_last_reload_successful: 'gauge',
      sipflow_batch_duration_seconds: 'histogram',
      sipflow_batch_size_records: 'histogram',
      sipflow_event_latency_seconds: 'histogram',
      sipflow_state_numbers: 'gauge',
      sipflow_state_bytes: 'gauge',
      sipflow_state_restoring: 'gauge',
      sipflow_state_restore_seconds: 'gauge',
      sipflow_state_restored_records_total: 'counter',
      sipflow_state_restored_numbers_total: 'counter',
      sipflow_state_changelog_records_total: 'counter',
      sipflow_repartitioned_records_total: 'counter',
      sipflow_abandonment_running_periods: 'gauge',
      sipflow_abandonment_status_raised_total: 'counter',
      sipflow_abandonment_state_keys: 'gauge',
      sipflow_abandonment_state_bytes: 'gauge',
      sipflow_abandonment_state_restoring: 'gauge',
      sipflow_abandonment_state_restore_seconds: 'gauge',
      sipflow_abandonment_state_restored_records_total: 'counter',
      sipflow_abandonment_state_restored_keys_total: 'counter',
      sipflow_abandonment_state_changelog_records_total: 'counter',
      sipflow_abandonment_state_partials_total: 'counter',
    });
  });

  it('follows the naming conventions: prefix, counters end _total, histograms in base units', async () => {
    const { registry } = setup();
    for (const m of await allMetrics(registry)) {
      expect(m.name).toMatch(/^sipflow_[a-z_]+$/);
      expect(m.name.endsWith('_total'), m.name).toBe(m.type === 'counter');
      if (m.type === 'histogram') expect(m.name).toMatch(/_(seconds|records)$/);
    }
  });

  it('adds prom-client process metrics unless defaultMetrics is false', async () => {
    const withDefaults = new Registry();
    createProcessorMetrics(withDefaults);
    const names = (await allMetrics(withDefaults)).map((m) => m.name);
    expect(names).toContain('process_cpu_user_seconds_total');
    expect(names).toContain('nodejs_eventloop_lag_seconds');

    const { registry } = setup();
    expect((await allMetrics(registry)).every((m) => m.name.startsWith('sipflow_'))).toBe(true);
  });

  it('counts per batch with inc(n) under the given labels', async () => {
    const { registry, metrics } = setup();
    metrics.consumed('call-attempts.raw').inc(250);
    metrics.consumed('call-attempts.raw').inc(50);
    metrics.produced('call-attempts.retry').inc(7);
    metrics.disposition('BUSY', 'RETRY').inc(3);
    metrics.dlq('SIPFLOW_DECODE_MAGIC_BYTE').inc(2);
    metrics.clientRestart('broker_unavailable').inc();
    metrics.schemaCacheLookup('hit').inc(299);
    metrics.rebalances.inc();

    expect(await value(registry, 'sipflow_events_consumed_total', { topic: 'call-attempts.raw' })).toBe(300);
    expect(await value(registry, 'sipflow_records_produced_total', { topic: 'call-attempts.retry' })).toBe(7);
    expect(
      await value(registry, 'sipflow_dispositions_total', { disposition: 'BUSY', action: 'RETRY' }),
    ).toBe(3);
    expect(
      await value(registry, 'sipflow_dlq_records_total', { error_code: 'SIPFLOW_DECODE_MAGIC_BYTE' }),
    ).toBe(2);
    expect(await value(registry, 'sipflow_client_restarts_total', { reason: 'broker_unavailable' })).toBe(1);
    expect(await value(registry, 'sipflow_schema_cache_lookups_total', { result: 'hit' })).toBe(299);
    expect(await value(registry, 'sipflow_consumer_rebalances_total')).toBe(1);
  });

  it('returns the same bound child for the same labels', () => {
    const { metrics } = setup();
    expect(metrics.consumed('a')).toBe(metrics.consumed('a'));
    expect(metrics.consumed('a')).not.toBe(metrics.consumed('b'));
    expect(metrics.disposition('BUSY', 'RETRY')).toBe(metrics.disposition('BUSY', 'RETRY'));
    expect(metrics.disposition('BUSY', 'RETRY')).not.toBe(metrics.disposition('BUSY', 'NONE'));
    expect(metrics.consumerLag('raw', 0)).toBe(metrics.consumerLag('raw', 0));
    expect(metrics.consumerLag('raw', 0)).not.toBe(metrics.consumerLag('raw', 1));
  });

  it('starts every closed-set series at 0 so the first increment shows in increase()', async () => {
    const { registry } = setup();
    const dlq = await metric(registry, 'sipflow_dlq_records_total');
    expect(dlq.values.map((v) => v.labels.error_code)).toEqual([...SIPFLOW_ERROR_CODES]);
    expect(dlq.values.every((v) => v.value === 0)).toBe(true);
    const restarts = await metric(registry, 'sipflow_client_restarts_total');
    expect(restarts.values.map((v) => v.labels.reason)).toEqual([
      'crash',
      'registry_unavailable',
      'broker_unavailable',
    ]);
    const lookups = await metric(registry, 'sipflow_schema_cache_lookups_total');
    expect(lookups.values.map((v) => v.labels.result)).toEqual(['hit', 'miss']);
  });

  it('counts retries moved by a cap apart from those a calling window moved', async () => {
    const { registry, metrics } = setup();
    metrics.retriesMoved('cap').inc(2);
    metrics.retriesMoved('campaign').inc();
    expect(await value(registry, 'sipflow_retries_moved_total', { by: 'cap' })).toBe(2);
    expect(await value(registry, 'sipflow_retries_moved_total', { by: 'campaign' })).toBe(1);
    expect((await metric(registry, 'sipflow_retries_moved_total')).values).toHaveLength(2);
    expectTypeOf(metrics.retriesMoved).parameter(0).toEqualTypeOf<'jurisdiction' | 'campaign' | 'cap'>();
  });

  it('sets consumer lag per topic and partition and drops a revoked partition', async () => {
    const { registry, metrics } = setup();
    metrics.consumerLag('call-attempts.raw', 0).set(12);
    metrics.consumerLag('call-attempts.raw', 1).set(40);
    metrics.forgetConsumerLag('call-attempts.raw', 0);

    const lag = await metric(registry, 'sipflow_consumer_lag_records');
    expect(lag.values).toEqual([{ labels: { topic: 'call-attempts.raw', partition: '1' }, value: 40 }]);
    // The partition can come back after the next rebalance; its series must come back with it.
    metrics.consumerLag('call-attempts.raw', 0).set(3);
    expect(
      await value(registry, 'sipflow_consumer_lag_records', { topic: 'call-attempts.raw', partition: '0' }),
    ).toBe(3);
  });

  it('observes event latency in seconds and counts a future endedAt as zero', async () => {
    const { registry, metrics } = setup();
    const endedAt = Date.UTC(2025, 0, 1, 12, 0, 0);
    metrics.observeEventLatency(endedAt, endedAt + 90_000); // a batch upload, 90 s late
    metrics.observeEventLatency(endedAt, endedAt - 2_000); // dialer clock 2 s ahead

    const latency = await metric(registry, 'sipflow_event_latency_seconds');
    const sum = latency.values.find((v) => v.metricName === 'sipflow_event_latency_seconds_sum');
    const bucket = (le: number) =>
      latency.values.find(
        (v) => v.metricName === 'sipflow_event_latency_seconds_bucket' && v.labels.le === le,
      )?.value;
    expect(sum?.value).toBe(90);
    expect(bucket(0.005)).toBe(1);
    expect(bucket(60)).toBe(1);
    expect(bucket(300)).toBe(2);
    expect(bucket(3600)).toBe(2);
  });

  it('buckets batch durations from 0.5 ms to 5 s', async () => {
    const { registry, metrics } = setup();
    metrics.batchDuration.observe(0.0004);
    const buckets = (await metric(registry, 'sipflow_batch_duration_seconds')).values
      .filter((v) => v.metricName === 'sipflow_batch_duration_seconds_bucket' && v.labels.le !== '+Inf')
      .map((v) => v.labels.le);
    expect(buckets[0]).toBe(0.0005);
    expect(buckets.at(-1)).toBe(5);
  });

  it('keeps exactly one build_info series, following the rules version', async () => {
    const { registry, metrics } = setup();
    expect((await metric(registry, 'sipflow_build_info')).values).toEqual([
      { labels: { version: '1.2.3', rules_version: 'none' }, value: 1 },
    ]);
    metrics.setRulesVersion('2025-06-01');
    metrics.setRulesVersion('2025-07-01');
    expect((await metric(registry, 'sipflow_build_info')).values).toEqual([
      { labels: { version: '1.2.3', rules_version: '2025-07-01' }, value: 1 },
    ]);
  });

  it('counts rules reloads by result; the last-reload gauge drops to 0 on a failure until one succeeds', async () => {
    const { registry, metrics } = setup();
    expect(await value(registry, 'sipflow_rules_reload_total', { result: 'failure' })).toBe(0);
    expect(await value(registry, 'sipflow_rules_last_reload_successful')).toBe(1);
    metrics.rulesReloaded('failure');
    expect(await value(registry, 'sipflow_rules_reload_total', { result: 'failure' })).toBe(1);
    expect(await value(registry, 'sipflow_rules_last_reload_successful')).toBe(0);
    metrics.rulesReloaded('unchanged');
    expect(await value(registry, 'sipflow_rules_last_reload_successful')).toBe(1);
    metrics.rulesReloaded('failure');
    metrics.rulesReloaded('success');
    expect(await value(registry, 'sipflow_rules_reload_total', { result: 'success' })).toBe(1);
    expect(await value(registry, 'sipflow_rules_reload_total', { result: 'failure' })).toBe(2);
    expect(await value(registry, 'sipflow_rules_last_reload_successful')).toBe(1);
  });

  it('types closed label sets so other values do not compile (checked by tsc)', () => {
    const { metrics } = setup();
    expectTypeOf(metrics.dlq).parameter(0).toEqualTypeOf<SipflowErrorCode>();
    expectTypeOf(metrics.clientRestart).parameter(0).toEqualTypeOf<ClientRestartReason>();
    expectTypeOf<ClientRestartReason>().toEqualTypeOf<
      'crash' | 'registry_unavailable' | 'broker_unavailable'
    >();
    expectTypeOf(metrics.schemaCacheLookup).parameter(0).toEqualTypeOf<SchemaCacheResult>();
    expectTypeOf<SchemaCacheResult>().toEqualTypeOf<'hit' | 'miss'>();
    expectTypeOf(metrics.disposition).parameters.toEqualTypeOf<['BUSY' | 'NO_ANSWER', 'NONE' | 'RETRY']>();
  });
});

describe('the abandonment ledger metrics', () => {
  it('count running periods by status, a closed label set present from the start', async () => {
    const { registry, metrics } = setup();
    for (const status of ['OK', 'WARNING', 'OVER'])
      expect(await value(registry, 'sipflow_abandonment_running_periods', { status })).toBe(0);
    metrics.ledger.runningPeriods.labels('OVER').set(2);
    metrics.ledger.raised.labels('WARNING').inc();
    expect(await value(registry, 'sipflow_abandonment_running_periods', { status: 'OVER' })).toBe(2);
    expect(await value(registry, 'sipflow_abandonment_status_raised_total', { status: 'WARNING' })).toBe(1);
    expect(await value(registry, 'sipflow_abandonment_status_raised_total', { status: 'OVER' })).toBe(0);
  });
});
