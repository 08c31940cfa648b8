import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { AvroDecoder, frame, type CallAttempt } from '@sipflow/codec';
import { SipflowError } from '@sipflow/errors';
import { inputReaderType, offlineEncoders, prefixedTopics, topicsFromEnv } from '@sipflow/pipeline';
import { defaultRules } from '@sipflow/rules';
import { tagBatchMembership, type GroupMembership } from '@sipflow/kafka';
import { createProcessorMetrics } from '@sipflow/telemetry';
import type { KafkaMessage, ProducerBatch } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { attempt } from '../../../test/support/call-attempt';
import { createBatchHandler, type BatchPayload, type OutputProducer } from '../src/batch-handler';
import type { ProcessingGuarantee } from '../src/config';

/**
 * The batch handler's offset and transaction decisions, with the Kafka client faked at its
 * interface (the calls the handler makes, in order), not a fake broker: what reaches the broker
 * is the integration and fault tests' business.
 */

const SCHEMA_ID = 3;
const readerType = inputReaderType();
const topics = prefixedTopics(topicsFromEnv({}), 'unit');

const event = (i: number, sipCode: number): CallAttempt =>
  attempt({ eventId: `e-${i}`, leadId: `lead-${i}`, sipCode, callerId: null });

const inputs = (): KafkaMessage[] =>
  [
    frame(SCHEMA_ID, readerType.toBuffer(event(1, 486))),
    Buffer.from('junk'),
    frame(SCHEMA_ID, readerType.toBuffer(event(2, 200))),
  ].map((value, i) => ({
    key: null,
    value,
    offset: String(40 + i),
    timestamp: '0',
    attributes: 0,
    headers: {},
  }));

type Call = { op: string; detail?: unknown };

/** A producer that records what the handler asks of it; `fail` names an operation that throws. */
function fakeProducer(
  calls: Call[],
  fail?: 'send' | 'tx-send' | 'sendOffsets' | 'commit',
  error: () => Error = () => new SipflowError('SIPFLOW_KAFKA_UNAVAILABLE' as never, 'broker unreachable'),
): OutputProducer {
  const boom = () => {
    throw error();
  };
  return {
    sendBatch: async (batch: ProducerBatch) => {
      calls.push({ op: 'send', detail: batch.topicMessages?.map((t) => [t.topic, t.messages.length]) });
      if (fail === 'send') boom();
      return [];
    },
    transaction: async () => {
      calls.push({ op: 'begin' });
      return {
        sendBatch: async (batch: ProducerBatch) => {
          calls.push({
            op: 'tx-send',
            detail: batch.topicMessages?.map((t) => [t.topic, t.messages.length]),
          });
          if (fail === 'tx-send') boom();
          return [];
        },
        sendOffsets: async (offsets: unknown) => {
          calls.push({ op: 'sendOffsets', detail: offsets });
          if (fail === 'sendOffsets') boom();
        },
        commit: async () => {
          calls.push({ op: 'commit' });
          if (fail === 'commit') boom();
        },
        abort: async () => {
          calls.push({ op: 'abort' });
        },
      } as never;
    },
  } as OutputProducer;
}

/** A kafkajs connection error, as a heartbeat or commit to a dead coordinator throws it. */
const connectionRefused = () =>
  Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:39599'), {
    name: 'KafkaJSConnectionError',
  });

function payload(
  calls: Call[],
  opts: { stale?: () => boolean; commitFails?: boolean; heartbeatFails?: boolean; partition?: number } = {},
): BatchPayload {
  const messages = inputs();
  return {
    batch: {
      topic: topics.input,
      partition: opts.partition ?? 1,
      messages,
      lastOffset: () => messages.at(-1)!.offset,
    },
    resolveOffset: (offset: string) => calls.push({ op: 'resolve', detail: offset }),
    uncommittedOffsets: () => ({
      topics: [{ topic: topics.input, partitions: [{ partition: 1, offset: '43' }] }],
    }),
    commitOffsetsIfNecessary: async (offsets) => {
      calls.push({ op: 'commit-offsets', detail: offsets });
      if (opts.commitFails) throw connectionRefused();
    },
    heartbeat: async () => {
      calls.push({ op: 'heartbeat' });
      if (opts.heartbeatFails) throw connectionRefused();
    },
    isRunning: () => true,
    isStale: opts.stale ?? (() => false),
  };
}

