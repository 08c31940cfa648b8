import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { readSchema, registerSchema, type CallAttempt, type RegisteredType } from '@sipflow/codec';
import { createKafka, createRegistry } from '@sipflow/kafka';
import { runReplay } from '@sipflow/replay';
import { classify, defaultRules } from '@sipflow/rules';
import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt } from '../support/attempts';
import { uniqueName } from '../support/cluster';
import {
  createTestTopics,
  deleteTopics,
  header,
  startInProcess,
  testConnection,
  type ReadRecord,
} from '../support/processor-harness';
import {
  highWatermarks,
  jsonSummary,
  readToEnd,
  runReplayCli,
  spawnReplay,
  waitUntil,
} from '../support/replay-harness';
import { HEADER, OUTPUT_KINDS, outputTopics, type Topics } from '@sipflow/pipeline';

const DAY = 24 * 3600 * 1000;
const PER_DAY = 40;
// five days of history ending about a day ago: inside the topics' 7-day retention
const T = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 5 * DAY + 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** One event per pattern, round-robin: every route, and both a busy line and a congested one. */
const PATTERNS: Array<Partial<CallAttempt>> = [
  { sipCode: 200, sipReason: 'OK' },
  { sipCode: 486, sipReason: 'Busy Here', q850Cause: 17 },
  { sipCode: 486, sipReason: 'Busy Here', q850Cause: 34 },
  { sipCode: 480, sipReason: 'Temporarily Unavailable', q850Cause: 19 },
  { sipCode: 404, sipReason: 'Not Found', q850Cause: 1 },
  { sipCode: 403, sipReason: 'Forbidden', q850Cause: 21 },
  { sipCode: 487, sipReason: 'Request Terminated', q850Cause: null },
  { sipCode: 486, sipReason: 'Busy Here', q850Cause: 17 },
];

type Event = { attempt: CallAttempt; timestamp: number };

/** 5 days × 40 events, one a minute from T + d days; and one undecodable record on day 2. */
const history: Event[] = Array.from({ length: 5 * PER_DAY }, (_, n) => {
  const day = Math.floor(n / PER_DAY);
  const i = n % PER_DAY;
  return {
    attempt: attempt({ ...PATTERNS[i % PATTERNS.length], campaignId: i % 2 === 0 ? 'camp-a' : 'camp-b' }),
    timestamp: T + day * DAY + i * 60_000,
  };
});
const POISON_AT = T + 2 * DAY + 30 * 60_000 + 30_000;

const ACTION_TOPIC = { RETRY: 'retry', REMOVE_LEAD: 'removal', COMPLIANCE_ALERT: 'compliance' } as const;

/** Records per output topic that `events` produce with the default rules (plus `poison` DLQ records). */
function expectedCounts(events: Event[], topics: Topics, poison: number): Record<string, number> {
  const out: Record<string, number> = { [topics.enriched]: events.length };
  for (const { attempt: a } of events) {
    const { action } = classify(a, defaultRules());
    if (action !== 'NONE') out[topics[ACTION_TOPIC[action]]] = (out[topics[ACTION_TOPIC[action]]] ?? 0) + 1;
  }
  if (poison > 0) out[topics.dlq] = poison;
  return out;
}

const sandbox = (t: Topics, prefix: string): Topics =>
  Object.fromEntries(Object.entries(t).map(([k, v]) => [k, `${prefix}.${v}`])) as Topics;

