// The processor end to end against the real broker, on each Kafka client: kafkajs, and the peer
// client (KAFKA_CLIENT=confluent: @confluentinc/kafka-javascript over librdkafka) when it is
// installed (`npm run peer:install`). Without the peer its suite is skipped, and the suite's name
// and a line on stderr say why.
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { frame, readSchema, registerSchema, type CallAttempt, type RegisteredType } from '@sipflow/codec';
import { confluentAvailability, createKafka, createRegistry } from '@sipflow/kafka';
import type { Admin, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attempt } from '../support/attempts';
import {
  createTestTopics,
  deleteTopics,
  header,
  readTopic,
  spawnProcessor,
  startInProcess,
  testConnection,
} from '../support/processor-harness';
import { type Topics } from '@sipflow/pipeline';

const peer = confluentAvailability();
if (!peer.installed)
  process.stderr.write(`[integration] KAFKA_CLIENT=confluent tests skipped: ${peer.reason}\n`);

const clients = [
  { name: 'kafkajs', env: {} as Record<string, string>, skip: false, title: 'kafkajs' },
  {
    name: 'confluent',
    env: { KAFKA_CLIENT: 'confluent' },
    skip: !peer.installed,
    title: peer.installed
      ? `KAFKA_CLIENT=confluent (${peer.version}, librdkafka ${peer.librdkafka})`
      : `KAFKA_CLIENT=confluent — skipped: ${peer.reason}`,
  },
];

const codes = [200, 486, 480, 404, 403, 503, 603, 487];

