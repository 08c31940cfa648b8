import { SipflowError } from '@sipflow/errors';
import { replaceDocSection } from '../doc-section';

export type PassthroughSummary = {
  eventsPerSec: number;
  runs: number[];
  cpuSecondsPer1M: number;
  peakRssMB: number;
};

export type SipflowSummary = {
  inputEventsPerSec: number;
  outputRecordsPerSec: number;
  runs: number[];
  outputsPerInput: number;
  cpuSecondsPer1M: number;
  peakRssMB: number;
  broker: { cpuSecondsPer1M: number; peakRssMB: number } | null;
};

/** Both modes at one PROCESSOR_WORKERS count (`--workers 1,2`). */
export type ScalingRow = { workers: number; atLeastOnce: SipflowSummary; exactlyOnce: SipflowSummary };

/** The peer client's rows: measured in the same run, or why not. */
export type PeerResults =
  | { skipped: string }
  | {
      client: string;
      version: string;
      librdkafka: string;
      passthrough: PassthroughSummary;
      sipflow: Record<'atLeastOnce' | 'exactlyOnce', SipflowSummary | { failed: string }>;
      /** peer / kafkajs, same run; null where the peer run failed */
      ratios: {
        passthroughVsKafkajs: number;
        atLeastOnceVsKafkajs: number | null;
        exactlyOnceVsKafkajs: number | null;
      };
    };

/**
 * What the Streams peer does: `stateless` (the peer's rules, no state; rows from before the mode
 * have none and are this) or `stateful` (the default rules' per-number caps: a repartition by
 * number and a cached RocksDB store logged to a changelog).
 */
export type StreamsPeerMode = 'stateless' | 'stateful';

/** One Kafka Streams peer row: the same job as sipflow, timed the same way, and its audit. */
export type StreamsPeerRow = SipflowSummary & {
  guarantee: 'at_least_once' | 'exactly_once_v2';
  threads: number;
  /** absent in runs from before the stateful peer: stateless */
  mode?: StreamsPeerMode;
  /** `sipflow audit` on the topics of the row's last run */
  audit: {
    exitCode: number | null;
    inputs: number;
    lost: number;
    duplicated: number;
    wrongRouting: number;
    /** retries beyond a frequency cap, and those a cap held back; absent in older runs */
    capViolations?: number;
    cappedRetries?: number;
  };
};

export type FailedStreamsPeerRow = {
  guarantee: StreamsPeerRow['guarantee'];
  threads: number;
  mode?: StreamsPeerMode;
  failed: string;
};

export type StreamsPeerResults =
  | { skipped: string }
  | {
      kafkaStreams: string;
      /** the producer's batch.size (PEER_PRODUCER_BATCH_BYTES); absent in runs from before the tuning (16 KiB) */
      producerBatchBytes?: number | 'default';
      /** why the stateful rows are missing (--no-streams-peer-stateful), when they are */
      statefulSkipped?: string;
      rows: Array<StreamsPeerRow | FailedStreamsPeerRow>;
    };

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
  passthrough: PassthroughSummary;
  sipflow: Record<'atLeastOnce' | 'exactlyOnce', SipflowSummary>;
  /**
   * sipflow with the Streams peer's rules (bench/e2e/peer-rules.ts: no jurisdiction profile, no
   * state), the same work as the peer; absent in runs from before these rows
   */
  sipflowPeerRules?: Record<'atLeastOnce' | 'exactlyOnce', SipflowSummary>;
  /** absent in runs from before PROCESSOR_WORKERS */
  scaling?: ScalingRow[];
  peer: PeerResults;
  /** absent in runs from before the Kafka Streams peer */
  streamsPeer?: StreamsPeerResults;
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
/** A latency figure; one that is not a number is a broken measurement, not a row to print. */
const ms = (n: number) => {
  if (!Number.isFinite(n))
    throw new SipflowError('SIPFLOW_BENCH_FAILED', `a latency figure is ${n}, not a number of ms`, {
      value: String(n),
    });
  return `${n} ms`;
};
const pct = (n: number) => `${(n * 100).toFixed(0)} %`;

const PEER_NAME = 'KAFKA_CLIENT=confluent';

const passthroughRow = (what: string, p: PassthroughSummary) =>
  `| ${what} | ${fmt(p.eventsPerSec)} | ${fmt(p.eventsPerSec)} | ${p.cpuSecondsPer1M.toFixed(1)} | ${fmt(p.peakRssMB)} MB |`;

