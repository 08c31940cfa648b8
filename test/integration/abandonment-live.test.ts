import { auditFailures, recomputeLedger, runAudit } from '@sipflow/audit';
import { AvroDecoder, type AbandonmentPeriod } from '@sipflow/codec';
import { createKafka, createRegistry } from '@sipflow/kafka';
import { HEADER, outputReaderType, type Topics } from '@sipflow/pipeline';
import type { RunningProcessor } from '@sipflow/processor';
import { defaultRules, loadRules } from '@sipflow/rules';
import { DRIFTING_CAMPAIGN, runSimulator } from '@sipflow/simulator';
import type { Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answeredCall,
  craftedCalls,
  rulesFileWith,
  runCli,
  SOLAR_START,
  T_RISE,
} from '../support/abandonment-calls';
import { uniqueName } from '../support/cluster';
import {
  createTestTopics,
  rawTopicWriter,
  header,
  readTopic,
  startInProcess,
  testConnection,
} from '../support/processor-harness';

const DAY = 86_400_000;

/** The latest record of each period on the ledger's topic, once `calls` calls are counted in all. */
async function ledgerOnTopic(topics: Topics, calls: number): Promise<Map<string, AbandonmentPeriod>> {
  const decoder = new AvroDecoder<AbandonmentPeriod>(
    createRegistry(testConnection()),
    outputReaderType('abandonment'),
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    const records = await readTopic(topics.abandonment, 1, { timeoutMs: 5_000, settleMs: 1_000 });
    await decoder.prepare(records.map((m) => m.value));
    const latest = new Map<string, AbandonmentPeriod>();
    for (const m of records) latest.set(m.key!.toString(), decoder.decode(m.value));
    const counted = [...latest.values()].reduce((n, p) => n + p.counts.calls, 0);
    if (counted >= calls || Date.now() > deadline) return latest;
  }
}