/** `n` valid events spread over many leads and codes. */
function events(n: number): CallAttempt[] {
  return Array.from({ length: n }, (_, i) =>
    attempt({ sipCode: codes[i % codes.length]!, leadId: `lead-${i % 97}` }),
  );
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  diagnostics?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(250);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${diagnostics ? `\n${diagnostics()}` : ''}`,
  );
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

for (const client of clients)
  describe.skipIf(client.skip)(`sipflow process on ${client.title}: delivery against a real broker`, () => {
    const registry = createRegistry(testConnection());
    const kafka = createKafka(testConnection());
    let producer: Producer;
    let admin: Admin;
    const created: Topics[] = [];
    const children: ChildProcess[] = [];

    beforeAll(async () => {
      producer = kafka.producer();
      admin = kafka.admin();
      await Promise.all([producer.connect(), admin.connect()]);
    });
    afterEach(() => {
      for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    });
    afterAll(async () => {
      await Promise.all([producer?.disconnect(), admin?.disconnect()]);
      for (const topics of created) await deleteTopics(topics);
    });

    async function freshTopics(
      prefix: string,
    ): Promise<{ topics: Topics; input: RegisteredType<CallAttempt> }> {
      const topics = await createTestTopics(prefix);
      created.push(topics);
      const input = await registerSchema<CallAttempt>(
        registry,
        `${topics.input}-value`,
        readSchema('call-attempt.avsc'),
      );
      return { topics, input };
    }

    async function produce(
      topics: Topics,
      input: RegisteredType<CallAttempt>,
      batch: CallAttempt[],
    ): Promise<void> {
      await producer.send({
        topic: topics.input,
        messages: batch.map((a) => ({ key: a.leadId, value: input.encode(a) })),
      });
    }

    async function committed(topics: Topics): Promise<number> {
      const [offsets] = await admin.fetchOffsets({
        groupId: `${topics.input}-group`,
        topics: [topics.input],
      });
      return offsets!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    }

    // on kafkajs, processor-routing.test.ts and observability.test.ts cover this in more depth
    it.runIf(client.name === 'confluent')(
      'routes each action to its topic with the source headers, dead-letters bad records, and is ready',
      async () => {
        const { topics, input } = await freshTopics(`${client.name}-routing`);
        const processor = await startInProcess(topics, { ...client.env, MAX_RECORD_BYTES: '4096' });
        try {
          const busy = attempt({ sipCode: 486, sipReason: 'Busy Here', q850Cause: 17 });
          const invalid = attempt({ sipCode: 404, sipReason: 'Not Found', q850Cause: 1 });
          const blocked = attempt({ sipCode: 403, sipReason: 'Forbidden', q850Cause: 21 });
          const connected = attempt({ sipCode: 200 });
          const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
          const poison: Record<string, Buffer> = {
            SIPFLOW_DECODE_MAGIC_BYTE: Buffer.from('{"sipCode": 486}'),
            SIPFLOW_DECODE_UNKNOWN_SCHEMA: frame(1_999_999_999, input.type.toBuffer(attempt())),
            SIPFLOW_INVALID_SIP_CODE: input.encode(attempt({ sipCode: 42 })),
            SIPFLOW_OVERSIZE_RECORD: Buffer.concat([Buffer.from([0]), Buffer.alloc(5000, 1)]),
          };
          await producer.send({
            topic: topics.input,
            messages: [
              ...[busy, invalid, blocked].map((a) => ({ key: a.leadId, value: input.encode(a) })),
              { key: connected.leadId, value: input.encode(connected), headers: { traceparent } },
              ...Object.entries(poison).map(([code, value]) => ({
                key: `poison-${code}`,
                value,
                headers: { 'x-origin': 'test' },
              })),
            ],
          });

          const enriched = await readTopic(topics.enriched, 4);
          expect(enriched).toHaveLength(4);
          for (const m of enriched) {
            const value = (await registry.decode(m.value!)) as { eventId: string; leadId: string };
            expect(m.key?.toString()).toBe(value.leadId);
            expect(header(m, 'sipflow-event-id')).toBe(value.eventId);
            expect(header(m, 'sipflow-source-topic')).toBe(topics.input);
            expect(header(m, 'sipflow-source-offset')).toMatch(/^\d+$/);
          }
          const traced = enriched.find((m) => header(m, 'sipflow-event-id') === connected.eventId)!;
          expect(header(traced, 'traceparent')).toBe(traceparent);
          const ids = async (topic: string, n: number) =>
            (await readTopic(topic, n)).map((m) => header(m, 'sipflow-event-id'));
          expect(await ids(topics.retry, 1)).toEqual([busy.eventId]);
          expect(await ids(topics.removal, 1)).toEqual([invalid.eventId]);
          expect(await ids(topics.compliance, 1)).toEqual([blocked.eventId]);

          const dlq = await readTopic(topics.dlq, Object.keys(poison).length);
          expect(dlq).toHaveLength(Object.keys(poison).length);
          for (const m of dlq) {
            const code = header(m, 'sipflow-error-code')!;
            expect(m.key?.toString()).toBe(`poison-${code}`);
            expect(Buffer.compare(m.value!, poison[code]!), `${code}: original bytes kept`).toBe(0);
            expect(header(m, 'x-origin'), 'original headers kept').toBe('test');
            expect(header(m, 'sipflow-source-timestamp')).toMatch(/^\d+$/);
          }

          const readiness = await processor.readiness();
          expect(readiness.checks.consumerGroup).toEqual({
            ok: true,
            detail: `member of ${topics.input}-group`,
          });
          expect(readiness.ready).toBe(true);
        } finally {
          await processor.stop();
        }
      },
    );

    it('at-least-once: a restarted processor resumes from the committed offsets and loses nothing', async () => {
      const { topics, input } = await freshTopics(`${client.name}-alo-restart`);
      const first = events(300);
      await produce(topics, input, first);
      const one = await startInProcess(topics, client.env);
      await readTopic(topics.enriched, first.length);
      await one.stop(); // commits what was acknowledged and leaves the group
      expect(await committed(topics)).toBe(first.length);

      const second = events(200);
      await produce(topics, input, second);
      const two = await startInProcess(topics, client.env);
      try {
        const enriched = await readTopic(topics.enriched, first.length + second.length);
        const ids = new Set(enriched.map((m) => header(m, 'sipflow-event-id')));
        for (const a of [...first, ...second]) expect(ids.has(a.eventId), a.eventId).toBe(true);
        // the second instance started from the commit, not from the beginning
        expect(enriched.length).toBe(first.length + second.length);
        await waitFor(
          'offsets committed',
          async () => ((await committed(topics)) === 500 ? true : undefined),
          15_000,
        );
      } finally {
        await two.stop();
      }
    });

    // on the peer client, SIGTERM is covered by the exactly-once test's clean exit
    it.runIf(client.name === 'kafkajs')(
      'SIGTERM under load: finishes the batch in hand, commits, exits 0 within the deadline, nothing lost',
      async () => {
        const { topics, input } = await freshTopics('sigterm');
        const all = events(20_000);
        await produce(topics, input, all.slice(0, 10_000));
        const child = spawnProcessor(topics, { SHUTDOWN_TIMEOUT_SECONDS: '20' });
        children.push(child);
        const exited = exitOf(child);
        await waitFor(
          'the processor to make progress',
          async () => ((await committed(topics)) > 0 ? true : undefined),
          60_000,
          child.output,
        );
        void produce(topics, input, all.slice(10_000)); // still arriving while it shuts down

        const signalledAt = Date.now();
        child.kill('SIGTERM');
        const { code } = await exited;
        expect(code).toBe(0);
        expect(Date.now() - signalledAt).toBeLessThan(20_000);

        // every input below the committed offsets has its enriched output: nothing skipped
        const done = await committed(topics);
        expect(done).toBeGreaterThan(0);
        const enriched = await readTopic(topics.enriched, done, { timeoutMs: 20_000 });
        const processed = new Set(
          enriched.map(
            (m) => `${header(m, 'sipflow-source-partition')}:${header(m, 'sipflow-source-offset')}`,
          ),
        );
        const [offsets] = await admin.fetchOffsets({
          groupId: `${topics.input}-group`,
          topics: [topics.input],
        });
        for (const { partition, offset } of offsets!.partitions) {
          for (let o = 0; o < Number(offset); o++)
            expect(processed.has(`${partition}:${o}`), `${partition}:${o}`).toBe(true);
        }
      },
    );

    it('exactly-once: a processor killed with SIGKILL mid-stream and restarted outputs each input exactly once', async () => {
      const { topics, input } = await freshTopics(`${client.name}-eos-kill`);
      const env = {
        ...client.env,
        PROCESSING_GUARANTEE: 'exactly_once',
        TRANSACTIONAL_ID: `${topics.input}-tx`,
      };
      const all = events(16_000);
      await produce(topics, input, all.slice(0, 2000));

      const first = spawnProcessor(topics, env);
      children.push(first);
      const firstExit = exitOf(first);
      // a steady stream (~2,000/s for 7 s), so that the kill lands while batches are in flight (with at-least-once
      // this same test sees duplicates: the outputs since the last commit are produced again)
      const feeding = (async () => {
        for (let i = 2000; i < all.length; i += 100) {
          await produce(topics, input, all.slice(i, i + 100));
          await sleep(50);
        }
      })();
      await waitFor(
        'the first transactions to commit',
        async () => ((await committed(topics)) >= 4000 ? true : undefined),
        60_000,
        first.output,
      );
      first.kill('SIGKILL');
      expect((await firstExit).signal).toBe('SIGKILL');
      await feeding;

      const second = spawnProcessor(topics, env);
      children.push(second);
      await waitFor(
        'all input committed',
        async () => ((await committed(topics)) === all.length ? true : undefined),
        90_000,
        second.output,
      );
      second.kill('SIGTERM');
      expect((await exitOf(second)).code).toBe(0);

      const enriched = await readTopic(topics.enriched, all.length, { timeoutMs: 30_000, settleMs: 2000 });
      const counts = new Map<string, number>();
      for (const m of enriched)
        counts.set(header(m, 'sipflow-event-id')!, (counts.get(header(m, 'sipflow-event-id')!) ?? 0) + 1);
      const missing = all.filter((a) => !counts.has(a.eventId)).length;
      const duplicated = [...counts.values()].filter((n) => n > 1).length;
      expect({ missing, duplicated, total: enriched.length }).toEqual({
        missing: 0,
        duplicated: 0,
        total: all.length,
      });
    });
  });