const sipflowRow = (what: string, s: SipflowSummary | { failed: string }) =>
  'failed' in s
    ? `| ${what} | failed: ${s.failed.split('\n')[0]!.replaceAll('|', '/')} | | | |`
    : `| ${what} | ${fmt(s.inputEventsPerSec)} | ${fmt(s.outputRecordsPerSec)} | ${s.cpuSecondsPer1M.toFixed(1)} | ${fmt(s.peakRssMB)} MB |`;

/** One sentence on the peer: its figures against kafkajs' from the same run, or why it was not run. */
function peerSentence(p: PeerResults): string {
  if ('skipped' in p) return `The peer client (${PEER_NAME}) was not measured: ${p.skipped}`;
  const ratio = (n: number | null) => (n === null ? 'failed' : pct(n));
  return (
    `${PEER_NAME} is ${p.client} ${p.version} (librdkafka ${p.librdkafka}); against kafkajs in this run: passthrough ` +
    `${pct(p.ratios.passthroughVsKafkajs)}, sipflow at-least-once **${ratio(p.ratios.atLeastOnceVsKafkajs)}**, ` +
    `exactly-once ${ratio(p.ratios.exactlyOnceVsKafkajs)}.`
  );
}

/** The scaling table, when more than one worker count was measured. */
function scalingTable(rows: ScalingRow[] | undefined): string[] {
  if (!rows || rows.length < 2) return [];
  const base = rows[0]!;
  const x = (s: SipflowSummary, b: SipflowSummary) =>
    `${(s.inputEventsPerSec / b.inputEventsPerSec).toFixed(2)}×`;
  return [
    '',
    '| PROCESSOR_WORKERS | at-least-once events/s | vs first | CPU s per 1M | exactly-once events/s | vs first | CPU s per 1M | peak RSS (sum) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (w) =>
        `| ${w.workers} | ${fmt(w.atLeastOnce.inputEventsPerSec)} | ${x(w.atLeastOnce, base.atLeastOnce)} | ${w.atLeastOnce.cpuSecondsPer1M.toFixed(1)} | ` +
        `${fmt(w.exactlyOnce.inputEventsPerSec)} | ${x(w.exactlyOnce, base.exactlyOnce)} | ${w.exactlyOnce.cpuSecondsPer1M.toFixed(1)} | ` +
        `${fmt(Math.max(w.atLeastOnce.peakRssMB, w.exactlyOnce.peakRssMB))} MB |`,
    ),
  ];
}

const isStateful = (row: { mode?: StreamsPeerMode }) => row.mode === 'stateful';

const streamsName = (row: { guarantee: string; threads: number; mode?: StreamsPeerMode }) =>
  `Kafka Streams ${row.guarantee === 'at_least_once' ? 'at-least-once' : 'exactly_once_v2'}${isStateful(row) ? ', stateful' : ''}, ${row.threads} stream thread${row.threads === 1 ? '' : 's'}`;

function streamsRows(p: StreamsPeerResults | undefined): string[] {
  if (!p || 'skipped' in p) return [];
  return p.rows.map((row) => sipflowRow(streamsName(row), row));
}

const PEER_RULES = "the Streams peer's rules";

