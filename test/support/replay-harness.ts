import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReplaySummary } from '@sipflow/replay';
import { createKafka } from '@sipflow/kafka';
import type { Admin } from 'kafkajs';
import { uniqueName } from './cluster';
import { testConnection, testEnv, type ReadRecord } from './processor-harness';
import { type Topics } from '@sipflow/pipeline';

export type CliResult = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
};

export type ReplayChild = ChildProcess & { result: Promise<CliResult> };

/** `sipflow replay ARGS` as a child process against the test cluster and these topics. */
export function spawnReplay(topics: Topics, args: string[], timeoutMs = 90_000): ReplayChild {
  const child = spawn(process.execPath, ['services/cli/bin/sipflow.mjs', 'replay', ...args], {
    env: { ...process.env, ...testEnv(topics) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // every test stops by itself: a replay that hangs is killed and reported
  const deadline = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const result = new Promise<CliResult>((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(deadline);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return Object.assign(child, { result });
}

export const runReplayCli = (topics: Topics, args: string[]) => spawnReplay(topics, args).result;

/** The summary a `--json` run printed; fails with the child's output when there is none. */
export function jsonSummary(run: CliResult): ReplaySummary {
  try {
    return JSON.parse(run.stdout) as ReplaySummary;
  } catch {
    throw new Error(
      `no JSON summary (exit ${run.code}, ${run.signal ?? 'no signal'}):\n${run.stdout}\n${run.stderr}`,
    );
  }
}

/** High watermark of every partition of each topic, as `topic:partition` → offset. */
export async function highWatermarks(admin: Admin, topics: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const topic of topics)
    for (const p of await admin.fetchTopicOffsets(topic)) out[`${topic}:${p.partition}`] = p.high;
  return out;
}

export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * Every record of each topic, up to the high watermarks as they are when called (the writers
 * have finished): exact, with no waiting for records that will not come. One consumer for all
 * topics, with short fetch waits, so it returns as soon as it has read to the end.
 */
export async function readToEnd(
  admin: Admin,
  topics: string[],
  timeoutMs = 30_000,
): Promise<Map<string, ReadRecord[]>> {
  const remaining = new Map<string, bigint>(); // topic:partition → high watermark, until read
  for (const topic of topics)
    for (const p of await admin.fetchTopicOffsets(topic))
      if (BigInt(p.high) > BigInt(p.low)) remaining.set(`${topic}:${p.partition}`, BigInt(p.high));
  const records = new Map(topics.map((t) => [t, [] as ReadRecord[]]));
  if (remaining.size === 0) return records;
  const consumer = createKafka(testConnection()).consumer({
    groupId: uniqueName('reader'),
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`readToEnd: still waiting for ${[...remaining.keys()].join(', ')}`)),
        timeoutMs,
      );
      void consumer.run({
        eachBatch: async ({ batch }) => {
          const key = `${batch.topic}:${batch.partition}`;
          const high = remaining.get(key);
          for (const m of batch.messages)
            if (high !== undefined && BigInt(m.offset) < high)
              records.get(batch.topic)!.push({ ...m, topic: batch.topic, partition: batch.partition });
          if (high !== undefined && BigInt(batch.lastOffset()) + 1n >= high) remaining.delete(key);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}
