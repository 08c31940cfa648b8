import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeOf } from '@sipflow/errors';
import { repoRoot } from '@sipflow/stack';
import { latencyPercentiles, latencyWindow } from '../../bench/e2e/latency';
import { peerCaps } from '../../bench/e2e/peer-caps';
import { markdownTable, type BenchResults } from '../../bench/e2e/report';
import { parseProducerBatchBytes, streamsPeerEnv } from '../../bench/e2e/streams-peer';

const codeThrown = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return codeOf(err);
  }
  return 'nothing thrown';
};

const sipflow = {
  inputEventsPerSec: 1,
  outputRecordsPerSec: 1,
  runs: [1],
  outputsPerInput: 1,
  cpuSecondsPer1M: 1,
  peakRssMB: 1,
  broker: null,
};
const results: BenchResults = {
  command: 'npm run bench',
  date: '2026-12-01T00:00:00.000Z',
  machine: { cpu: 'cpu', cores: 2, memoryGiB: 24, os: 'linux' },
  versions: {},
  settings: { events: 1, runs: 1, partitions: 1, recordBytes: 1 },
  kafkaTools: {
    producerRecordsPerSec: 1,
    producerMBPerSec: 1,
    consumerRecordsPerSec: 1,
    consumerMBPerSec: 1,
  },
  passthrough: { eventsPerSec: 1, runs: [1], cpuSecondsPer1M: 1, peakRssMB: 1 },
  sipflow: { atLeastOnce: sipflow, exactlyOnce: sipflow },
  peer: { skipped: 'not installed' },
  latency: [{ loadShare: 0.5, offeredPerSec: 1, p50Ms: 3, p99Ms: 4, p999Ms: 5, samples: 10 }],
  ratios: {
    atLeastOnceVsPassthrough: 1,
    exactlyOnceVsPassthrough: 1,
    atLeastOnceVsKafkaConsumer: 1,
    atLeastOnceVsKafkaProducer: 1,
  },
};

describe('bench latency', () => {
  it('counts --latency-seconds after the warm-up, not inside it (5 s with a 5 s warm-up counted nothing)', () => {
    expect(latencyWindow(1_000, { seconds: 5, warmUpSeconds: 5 })).toEqual({
      countFrom: 6_000,
      until: 11_000,
    });
    expect(latencyWindow(0, { seconds: 30, warmUpSeconds: 0 })).toEqual({ countFrom: 0, until: 30_000 });
  });

  it('refuses a window with nothing to count', () => {
    for (const seconds of [0, -1, Number.NaN])
      expect(codeThrown(() => latencyWindow(0, { seconds, warmUpSeconds: 5 }))).toBe('SIPFLOW_BENCH_FAILED');
  });

  it('fails a measurement with no samples instead of giving NaN', () => {
    expect(codeThrown(() => latencyPercentiles([]))).toBe('SIPFLOW_BENCH_FAILED');
  });

  it('gives the percentiles of the samples, unsorted in', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => 1000 - i); // 1000 … 1
    expect(latencyPercentiles(samples)).toEqual({
      samples: 1000,
      p50Ms: 501,
      p99Ms: 991,
      p999Ms: 1000,
      maxMs: 1000,
    });
    expect(latencyPercentiles([7])).toEqual({ samples: 1, p50Ms: 7, p99Ms: 7, p999Ms: 7, maxMs: 7 });
  });

  it('writes no table with a NaN latency row', () => {
    expect(markdownTable(results)).toContain('| 50 % | 1 | 3 ms | 4 ms | 5 ms |');
    const broken = { ...results, latency: [{ ...results.latency[0]!, p50Ms: Number.NaN, samples: 0 }] };
    expect(codeThrown(() => markdownTable(broken))).toBe('SIPFLOW_BENCH_FAILED');
  });
});