async function handler(
  guarantee: ProcessingGuarantee,
  producer: OutputProducer,
  opts: { calls?: Call[]; prepareFailures?: number } = {},
) {
  let failures = opts.prepareFailures ?? 0;
  const registry = {
    getSchema: async (id: number) => {
      if (failures > 0) {
        failures--;
        throw Object.assign(new Error('registry down'), { code: 'ECONNREFUSED' });
      }
      if (id === SCHEMA_ID) return readerType;
      throw Object.assign(new Error('not found'), { status: 404 });
    },
  } as unknown as SchemaRegistry;
  const metricsRegistry = new Registry();
  const metrics = createProcessorMetrics(metricsRegistry, { defaultMetrics: false });
  const handle = createBatchHandler({
    decoder: new AvroDecoder<CallAttempt>(registry, readerType),
    rules: () => defaultRules(),
    encoders: offlineEncoders(topics),
    topics,
    maxRecordBytes: 4096,
    replayId: null,
    producer,
    guarantee,
    groupId: 'group-1',
    // a fake consumer's batches carry no group generation: nothing to fence
    sessionTimeoutMs: 30_000,
    requireFencing: false,
    metrics,
    logger: pino({ level: 'silent' }),
    ...(opts.calls
      ? {
          fault: {
            batchStarted: () => 1,
            at: (point: string) =>
              void (point === 'after-outputs' && opts.calls!.push({ op: 'fault-point' })),
          },
        }
      : {}),
  });
  // label sets are created up front at 0 (so rate() works from the start): look at those counted
  const metric = async (name: string) =>
    (await metricsRegistry.getSingleMetric(name)!.get()).values.filter((v) => v.value > 0);
  return { handle, metric };
}

const outputsOfBatch = [
  [topics.enriched, 2],
  [topics.retry, 1],
  [topics.dlq, 1],
];

const committed = {
  op: 'commit-offsets',
  detail: { topics: [{ topic: topics.input, partitions: [{ partition: 1, offset: '43' }] }] },
};

