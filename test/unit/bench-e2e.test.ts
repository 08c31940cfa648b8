import { describe, expect, it } from 'vitest';
import { codeOf } from '@sipflow/errors';
import { latencyPercentiles, latencyWindow } from '../../bench/e2e/latency';
import { markdownTable, type BenchResults } from '../../bench/e2e/report';

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
