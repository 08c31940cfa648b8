// `npm run bench`: the end-to-end benchmark. One run, everything side by side on one broker:
// Kafka's own perf tools (the limit), a kafkajs passthrough (the client's ceiling), and sipflow
// in both delivery modes, then latency at fixed fractions of sipflow's measured maximum. When the
// peer client is installed (`npm run peer:install`), the passthrough and sipflow run on it too
// (KAFKA_CLIENT=confluent), each right after its kafkajs counterpart.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { KafkaClientName } from '@sipflow/config';
import { codeOf, SipflowError } from '@sipflow/errors';
import {
  CONFLUENT_PACKAGE,
  confluentAvailability,
  ensureTopics,
  provisionTopicsAndSchemas,
} from '@sipflow/kafka';
import { kafkaToolsClasspath, localKafkaPid, repoRoot } from '@sipflow/stack';
import { drain, type DrainResult } from './drain';
import { consumerPerformance, producerPerformance } from './kafka-tools';
import { latencyWindow, measureLatency } from './latency';
import { writePeerAreaCodes } from './peer-area-codes';
import { writePeerCaps } from './peer-caps';
import { writePeerRules } from './peer-rules';
import { prefill } from './prefill';
import {
  buildStreamsPeer,
  kafkaStreamsVersion,
  parseProducerBatchBytes,
  streamsPeerEnv,
  streamsPeerStateTopics,
  TUNED_PRODUCER_BATCH_BYTES,
  type StreamsGuarantee,
} from './streams-peer';
import { auditRun } from '../soak/audit';
import { PERFORMANCE_DOC } from '../doc-section';
import { machine, packageVersion } from '../soak/provenance';
import {
  markdownTable,
  updateDoc,
  type BenchResults,
  type PassthroughSummary,
  type PeerResults,
  type ScalingRow,
  type SipflowSummary,
  type FailedStreamsPeerRow,
  type StreamsPeerMode,
  type StreamsPeerResults,
  type StreamsPeerRow,
} from './report';
import {
  outputTopics,
  prefixedTopics,
  stateTopicsOf,
  topicsFromEnv,
  topicsToEnv,
  type Topics,
} from '@sipflow/pipeline';
import { defaultRules } from '@sipflow/rules';
import { benchCluster, benchLog } from '../bench-cluster';
import { SIPFLOW_PROCESS, sipflowDrainEnv } from '../sipflow-process';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '2000000' },
    runs: { type: 'string', default: '3' },
    partitions: { type: 'string', default: '3' },
    'latency-seconds': { type: 'string', default: '30' },
    // PROCESSOR_WORKERS of the sipflow runs: a list (1,2) measures both modes at each, for the
    // scaling table; the first is the one of the main rows and the latency runs
    workers: { type: 'string', default: '1' },
    // leave docs/performance.md as it is; --no-readme is the old name, from when the table was in the README
    'no-docs': { type: 'boolean', default: false },
    'no-readme': { type: 'boolean', default: false },
    // leave out the Kafka Streams peer (built with Maven, run with java)
    'no-streams-peer': { type: 'boolean', default: false },
    // leave out its stateful rows (the default rules' caps: repartition + RocksDB store), which
    // double the peer's share of the run
    'no-streams-peer-stateful': { type: 'boolean', default: false },
    // the peer's producer batch.size in bytes; `default` is the producer's own 16 KiB (the untuned
    // peer of runs before the tuning)
    'streams-peer-batch-bytes': { type: 'string', default: String(TUNED_PRODUCER_BATCH_BYTES) },
  },
});
const events = Number(args.events);
const runs = Number(args.runs);
const partitions = Number(args.partitions);
const workerCounts = args.workers.split(',').map(Number);
if (workerCounts.some((n) => !Number.isInteger(n) || n < 1))
  throw new SipflowError('SIPFLOW_BENCH_FAILED', `--workers ${args.workers}: expected counts like 1,2`, {
    workers: args.workers,
  });