/** "256 KiB", or the producer's own default. */
function batchSize(bytes: number | 'default'): string {
  if (bytes === 'default') return "the producer's default (16 KiB)";
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${fmt(bytes)} B`;
}

/**
 * The sipflow rows a Streams row is compared with: the same work in the same mode. Stateless: the
 * rows with the peer's rules (runs from before them: the default rules' rows); stateful: the
 * default rules' rows.
 */
function sameWork(
  r: BenchResults,
  row: { guarantee: string; mode?: StreamsPeerMode },
): { what: string; summary: SipflowSummary } {
  const mode = row.guarantee === 'at_least_once' ? 'at-least-once' : 'exactly-once';
  const key = row.guarantee === 'at_least_once' ? 'atLeastOnce' : 'exactlyOnce';
  if (isStateful(row)) return { what: `sipflow ${mode}, default rules`, summary: r.sipflow[key] };
  const same = r.sipflowPeerRules ?? r.sipflow;
  return { what: `sipflow ${mode}${r.sipflowPeerRules ? `, ${PEER_RULES}` : ''}`, summary: same[key] };
}

/**
 * The Streams peer against sipflow in the same mode doing the same work (the rows with the peer's
 * rules; runs from before them compare with the default rules' rows), and what the audit found.
 */
function streamsSentence(r: BenchResults): string {
  const p = r.streamsPeer;
  if (!p) return '';
  if ('skipped' in p) return `The Kafka Streams peer was not measured: ${p.skipped}.`;
  const parts = (rows: typeof p.rows) =>
    rows.map((row) => {
      if ('failed' in row) return `${streamsName(row)} failed`;
      const sipflow = sameWork(r, row);
      const a = row.audit;
      const clean = a.exitCode === 0 && a.lost === 0 && a.wrongRouting === 0;
      const caps =
        a.capViolations === undefined
          ? ''
          : `, cap violations ${a.capViolations} (${fmt(a.cappedRetries ?? 0)} retries held by a cap)`;
      return (
        `${sipflow.what} / ${streamsName(row)} ` +
        `**${pct(sipflow.summary.inputEventsPerSec / row.inputEventsPerSec)}** (audit of its topics: ${clean ? 'matches' : 'does not match'}, ` +
        `${fmt(a.inputs)} inputs, lost ${a.lost}, duplicated ${a.duplicated}, wrong routing ${a.wrongRouting}${caps})`
      );
    });
  const stateless = p.rows.filter((row) => !isStateful(row));
  const stateful = p.rows.filter(isStateful);
  const work = r.sipflowPeerRules
    ? `the same job; both with ${PEER_RULES}, the defaults without the jurisdiction profile, so no per-number state`
    : 'the same job and rules file';
  const tuning =
    p.producerBatchBytes === undefined ? '' : `producer batch.size ${batchSize(p.producerBatchBytes)}; `;
  const sentences = [];
  if (stateless.length > 0)
    sentences.push(
      `Kafka Streams ${p.kafkaStreams} peer (bench/streams-peer, ${tuning}${work}): ${parts(stateless).join('; ')}.`,
    );
  if (stateful.length > 0)
    sentences.push(
      `Stateful, the work of the default rules (the peer re-keys by number with \`repartition()\` and keeps each ` +
        "number's recent calls in a cached RocksDB store logged to a changelog, and moves retries by the US profile's " +
        `caps as sipflow does, but not by its regional windows and holidays): ${parts(stateful).join('; ')}.`,
    );
  if (p.statefulSkipped) sentences.push(`The stateful peer was not measured: ${p.statefulSkipped}.`);
  return sentences.join(' ');
}

/**
 * sipflow against the Streams peer row by row, the same work on both sides: the throughput ratio
 * and CPU per event of each. Nothing when no Streams row finished.
 */
function streamsTable(r: BenchResults): string[] {
  const p = r.streamsPeer;
  if (!p || 'skipped' in p) return [];
  const rows = p.rows.filter((row): row is StreamsPeerRow => !('failed' in row));
  if (rows.length === 0) return [];
  return [
    '| sipflow / Kafka Streams, the same work | events/s, sipflow / Streams | throughput ratio | CPU s per 1M events, sipflow / Streams | CPU per event ratio |',
    '|---|---|---|---|---|',
    ...rows.map((row) => {
      const s = sameWork(r, row).summary;
      const work = isStateful(row) ? 'stateful, default rules' : 'stateless';
      const mode = row.guarantee === 'at_least_once' ? 'at-least-once' : 'exactly-once';
      return (
        `| ${work}, ${mode}, ${row.threads} stream thread${row.threads === 1 ? '' : 's'} | ` +
        `${fmt(s.inputEventsPerSec)} / ${fmt(row.inputEventsPerSec)} | **${pct(s.inputEventsPerSec / row.inputEventsPerSec)}** | ` +
        `${s.cpuSecondsPer1M.toFixed(1)} / ${row.cpuSecondsPer1M.toFixed(1)} | ${pct(s.cpuSecondsPer1M / row.cpuSecondsPer1M)} |`
      );
    }),
    '',
  ];
}

/**
 * The default rules cap calls per number, so the sipflow rows pay for the state (a repartition
 * hop and changelog writes); runs from before the state have no `rules` setting.
 */
function stateNote(r: BenchResults): string[] {
  if (typeof r.settings.rules !== 'string' || !r.settings.rules.includes('stateful')) return [];
  return [
    '',
    'The sipflow rows run the default rules, which are stateful (the US profile caps calls per number in FL, OK, ' +
      'MD, OR and ME): each record is forwarded to a repartition topic keyed by number and classified from there, ' +
      'with changelog writes, and the rows are timed until that second stage is done. The passthrough and the stateless ' +
      `Kafka Streams rows do neither (the stateful Streams rows do both and are timed the same way), nor do the sipflow rows with ${PEER_RULES} (the defaults with ` +
      '`jurisdictionProfile: none`: the work the stateless peer does); [Per-number state](#per-number-state) measures what the state costs.',
  ];
}