describe('batch handler, at-least-once', () => {
  it('sends every output (one chunk here), then resolves and commits the offset, then heartbeats', async () => {
    const calls: Call[] = [];
    const { handle, metric } = await handler('at_least_once', fakeProducer(calls));
    await handle(payload(calls));
    expect(calls).toEqual([
      { op: 'send', detail: outputsOfBatch },
      { op: 'resolve', detail: '42' },
      committed,
      { op: 'heartbeat' },
    ]);
    expect((await metric('sipflow_events_consumed_total'))[0]?.value).toBe(3);
    expect(await metric('sipflow_dispositions_total')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ value: 1, labels: { disposition: 'BUSY', action: 'RETRY' } }),
        expect.objectContaining({ value: 1, labels: { disposition: 'CONNECTED', action: 'NONE' } }),
      ]),
    );
    expect(await metric('sipflow_dlq_records_total')).toEqual([
      expect.objectContaining({ value: 1, labels: { error_code: 'SIPFLOW_DECODE_MAGIC_BYTE' } }),
    ]);
  });

  it('does not resolve the offset when the partition was revoked during the send', async () => {
    const calls: Call[] = [];
    const { handle, metric } = await handler('at_least_once', fakeProducer(calls));
    await handle(payload(calls, { stale: () => calls.some((c) => c.op === 'send') }));
    expect(calls.map((c) => c.op)).toEqual(['send']);
    expect((await metric('sipflow_events_consumed_total')).length).toBe(0);
  });

  it('leaves the offset where it was when the send fails, and lets the error out', async () => {
    const calls: Call[] = [];
    const { handle } = await handler('at_least_once', fakeProducer(calls, 'send'));
    await expect(handle(payload(calls))).rejects.toThrow('broker unreachable');
    expect(calls.map((c) => c.op)).toEqual(['send']);
  });

  it('has its fault point after the outputs are acknowledged and before the offset', async () => {
    const calls: Call[] = [];
    const { handle } = await handler('at_least_once', fakeProducer(calls), { calls });
    await handle(payload(calls));
    expect(calls.map((c) => c.op)).toEqual(['send', 'fault-point', 'resolve', 'commit-offsets', 'heartbeat']);
  });

  it('waits out a registry that is away before it processes the batch', async () => {
    const calls: Call[] = [];
    const { handle, metric } = await handler('at_least_once', fakeProducer(calls), { prepareFailures: 1 });
    await handle(payload(calls));
    expect(calls.map((c) => c.op)).toEqual(['heartbeat', 'send', 'resolve', 'commit-offsets', 'heartbeat']);
    expect(await metric('sipflow_client_restarts_total')).toEqual([
      expect.objectContaining({ value: 1, labels: { reason: 'registry_unavailable' } }),
    ]);
  });

  it('turns a commit to a dead coordinator into the error that makes kafkajs re-join', async () => {
    const calls: Call[] = [];
    const { handle } = await handler('at_least_once', fakeProducer(calls));
    const failure = await handle(payload(calls, { commitFails: true })).catch((err: unknown) => err);
    // kafkajs' runner re-joins (and so looks the coordinator up again) on this `type` alone
    expect(failure).toMatchObject({
      code: 'SIPFLOW_KAFKA_UNAVAILABLE',
      type: 'NOT_COORDINATOR_FOR_GROUP',
      retriable: true,
      message: expect.stringContaining('ECONNREFUSED'),
    });
    expect(calls.map((c) => c.op)).toEqual(['send', 'resolve', 'commit-offsets']);
  });

  it('processes no batch until the group is joined again once the coordinator is lost', async () => {
    const calls: Call[] = [];
    const { handle } = await handler('at_least_once', fakeProducer(calls));
    await expect(handle(payload(calls, { heartbeatFails: true }))).rejects.toMatchObject({
      type: 'NOT_COORDINATOR_FOR_GROUP',
    });
    calls.length = 0;
    // the next batch (of any partition) would be processed again after the re-join: refused
    const refused = await handle(payload(calls)).catch((err: unknown) => err);
    expect(refused).toMatchObject({ type: 'NOT_COORDINATOR_FOR_GROUP' });
    // one level of explanation, not one more per refused batch
    expect((refused as Error).message.match(/group coordinator lost/g)).toHaveLength(1);
    expect(calls).toEqual([]);
    handle.joined();
    await handle(payload(calls));
    expect(calls.map((c) => c.op)).toEqual(['send', 'resolve', 'commit-offsets', 'heartbeat']);
  });

  it('after a re-join that failed, processes nothing and asks kafkajs to join again, until a join succeeds', async () => {
    const calls: Call[] = [];
    const { handle } = await handler('at_least_once', fakeProducer(calls));
    await handle.settle(1000);
    // handed out between settle and the join: left alone
    await handle(payload(calls));
    expect(calls).toEqual([]);
    // a JoinGroup refused (COORDINATOR_LOAD_IN_PROGRESS): kafkajs fetches on in its old generation,
    // and no GROUP_JOIN will come unless it is asked to join again
    const loading = Object.assign(new Error('The coordinator is loading'), {
      type: 'GROUP_LOAD_IN_PROGRESS',
    });
    handle.joinFailed(loading);
    for (let i = 0; i < 2; i++) {
      const refused = await handle(payload(calls)).catch((err: unknown) => err);
      // the type kafkajs' runner re-joins on (and looks the coordinator up again)
      expect(refused).toMatchObject({
        type: 'NOT_COORDINATOR_FOR_GROUP',
        message: expect.stringContaining('loading'),
      });
    }
    expect(calls).toEqual([]);
    handle.joined();
    await handle(payload(calls));
    expect(calls.map((c) => c.op)).toEqual(['send', 'resolve', 'commit-offsets', 'heartbeat']);
  });

  it('lets other commit failures out as they are, and keeps processing', async () => {
    const calls: Call[] = [];
    const { handle } = await handler('at_least_once', fakeProducer(calls));
    const p = payload(calls);
    p.commitOffsetsIfNecessary = async () => {
      throw Object.assign(new Error('rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
    };
    await expect(handle(p)).rejects.toMatchObject({ type: 'REBALANCE_IN_PROGRESS' });
    calls.length = 0;
    await handle(payload(calls));
    expect(calls.map((c) => c.op)).toEqual(['send', 'resolve', 'commit-offsets', 'heartbeat']);
  });

  it('does nothing for an empty batch', async () => {
    const calls: Call[] = [];
    const { handle } = await handler('at_least_once', fakeProducer(calls));
    const empty = payload(calls);
    empty.batch.messages = [];
    await handle(empty);
    expect(calls).toEqual([]);
  });
});

describe('batch handler, exactly-once', () => {
  it('sends the outputs and the next offset in one transaction, commits, then resolves', async () => {
    const calls: Call[] = [];
    const { handle } = await handler('exactly_once', fakeProducer(calls), { calls });
    await handle(payload(calls));
    expect(calls).toEqual([
      { op: 'begin' },
      { op: 'tx-send', detail: outputsOfBatch },
      { op: 'fault-point' },
      {
        op: 'sendOffsets',
        detail: {
          consumerGroupId: 'group-1',
          topics: [{ topic: topics.input, partitions: [{ partition: 1, offset: '43' }] }],
        },
      },
      { op: 'commit' },
      { op: 'resolve', detail: '42' },
      { op: 'heartbeat' },
    ]);
  });

  it('puts the batches that become ready while a transaction commits into the next one, together', async () => {
    const calls: Call[] = [];
    const { handle } = await handler('exactly_once', fakeProducer(calls));
    // three partitions' batches at once, as kafkajs hands them out (PARTITIONS_CONSUMED_CONCURRENTLY)
    await Promise.all([1, 2, 3].map((partition) => handle(payload(calls, { partition }))));
    const ops = calls.map((c) => c.op).filter((op) => op !== 'resolve' && op !== 'heartbeat');
    expect(ops).toEqual([
      'begin',
      'tx-send',
      'sendOffsets',
      'commit',
      'begin',
      'tx-send',
      'sendOffsets',
      'commit',
    ]);
    const [, second] = calls.filter((c) => c.op === 'sendOffsets');
    expect(second!.detail).toEqual({
      consumerGroupId: 'group-1',
      topics: [
        {
          topic: topics.input,
          partitions: [
            { partition: 2, offset: '43' },
            { partition: 3, offset: '43' },
          ],
        },
      ],
    });
    // one send of both batches' outputs: each topic's records twice over
    const [, merged] = calls.filter((c) => c.op === 'tx-send');
    expect(merged!.detail).toEqual(outputsOfBatch.map(([topic, n]) => [topic, (n as number) * 2]));
    expect(calls.filter((c) => c.op === 'resolve')).toHaveLength(3);
  });

  for (const step of ['tx-send', 'sendOffsets', 'commit'] as const) {
    it(`aborts the transaction and resolves nothing when ${step} fails`, async () => {
      const calls: Call[] = [];
      const { handle } = await handler('exactly_once', fakeProducer(calls, step));
      await expect(handle(payload(calls))).rejects.toThrow('broker unreachable');
      expect(calls.map((c) => c.op).at(-1)).toBe('abort');
      expect(calls.map((c) => c.op)).not.toContain('resolve');
      if (step !== 'commit') expect(calls.map((c) => c.op)).not.toContain('commit');
    });
  }
});

