import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { auditFailures, runAudit } from '@sipflow/audit';
import { createKafka, createRegistry } from '@sipflow/kafka';
import { defaultRules } from '@sipflow/rules';
import { runSimulator } from '@sipflow/simulator';
import { freePort } from '@sipflow/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestTopics,
  deleteTopics,
  spawnProcessor,
  testConnection,
  type ChildProcessor,
} from '../support/processor-harness';
import type { Topics } from '@sipflow/pipeline';

const EVENTS = 3000;

/** The worker processes: the primary's children, from /proc. */
function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}
const PARTITIONS = 4;

/** The sum of one metric's samples in a Prometheus text exposition. */
const metricSum = (text: string, name: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);

async function committedTotal(groupId: string, topic: string): Promise<number> {
  const admin = createKafka(testConnection()).admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return offsets!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('sipflow process with PROCESSOR_WORKERS=2, exactly-once, against a real broker', () => {
  let topics: Topics;
  let child: ChildProcessor;
  let url: string;

  beforeAll(async () => {
    topics = await createTestTopics('workers', PARTITIONS);
    const conn = testConnection();
    await runSimulator({
      kafka: createKafka(conn),
      registry: createRegistry(conn),
      topic: topics.input,
      rate: 5000,
      count: EVENTS,
      seed: 21,
      poisonRatio: 0.02,
    });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawnProcessor(topics, {
      PROCESSOR_WORKERS: '2',
      PROCESSING_GUARANTEE: 'exactly_once',
      TRANSACTIONAL_ID: `${topics.input}-tx`,
      METRICS_PORT: String(port),
      LOG_LEVEL: 'info',
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (topics) await deleteTopics(topics);
  });

  it('two workers share the partitions, /readyz waits for both, /metrics adds them up', async () => {
    const deadline = Date.now() + 90_000;
    let ready: { ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> } | undefined;
    while (Date.now() < deadline) {
      const r = await fetch(`${url}/readyz`).catch(() => undefined);
      if (r?.status === 200) {
        ready = (await r.json()) as typeof ready;
        break;
      }
      await sleep(500);
    }
    expect(ready, child.output()).toMatchObject({
      ready: true,
      checks: { workers: { ok: true, detail: '2 of 2 ready' } },
    });

    while (Date.now() < deadline && (await committedTotal(`${topics.input}-group`, topics.input)) < EVENTS)
      await sleep(500);
    expect(await committedTotal(`${topics.input}-group`, topics.input)).toBe(EVENTS);

    // each worker logs its own assignment; together they cover every partition, once
    const joins = child
      .output()
      .split('\n')
      .filter((l) => l.includes('joined the consumer group'))
      .map((l) => JSON.parse(l) as { partitions: number[]; memberId: string; worker?: number });
    const members = new Map(joins.map((j) => [j.memberId, j.partitions]));
    expect(members.size, child.output()).toBeGreaterThanOrEqual(2);
    const last = [...new Map(joins.map((j) => [j.worker, j.partitions])).values()];
    expect(last.flat().sort()).toEqual([0, 1, 2, 3]);
    expect(last.every((p) => p.length > 0)).toBe(true);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metricSum(metrics, 'sipflow_events_consumed_total')).toBe(EVENTS);
    expect(metricSum(metrics, 'sipflow_workers_running')).toBe(2);
    expect(metricSum(metrics, 'sipflow_worker_restarts_total')).toBe(0);
  }, 120_000);

  it('a worker killed is started again, and the primary is ready again once it has re-joined', async () => {
    const workers = childPids(child.pid!);
    expect(workers, `children of the primary: ${workers.join(', ')}\n${child.output()}`).toHaveLength(2);
    process.kill(workers[0]!, 'SIGKILL');
    const deadline = Date.now() + 90_000;
    let restarts = 0;
    let ready = false;
    while (Date.now() < deadline && !(restarts === 1 && ready)) {
      await sleep(500);
      const metrics = await fetch(`${url}/metrics`).then(
        (r) => r.text(),
        () => '',
      );
      restarts = metricSum(metrics, 'sipflow_worker_restarts_total');
      ready = (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200;
    }
    expect({ restarts, ready }, child.output()).toEqual({ restarts: 1, ready: true });
    const now = childPids(child.pid!);
    expect(now).toHaveLength(2);
    expect(now).not.toContain(workers[0]);
  }, 120_000);

  it('everything is processed exactly once (audit), and SIGTERM stops both workers and the primary', async () => {
    const report = await runAudit({
      connection: testConnection(),
      topics,
      rules: defaultRules(),
      timeoutMs: 60_000,
    });
    expect(report).toMatchObject({ inputs: EVENTS, lost: 0, duplicated: 0, wrongRouting: 0 });
    expect(auditFailures(report, { exactlyOnce: true })).toEqual([]);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited, child.output()).toBe(0);
    expect(child.output()).toMatch(/worker stopping/);
    expect(child.output()).toMatch(/processor stopped/);
  }, 120_000);
});
