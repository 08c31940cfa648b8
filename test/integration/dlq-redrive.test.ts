import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { auditFailures, runAudit } from '@sipflow/audit';
import { readSchema, registerSchema, type CallAttempt } from '@sipflow/codec';
import { createKafka, createRegistry } from '@sipflow/kafka';
import { CONNECT_HEADER, HEADER, type Topics } from '@sipflow/pipeline';
import type { RunningProcessor } from '@sipflow/processor';
import { defaultRules } from '@sipflow/rules';
import { runSimulator } from '@sipflow/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt } from '../support/attempts';
import {
  createTestTopics,
  deleteTopics,
  header,
  readTopic,
  startInProcess,
  testConnection,
  testEnv,
} from '../support/processor-harness';

/**
 * The scenario: a dialer's new firmware puts its whole diagnostic text into sipReason, and the
 * processor runs with MAX_RECORD_BYTES set too tight for it, so those call attempts go to the DLQ
 * as SIPFLOW_OVERSIZE_RECORD beside the usual poison (which stays there). The operator inspects
 * the DLQ, raises the limit, restarts the processor, and redrives the oversize dead letters: a
 * run with --limit, one stopped half-way by SIGINT, one for the rest, and one more that sends
 * nothing. The audit then
 * finds every raw record accounted for exactly once.
 */
const EVENTS = 400;
const BIG = 30;
const TIGHT_LIMIT = '1024';
const LONG_REASON = `Temporarily Unavailable; diag=${'trunk-group-7/overflow '.repeat(80)}`;

type Cli = { code: number | null; stdout: string; stderr: string };