describe('bench table: the Kafka Streams peer', () => {
  const row = (guarantee: 'at_least_once' | 'exactly_once_v2', threads: number, rate: number) => ({
    ...sipflow,
    inputEventsPerSec: rate,
    guarantee,
    threads,
    audit: { exitCode: 0, inputs: 1000, lost: 0, duplicated: 0, wrongRouting: 0 },
  });

  it('adds a row per guarantee and thread count, and sipflow / Streams in the same mode', () => {
    const table = markdownTable({
      ...results,
      sipflow: { atLeastOnce: { ...sipflow, inputEventsPerSec: 300 }, exactlyOnce: sipflow },
      streamsPeer: {
        kafkaStreams: '4.4.0',
        rows: [
          row('at_least_once', 1, 200),
          row('at_least_once', 2, 400),
          { guarantee: 'exactly_once_v2', threads: 1, failed: 'boom' },
        ],
      },
    });
    expect(table).toContain('| Kafka Streams at-least-once, 1 stream thread | 200 |');
    expect(table).toContain('| Kafka Streams at-least-once, 2 stream threads | 400 |');
    expect(table).toContain('| Kafka Streams exactly_once_v2, 1 stream thread | failed: boom |');
    expect(table).toContain('sipflow at-least-once / Kafka Streams at-least-once, 1 stream thread **150 %**');
    expect(table).toContain('**75 %** (audit of its topics: matches, 1,000 inputs, lost 0');
  });

  it("compares the Streams peer with the sipflow rows of the peer's rules, the same work, when there are any", () => {
    const table = markdownTable({
      ...results,
      sipflow: { atLeastOnce: { ...sipflow, inputEventsPerSec: 300 }, exactlyOnce: sipflow },
      sipflowPeerRules: { atLeastOnce: { ...sipflow, inputEventsPerSec: 500 }, exactlyOnce: sipflow },
      streamsPeer: { kafkaStreams: '4.4.0', rows: [row('at_least_once', 1, 200)] },
    });
    expect(table).toContain("| sipflow at-least-once, the Streams peer's rules | 500 |");
    expect(table).toContain(
      "sipflow at-least-once, the Streams peer's rules / Kafka Streams at-least-once, 1 stream thread **250 %**",
    );
    expect(table).not.toContain('**150 %**');
  });

  it('says why when the peer was not run, and nothing for runs from before it', () => {
    expect(markdownTable({ ...results, streamsPeer: { skipped: '--no-streams-peer' } })).toContain(
      'The Kafka Streams peer was not measured: --no-streams-peer.',
    );
    expect(markdownTable(results)).not.toContain('Kafka Streams');
  });
});

describe('bench table: the tuned and the stateful Kafka Streams peer', () => {
  const audit = { exitCode: 0, inputs: 1000, lost: 0, duplicated: 0, wrongRouting: 0 };
  const row = (
    guarantee: 'at_least_once' | 'exactly_once_v2',
    mode: 'stateless' | 'stateful',
    rate: number,
    cpu: number,
  ) => ({
    ...sipflow,
    inputEventsPerSec: rate,
    cpuSecondsPer1M: cpu,
    guarantee,
    threads: 1,
    mode,
    audit: mode === 'stateful' ? { ...audit, capViolations: 0, cappedRetries: 12 } : audit,
  });
  const run = (rows: NonNullable<Extract<BenchResults['streamsPeer'], { rows: unknown }>>['rows']) =>
    markdownTable({
      ...results,
      settings: { ...results.settings, rules: 'default (stateful: per-number caps)' },
      sipflow: {
        atLeastOnce: { ...sipflow, inputEventsPerSec: 150, cpuSecondsPer1M: 40 },
        exactlyOnce: { ...sipflow, inputEventsPerSec: 120, cpuSecondsPer1M: 50 },
      },
      sipflowPeerRules: {
        atLeastOnce: { ...sipflow, inputEventsPerSec: 300, cpuSecondsPer1M: 20 },
        exactlyOnce: sipflow,
      },
      streamsPeer: { kafkaStreams: '4.4.0', producerBatchBytes: 262144, rows },
    });

  it('compares the stateless rows with the peer-rules rows and the stateful ones with the default rules', () => {
    const table = run([
      row('at_least_once', 'stateless', 200, 40),
      row('at_least_once', 'stateful', 100, 80),
    ]);
    expect(table).toContain('| Kafka Streams at-least-once, 1 stream thread | 200 |');
    expect(table).toContain('| Kafka Streams at-least-once, stateful, 1 stream thread | 100 |');
    expect(table).toContain('producer batch.size 256 KiB');
    expect(table).toContain(
      "sipflow at-least-once, the Streams peer's rules / Kafka Streams at-least-once, 1 stream thread **150 %**",
    );
    expect(table).toContain(
      'sipflow at-least-once, default rules / Kafka Streams at-least-once, stateful, 1 stream thread **150 %**',
    );
    expect(table).toContain('cap violations 0 (12 retries held by a cap)');
    // both ratios, and CPU per event of both sides
    expect(table).toContain(
      '| stateless, at-least-once, 1 stream thread | 300 / 200 | **150 %** | 20.0 / 40.0 | 50 % |',
    );
    expect(table).toContain(
      '| stateful, default rules, at-least-once, 1 stream thread | 150 / 100 | **150 %** | 40.0 / 80.0 | 50 % |',
    );
  });

  it('says when the stateful rows were skipped, and leaves failed rows out of the ratio table', () => {
    const table = markdownTable({
      ...results,
      streamsPeer: {
        kafkaStreams: '4.4.0',
        producerBatchBytes: 'default',
        statefulSkipped: '--no-streams-peer-stateful',
        rows: [{ guarantee: 'at_least_once', threads: 1, failed: 'boom' }],
      },
    });
    expect(table).toContain("producer batch.size the producer's default (16 KiB)");
    expect(table).toContain('The stateful peer was not measured: --no-streams-peer-stateful.');
    expect(table).not.toContain('throughput ratio');
  });
});

