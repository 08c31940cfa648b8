import { readFileSync, writeFileSync } from 'node:fs';

export type BenchResults = {
  command: string;
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string };
  versions: Record<string, string>;
  settings: Record<string, number | string>;
  kafkaTools: {
    producerRecordsPerSec: number;
    producerMBPerSec: number;
    consumerRecordsPerSec: number;
    consumerMBPerSec: number;
  };
  passthrough: { eventsPerSec: number; runs: number[]; cpuSecondsPer1M: number; peakRssMB: number };
  sipflow: Record<
    'atLeastOnce' | 'exactlyOnce',
    {
      inputEventsPerSec: number;
      outputRecordsPerSec: number;
      runs: number[];
      outputsPerInput: number;
      cpuSecondsPer1M: number;
      peakRssMB: number;
      broker: { cpuSecondsPer1M: number; peakRssMB: number } | null;
    }
  >;
  latency: Array<{
    loadShare: number;
    offeredPerSec: number;
    p50Ms: number;
    p99Ms: number;
    p999Ms: number;
    samples: number;
  }>;
  ratios: {
    atLeastOnceVsPassthrough: number;
    exactlyOnceVsPassthrough: number;
    atLeastOnceVsKafkaConsumer: number;
    atLeastOnceVsKafkaProducer: number;
  };
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (n: number) => `${(n * 100).toFixed(0)} %`;

export function markdownTable(r: BenchResults): string {
  const alo = r.sipflow.atLeastOnce;
  const eos = r.sipflow.exactlyOnce;
  return [
    `Measured ${r.date.slice(0, 10)} on ${r.machine.cores} cores (${r.machine.cpu}), broker on the same machine, ` +
      `${fmt(Number(r.settings.events))} events of ~${r.settings.recordBytes} B Avro, ${r.settings.partitions} partitions, acks=all; ` +
      `median of ${r.settings.runs} runs. Command: \`${r.command}\`.`,
    '',
    '| what | events/s in | records/s out | CPU s per 1M events | peak RSS |',
    '|---|---|---|---|---|',
    `| Kafka ProducerPerformance (the broker's write limit) | ${fmt(r.kafkaTools.producerRecordsPerSec)} | | | |`,
    `| Kafka ConsumerPerformance, fetch.nMsg.sec (read limit) | ${fmt(r.kafkaTools.consumerRecordsPerSec)} | | | |`,
    `| kafkajs passthrough (consume → produce, no work) | ${fmt(r.passthrough.eventsPerSec)} | ${fmt(r.passthrough.eventsPerSec)} | ${r.passthrough.cpuSecondsPer1M.toFixed(1)} | ${fmt(r.passthrough.peakRssMB)} MB |`,
    `| sipflow at-least-once | ${fmt(alo.inputEventsPerSec)} | ${fmt(alo.outputRecordsPerSec)} | ${alo.cpuSecondsPer1M.toFixed(1)} | ${fmt(alo.peakRssMB)} MB |`,
    `| sipflow exactly-once | ${fmt(eos.inputEventsPerSec)} | ${fmt(eos.outputRecordsPerSec)} | ${eos.cpuSecondsPer1M.toFixed(1)} | ${fmt(eos.peakRssMB)} MB |`,
    '',
    `Ratios: sipflow at-least-once / passthrough **${pct(r.ratios.atLeastOnceVsPassthrough)}**, exactly-once / passthrough ` +
      `${pct(r.ratios.exactlyOnceVsPassthrough)}; at-least-once / Kafka consumer tool ${pct(r.ratios.atLeastOnceVsKafkaConsumer)}, ` +
      `/ Kafka producer tool ${pct(r.ratios.atLeastOnceVsKafkaProducer)}. sipflow writes ${alo.outputsPerInput.toFixed(2)} records per input event.` +
      (alo.broker
        ? ` The broker JVM used ${alo.broker.cpuSecondsPer1M.toFixed(1)} CPU s per 1M events (peak RSS ${fmt(alo.broker.peakRssMB)} MB).`
        : ''),
    '',
    '| offered load (share of at-least-once max) | events/s | p50 | p99 | p99.9 |',
    '|---|---|---|---|---|',
    ...r.latency.map(
      (l) =>
        `| ${pct(l.loadShare)} | ${fmt(l.offeredPerSec)} | ${l.p50Ms} ms | ${l.p99Ms} ms | ${l.p999Ms} ms |`,
    ),
  ].join('\n');
}

/** Replaces the text between the bench markers in the README with the new table. */
export function updateReadme(path: string, table: string): void {
  const text = readFileSync(path, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${path} has no ${start} … ${end} section`);
  writeFileSync(path, `${text.slice(0, i + start.length)}\n${table}\n${text.slice(j)}`);
}
