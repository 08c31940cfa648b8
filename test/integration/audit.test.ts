import { setTimeout as sleep } from 'node:timers/promises';
import { auditFailures, runAudit, type AuditRun } from '@sipflow/audit';
import { createKafka, createRegistry } from '@sipflow/kafka';
import { defaultRules } from '@sipflow/rules';
import { runSimulator } from '@sipflow/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestTopics,
  deleteTopics,
  readTopic,
  startInProcess,
  type ReadRecord,
  sipflowCli,
  testConnection,
} from '../support/processor-harness';
import { type Topics, HEADER } from '@sipflow/pipeline';

const EVENTS = 600;

/** `sipflow audit` as a child process: its exit status and output. */
const auditCli = (topics: Topics, args: string[]) => sipflowCli(topics, ['audit', ...args]);

describe('sipflow audit against a real broker', () => {
  let topics: Topics;
  let poison = 0;
  let duplicatedPartition = 0;
  const audit = (): Promise<AuditRun> =>
    runAudit({ connection: testConnection(), topics, rules: defaultRules(), timeoutMs: 60_000 });

  beforeAll(async () => {
    topics = await createTestTopics('audit');
    const conn = testConnection();
    const stats = await runSimulator({
      kafka: createKafka(conn),
      registry: createRegistry(conn),
      topic: topics.input,
      rate: 5000,
      count: EVENTS,
      seed: 8,
      poisonRatio: 0.05,
    });
    poison = stats.poison;
    const processor = await startInProcess(topics);
    try {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const lags = await processor.lag();
        if (lags.size > 0 && [...lags.values()].every((l) => l === 0)) break;
        await sleep(250);
      }
    } finally {
      await processor.stop();
    }
  });

  afterAll(async () => {
    if (topics) await deleteTopics(topics);
  });

  it('a clean run accounts for every input: processed or dead-lettered by code, nothing lost', async () => {
    const report = await audit();
    expect(poison).toBeGreaterThan(0);
    expect(report).toMatchObject({
      inputs: EVENTS,
      processed: EVENTS - poison,
      deadLettered: poison,
      lost: 0,
      duplicated: 0,
      wrongRouting: 0,
      orphans: 0,
      capViolations: 0,
    });
    expect(Object.keys(report.dlqByCode).every((c) => c.startsWith('SIPFLOW_'))).toBe(true);
    expect(report.outputs.enriched).toBe(EVENTS - poison);
    expect(auditFailures(report, { exactlyOnce: true })).toEqual([]);

    const cli = await auditCli(topics, ['--json', '--exactly-once']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ inputs: EVENTS, lost: 0, failures: [] });

    const future = await auditCli(topics, ['--from', new Date(Date.now() + 3_600_000).toISOString()]);
    expect(future.stdout).toContain('audit: 0 inputs');
  });

  it('--from/--to select raw records by record time in [from, to), as replay does', async () => {
    const raw = await readTopic(topics.input, EVENTS);
    const perMs = new Map<number, number>();
    for (const r of raw) perMs.set(Number(r.timestamp), (perMs.get(Number(r.timestamp)) ?? 0) + 1);
    // the busiest millisecond: the simulator writes several records in most of them
    const [at, count] = [...perMs].sort((a, b) => b[1] - a[1])[0]!;
    const windowed = (from: number, to: number) =>
      runAudit({ connection: testConnection(), topics, rules: defaultRules(), timeoutMs: 60_000, from, to });
    // a record stamped exactly --to is outside; one stamped exactly --from is inside
    expect((await windowed(at, at)).inputs).toBe(0);
    expect((await windowed(at, at + 1)).inputs).toBe(count);
    const before = raw.filter((r) => Number(r.timestamp) < at).length;
    expect((await windowed(0, at)).inputs).toBe(before);

    const cli = await auditCli(topics, ['--from', String(at), '--to', String(at + 1)]);
    expect(cli.stdout, cli.stderr).toContain(`audit: ${count} inputs`);
  });

  it('an output written twice is reported as a duplicate, failing only with --exactly-once', async () => {
    // the last record of a partition: a copy appended after it repeats it without moving it
    // before any later record of its lead (that would break lead order, tested below)
    const enriched = await readTopic(topics.enriched, EVENTS - poison, { settleMs: 0 });
    const last = enriched.reduce((a, b) =>
      a.partition < b.partition || (a.partition === b.partition && BigInt(a.offset) < BigInt(b.offset))
        ? b
        : a,
    );
    duplicatedPartition = last.partition;
    await append(topics.enriched, last);

    const report = await audit();
    expect(report.duplicated).toBe(1);
    expect(report.duplicateRecords[0]).toMatchObject({ topic: 'enriched', count: 2, expected: 1 });
    expect(report.lost).toBe(0);
    expect((await auditCli(topics, [])).code).toBe(0);
    const strict = await auditCli(topics, ['--exactly-once']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('duplicate record(s) under exactly-once');
  });

  // records deleted from a partition other than the duplicate's, so the copy cannot stand in
  it('deleted outputs are reported as lost, with what is missing (exit 1)', async () => {
    const admin = createKafka(testConnection()).admin();
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [topics.enriched] });
    await admin.deleteTopicRecords({
      topic: topics.enriched,
      partitions: [{ partition: (duplicatedPartition + 1) % 3, offset: '5' }],
    });
    await admin.disconnect();

    const report = await audit();
    expect(report.lost).toBe(5);
    expect(report.lostRecords.every((l) => l.missing.includes('enriched'))).toBe(true);
    const cli = await auditCli(topics, []);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/audit: FAILED: 5 input\(s\) lost/);
  });

  it("a lead's earlier record written again after its later one breaks lead order (exit 1)", async () => {
    // what is left on the topic: the enriched records, one copy added, five deleted
    const enriched = (await readTopic(topics.enriched, EVENTS - poison + 1 - 5, { settleMs: 0 })).filter(
      (r) => r.partition === duplicatedPartition,
    );
    const byLead = new Map<string, typeof enriched>();
    for (const r of enriched) byLead.set(r.key!.toString(), [...(byLead.get(r.key!.toString()) ?? []), r]);
    const records = [...byLead.values()].find((list) => new Set(list.map(eventIdOf)).size >= 2)!;
    expect(
      records,
      'the simulator re-dials leads: some lead has two attempts on one partition',
    ).toBeDefined();
    const earliest = records.reduce((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? a : b));
    await append(topics.enriched, earliest);

    const report = await audit();
    expect(report.outOfOrder).toBe(1);
    expect(report.outOfOrderRecords[0]).toMatchObject({
      leadId: earliest.key!.toString(),
      topic: 'enriched',
      thenEarlierInput: eventIdOf(earliest),
    });
    const cli = await auditCli(topics, []);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('1 lead(s) with records out of input order');
    expect(cli.stdout).toContain(`out of order: lead ${earliest.key!.toString()} on enriched`);
  });
});

const eventIdOf = (r: ReadRecord) => r.headers![HEADER.eventId]!.toString();

/** A copy of `record` appended to its own partition, headers and all. */
async function append(topic: string, record: ReadRecord): Promise<void> {
  const producer = createKafka(testConnection()).producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [
      { key: record.key, value: record.value, headers: record.headers!, partition: record.partition },
    ],
  });
  await producer.disconnect();
}