describe('the Streams peer settings', () => {
  it("hands the peer sipflow's compiled caps of the default rules, by region and by identity", () => {
    const text = readFileSync(join(repoRoot, 'libs/rules/rules/default-rules.yaml'), 'utf8');
    const caps = peerCaps(text, 'default-rules.yaml');
    expect(caps.stateWindowMs).toBe(24 * 3_600_000);
    const byRegion = Object.fromEntries(
      Object.entries(caps.defaults.regions).map(([region, list]) => [
        region,
        list.map((i) => `${caps.caps[i]!.count}/${caps.caps[i]!.perMs / 3_600_000}h`),
      ]),
    );
    // the US profile: FL, OK, MD, OR 3 per 24 h (solicitation), ME 1 per 8 h (automated dialing, the default)
    expect(byRegion).toEqual({
      'US-FL': ['3/24h'],
      'US-ME': ['1/8h'],
      'US-OK': ['3/24h'],
      'US-MD': ['3/24h'],
      'US-OR': ['3/24h'],
    });
    expect(caps.caps.find((c) => c.name === 'US-FL')!.capLabel).toBe(
      'US-FL 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))',
    );
    expect(caps.defaults.caps).toEqual([]);
  });

  it('tunes the producer unless told not to, and is stateful only when asked', () => {
    const base = {
      group: 'g',
      guarantee: 'at_least_once' as const,
      threads: 1,
      rulesFile: 'r',
      areaCodesFile: 'a',
    };
    expect(streamsPeerEnv(base)).toMatchObject({
      PEER_PRODUCER_BATCH_BYTES: '262144',
      PEER_STATEFUL: 'false',
    });
    expect(streamsPeerEnv(base)).not.toHaveProperty('PEER_CAPS_FILE');
    expect(
      streamsPeerEnv({ ...base, producerBatchBytes: 'default', stateful: { capsFile: 'c' } }),
    ).toMatchObject({ PEER_PRODUCER_BATCH_BYTES: 'default', PEER_STATEFUL: 'true', PEER_CAPS_FILE: 'c' });
    expect(parseProducerBatchBytes('default')).toBe('default');
    expect(parseProducerBatchBytes('65536')).toBe(65536);
    for (const bad of ['0', '1.5', 'big'])
      expect(codeThrown(() => parseProducerBatchBytes(bad))).toBe('SIPFLOW_BENCH_FAILED');
  });
});
