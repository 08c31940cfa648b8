import { recomputeLedger, type LedgerRecompute } from '@sipflow/audit';
import { AvroDecoder, type CallAttempt } from '@sipflow/codec';
import { createKafka, createRegistry } from '@sipflow/kafka';
import { inputReaderType, type Topics } from '@sipflow/pipeline';
import { defaultRules, loadRules } from '@sipflow/rules';
import { DRIFTING_CAMPAIGN, runSimulator } from '@sipflow/simulator';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { craftedCalls, rulesFileWith, runCli, SOLAR_START, T0 } from '../support/abandonment-calls';
import {
  createTestTopics,
  deleteTopics,
  rawTopicWriter,
  readTopic,
  testConnection,
} from '../support/processor-harness';

const DAY = 86_400_000;
const START = SOLAR_START;

describe('the abandoned-call ledger recomputed from the raw topic (sipflow abandonment recompute)', () => {
  const registry = createRegistry(testConnection());
  let topics: Topics;
  let producer: Producer;
  const crafted = craftedCalls();

  beforeAll(async () => {
    topics = await createTestTopics('abandonment');
    const writer = await rawTopicWriter(registry, topics);
    producer = writer.producer;
    const all = [...crafted.calls, ...crafted.invalid];
    await producer.send({
      topic: topics.input,
      messages: all.map((a) => ({ key: a.leadId, value: writer.input.encode(a) })),
    });
  });
  afterAll(async () => {
    await producer?.disconnect();
    if (topics) await deleteTopics(topics);
  });

  it('reports the exact numerator and denominator of a group abandoning 4 %, with the counts beside them', async () => {
    const { code, stdout, stderr } = await runCli(topics, [
      'recompute',
      '--json',
      '--rules',
      rulesFileWith({ groups: { solar: { campaigns: ['cmp-a', 'cmp-b'], start: START } } }),
      '--as-of',
      new Date(T0 + DAY).toISOString(),
    ]);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as LedgerRecompute;
    expect(result.records).toBe(crafted.calls.length + crafted.invalid.length);
    expect(result.counted).toBe(crafted.calls.length);
    expect(result.periods.map((p) => [p.group, p.period])).toEqual([
      ['cmp-other', 11],
      ['solar', 1],
      ['solar', 2],
    ]);
    const solar = result.periods[1]!;
    expect(solar).toMatchObject({
      fromMs: Date.parse(`${START}T00:00:00Z`),
      toMs: Date.parse(`${START}T00:00:00Z`) + 30 * DAY,
      numerator: 40,
      denominator: 1_000,
      rate: 0.04,
      status: 'OVER',
      closed: false,
      complete: true,
    });
    expect(solar.counts).toEqual(crafted.solarCounts);
    expect(result.periods[2]).toMatchObject({ numerator: 1, denominator: 1, status: 'OK', closed: false });
  });

  it('counts UNKNOWN answers in both parts of the rate in conservative mode, and prints a table', async () => {
    const result = await recomputeLedger({
      connection: testConnection(),
      input: topics.input,
      rules: loadRules(rulesFileWith({ unknownCountsAsPerson: true })),
      groups: ['cmp-a'],
      asOfMs: T0 + 60 * DAY,
    });
    // without the group, cmp-a is its own group numbered from periodsFrom (2026-01-01): period 11
    expect(result.periods).toHaveLength(2);
    expect(result.periods[0]).toMatchObject({
      group: 'cmp-a',
      period: 11,
      closed: true,
      unknownCountsAsPerson: true,
    });
    // cmp-a's half of the crafted calls: 500 person-answered with 20 abandoned, 15 UNKNOWN with 2
    expect(result.periods[0]).toMatchObject({ numerator: 20 + 2, denominator: 500 + 15 });
    const { stdout } = await runCli(topics, ['recompute', '--group', 'cmp-other']);
    expect(stdout).toMatch(/^group\s+period\s+from\s+to \(excl\.\)\s+abandoned\s+answered\s+rate/m);
    expect(stdout).toMatch(/^cmp-other\s+11\s+2026-10-28\s+2026-11-27\s+0\s+1\s+0\.00 %\s+OK/m);
  });
});

describe('a simulated dialer drifting towards 4 % (sipflow simulate --amd --abandonment)', () => {
  let topics: Topics;

  beforeAll(async () => {
    topics = await createTestTopics('abandonment-sim');
  });
  afterAll(async () => {
    if (topics) await deleteTopics(topics);
  });

  it("reports the drifting campaign's exact numerator and denominator, as counted independently from the raw records", async () => {
    const connection = testConnection();
    const stats = await runSimulator({
      kafka: createKafka(connection),
      registry: createRegistry(connection),
      topic: topics.input,
      rate: 20_000,
      count: 40_000,
      seed: 7,
      answeringMachineDetection: true,
      abandonmentDriftTo: 0.04,
    });
    expect(stats.produced).toBe(40_000);
    const result = await recomputeLedger({ connection, input: topics.input, rules: defaultRules() });
    expect(result.read.complete).toBe(true);
    expect(result.counted).toBe(40_000);

    // the same count, written out from the regulations' wording rather than through the ledger's code
    const decoder = new AvroDecoder<CallAttempt>(createRegistry(connection), inputReaderType());
    const raw = await readTopic(topics.input, 40_000, { timeoutMs: 60_000 });
    await decoder.prepare(raw.map((m) => m.value));
    let answered = 0;
    let abandoned = 0;
    for (const m of raw) {
      const e = decoder.decode(m.value);
      if (e.campaignId !== DRIFTING_CAMPAIGN || e.sipCode !== 200 || e.answeredBy !== 'HUMAN') continue;
      answered++;
      const late =
        e.answeredAt !== null && (e.agentConnectedAt === null || e.agentConnectedAt - e.answeredAt > 2_000);
      if (e.abandoned === true || late) abandoned++;
    }
    const drifting = result.periods.filter((p) => p.group === DRIFTING_CAMPAIGN);
    expect(drifting.reduce((n, p) => n + p.numerator, 0)).toBe(abandoned);
    expect(drifting.reduce((n, p) => n + p.denominator, 0)).toBe(answered);
    expect(abandoned / answered).toBeGreaterThan(0.025);
    expect(abandoned / answered).toBeLessThan(0.05);
  });
});