describe('the live abandoned-call ledger (ABANDONMENT_LEDGER=on, exactly-once)', () => {
  const registry = createRegistry(testConnection());
  const crafted = craftedCalls();
  const rulesFile = rulesFileWith({
    groups: { solar: { campaigns: ['cmp-a', 'cmp-b'], start: SOLAR_START } },
  });
  let topics: Topics;
  let producer: Producer;
  let processor: RunningProcessor & { metrics: Registry };

  beforeAll(async () => {
    topics = await createTestTopics('abandonment-live');
    const writer = await rawTopicWriter(registry, topics);
    producer = writer.producer;
    processor = await startInProcess(topics, {
      RULES_FILE: rulesFile,
      PROCESSING_GUARANTEE: 'exactly_once',
      TRANSACTIONAL_ID: uniqueName('abandonment-live-tx'),
    });
    await producer.send({
      topic: topics.input,
      messages: [...crafted.calls, ...crafted.invalid].map((a) => ({
        key: a.leadId,
        value: writer.input.encode(a),
      })),
    });
  });
  afterAll(async () => {
    await processor?.stop();
    await producer?.disconnect();
  });

  it('writes each period to the compacted topic with its exact numerator and denominator, and closes the one before', async () => {
    const ledger = await ledgerOnTopic(topics, crafted.calls.length);
    expect([...ledger.keys()].sort()).toEqual(['cmp-other/11', 'solar/1', 'solar/2']);
    const solar = ledger.get('solar/1')!;
    expect(solar).toMatchObject({
      group: 'solar',
      period: 1,
      periodStart: Date.parse(`${SOLAR_START}T00:00:00Z`),
      periodEnd: Date.parse(`${SOLAR_START}T00:00:00Z`) + 30 * DAY,
      configured: true,
      numerator: 40,
      denominator: 1_000,
      rate: 0.04,
      // the group's next period has calls: this one is over, and judged on what it holds
      closed: true,
      status: 'OVER',
      rulesVersion: loadRules(rulesFile).version,
    });
    expect(solar.counts).toEqual(crafted.solarCounts);
    expect(ledger.get('solar/2')).toMatchObject({
      numerator: 1,
      denominator: 1,
      closed: false,
      status: 'OK',
    });
    expect(ledger.get('cmp-other/11')).toMatchObject({ configured: false, numerator: 0, denominator: 1 });
  });

  it("raises a compliance alert for each call abandoned without the recorded message, marked as the ledger's", async () => {
    const unplayed = crafted.calls.filter((c) => c.abandoned === true && c.abandonMessagePlayed === false);
    expect(unplayed).toHaveLength(5);
    const alerts = (await readTopic(topics.compliance, 5, { timeoutMs: 30_000 })).filter(
      (m) => header(m, HEADER.alertSource) === 'abandonment',
    );
    expect(alerts.map((m) => header(m, HEADER.eventId)).sort()).toEqual(
      unplayed.map((c) => c.eventId).sort(),
    );
    expect(alerts.map((m) => m.key!.toString()).sort()).toEqual(unplayed.map((c) => c.leadId).sort());
  });

  it('counts the running periods by status, and the status a period rose to', async () => {
    const text = await processor.metrics.metrics();
    expect(text).toMatch(/^sipflow_abandonment_running_periods\{status="OK"\} 2$/m);
    expect(text).toMatch(/^sipflow_abandonment_running_periods\{status="OVER"\} 0$/m);
    expect(text).toMatch(/^sipflow_abandonment_status_raised_total\{status="OVER"\} 1$/m);
    // partials: at least one per group and period counted, and no more than one per call
    const partials = Number(/^sipflow_abandonment_state_partials_total (\d+)$/m.exec(text)?.[1]);
    expect(partials).toBeGreaterThanOrEqual(3);
    expect(partials).toBeLessThanOrEqual(crafted.calls.length);
  });

  it('shows the periods with `sipflow abandonment show`, filtered by status, as a table or JSON', async () => {
    const table = await runCli(topics, ['show', '--status', 'OVER']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(
      /^group\s+period\s+from\s+to \(excl\.\)\s+abandoned\s+answered\s+rate\s+status/,
    );
    expect(table.stdout).toMatch(
      /^solar\s+1\s+2026-11-02\s+2026-12-02\s+40\s+1,000\s+4\.00 %\s+OVER\s+5\s+1\s+180\s+closed$/m,
    );
    expect(table.stdout.trim().split('\n')).toHaveLength(2);
    const json = await runCli(topics, ['show', '--running', '--json']);
    const shown = JSON.parse(json.stdout) as { periods: AbandonmentPeriod[] };
    expect(shown.periods.map((p) => `${p.group}/${p.period}`)).toEqual(['cmp-other/11', 'solar/2']);
  });

  it('passes the audit, which finds the ledger exact against the raw topic', async () => {
    const report = await runAudit({
      connection: testConnection(),
      topics,
      rules: loadRules(rulesFile),
    });
    expect(report.ledger).toMatchObject({
      checked: true,
      periods: 3,
      incomplete: 0,
      mismatches: [],
      alerts: { expected: 5, found: 5, missing: [], unexpected: [], duplicated: 0 },
    });
    expect(auditFailures(report, { exactlyOnce: true })).toEqual([]);
  });
});

describe('a simulated campaign drifting from 1 % to 4 % abandoned, through the processor', () => {
  let topics: Topics;
  let processor: RunningProcessor & { metrics: Registry };

  beforeAll(async () => {
    topics = await createTestTopics('abandonment-drift');
    processor = await startInProcess(topics, {
      PROCESSING_GUARANTEE: 'exactly_once',
      TRANSACTIONAL_ID: uniqueName('abandonment-drift-tx'),
    });
  });
  afterAll(async () => {
    await processor?.stop();
  });

  it('reports every period with the exact numerator and denominator the raw topic gives', async () => {
    const connection = testConnection();
    const events = 60_000;
    await runSimulator({
      kafka: createKafka(connection),
      registry: createRegistry(connection),
      topic: topics.input,
      rate: 20_000,
      count: events,
      seed: 11,
      answeringMachineDetection: true,
      abandonmentDriftTo: 0.04,
    });
    const live = await ledgerOnTopic(topics, events);
    const recomputed = await recomputeLedger({ connection, input: topics.input, rules: defaultRules() });
    expect(recomputed.periods.length).toBeGreaterThanOrEqual(5);
    for (const expected of recomputed.periods) {
      const period = live.get(`${expected.group}/${expected.period}`);
      expect(period?.counts, `${expected.group}/${expected.period}`).toEqual(expected.counts);
    }
    const drifting = [...live.values()].filter((p) => p.group === DRIFTING_CAMPAIGN);
    const rate =
      drifting.reduce((n, p) => n + p.numerator, 0) / drifting.reduce((n, p) => n + p.denominator, 0);
    expect(rate).toBeGreaterThan(0.03);
  });
});

describe('a campaign whose rate rises past 2.5 % and then 3 %, in three rounds', () => {
  const registry = createRegistry(testConnection());
  let topics: Topics;
  let processor: RunningProcessor & { metrics: Registry };

  beforeAll(async () => {
    topics = await createTestTopics('abandonment-rise');
    processor = await startInProcess(topics, {
      PROCESSING_GUARANTEE: 'exactly_once',
      TRANSACTIONAL_ID: uniqueName('abandonment-rise-tx'),
    });
  });
  afterAll(async () => {
    await processor?.stop();
  });

  it('is reported WARNING before OVER: each status raised once, as the rate so far passes each', async () => {
    const writer = await rawTopicWriter(registry, topics);
    // 400 person-answered calls a round, the abandoned ones evenly spaced: 4 (1.00 % so far), 16
    // (2.50 %), 20 (3.33 %). One input partition and one number: the calls are counted in the
    // order sent, so the rate so far rises past 2.5 % in round 2 and past 3 % in round 3, never
    // before (a prefix of round 2 stays under 2.6 %)
    const rounds = [4, 16, 20];
    const statuses: string[] = [];
    let sent = 0;
    try {
      for (const [round, abandoned] of rounds.entries()) {
        const every = 400 / abandoned;
        const calls = Array.from({ length: 400 }, (_, i) =>
          answeredCall(T_RISE + (round * 400 + i) * 60_000, i % every === 0),
        );
        await writer.producer.send({
          topic: topics.input,
          messages: calls.map((a) => ({ key: a.leadId, value: writer.input.encode(a), partition: 0 })),
        });
        sent += calls.length;
        const period = (await ledgerOnTopic(topics, sent)).get('cmp-rise/12')!;
        expect(period.counts.calls).toBe(sent);
        statuses.push(period.status);
      }
    } finally {
      await writer.producer.disconnect();
    }
    expect(statuses).toEqual(['OK', 'WARNING', 'OVER']);
    const text = await processor.metrics.metrics();
    expect(text).toMatch(/^sipflow_abandonment_status_raised_total\{status="WARNING"\} 1$/m);
    expect(text).toMatch(/^sipflow_abandonment_status_raised_total\{status="OVER"\} 1$/m);
  });
});
