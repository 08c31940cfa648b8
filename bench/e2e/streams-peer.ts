// The Kafka Streams peer (bench/streams-peer): sipflow's job as a Kafka Streams app, built with
// Maven when the bench runs (offline first, so a warm Maven cache needs no network) and started
// with `java` on sipflow's topics, configured from the same environment variables.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SipflowError } from '@sipflow/errors';
import { repoRoot } from '@sipflow/stack';

export const STREAMS_PEER_DIR = join(repoRoot, 'bench/streams-peer');

export type StreamsGuarantee = 'at_least_once' | 'exactly_once_v2';

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
  /** the rules file it classifies with (bench/e2e/peer-rules.ts) */
  rulesFile: string;
  /** sipflow's area-code table as JSON (bench/e2e/peer-area-codes.ts) */
  areaCodesFile: string;
}): Record<string, string> {
  return {
    CONSUMER_GROUP: opts.group,
    PROCESSING_GUARANTEE: opts.guarantee,
    STREAM_THREADS: String(opts.threads),
    RULES_FILE: opts.rulesFile,
    NANP_AREA_CODES_FILE: opts.areaCodesFile,
    SCHEMAS_DIR: join(repoRoot, 'schemas'),
  };
}

/** The kafka-streams version the peer's pom builds with. */
export function kafkaStreamsVersion(): string {
  const pom = readFileSync(join(STREAMS_PEER_DIR, 'pom.xml'), 'utf8');
  return /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1] ?? 'unknown';
}