const latencySeconds = Number(args['latency-seconds']);
const streamsPeerBatchBytes = parseProducerBatchBytes(args['streams-peer-batch-bytes']);
/** Each latency run offers load this long before it counts, on top of --latency-seconds. */
const LATENCY_WARM_UP_SECONDS = 5;
// a bad --latency-seconds fails now, not after the throughput runs
latencyWindow(0, { seconds: latencySeconds, warmUpSeconds: LATENCY_WARM_UP_SECONDS });
const log = benchLog;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const { endpoints, env, conn, kafka, registry, admin } = await benchCluster('sipflow-bench');
const brokerPid = endpoints.external ? undefined : localKafkaPid();
const id = `bench-${Date.now().toString(36)}`;
const created: string[] = [];
const topicsFor = (name: string, input: string): Topics => ({
  ...prefixedTopics(topicsFromEnv({}), `${id}.${name}`),
  input,
});
const spec = (topic: string) => ({ topic, partitions, replicationFactor: 1 });
// The shipped rules cap calls per number (US-FL, OK, MD, OR, ME), so sipflow runs with its
// per-number state: each input record is forwarded to a repartition topic and classified there.
const stateful = defaultRules().stateWindowMs > 0;
/** The state topics the processor creates for a group: deleted with the bench's own. */
const stateTopicsFor = (input: string, group: string) =>
  stateful ? Object.values(stateTopicsOf(input, group)) : [];
const peer = confluentAvailability();
log(
  peer.installed
    ? `peer client: ${CONFLUENT_PACKAGE} ${peer.version} (librdkafka ${peer.librdkafka}), measured with KAFKA_CLIENT=confluent`
    : `peer client not measured: ${peer.reason}`,
);
/** A peer run that fails is recorded as such; the kafkajs figures of the same run still count. */
async function orFailure<T>(what: string, run: () => Promise<T>): Promise<T | { failed: string }> {
  try {
    return await run();
  } catch (err) {
    const failed = (err as Error).message;
    log(`  ${what} failed: ${codeOf(err)}: ${failed}`);
    return { failed };
  }
}

