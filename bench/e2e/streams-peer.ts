// The Kafka Streams peer (bench/streams-peer): sipflow's job as a Kafka Streams app, built with
// Maven when the bench runs (offline first, so a warm Maven cache needs no network) and started
// with `java` on sipflow's topics, configured from the same environment variables. Stateless (the
// peer's rules: no profile, no state) or stateful (the default rules' caps: a repartition by
// number and a RocksDB store), its producer tuned (batch.size 256 KiB) unless asked not to be.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SipflowError } from '@sipflow/errors';
import { repoRoot } from '@sipflow/stack';

export const STREAMS_PEER_DIR = join(repoRoot, 'bench/streams-peer');

export type StreamsGuarantee = 'at_least_once' | 'exactly_once_v2';

/**
 * The producer's `batch.size` a throughput-minded Streams user sets first: 256 KiB, against the
 * producer's 16 KiB default, which made the co-located broker the peer's bottleneck. linger.ms is
 * left at Kafka Streams' own 100 ms (bench/streams-peer Main.java says why and where documented).
 */
export const TUNED_PRODUCER_BATCH_BYTES = 256 * 1024;

/** PEER_PRODUCER_BATCH_BYTES: a size in bytes, or `default` for the producer's own (the untuned peer). */
export type ProducerBatchBytes = number | 'default';

/** `--streams-peer-batch-bytes`: a positive whole number of bytes, or `default`. */
export function parseProducerBatchBytes(text: string): ProducerBatchBytes {
  if (text === 'default') return 'default';
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new SipflowError(
      'SIPFLOW_BENCH_FAILED',
      `--streams-peer-batch-bytes ${text}: expected a number of bytes, or default (the producer's 16 KiB)`,
      { value: text },
    );
  return n;
}

/**
 * The stateful peer's internal topics, as Kafka Streams names them from its application.id
 * (CONSUMER_GROUP): the repartition by number (Main.java REPARTITION) and the store's changelog
 * (Main.java STORE). Kafka Streams creates both; the bench times the run until the repartition
 * topic's copies are classified and deletes both afterwards.
 */
export function streamsPeerStateTopics(group: string): { repartition: string; changelog: string } {
  return {
    repartition: `${group}-by-number-repartition`,
    changelog: `${group}-number-history-changelog`,
  };
}

/** Builds the peer; returns the `java` arguments that run it. */
export function buildStreamsPeer(log: (line: string) => void): string[] {
  const mvn = (...args: string[]) =>
    spawnSync('mvn', ['-q', '-B', ...args, 'package'], { cwd: STREAMS_PEER_DIR, encoding: 'utf8' });
  let r = mvn('-o');
  if (r.status !== 0) {
    log('  streams peer: offline build failed (a cold Maven cache?); building with Maven Central');
    r = mvn();
  }
  if (r.status !== 0)
    throw new SipflowError(
      'SIPFLOW_BENCH_FAILED',
      `mvn package in ${STREAMS_PEER_DIR} failed:\n${r.stdout}${r.stderr}`,
      {
        exitCode: r.status,
      },
    );
  const target = join(STREAMS_PEER_DIR, 'target');
  const jar = readdirSync(target).find((f) => /^streams-peer-.*\.jar$/.test(f));
  if (!jar) throw new SipflowError('SIPFLOW_BENCH_FAILED', `no streams-peer jar in ${target}`, { target });
  return ['-cp', `${join(target, jar)}:${join(target, 'lib', '*')}`, 'sipflow.peer.Main'];
}

/** The peer's own variables, beside the broker, registry and topic variables sipflow reads. */
export function streamsPeerEnv(opts: {
  group: string;
  guarantee: StreamsGuarantee;
  threads: number;
  /** the rules file it classifies with (bench/e2e/peer-rules.ts; the default rules when stateful) */
  rulesFile: string;
  /** sipflow's area-code table as JSON (bench/e2e/peer-area-codes.ts) */
  areaCodesFile: string;
  /** the producer's batch.size; TUNED_PRODUCER_BATCH_BYTES unless given */
  producerBatchBytes?: ProducerBatchBytes;
  /** the stateful mode: sipflow's compiled caps of `rulesFile` (bench/e2e/peer-caps.ts) */
  stateful?: { capsFile: string };
}): Record<string, string> {
  return {
    CONSUMER_GROUP: opts.group,
    PROCESSING_GUARANTEE: opts.guarantee,
    STREAM_THREADS: String(opts.threads),
    RULES_FILE: opts.rulesFile,
    NANP_AREA_CODES_FILE: opts.areaCodesFile,
    SCHEMAS_DIR: join(repoRoot, 'schemas'),
    PEER_PRODUCER_BATCH_BYTES: String(opts.producerBatchBytes ?? TUNED_PRODUCER_BATCH_BYTES),
    PEER_STATEFUL: opts.stateful ? 'true' : 'false',
    ...(opts.stateful ? { PEER_CAPS_FILE: opts.stateful.capsFile } : {}),
  };
}

/** The kafka-streams version the peer's pom builds with. */
export function kafkaStreamsVersion(): string {
  const pom = readFileSync(join(STREAMS_PEER_DIR, 'pom.xml'), 'utf8');
  return /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1] ?? 'unknown';
}