describe('sipflow replay against a real broker', () => {
  const conn = testConnection();
  const kafka = createKafka(conn);
  const registry: SchemaRegistry = createRegistry(conn);
  let topics: Topics;
  let input: RegisteredType<CallAttempt>;
  let producer: Producer;
  let admin: Admin;
  let liveGroupOffsets: unknown;
  const checkpoints = mkdtempSync(join(tmpdir(), 'sipflow-replay-test-'));
  const sandboxes: Topics[] = [];
  const killedIds: string[] = [];
  const groupId = () => `${topics.input}-group`;

  const produce = (events: Event[]) =>
    producer.send({
      topic: topics.input,
      messages: events.map((e) => ({
        key: e.attempt.leadId,
        value: input.encode(e.attempt),
        timestamp: String(e.timestamp),
      })),
    });
  const decode = async (m: ReadRecord) => (await registry.decode(m.value!)) as Record<string, unknown>;
  const fetchGroupOffsets = () => admin.fetchOffsets({ groupId: groupId(), topics: [topics.input] });

  beforeAll(async () => {
    topics = await createTestTopics('replay');
    input = await registerSchema<CallAttempt>(
      registry,
      `${topics.input}-value`,
      readSchema('call-attempt.avsc'),
    );
    producer = kafka.producer();
    admin = kafka.admin();
    await Promise.all([producer.connect(), admin.connect()]);
    const before = history.filter((e) => e.timestamp < POISON_AT);
    await produce(before);
    await producer.send({
      topic: topics.input,
      messages: [{ key: 'poison', value: Buffer.from('{"sipCode": 486}'), timestamp: String(POISON_AT) }],
    });
    await produce(history.filter((e) => e.timestamp > POISON_AT));

    // the processor records the history (and commits its group), then stops
    const processor = await startInProcess(topics);
    try {
      // at-least-once: an offset is committed only once the batch's outputs are acknowledged
      await waitUntil(
        'the processor to commit every offset',
        async () => {
          const [committed] = await fetchGroupOffsets();
          const sum = committed!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
          return sum === history.length + 1 ? true : undefined;
        },
        60_000,
      );
    } finally {
      await processor.stop();
    }
    liveGroupOffsets = await fetchGroupOffsets();
  });

  afterAll(async () => {
    await admin?.deleteGroups([groupId()]).catch(() => undefined);
    // a SIGKILLed replay cannot leave its group: delete it once its member's session expired
    const killed = async () =>
      (await admin.listGroups()).groups
        .map((g) => g.groupId)
        .filter((id) => killedIds.some((k) => id.includes(k)));
    await waitUntil(
      'the killed replay groups to be gone',
      async () => {
        const left = await killed();
        if (left.length === 0) return true;
        await admin.deleteGroups(left).catch(() => undefined);
        return undefined;
      },
      20_000,
    ).catch(() => undefined);
    await Promise.all([producer?.disconnect(), admin?.disconnect()]);
    for (const t of [topics, ...sandboxes]) if (t) await deleteTopics(t);
    rmSync(checkpoints, { recursive: true, force: true });
  });

  it('replays a time window to the live topics: exact counts per topic, outputs marked, the processor group never committed', async () => {
    const window = history.filter((e) => e.timestamp >= T + DAY && e.timestamp < T + 3 * DAY);
    const expected = expectedCounts(window, topics, 1);
    const replayId = uniqueName('live');
    const run = await runReplayCli(topics, [
      ...['--from', iso(T + DAY), '--to', iso(T + 3 * DAY)],
      ...['--target', 'live', '--replay-id', replayId, '--checkpoint-dir', checkpoints, '--json'],
    ]);
    // the poison record went to the DLQ: the exit status says so (no --allow-dlq)
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('1 records went to the DLQ');
    expect(run.stderr).toContain(`starting ${replayId} (live)`);
    const summary = jsonSummary(run);
    expect(summary).toMatchObject({
      replayId,
      mode: 'live',
      status: 'complete',
      counts: { scanned: window.length + 1, replayed: window.length + 1, filtered: 0, outsideWindow: 0 },
      dlqTotal: 1,
    });
    expect(summary.counts.produced).toEqual(expected);

    // what the live topics now hold from this replay: exactly the window, marked
    const originals = expectedCounts(history, topics, 1);
    const all = await readToEnd(admin, outputTopics(topics));
    for (const topic of outputTopics(topics)) {
      const records = all.get(topic)!;
      const replayed = records.filter((m) => header(m, HEADER.replayId) === replayId);
      // a replay writes no partials, so the live processor's ledger stage adds nothing of it
      if (topic === topics.abandonment) {
        expect(replayed, topic).toHaveLength(0);
        continue;
      }
      expect(replayed, topic).toHaveLength(expected[topic]!);
      expect(records.length - replayed.length, topic).toBe(originals[topic]);
      if (topic === topics.enriched) {
        const values = await Promise.all(replayed.map(decode));
        expect(values.every((v) => v.replayId === replayId)).toBe(true);
        expect(values.map((v) => v.eventId).sort()).toEqual(window.map((e) => e.attempt.eventId).sort());
      }
    }
    // the live processor's group is exactly where the processor left it, and no replay group remains
    expect(await fetchGroupOffsets()).toEqual(liveGroupOffsets);
    const { groups } = await admin.listGroups();
    expect(groups.filter((g) => g.groupId.includes(replayId))).toEqual([]);
  });

  it('filters by campaign and SIP code (library API, dry run): the rest is counted, not produced', async () => {
    const wanted = history.filter((e) => e.attempt.campaignId === 'camp-b' && e.attempt.sipCode === 486);
    const summary = await runReplay({
      connection: conn,
      topics,
      from: T - 3_600_000,
      campaigns: ['camp-b'],
      sipCodes: { codes: [486], classes: [] },
      dryRun: true,
      maxRecordBytes: 1024 * 1024,
      checkpointDir: checkpoints,
    });
    expect(summary.counts).toMatchObject({
      scanned: history.length + 1,
      replayed: wanted.length,
      filtered: history.length + 1 - wanted.length,
    });
    expect(summary.counts.produced).toEqual(expectedCounts(wanted, topics, 0));
    expect(existsSync(join(checkpoints, `${summary.replayId}.json`))).toBe(false);
  });

  it('sandbox target: writes P.<topic> topics it creates, leaves the live topics untouched, and is deterministic', async () => {
    const live = await highWatermarks(admin, outputTopics(topics));
    const [a, b] = [uniqueName('sba'), uniqueName('sbb')];
    const runs = await Promise.all(
      [a, b].map((prefix) =>
        runReplayCli(topics, [
          ...['--from', iso(T - 3_600_000), '--target', 'sandbox', '--prefix', prefix],
          ...['--checkpoint-dir', checkpoints, '--allow-dlq', '--json'],
        ]),
      ),
    );
    sandboxes.push(sandbox(topics, a), sandbox(topics, b));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const expected = expectedCounts(history, topics, 1);
    expect(jsonSummary(runs[0]!).counts.produced).toEqual(expectedCounts(history, sandbox(topics, a), 1));
    expect(await highWatermarks(admin, outputTopics(topics))).toEqual(live);

    // the same window and rules give the same records, apart from the replay id
    const [idA, idB] = runs.map((r) => jsonSummary(r).replayId);
    const written = await readToEnd(admin, [
      ...outputTopics(sandbox(topics, a)),
      ...outputTopics(sandbox(topics, b)),
    ]);
    for (const role of OUTPUT_KINDS) {
      const n = expected[topics[role]] ?? 0;
      const read = async (prefix: string, id: string) => {
        const records = written.get(`${prefix}.${topics[role]}`)!;
        expect(records, `${prefix}.${topics[role]}`).toHaveLength(n);
        const normalized = await Promise.all(
          records.map(async (m) => {
            expect(header(m, HEADER.replayId)).toBe(id);
            const headers = Object.fromEntries(
              Object.entries(m.headers ?? {})
                .filter(([k]) => k !== HEADER.replayId)
                .map(([k, v]) => [k, v?.toString()]),
            );
            const value =
              role === 'dlq' ? m.value!.toString('hex') : { ...(await decode(m)), replayId: null };
            return JSON.stringify({ key: m.key?.toString(), partition: m.partition, headers, value });
          }),
        );
        return normalized.sort();
      };
      expect(await read(a, idA!)).toEqual(await read(b, idB!));
    }
  });

  it('dry run with --diff and a candidate rules file reports exactly the changed events', async () => {
    const rulesFile = join(checkpoints, 'candidate-rules.yaml');
    const rules = readFileSync(new URL('../../libs/rules/rules/default-rules.yaml', import.meta.url), 'utf8');
    const candidate = rules
      .replace("version: '1.1.0'", "version: '1.1.0-busy-as-no-answer'")
      .replace(
        'match: { sip: [486, 600] }\n    disposition: BUSY',
        'match: { sip: [486, 600] }\n    disposition: NO_ANSWER',
      );
    expect(candidate).not.toBe(rules);
    writeFileSync(rulesFile, candidate);
    const live = await highWatermarks(admin, outputTopics(topics));

    const run = await runReplayCli(topics, [
      ...['--from', iso(T - 3_600_000), '--dry-run', '--diff', '--rules', rulesFile, '--json'],
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = jsonSummary(run);
    const busy = history.filter((e) => e.attempt.sipCode === 486 && e.attempt.q850Cause === 17);
    expect(summary.mode).toBe('dry-run');
    expect(summary.rulesVersion).toBe('1.1.0-busy-as-no-answer');
    expect(summary.diff).toMatchObject({
      enrichedTopic: topics.enriched,
      compared: history.length,
      unchanged: history.length - busy.length,
      changed: busy.length,
      notRecorded: 0,
    });
    expect(summary.diff!.transitions).toHaveLength(1);
    const [t] = summary.diff!.transitions;
    expect(t).toMatchObject({ from: 'BUSY RETRY', to: 'NO_ANSWER RETRY', count: busy.length });
    expect(t!.examples).toHaveLength(3);
    const busyIds = new Set(busy.map((e) => e.attempt.eventId));
    expect(t!.examples.every((id) => busyIds.has(id))).toBe(true);
    // nothing written
    expect(await highWatermarks(admin, outputTopics(topics))).toEqual(live);
  });

  it('resumes after SIGKILL with no gap (at most the chunk in flight twice)', async () => {
    const prefix = uniqueName('sbk');
    const replayId = uniqueName('killed');
    killedIds.push(replayId);
    sandboxes.push(sandbox(topics, prefix));
    const child = spawnReplay(topics, [
      ...['--from', iso(T - 3_600_000), '--target', 'sandbox', '--prefix', prefix, '--rate', '40'],
      ...['--replay-id', replayId, '--checkpoint-dir', checkpoints, '--allow-dlq'],
    ]);
    const checkpointFile = join(checkpoints, `${replayId}.json`);
    await waitUntil('the replay to get some way', () => {
      if (!existsSync(checkpointFile)) return undefined;
      try {
        const cp = JSON.parse(readFileSync(checkpointFile, 'utf8')) as { counts: { scanned: number } };
        return cp.counts.scanned >= 60 ? true : undefined;
      } catch {
        return undefined;
      }
    });
    child.kill('SIGKILL');
    const killed = await child.result;
    expect(killed.signal).toBe('SIGKILL');
    const atKill = JSON.parse(readFileSync(checkpointFile, 'utf8')) as {
      status: string;
      counts: { scanned: number };
    };
    expect(atKill.status).toBe('running');
    expect(atKill.counts.scanned).toBeLessThan(history.length);

    const resumed = await runReplayCli(topics, [
      // the rate it started with is kept unless given again
      ...['--resume', replayId, '--checkpoint-dir', checkpoints, '--rate', '5000', '--allow-dlq', '--json'],
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming ${replayId}`);
    const summary = jsonSummary(resumed);
    expect(summary.status).toBe('complete');
    // the killed run could not leave its group (it goes once empty); no replay group ever holds offsets
    const { groups } = await admin.listGroups();
    for (const { groupId: id } of groups.filter((g) => g.groupId.includes(replayId))) {
      const [offsets] = await admin.fetchOffsets({ groupId: id, topics: [topics.input] });
      expect(
        offsets!.partitions.every((p) => p.offset === '-1'),
        id,
      ).toBe(true);
    }
    expect(summary.counts.scanned).toBeGreaterThanOrEqual(history.length + 1);

    const enriched = (await readToEnd(admin, [`${prefix}.${topics.enriched}`])).get(
      `${prefix}.${topics.enriched}`,
    )!;
    const ids = new Set(enriched.map((m) => header(m, HEADER.eventId)));
    expect([...ids].sort()).toEqual(history.map((e) => e.attempt.eventId).sort());
    // --rate 40 → chunks of 8 events: the one in flight at the kill may be there twice
    expect(enriched.length - history.length).toBeLessThanOrEqual(8);
    expect(enriched.every((m) => header(m, HEADER.replayId) === replayId)).toBe(true);
  });

  it('snapshots end offsets at start: events produced during the replay are not included', async () => {
    const prefix = uniqueName('sbe');
    const replayId = uniqueName('snap');
    sandboxes.push(sandbox(topics, prefix));
    const child = spawnReplay(topics, [
      ...['--from', iso(T - 3_600_000), '--target', 'sandbox', '--prefix', prefix, '--rate', '150'],
      ...['--replay-id', replayId, '--checkpoint-dir', checkpoints, '--allow-dlq', '--json'],
    ]);
    // the checkpoint is written once the window is planned: produce more history from then on
    await waitUntil('the replay to start', () =>
      existsSync(join(checkpoints, `${replayId}.json`)) ? true : undefined,
    );
    const late = Array.from({ length: 20 }, (_, i) => ({
      attempt: attempt({ sipCode: 486, q850Cause: 17 }),
      timestamp: T + 4 * DAY + 3_600_000 + i * 1000,
    }));
    await produce(late);
    expect(child.exitCode, 'the replay was still running').toBeNull();
    const run = await child.result;
    expect(run.code, run.stderr).toBe(0);
    expect(jsonSummary(run).counts.scanned).toBe(history.length + 1);

    const enriched = (await readToEnd(admin, [`${prefix}.${topics.enriched}`])).get(
      `${prefix}.${topics.enriched}`,
    )!;
    expect(enriched).toHaveLength(history.length);
    const lateIds = new Set(late.map((e) => e.attempt.eventId));
    expect(enriched.some((m) => lateIds.has(header(m, HEADER.eventId)!))).toBe(false);
  });
});