try {
  const input = `${id}.raw`;
  await ensureTopics(admin, [spec(input)]);
  created.push(input);
  log(`prefilling ${input} with ${events} events`);
  const recordBytes = Math.round(await prefill({ kafka, registry, topic: input, count: events, seed: 42 }));
  log(`prefilled; mean record ${recordBytes} B`);

  const ktTopic = `${id}.kafka-tools`;
  await ensureTopics(admin, [spec(ktTopic)]);
  created.push(ktTopic);
  log('Kafka ProducerPerformance');
  const producerTool = await producerPerformance({
    brokers: env.KAFKA_BROKERS,
    topic: ktTopic,
    records: events,
    recordSize: recordBytes,
  });
  log(`  ${Math.round(producerTool.recordsPerSec)} records/s`);
  log('Kafka ConsumerPerformance');
  const consumerTool = await consumerPerformance({
    brokers: env.KAFKA_BROKERS,
    topic: ktTopic,
    records: events,
  });
  log(`  ${Math.round(consumerTool.recordsPerSec)} records/s (fetch.nMsg.sec)`);

  const timeoutMs = Math.max(180_000, events / 2);
  const passthroughRuns = async (client: KafkaClientName) => {
    const results: DrainResult[] = [];
    for (let i = 0; i < runs; i++) {
      const name = `${client === 'kafkajs' ? '' : `${client}-`}pt${i}`;
      const out = `${id}.${name}`;
      await ensureTopics(admin, [spec(out)]);
      created.push(out);
      log(`${client} passthrough run ${i + 1}/${runs}`);
      const r = await drain({
        admin,
        command: ['--import', 'tsx', join(repoRoot, 'bench/e2e/passthrough-main.ts')],
        env: {
          ...env,
          INPUT_TOPIC: input,
          OUTPUT_TOPIC: out,
          CONSUMER_GROUP: `${id}.${name}`,
          KAFKA_CLIENT: client,
        },
        groupId: `${id}.${name}`,
        inputTopic: input,
        outputTopics: [out],
        count: events,
        brokerPid,
        timeoutMs,
      });
      log(`  ${Math.round(r.inputEventsPerSec)} events/s`);
      results.push(r);
    }
    return results;
  };
  const passthrough = await passthroughRuns('kafkajs');
  const peerPassthrough = peer.installed
    ? await orFailure('passthrough on confluent', () => passthroughRuns('confluent'))
    : undefined;

  // the Streams peer's work (no jurisdiction profile, no state), for the like-for-like rows
  const peerRulesFile = writePeerRules();
  /** One drain of sipflow: run `i` of a row. */
  const sipflowRun = async (
    guarantee: 'at_least_once' | 'exactly_once',
    client: KafkaClientName,
    opts: { workers?: number; rulesFile?: string },
    i: number,
  ): Promise<DrainResult> => {
    const workers = opts.workers ?? workerCounts[0]!;
    // the default rules are stateful; the peer's rules are not
    const withState = stateful && opts.rulesFile === undefined;
    const name = `${client === 'kafkajs' ? '' : `${client}-`}${guarantee === 'at_least_once' ? 'alo' : 'eos'}${workers === 1 ? '' : `-w${workers}-`}${opts.rulesFile === undefined ? '' : '-peer-rules-'}${i}`;
    const topics = topicsFor(name, input);
    await provisionTopicsAndSchemas(conn, topics, { partitions, replicationFactor: 1 });
    created.push(...outputTopics(topics), ...(withState ? stateTopicsFor(input, `${id}.${name}`) : []));
    log(
      `sipflow ${guarantee} on ${client}, ${workers} worker(s), ${opts.rulesFile === undefined ? 'default rules' : "the Streams peer's rules"}, run ${i + 1}/${runs}`,
    );
    const r = await drain({
      admin,
      command: SIPFLOW_PROCESS,
      env: {
        ...sipflowDrainEnv({
          cluster: env,
          topics,
          group: `${id}.${name}`,
          guarantee,
          workers,
          ...(opts.rulesFile === undefined ? {} : { rulesFile: opts.rulesFile }),
        }),
        KAFKA_CLIENT: client,
      },
      groupId: `${id}.${name}`,
      inputTopic: input,
      outputTopics: outputTopics(topics),
      count: events,
      brokerPid,
      timeoutMs,
      // timed to the end of the classification, the second stage, not of the forwarding
      ...(withState
        ? {
            completion: {
              topic: stateTopicsOf(input, `${id}.${name}`).repartition,
              transactional: guarantee === 'exactly_once',
            },
          }
        : {}),
    });
    log(
      `  ${Math.round(r.inputEventsPerSec)} events/s in, ${Math.round(r.outputRecordsPerSec)} records/s out`,
    );
    return r;
  };
  /** A row's runs back to back (the scaling rows, which nothing is compared with run by run). */
  const sipflowRuns = async (
    guarantee: 'at_least_once' | 'exactly_once',
    client: KafkaClientName,
    opts: { workers?: number; rulesFile?: string } = {},
  ) => {
    const results: DrainResult[] = [];
    for (let i = 0; i < runs; i++) results.push(await sipflowRun(guarantee, client, opts, i));
    return results;
  };

  const summarise = (rs: DrainResult[]): SipflowSummary => {
    const mid = rs.find((r) => r.inputEventsPerSec === median(rs.map((x) => x.inputEventsPerSec)))!;
    return {
      inputEventsPerSec: mid.inputEventsPerSec,
      outputRecordsPerSec: mid.outputRecordsPerSec,
      runs: rs.map((r) => Math.round(r.inputEventsPerSec)),
      outputsPerInput: mid.outputsPerInput,
      cpuSecondsPer1M: mid.cpuSecondsPer1M,
      peakRssMB: Math.max(...rs.map((r) => r.peakRssMB)),
      broker: mid.broker,
    };
  };
  // The Kafka Streams peer: the same job, timed by its committed offsets like the rows above, then
  // `sipflow audit` on its topics (of its last run) must account for every input as sipflow would.
  // Stateless with the peer's rules; stateful with the default rules (the file sipflow's default
  // rows run) and their caps, timed like those rows until the repartition topic's copies are
  // classified, its audit checking every retry against the caps.
  const defaultRulesFile = join(repoRoot, 'libs/rules/rules/default-rules.yaml');
  type PeerMode = { mode: 'stateless' } | { mode: 'stateful'; capsFile: string };
  /** One drain of the Streams peer: run `i` of a row; the last run is audited. */
  const streamsRun = async (
    java: string[],
    guarantee: StreamsGuarantee,
    threads: number,
    areaCodesFile: string,
    peerMode: PeerMode,
    i: number,
  ): Promise<{ result: DrainResult; audit?: StreamsPeerRow['audit'] }> => {
    const { mode } = peerMode;
    const rulesFile = mode === 'stateful' ? defaultRulesFile : peerRulesFile;
    const name = `streams-${mode === 'stateful' ? 'st-' : ''}${guarantee === 'at_least_once' ? 'alo' : 'eos'}-t${threads}-${i}`;
    const group = `${id}.${name}`;
    const topics = topicsFor(name, input);
    const state = streamsPeerStateTopics(group);
    await provisionTopicsAndSchemas(conn, topics, { partitions, replicationFactor: 1 });
    created.push(
      ...outputTopics(topics),
      ...(mode === 'stateful' ? [state.repartition, state.changelog] : []),
    );
    log(`Kafka Streams ${guarantee}, ${mode}, ${threads} stream thread(s), run ${i + 1}/${runs}`);
    const result = await drain({
      admin,
      executable: 'java',
      command: java,
      env: {
        ...env,
        ...topicsToEnv(topics),
        ...streamsPeerEnv({
          group,
          guarantee,
          threads,
          rulesFile,
          areaCodesFile,
          producerBatchBytes: streamsPeerBatchBytes,
          ...(peerMode.mode === 'stateful' ? { stateful: { capsFile: peerMode.capsFile } } : {}),
        }),
      },
      groupId: group,
      inputTopic: input,
      outputTopics: outputTopics(topics),
      count: events,
      brokerPid,
      timeoutMs,
      // as sipflow's stateful rows: timed to the end of the classification, the second stage
      ...(mode === 'stateful'
        ? { completion: { topic: state.repartition, transactional: guarantee === 'exactly_once_v2' } }
        : {}),
    });
    log(
      `  ${Math.round(result.inputEventsPerSec)} events/s in, ${Math.round(result.outputRecordsPerSec)} records/s out`,
    );
    if (i < runs - 1) return { result };
    const a = await auditRun({
      env: { ...env, ...topicsToEnv(topics) },
      rulesFile,
      exactlyOnce: guarantee === 'exactly_once_v2',
      timeoutSeconds: 300,
    });
    log(
      `  audit: exit ${a.exitCode}, ${a.inputs} inputs, lost ${a.lost}, duplicated ${a.duplicated}, wrong routing ${a.wrongRouting}` +
        (mode === 'stateful' ? `, cap violations ${a.capViolations ?? 0}` : ''),
    );
    return {
      result,
      audit: {
        exitCode: a.exitCode,
        inputs: a.inputs,
        lost: a.lost,
        duplicated: a.duplicated,
        wrongRouting: a.wrongRouting,
        ...(mode === 'stateful'
          ? { capViolations: a.capViolations ?? 0, cappedRetries: a.cappedRetries ?? 0 }
          : {}),
      },
    };
  };

  // The Streams peer is built, and its stateful caps written, before any row runs.
  type PeerSetup = { java: string[]; areaCodesFile: string; modes: PeerMode[]; statefulSkipped?: string };
  const peerSetup = ((): PeerSetup | { skipped: string } => {
    if (args['no-streams-peer']) return { skipped: '--no-streams-peer' };
    const areaCodesFile = writePeerAreaCodes();
    let java: string[];
    try {
      log('building the Kafka Streams peer (bench/streams-peer)');
      java = buildStreamsPeer(log);
    } catch (err) {
      log(`  ${codeOf(err)}: ${(err as Error).message}`);
      return { skipped: `its build failed: ${(err as Error).message.split('\n')[0]}` };
    }
    // the default rules' caps for the stateful rows; rules that keep no state leave nothing to compare
    let statefulSkipped: string | undefined;
    let capsFile: string | undefined;
    if (args['no-streams-peer-stateful']) statefulSkipped = '--no-streams-peer-stateful';
    else if (!stateful) statefulSkipped = 'the default rules keep no per-number state';
    else capsFile = writePeerCaps(defaultRulesFile);
    log(
      `Kafka Streams peer: producer batch.size ${streamsPeerBatchBytes === 'default' ? "the producer's default" : `${streamsPeerBatchBytes} B`}` +
        (capsFile ? ', stateless and stateful' : `, stateless only (${statefulSkipped})`),
    );
    return {
      java,
      areaCodesFile,
      modes: [{ mode: 'stateless' }, ...(capsFile ? [{ mode: 'stateful' as const, capsFile }] : [])],
      ...(statefulSkipped ? { statefulSkipped } : {}),
    };
  })();

  // Rounds: each run of every compared row, sipflow's and the peer's, before the next run of any.
  // Back to back (every sipflow run, then every peer run) the rows were minutes apart, and on a
  // shared 2-core machine its speed drifts by more than the gap being measured (2026-12-07: the
  // same code and peer gave stateless at-least-once 1.26x in one run and 0.75x in the next).
  type SipflowRowSpec = {
    guarantee: 'at_least_once' | 'exactly_once';
    client: KafkaClientName;
    opts: { rulesFile?: string };
    results: DrainResult[];
    failed?: string;
  };
  const sipflowRow = (
    guarantee: SipflowRowSpec['guarantee'],
    client: KafkaClientName,
    opts: SipflowRowSpec['opts'] = {},
  ): SipflowRowSpec => ({ guarantee, client, opts, results: [] });
  const aloRow = sipflowRow('at_least_once', 'kafkajs');
  const eosRow = sipflowRow('exactly_once', 'kafkajs');
  const peerAloRow = peer.installed ? sipflowRow('at_least_once', 'confluent') : undefined;
  const peerEosRow = peer.installed ? sipflowRow('exactly_once', 'confluent') : undefined;
  const aloPeerRulesRow = sipflowRow('at_least_once', 'kafkajs', { rulesFile: peerRulesFile });
  const eosPeerRulesRow = sipflowRow('exactly_once', 'kafkajs', { rulesFile: peerRulesFile });
  const sipflowRows = [aloRow, peerAloRow, eosRow, peerEosRow, aloPeerRulesRow, eosPeerRulesRow].filter(
    (row): row is SipflowRowSpec => row !== undefined,
  );
  type StreamsRowSpec = {
    guarantee: StreamsGuarantee;
    threads: number;
    peerMode: PeerMode;
    results: DrainResult[];
    audit?: StreamsPeerRow['audit'];
    failed?: string;
  };
  const streamsRows: StreamsRowSpec[] =
    'skipped' in peerSetup
      ? []
      : peerSetup.modes.flatMap((peerMode) =>
          (['at_least_once', 'exactly_once_v2'] as const).flatMap((guarantee) =>
            [1, 2].map((threads) => ({ guarantee, threads, peerMode, results: [] })),
          ),
        );
  for (let i = 0; i < runs; i++) {
    log(`round ${i + 1}/${runs}: one run of each compared row`);
    for (const row of sipflowRows) {
      if (row.failed !== undefined) continue;
      // a kafkajs row that fails fails the bench; a peer-client row is recorded as failed
      if (row.client === 'kafkajs')
        row.results.push(await sipflowRun(row.guarantee, row.client, row.opts, i));
      else {
        const r = await orFailure(`sipflow ${row.guarantee} on ${row.client}`, () =>
          sipflowRun(row.guarantee, row.client, row.opts, i),
        );
        if ('failed' in r) row.failed = r.failed;
        else row.results.push(r);
      }
    }
    if ('skipped' in peerSetup) continue;
    for (const row of streamsRows) {
      if (row.failed !== undefined) continue;
      const r = await orFailure(`Kafka Streams ${row.guarantee} ${row.peerMode.mode} ×${row.threads}`, () =>
        streamsRun(peerSetup.java, row.guarantee, row.threads, peerSetup.areaCodesFile, row.peerMode, i),
      );
      if ('failed' in r) row.failed = r.failed;
      else {
        row.results.push(r.result);
        if (r.audit) row.audit = r.audit;
      }
    }
  }
  const rowResults = (row: SipflowRowSpec | undefined): DrainResult[] | { failed: string } | undefined =>
    row === undefined ? undefined : row.failed !== undefined ? { failed: row.failed } : row.results;
  const alo = aloRow.results;
  const eos = eosRow.results;
  const peerAlo = rowResults(peerAloRow);
  const peerEos = rowResults(peerEosRow);
  const aloPeerRules = aloPeerRulesRow.results;
  const eosPeerRules = eosPeerRulesRow.results;
  const streamsPeer: StreamsPeerResults =
    'skipped' in peerSetup
      ? { skipped: peerSetup.skipped }
      : {
          kafkaStreams: kafkaStreamsVersion(),
          producerBatchBytes: streamsPeerBatchBytes,
          ...(peerSetup.statefulSkipped ? { statefulSkipped: peerSetup.statefulSkipped } : {}),
          rows: streamsRows.map((row): StreamsPeerRow | FailedStreamsPeerRow => {
            const mode: StreamsPeerMode = row.peerMode.mode;
            const { guarantee, threads } = row;
            return row.failed !== undefined
              ? { guarantee, threads, mode, failed: row.failed }
              : { guarantee, threads, mode, ...summarise(row.results), audit: row.audit! };
          }),
        };

  const aloSummary = summarise(alo);
  const eosSummary = summarise(eos);
  const scaling: ScalingRow[] = [
    { workers: workerCounts[0]!, atLeastOnce: aloSummary, exactlyOnce: eosSummary },
  ];
  for (const workers of workerCounts.slice(1)) {
    const atLeastOnce = summarise(await sipflowRuns('at_least_once', 'kafkajs', { workers }));
    const exactlyOnce = summarise(await sipflowRuns('exactly_once', 'kafkajs', { workers }));
    scaling.push({ workers, atLeastOnce, exactlyOnce });
  }
  const summarisePassthrough = (rs: DrainResult[]): PassthroughSummary => {
    const rate = median(rs.map((r) => r.inputEventsPerSec));
    const mid = rs.find((r) => r.inputEventsPerSec === rate)!;
    return {
      eventsPerSec: rate,
      runs: rs.map((r) => Math.round(r.inputEventsPerSec)),
      cpuSecondsPer1M: mid.cpuSecondsPer1M,
      peakRssMB: Math.max(...rs.map((r) => r.peakRssMB)),
    };
  };
  const passthroughSummary = summarisePassthrough(passthrough);
  const peerSipflow = (rs: DrainResult[] | { failed: string } | undefined) =>
    rs === undefined ? { failed: 'not run' } : 'failed' in rs ? rs : summarise(rs);
  const vs = (s: SipflowSummary | { failed: string }, kafkajs: SipflowSummary) =>
    'failed' in s ? null : s.inputEventsPerSec / kafkajs.inputEventsPerSec;
  const peerResults = ((): PeerResults => {
    if (!peer.installed) return { skipped: peer.reason };
    if (!peerPassthrough || 'failed' in peerPassthrough)
      return { skipped: `the passthrough on it failed: ${peerPassthrough?.failed ?? 'not run'}` };
    const pt = summarisePassthrough(peerPassthrough);
    const sipflow = { atLeastOnce: peerSipflow(peerAlo), exactlyOnce: peerSipflow(peerEos) };
    return {
      client: CONFLUENT_PACKAGE,
      version: peer.version,
      librdkafka: peer.librdkafka,
      passthrough: pt,
      sipflow,
      ratios: {
        passthroughVsKafkajs: pt.eventsPerSec / passthroughSummary.eventsPerSec,
        atLeastOnceVsKafkajs: vs(sipflow.atLeastOnce, aloSummary),
        exactlyOnceVsKafkajs: vs(sipflow.exactlyOnce, eosSummary),
      },
    };
  })();

  const latency = [];
  for (const share of [0.5, 0.8]) {
    const name = `lat${share * 100}`;
    const topics = topicsFor(name, `${id}.${name}.raw`);
    await provisionTopicsAndSchemas(conn, topics, { partitions, replicationFactor: 1 });
    created.push(...Object.values(topics), ...stateTopicsFor(topics.input, `${id}.${name}`));
    const rate = Math.round(aloSummary.inputEventsPerSec * share);
    log(
      `latency at ${share * 100} % of max: ${rate} events/s, ${LATENCY_WARM_UP_SECONDS} s warm-up then ${latencySeconds} s counted`,
    );
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, SIPFLOW_PROCESS, {
      env: {
        ...process.env,
        ...env,
        ...topicsToEnv(topics),
        CONSUMER_GROUP: `${id}.${name}`,
        PROCESSOR_WORKERS: String(workerCounts[0]),
        METRICS_PORT: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    try {
      await new Promise((r) => setTimeout(r, 5000)); // the processor joins its group
      const l = await measureLatency({
        kafka,
        registry,
        inputTopic: topics.input,
        enrichedTopic: topics.enriched,
        rate,
        seconds: latencySeconds,
        warmUpSeconds: LATENCY_WARM_UP_SECONDS,
        seed: 7 + share * 10,
      });
      log(
        `  p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, p99.9 ${l.p999Ms} ms (${l.samples} samples, delivered ${Math.round(l.deliveredPerSec)}/s)`,
      );
      latency.push({
        loadShare: share,
        offeredPerSec: l.offeredPerSec,
        p50Ms: l.p50Ms,
        p99Ms: l.p99Ms,
        p999Ms: l.p999Ms,
        samples: l.samples,
      });
    } finally {
      child.kill('SIGTERM');
    }
  }

  const passthroughRate = passthroughSummary.eventsPerSec;
  const results: BenchResults = {
    command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
      ' ',
    ),
    date: new Date().toISOString(),
    machine: machine(),
    versions: {
      node: process.version,
      kafkajs: packageVersion('kafkajs'),
      kafka: (await kafkaToolsClasspath(() => undefined)).version,
      ...(peer.installed ? { [CONFLUENT_PACKAGE]: peer.version, librdkafka: peer.librdkafka } : {}),
    },
    settings: {
      events,
      runs,
      partitions,
      workers: workerCounts.join(','),
      recordBytes,
      rules: stateful
        ? 'default (stateful: per-number caps, STATE_PARTITIONING=repartition)'
        : 'default (stateless)',
      acks: 'all',
      batch: 'one produce per fetched batch (<= 4000 msgs / 768 KiB per send)',
    },
    kafkaTools: {
      producerRecordsPerSec: producerTool.recordsPerSec,
      producerMBPerSec: producerTool.mbPerSec,
      consumerRecordsPerSec: consumerTool.recordsPerSec,
      consumerMBPerSec: consumerTool.mbPerSec,
    },
    passthrough: passthroughSummary,
    sipflow: { atLeastOnce: aloSummary, exactlyOnce: eosSummary },
    sipflowPeerRules: { atLeastOnce: summarise(aloPeerRules), exactlyOnce: summarise(eosPeerRules) },
    scaling,
    peer: peerResults,
    streamsPeer,
    latency,
    ratios: {
      atLeastOnceVsPassthrough: aloSummary.inputEventsPerSec / passthroughRate,
      exactlyOnceVsPassthrough: eosSummary.inputEventsPerSec / passthroughRate,
      atLeastOnceVsKafkaConsumer: aloSummary.inputEventsPerSec / consumerTool.recordsPerSec,
      atLeastOnceVsKafkaProducer: aloSummary.inputEventsPerSec / producerTool.recordsPerSec,
    },
  };
  const dir = join(repoRoot, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `e2e-${results.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  const table = markdownTable(results);
  process.stdout.write(`${table}\n\nresults: ${file}\n`);
  if (!args['no-docs'] && !args['no-readme']) await updateDoc(join(repoRoot, PERFORMANCE_DOC), table);
} finally {
  if (created.length > 0) await admin.deleteTopics({ topics: created }).catch(() => undefined);
  await admin.disconnect();
  // kept for the next run (a cold start costs a minute); said, so it is not left running unknowingly
  if (!endpoints.external) log('the local stack stays up: `npx sipflow stack down` stops it');
}