export function markdownTable(r: BenchResults): string {
  const alo = r.sipflow.atLeastOnce;
  const eos = r.sipflow.exactlyOnce;
  const peer = 'skipped' in r.peer ? undefined : r.peer;
  return [
    `Measured ${r.date.slice(0, 10)} on ${r.machine.cores} cores (${r.machine.cpu}), broker on the same machine, ` +
      `${fmt(Number(r.settings.events))} events of ~${r.settings.recordBytes} B Avro, ${r.settings.partitions} partitions, acks=all; ` +
      `median of ${r.settings.runs} runs. Command: \`${r.command}\`.`,
    ...stateNote(r),
    '',
    '| what | events/s in | records/s out | CPU s per 1M events | peak RSS |',
    '|---|---|---|---|---|',
    `| Kafka ProducerPerformance (the broker's write limit) | ${fmt(r.kafkaTools.producerRecordsPerSec)} | | | |`,
    `| Kafka ConsumerPerformance, fetch.nMsg.sec (read limit) | ${fmt(r.kafkaTools.consumerRecordsPerSec)} | | | |`,
    `| kafkajs passthrough (consume → produce, no work) | ${fmt(r.passthrough.eventsPerSec)} | ${fmt(r.passthrough.eventsPerSec)} | ${r.passthrough.cpuSecondsPer1M.toFixed(1)} | ${fmt(r.passthrough.peakRssMB)} MB |`,
    ...(peer ? [passthroughRow(`${PEER_NAME} passthrough (same loop)`, peer.passthrough)] : []),
    `| sipflow at-least-once | ${fmt(alo.inputEventsPerSec)} | ${fmt(alo.outputRecordsPerSec)} | ${alo.cpuSecondsPer1M.toFixed(1)} | ${fmt(alo.peakRssMB)} MB |`,
    ...(peer ? [sipflowRow(`sipflow at-least-once, ${PEER_NAME}`, peer.sipflow.atLeastOnce)] : []),
    `| sipflow exactly-once | ${fmt(eos.inputEventsPerSec)} | ${fmt(eos.outputRecordsPerSec)} | ${eos.cpuSecondsPer1M.toFixed(1)} | ${fmt(eos.peakRssMB)} MB |`,
    ...(peer ? [sipflowRow(`sipflow exactly-once, ${PEER_NAME}`, peer.sipflow.exactlyOnce)] : []),
    ...(r.sipflowPeerRules
      ? [
          sipflowRow(`sipflow at-least-once, ${PEER_RULES}`, r.sipflowPeerRules.atLeastOnce),
          sipflowRow(`sipflow exactly-once, ${PEER_RULES}`, r.sipflowPeerRules.exactlyOnce),
        ]
      : []),
    ...streamsRows(r.streamsPeer),
    '',
    `Ratios: sipflow at-least-once / passthrough **${pct(r.ratios.atLeastOnceVsPassthrough)}**, exactly-once / passthrough ` +
      `${pct(r.ratios.exactlyOnceVsPassthrough)}; at-least-once / Kafka consumer tool ${pct(r.ratios.atLeastOnceVsKafkaConsumer)}, ` +
      `/ Kafka producer tool ${pct(r.ratios.atLeastOnceVsKafkaProducer)}. sipflow writes ${alo.outputsPerInput.toFixed(2)} records per input event.` +
      (alo.broker
        ? ` The broker JVM used ${alo.broker.cpuSecondsPer1M.toFixed(1)} CPU s per 1M events (peak RSS ${fmt(alo.broker.peakRssMB)} MB).`
        : ''),
    '',
    peerSentence(r.peer),
    ...scalingTable(r.scaling),
    '',
    ...(r.streamsPeer ? [streamsSentence(r), ''] : []),
    ...streamsTable(r),
    '| offered load (share of at-least-once max) | events/s | p50 | p99 | p99.9 |',
    '|---|---|---|---|---|',
    ...r.latency.map(
      (l) =>
        `| ${pct(l.loadShare)} | ${fmt(l.offeredPerSec)} | ${ms(l.p50Ms)} | ${ms(l.p99Ms)} | ${ms(l.p999Ms)} |`,
    ),
  ].join('\n');
}

const MARKERS = { start: '<!-- bench:start -->', end: '<!-- bench:end -->' };

/** Replaces the bench section of the performance doc with the new table. */
export const updateDoc = (path: string, table: string): Promise<void> =>
  replaceDocSection(path, MARKERS, table);
