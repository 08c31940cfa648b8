import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { auditFailures, runAudit, type AuditRun } from '@sipflow/audit';
import { createKafka } from '@sipflow/kafka';
import type { Admin } from 'kafkajs';
import { defaultRules } from '@sipflow/rules';
import type { FaultCluster } from './cluster';
import { ledgerTopicsOf, stateTopicsOf, topicsToEnv, type Topics } from '@sipflow/pipeline';

export type ProcessorChild = ChildProcess & {
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** Every processor child started by a test file, so afterAll can kill what is left. */
const children = new Set<ProcessorChild>();

export function processorEnv(cluster: FaultCluster, topics: Topics, extra: Record<string, string> = {}) {
  return {
    ...cluster.env,
    ...topicsToEnv(topics),
    CONSUMER_GROUP: groupOf(topics),
    // one process unless a test asks for workers: kill and signal tests mean that one process
    PROCESSOR_WORKERS: '1',
    METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

export const groupOf = (topics: Topics) => `${topics.input}-group`;

/**
 * `sipflow process` as a child process, its output drained and kept (last 300 lines), and all of
 * it appended to `logFile` when given (for tests that grep a whole run's logs).
 */
export function spawnProcessor(
  cluster: FaultCluster,
  topics: Topics,
  extra: Record<string, string> = {},
  opts: { logFile?: string } = {},
): ProcessorChild {
  const child = spawn(process.execPath, ['services/cli/bin/sipflow.mjs', 'process'], {
    env: { ...process.env, ...processorEnv(cluster, topics, extra) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    if (opts.logFile) appendFileSync(opts.logFile, chunk);
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 300));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(processor);
      resolve({ code, signal });
    }),
  );
  const processor = Object.assign(child, { output: () => lines.join('\n'), exited });
  children.add(processor);
  return processor;
}

/** Kills (SIGKILL) every processor child still running: for afterAll. */
export async function killAllProcessors(): Promise<void> {
  const left = [...children];
  for (const child of left) child.kill('SIGKILL');
  await Promise.all(left.map((c) => Promise.race([c.exited, sleep(5000)])));
}

type Progress = {
  /** input offsets the group committed (with per-number state: forwarded to the repartition topic) */
  committed: number;
  /** input records fully processed: committed, less the repartition copies not classified yet */
  done: number;
  end: number;
  lag: number;
  partitions: Map<number, { committed: number; end: number }>;
};

/**
 * Committed offset and end offset of every input partition, for one group. Retried for a while:
 * a broker that just (re)started answers "coordinator loading" at first.
 */
export async function groupProgress(cluster: FaultCluster, topics: Topics, admin?: Admin): Promise<Progress> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readProgress(cluster, topics, admin);
    } catch (err) {
      if (attempt >= 20) throw err;
      await sleep(500);
    }
  }
}

/** `shared`: an admin the caller connected and keeps (frequent samples); otherwise one per call */
async function readProgress(cluster: FaultCluster, topics: Topics, shared?: Admin): Promise<Progress> {
  const admin = shared ?? createKafka(cluster.connection).admin();
  if (!shared) await admin.connect();
  try {
    const offsets = await admin.fetchOffsets({ groupId: groupOf(topics), topics: [topics.input] });
    const ends = await admin.fetchTopicOffsets(topics.input);
    const committedOf = new Map(offsets[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
    const partitions = new Map<number, { committed: number; end: number }>();
    let committed = 0;
    let end = 0;
    for (const p of ends) {
      const c = Math.max(committedOf.get(p.partition) ?? -1, Number(p.low));
      partitions.set(p.partition, { committed: c, end: Number(p.high) });
      committed += c;
      end += Number(p.high);
    }
    // with per-number state, a record is done once its repartition copy is classified too; and
    // once the ledger partials its batch wrote are counted
    const existing = await admin.listTopics();
    const left = async (topic: string) => {
      if (!existing.includes(topic)) return 0;
      const read = await admin.fetchOffsets({ groupId: groupOf(topics), topics: [topic] });
      const done = new Map(read[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
      let n = 0;
      for (const p of await admin.fetchTopicOffsets(topic))
        n += Number(p.high) - Math.max(done.get(p.partition) ?? -1, Number(p.low));
      return n;
    };
    const copiesLeft = await left(stateTopicsOf(topics.input, groupOf(topics)).repartition);
    const partialsLeft = await left(ledgerTopicsOf(topics.input, groupOf(topics)).repartition);
    return {
      committed,
      done: committed - copiesLeft,
      end,
      lag: end - committed + copiesLeft + partialsLeft,
      partitions,
    };
  } finally {
    if (!shared) await admin.disconnect().catch(() => undefined);
  }
}

/** Waits until the group has committed everything on the input topic (lag 0), or throws. */
export async function waitCaughtUp(
  cluster: FaultCluster,
  topics: Topics,
  timeoutMs: number,
  diagnostics: () => string = () => '',
): Promise<number> {
  const started = Date.now();
  let last = { lag: -1 };
  while (Date.now() - started < timeoutMs) {
    last = await groupProgress(cluster, topics).catch(() => ({ lag: -1 }));
    if (last.lag === 0) return Date.now() - started;
    await sleep(500);
  }
  throw new Error(`lag still ${last.lag} after ${timeoutMs} ms\n${diagnostics()}`);
}

export type FaultResult = {
  events: number;
  lost: number;
  duplicated: number;
  dlq: number;
  /** retries whose retryAt breaks a frequency cap, given the raw topic's calls */
  capViolations: number;
  /** retries a cap set the time of: above 0, the cap check above had something to check */
  cappedRetries: number;
  report: AuditRun;
};

/** The ledger's part of the audit line: periods compared with the raw topic, and how many differ. */
function ledgerLine(report: AuditRun): string {
  const ledger = report.ledger;
  if (ledger === undefined || !ledger.checked) return 'not written';
  return `${ledger.periods} periods, ${ledger.mismatches.length} differ`;
}

/**
 * The audit that ends every fault test; prints one line the README's Guarantees table quotes.
 */
export async function auditRun(
  name: string,
  cluster: FaultCluster,
  topics: Topics,
  opts: { exactlyOnce?: boolean } = {},
): Promise<FaultResult & { failures: string[] }> {
  const report = await runAudit({
    connection: cluster.connection,
    topics,
    rules: defaultRules(),
    timeoutMs: 120_000,
  });
  const failures = auditFailures(report, opts);
  const result = {
    events: report.inputs,
    lost: report.lost,
    duplicated: report.duplicated,
    dlq: report.deadLettered,
    capViolations: report.capViolations,
    cappedRetries: report.cappedRetries,
    report,
    failures,
  };
  process.stderr.write(
    `[faults] ${name}: events ${report.inputs}, lost ${report.lost}, duplicated ${report.duplicated}, ` +
      `dlq ${report.deadLettered}, wrongly routed ${report.wrongRouting}, out of order ${report.outOfOrder}, ` +
      `${report.capViolations} cap violations (${report.cappedRetries} retries held by a cap), ` +
      `abandonment ledger ${ledgerLine(report)}${failures.length ? `; FAILED: ${failures.join('; ')}` : ''}\n`,
  );
  return result;
}
