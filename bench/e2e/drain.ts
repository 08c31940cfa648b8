import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { SipflowError } from '@sipflow/errors';
import type { Admin } from 'kafkajs';
import { cpuSeconds, sampleRss, treeCpuSeconds, treePeakRssBytes } from './proc-stats';

export type DrainResult = {
  inputEventsPerSec: number;
  outputRecordsPerSec: number;
  outputsPerInput: number;
  /** of the process and its worker processes */
  cpuSecondsPer1M: number;
  /** the sum of each process's peak */
  peakRssMB: number;
  broker: { cpuSecondsPer1M: number; peakRssMB: number } | null;
  seconds: number;
};

/** Warm-up: the rate is measured from this share of the input onwards (join and JIT excluded). */
const WARM_UP_SHARE = 0.1;

async function committedTotal(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return offsets!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
}

/**
 * Work done on a stage's topic: its committed offsets, and whether they reached the topic's end.
 * A transactional writer leaves a commit marker after its last record, which the consumer never
 * commits past (kafkajs does not commit marker-only batches), so one offset per partition may stay.
 */
async function stageProgress(
  admin: Admin,
  groupId: string,
  stage: { topic: string; transactional: boolean },
): Promise<{ committed: number; atEnd: boolean }> {
  // the processor creates the topic as it starts: until then, nothing is done
  if (!(await admin.listTopics()).includes(stage.topic)) return { committed: 0, atEnd: false };
  let ends;
  try {
    ends = await admin.fetchTopicOffsets(stage.topic);
  } catch (err) {
    // a topic just created may have no leader yet (NOT_LEADER_FOR_PARTITION): look again later
    if ((err as { retriable?: boolean }).retriable) return { committed: 0, atEnd: false };
    throw err;
  }
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [stage.topic] });
  const done = new Map(offsets!.partitions.map((p) => [p.partition, Math.max(0, Number(p.offset))]));
  let committed = 0;
  let atEnd = true;
  for (const p of ends) {
    const c = done.get(p.partition) ?? 0;
    committed += c;
    if (Number(p.high) - c > (stage.transactional ? 1 : 0)) atEnd = false;
  }
  return { committed, atEnd };
}

async function endOffsetsTotal(admin: Admin, topics: string[]): Promise<number> {
  let total = 0;
  for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high);
  return total;
}

/**
 * Starts a consume→produce process on a pre-filled input, from cold, and times how fast it drains
 * `count` records, by the consumer group's committed offsets (i.e. acknowledged work only).
 */
export async function drain(opts: {
  admin: Admin;
  /** the program to start; Node (this one) unless given */
  executable?: string;
  command: string[];
  env: NodeJS.ProcessEnv;
  groupId: string;
  inputTopic: string;
  outputTopics: string[];
  count: number;
  brokerPid: number | undefined;
  timeoutMs: number;
  /**
   * A second stage that must finish too: with per-number state the input is only forwarded to
   * the repartition topic, and a record is done once its copy there is classified (the group's
   * committed offsets on it reach its end). Needs an input without poison: each record then has a
   * copy, so the copies' committed offsets count records (plus, transactional, commit markers).
   */
  completion?: { topic: string; transactional: boolean };
}): Promise<DrainResult> {
  const child: ChildProcess = spawn(opts.executable ?? process.execPath, opts.command, {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid!;
  const deadline = Date.now() + opts.timeoutMs;
  try {
    let warm: { at: number; done: number; cpu: number; brokerCpu: number } | undefined;
    let brokerRss: ReturnType<typeof sampleRss> | undefined;
    for (;;) {
      if (Date.now() > deadline)
        throw new SipflowError(
          'SIPFLOW_BENCH_FAILED',
          `drain did not finish in ${opts.timeoutMs} ms; stderr:\n${stderr}`,
          { timeoutMs: opts.timeoutMs },
        );
      if (child.exitCode !== null)
        throw new SipflowError(
          'SIPFLOW_BENCH_FAILED',
          `the process exited early (${child.exitCode}); stderr:\n${stderr}`,
          { exitCode: child.exitCode },
        );
      const input = await committedTotal(opts.admin, opts.groupId, opts.inputTopic);
      let done = input;
      if (opts.completion) {
        const stage = await stageProgress(opts.admin, opts.groupId, opts.completion);
        // complete only once the input is read and the copies of all of it are classified
        done = input >= opts.count && stage.atEnd ? opts.count : Math.min(stage.committed, opts.count - 1);
      }
      if (!warm && done >= opts.count * WARM_UP_SHARE) {
        warm = {
          at: Date.now(),
          done,
          cpu: treeCpuSeconds(pid),
          brokerCpu: opts.brokerPid ? cpuSeconds(opts.brokerPid) : 0,
        };
        if (opts.brokerPid) brokerRss = sampleRss(opts.brokerPid);
      }
      if (warm && done >= opts.count) {
        const seconds = (Date.now() - warm.at) / 1000;
        const events = done - warm.done;
        const cpu = treeCpuSeconds(pid) - warm.cpu;
        const outputs = await endOffsetsTotal(opts.admin, opts.outputTopics);
        const outputsPerInput = outputs / opts.count;
        return {
          inputEventsPerSec: events / seconds,
          outputRecordsPerSec: (events * outputsPerInput) / seconds,
          outputsPerInput,
          cpuSecondsPer1M: (cpu / events) * 1e6,
          peakRssMB: treePeakRssBytes(pid) / 2 ** 20,
          broker: opts.brokerPid
            ? {
                cpuSecondsPer1M: ((cpuSeconds(opts.brokerPid) - warm.brokerCpu) / events) * 1e6,
                peakRssMB: brokerRss!.stop() / 2 ** 20,
              }
            : null,
          seconds,
        };
      }
      await sleep(200);
    }
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(35_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