/** kafkajs' error for a member the coordinator no longer knows (what it throws for a fenced commit). */
const unknownMember = () =>
  Object.assign(new Error('The coordinator is not aware of this member'), {
    name: 'KafkaJSProtocolError',
    type: 'UNKNOWN_MEMBER_ID',
  });

/** The generation a batch was fetched in, as kafkajs-group-fencing.ts tags it, with its calls recorded. */
function membership(
  calls: Call[],
  opts: { current?: boolean; confirmedAgoMs?: number; confirmFails?: boolean } = {},
): GroupMembership {
  return {
    groupId: 'group-1',
    generationId: 7,
    memberId: 'm-1',
    groupInstanceId: null,
    isCurrent: () => opts.current ?? true,
    confirmedAt: () => performance.now() - (opts.confirmedAgoMs ?? 0),
    confirm: async () => {
      calls.push({ op: 'confirm' });
      if (opts.confirmFails) throw unknownMember();
    },
  };
}

const fetchedIn = (p: BatchPayload, m: GroupMembership): BatchPayload => ({
  ...p,
  batch: tagBatchMembership(p.batch, m),
});

describe('batch handler, a member out of its group generation', () => {
  it('writes nothing of a batch fetched in a generation it has left', async () => {
    for (const guarantee of ['at_least_once', 'exactly_once'] as const) {
      const calls: Call[] = [];
      const { handle, metric } = await handler(guarantee, fakeProducer(calls));
      await handle(fetchedIn(payload(calls), membership(calls, { current: false })));
      expect(calls).toEqual([]);
      expect(await metric('sipflow_fenced_batches_total')).toEqual([
        expect.objectContaining({ value: 1, labels: { reason: 'stale_generation' } }),
      ]);
    }
  });

  it('exactly-once: offsets refused by the coordinator abort the transaction and resolve nothing', async () => {
    const calls: Call[] = [];
    const { handle, metric } = await handler(
      'exactly_once',
      fakeProducer(calls, 'sendOffsets', unknownMember),
    );
    await expect(handle(fetchedIn(payload(calls), membership(calls)))).rejects.toMatchObject({
      type: 'UNKNOWN_MEMBER_ID',
    });
    expect(calls.map((c) => c.op)).toEqual(['begin', 'tx-send', 'sendOffsets', 'abort']);
    expect(await metric('sipflow_fenced_batches_total')).toEqual([
      expect.objectContaining({ value: 1, labels: { reason: 'commit_refused' } }),
    ]);
  });

  it('at-least-once: asks the coordinator before writing after half a session of silence, and writes nothing when it is out', async () => {
    const calls: Call[] = [];
    const { handle } = await handler('at_least_once', fakeProducer(calls));
    await expect(
      handle(fetchedIn(payload(calls), membership(calls, { confirmedAgoMs: 20_000, confirmFails: true }))),
    ).rejects.toMatchObject({ type: 'UNKNOWN_MEMBER_ID' });
    expect(calls.map((c) => c.op)).toEqual(['confirm']);
  });

  it('at-least-once: a member that heartbeated recently writes without asking', async () => {
    const calls: Call[] = [];
    const { handle } = await handler('at_least_once', fakeProducer(calls));
    await handle(fetchedIn(payload(calls), membership(calls, { confirmedAgoMs: 1000 })));
    expect(calls.map((c) => c.op)).toEqual(['send', 'resolve', 'commit-offsets', 'heartbeat']);
  });
});