/** A `sipflow` command as a child process; `interruptWhen` sends it SIGINT on the first stderr line it matches. */
function cli(
  topics: Topics,
  args: string[],
  extra: Record<string, string> = {},
  interruptWhen?: (stderrLine: string) => boolean,
): Promise<Cli> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['services/cli/bin/sipflow.mjs', ...args], {
      env: { ...process.env, ...testEnv(topics, extra) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    let interrupted = false;
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (interruptWhen && !interrupted && stderr.split('\n').some(interruptWhen)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.once('error', reject);
    // 'close', not 'exit': 'exit' can come before the last of stdout is read, and a test then saw
    // an exit status with empty output
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function drain(processor: RunningProcessor, atLeast: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  await sleep(500);
  while (Date.now() < deadline) {
    const lags = await processor.lag();
    if (lags.size >= atLeast && [...lags.values()].every((l) => l === 0)) return;
    await sleep(250);
  }
  throw new Error('the processor did not catch up within 60 s');
}

describe('sipflow dlq: inspect, then redrive after a fix, with the audit exact', () => {
  let topics: Topics;
  let poison = 0;
  let processor: RunningProcessor | undefined;
  const bigEventIds = new Set<string>();
  const audit = () =>
    runAudit({ connection: testConnection(), topics, rules: defaultRules(), timeoutMs: 60_000 });

  beforeAll(async () => {
    topics = await createTestTopics('dlq');
    const conn = testConnection();
    const registry = createRegistry(conn);
    const stats = await runSimulator({
      kafka: createKafka(conn),
      registry,
      topic: topics.input,
      rate: 5000,
      count: EVENTS,
      seed: 11,
      poisonRatio: 0.05,
    });
    poison = stats.poison;
    const schema = await registerSchema<CallAttempt>(
      registry,
      `${topics.input}-value`,
      readSchema('call-attempt.avsc'),
    );
    const producer = createKafka(conn).producer();
    await producer.connect();
    const big = Array.from({ length: BIG }, (_, i) =>
      attempt({ sipCode: 480, sipReason: LONG_REASON, q850Cause: 18, leadId: `lead-big-${i % 10}` }),
    );
    for (const a of big) bigEventIds.add(a.eventId);
    await producer.send({
      topic: topics.input,
      messages: big.map((a) => ({
        key: a.leadId,
        value: schema.encode(a),
        headers: { traceparent: `tp-${a.eventId}` },
      })),
    });
    await producer.disconnect();

    // the limit set too tight
    processor = await startInProcess(topics, { MAX_RECORD_BYTES: TIGHT_LIMIT });
    await drain(processor, 3);
    await processor.stop();
    processor = undefined;
  });

  afterAll(async () => {
    await processor?.stop();
    if (topics) await deleteTopics(topics);
  });

  it("dead letters carry Kafka Connect's context headers, as strings, beside sipflow's", async () => {
    const letters = await readTopic(topics.dlq, poison + BIG, { settleMs: 200 });
    expect(letters).toHaveLength(poison + BIG);
    for (const l of letters) {
      expect(header(l, CONNECT_HEADER.topic)).toBe(topics.input);
      expect(header(l, CONNECT_HEADER.partition)).toBe(header(l, HEADER.sourcePartition));
      expect(header(l, CONNECT_HEADER.offset)).toBe(header(l, HEADER.sourceOffset));
      expect(header(l, CONNECT_HEADER.connectorName)).toBe('sipflow');
      expect(header(l, CONNECT_HEADER.stage)).toMatch(/^(VALUE_CONVERTER|TRANSFORMATION)$/);
      expect(header(l, CONNECT_HEADER.exceptionClassName)).toBe('SipflowError');
      expect(header(l, CONNECT_HEADER.exceptionMessage)).toBe(
        `${header(l, HEADER.errorCode)}: ${header(l, HEADER.errorMessage)}`,
      );
    }
    const oversize = letters.filter((l) => header(l, HEADER.errorCode) === 'SIPFLOW_OVERSIZE_RECORD');
    expect(oversize).toHaveLength(BIG);
    expect(oversize.every((l) => header(l, CONNECT_HEADER.stage) === 'VALUE_CONVERTER')).toBe(true);
  });

  it('dlq inspect counts by code, gives the time range, and decodes samples as far as they go', async () => {
    const json = await cli(topics, ['dlq', 'inspect', '--json', '--samples', '2']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ total: poison + BIG, selected: poison + BIG, status: 'complete' });
    const counts = Object.fromEntries(
      report.byCode.map((c: { code: string; count: number }) => [c.code, c.count]),
    );
    expect(counts.SIPFLOW_OVERSIZE_RECORD).toBe(BIG);
    expect(Object.values(counts).reduce((a, b) => (a as number) + (b as number), 0)).toBe(poison + BIG);
    expect(report.first).toBeLessThanOrEqual(report.last);
    const byStage = (code: string) =>
      report.samples
        .filter((s: { code: string }) => s.code === code)
        .map((s: { value: { stage: string } }) => s.value.stage);
    // an oversize record is whole: every field decodes, the phone number masked
    expect(byStage('SIPFLOW_OVERSIZE_RECORD')).toEqual(['decoded', 'decoded']);
    const big = report.samples.find((s: { code: string }) => s.code === 'SIPFLOW_OVERSIZE_RECORD');
    expect(big.value.fields.sipReason).toBe(LONG_REASON);
    expect(big.value.fields.phoneNumber).toBe('+14*******23');
    if (counts.SIPFLOW_DECODE_MAGIC_BYTE) expect(byStage('SIPFLOW_DECODE_MAGIC_BYTE')[0]).toBe('not-framed');
    if (counts.SIPFLOW_DECODE_UNKNOWN_SCHEMA)
      expect(byStage('SIPFLOW_DECODE_UNKNOWN_SCHEMA')[0]).toBe('unknown-schema');
    if (counts.SIPFLOW_DECODE_CORRUPT_AVRO) expect(byStage('SIPFLOW_DECODE_CORRUPT_AVRO')[0]).toBe('partial');

    const text = await cli(topics, ['dlq', 'inspect', '--code', 'SIPFLOW_OVERSIZE_RECORD', '--samples', '1']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`${BIG} selected`);
    expect(text.stdout).toMatch(/SIPFLOW_OVERSIZE_RECORD +30 /);
    expect(text.stdout).toContain('reason: record of');
    expect(text.stdout).toMatch(/value: schema id \d+, decoded/);

    const none = await cli(topics, [
      'dlq',
      'inspect',
      '--from',
      new Date(Date.now() + 3_600_000).toISOString(),
    ]);
    expect(none.stdout).toContain('0 selected');
  });

  it('before the fix, a dry run says the copies would be dead-lettered again (exit 1), and writes nothing', async () => {
    const dry = await cli(topics, ['dlq', 'redrive', '--code', 'SIPFLOW_OVERSIZE_RECORD', '--dry-run'], {
      MAX_RECORD_BYTES: TIGHT_LIMIT,
    });
    expect(dry.code, dry.stderr).toBe(1);
    expect(dry.stdout).toContain(`would now be: DLQ SIPFLOW_OVERSIZE_RECORD ${BIG}`);
    expect(dry.stderr).toContain('would go to the DLQ again');
    const before = await audit();
    expect(before.inputs).toBe(EVENTS + BIG);
  });

  it('after the fix, redrive sends each dead letter back once: --limit, a run stopped by SIGINT, the rest, then nothing', async () => {
    // the fix: the processor runs with the default limit again
    processor = await startInProcess(topics);

    const dry = await cli(topics, ['dlq', 'redrive', '--code', 'SIPFLOW_OVERSIZE_RECORD', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.match(/^would send /gm)).toHaveLength(BIG);
    expect(dry.stdout).toContain(`would now be: NO_ANSWER RETRY ${BIG}`);
    expect(dry.stdout).toContain('dry run, nothing written');

    const first = await cli(topics, [
      'dlq',
      'redrive',
      '--code',
      'SIPFLOW_OVERSIZE_RECORD',
      '--limit',
      '12',
      '--json',
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      selected: BIG,
      alreadyRedriven: 0,
      planned: 12,
      leftByLimit: BIG - 12,
      sent: 12,
      skipped: 0,
      status: 'complete',
    });

    // a paced run stopped half-way by SIGINT (after its first progress line, about 2 s in)
    const stopped = await cli(
      topics,
      ['dlq', 'redrive', '--code', 'SIPFLOW_OVERSIZE_RECORD', '--rate', '4'],
      {},
      (line) => line.includes('records ('),
    );
    expect(stopped.code, stopped.stderr).toBe(130);
    const sentBeforeStop = Number(stopped.stdout.match(/(\d+) sent to /)![1]);
    expect(sentBeforeStop).toBeGreaterThan(0);
    expect(sentBeforeStop).toBeLessThan(BIG - 12);
    expect(stopped.stdout).toContain('stopped before the end');

    // run again: the rest, paced; the poison is left where it is by the code filter
    const rest = await cli(topics, ['dlq', 'redrive', '--code', 'SIPFLOW_OVERSIZE_RECORD', '--rate', '20']);
    const left = BIG - 12 - sentBeforeStop;
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stdout).toContain(`${12 + sentBeforeStop} already redriven, 0 skipped, ${left} to send`);
    expect(rest.stdout).toContain(`${left} sent to ${topics.input}`);
    // at 20/s the last of n is due (n - 1) / 20 s after the first
    const took = Number(rest.stdout.match(/\((\d+\.\d) s\)/)![1]);
    expect(took).toBeGreaterThanOrEqual((left - 1) / 20 - 0.1);

    const again = await cli(topics, ['dlq', 'redrive', '--code', 'SIPFLOW_OVERSIZE_RECORD']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`${BIG} already redriven, 0 skipped, 0 to send`);
    expect(again.stdout).toContain('0 sent');

    await drain(processor, 3);

    // the copies: new raw records, the original bytes, key and headers, naming their dead letter
    const raw = await readTopic(topics.input, EVENTS + 2 * BIG, { settleMs: 300 });
    const copies = raw.filter((r) => header(r, HEADER.redriveOf) !== undefined);
    expect(copies).toHaveLength(BIG);
    expect(new Set(copies.map((c) => header(c, HEADER.redriveOf))).size).toBe(BIG);
    for (const c of copies) {
      expect(header(c, HEADER.redriveOf)).toMatch(new RegExp(`^${topics.dlq}/\\d+/\\d+$`));
      expect(header(c, 'traceparent')).toMatch(/^tp-/);
      expect(header(c, HEADER.errorCode)).toBeUndefined();
      expect(header(c, CONNECT_HEADER.topic)).toBeUndefined();
      expect(c.key!.toString()).toMatch(/^lead-big-/);
    }
  });

  it('the audit accounts for the originals as dead-lettered and the copies as processed once: 0 lost, 0 duplicated', async () => {
    const report = await audit();
    expect(report).toMatchObject({
      inputs: EVENTS + 2 * BIG,
      processed: EVENTS - poison + BIG,
      deadLettered: poison + BIG,
      redriven: BIG,
      lost: 0,
      duplicated: 0,
      wrongRouting: 0,
      outOfOrder: 0,
      orphans: 0,
    });
    expect(report.dlqByCode.SIPFLOW_OVERSIZE_RECORD).toBe(BIG);
    expect(auditFailures(report, { exactlyOnce: true })).toEqual([]);
    const enriched = await readTopic(topics.enriched, EVENTS - poison + BIG, { settleMs: 300 });
    expect(enriched.filter((e) => bigEventIds.has(header(e, HEADER.eventId)!))).toHaveLength(BIG);

    const text = await cli(topics, ['audit', '--exactly-once']);
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toContain(`redriven: ${BIG} dead-lettered inputs`);
    expect(text.stdout).toContain('0 lost, 0 duplicated');
  });
});
