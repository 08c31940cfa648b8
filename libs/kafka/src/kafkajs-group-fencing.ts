import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { SipflowError } from '@sipflow/errors';
// static imports, so a bundle (npm run build) patches the kafkajs it bundles, not another copy
import Broker from 'kafkajs/src/broker/index.js';
import ConsumerGroup from 'kafkajs/src/consumer/consumerGroup.js';
import Runner from 'kafkajs/src/consumer/runner.js';
import {
  OFFSET_FETCH,
  TXN_OFFSET_COMMIT,
  offsetFetchV7,
  txnOffsetCommitV3,
  type GroupMetadata,
  type KafkajsProtocolRequest,
} from './kafkajs-fenced-requests';

/**
 * Why this exists: kafkajs 2.2.4 commits a transaction's offsets with TxnOffsetCommit v0–v1,
 * without the consumer's group generation and member id, and the group coordinator accepts such a
 * commit from anyone (compatibility with pre-KIP-447 clients). A member paused past its session
 * timeout (a long GC pause, a throttled container, SIGSTOP) loses its partitions to another member,
 * then wakes up and commits the transaction of the batch it had in hand: its outputs become visible
 * next to the new owner's, which processed the same records again. KIP-447 (Kafka 2.5; Kafka
 * Streams' exactly_once_v2) closes that hole, and this file gives kafkajs the parts of it sipflow
 * needs:
 *
 * - every fetched batch remembers the generation and member id it was fetched under
 *   (`batchMembership`): what it does is valid for that generation only;
 * - `withFencedOffsets(membership, fn)`: the TxnOffsetCommit sent inside `fn` (the transaction's
 *   sendOffsets) is v3 with that generation, member id and group instance id, so the coordinator
 *   refuses it (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID) once the member is out
 *   of that generation, and the transaction must be aborted;
 * - the consumer reads its committed offsets with OffsetFetch v7 and require_stable: while a
 *   transaction holds offsets of a partition (a zombie's, which may still commit), the coordinator
 *   answers UNSTABLE_OFFSET_COMMIT and the new owner waits, heartbeating, rather than starting from
 *   the offset before that transaction (the Java consumer does the same under read_committed);
 * - `membership.confirm()`: a heartbeat now, for a member that may have been paused and wants to
 *   know it still owns its partitions before it writes (at-least-once has no transaction to abort);
 * - the GROUP_JOIN event carries `generationId`, so the per-number state can tell a member that
 *   held its partitions from one generation to the next from one that was out in between.
 *
 * kafkajs keeps these classes internal, so they are reached by their files in the package (typed in
 * kafkajs-internals.d.ts); each is one per process, so patching them once covers every client.
 */

/** The generation a batch was fetched under, and what the member can ask of it. */
export type GroupMembership = GroupMetadata & {
  groupId: string;
  /** this member is still in this generation, as far as this client knows (no request) */
  isCurrent: () => boolean;
  /**
   * performance.now() at the start of the last exchange in which the coordinator confirmed this
   * member (a join or an accepted heartbeat); the coordinator cannot have given its partitions
   * away before this plus the session timeout
   */
  confirmedAt: () => number;
  /** a heartbeat now, whatever the interval; throws kafkajs' error when the member is out */
  confirm: () => Promise<void>;
};

type KafkajsConsumerGroup = {
  groupId: string;
  generationId: number | null;
  memberId: string | null;
  lastRequest: number;
  instrumentationEmitter: { emit: (name: string, payload: unknown) => unknown };
  heartbeat: (opts: { interval: number }) => Promise<void>;
  [CONFIRMED_AT]?: number;
  [HEARTBEAT_SINCE]?: number;
};
type KafkajsBroker = {
  versions?: Record<number, { minVersion: number; maxVersion: number }>;
  connectionPool: { send: <T>(req: KafkajsProtocolRequest<T>) => Promise<T> };
  disconnect: () => Promise<void>;
};

/** The kafkajs release these patches were written against (a test fails when the pin moves). */
export const GROUP_FENCING_KAFKAJS_VERSION = '2.2.4';
/** kafkajs' name for the GROUP_JOIN instrumentation event (consumer/instrumentationEvents.js). */
const GROUP_JOIN_EVENT = 'consumer.group_join';
/**
 * How long a consumer waits for a partition's pending transactional offsets to settle. A zombie's
 * open transaction is ended by the zombie or aborted by the transaction coordinator after the
 * producer's transaction timeout (10 s in sipflow) plus its sweep interval
 * (transaction.abort.timed.out.transaction.cleanup.interval.ms, 10 s by default: Kafka's broker
 * configuration reference, checked 2026-12-07); past this the error goes to kafkajs, which retries
 * the fetch.
 */
const STABLE_OFFSETS_WAIT_MS = 60_000;

const MEMBERSHIP = Symbol('sipflow.groupMembership');
const CONFIRMED_AT = Symbol('sipflow.groupConfirmedAt');
const HEARTBEAT_SINCE = Symbol('sipflow.heartbeatSince');
const JOINING_GROUP = Symbol('sipflow.joiningGroup');

const fencedOffsets = new AsyncLocalStorage<GroupMetadata>();
/** per group id: what to wait for before a member (re-)joins, and whom to tell if it fails */
const beforeJoin = new Map<string, Set<JoinHooks>>();
/** set while a consumer group resolves its offsets: how to keep heartbeating while it waits */
const stableOffsets = new AsyncLocalStorage<{ heartbeat: () => Promise<void> }>();
const handledBatch = new AsyncLocalStorage<GroupMembership | undefined>();

function membershipOf(group: KafkajsConsumerGroup): GroupMembership | undefined {
  const { generationId, memberId } = group;
  if (generationId === null || generationId < 0 || !memberId) return undefined;
  const isCurrent = () => group.generationId === generationId && group.memberId === memberId;
  return {
    groupId: group.groupId,
    generationId,
    memberId,
    // kafkajs 2.2.4 has no static membership (KIP-345): it never sends a group instance id
    groupInstanceId: null,
    isCurrent,
    confirmedAt: () => group[CONFIRMED_AT] ?? Number.NEGATIVE_INFINITY,
    confirm: async () => {
      if (!isCurrent()) throw notInGeneration(group, generationId);
      await group.heartbeat({ interval: 0 });
    },
  };
}

/** kafkajs' own error for a member out of its generation: its runner re-joins on it. */
function notInGeneration(group: KafkajsConsumerGroup, generationId: number): Error {
  return Object.assign(
    new Error(
      `this batch was fetched in generation ${generationId} of group ${group.groupId}; the member is in ${group.generationId ?? 'none'} now`,
    ),
    { name: 'KafkaJSProtocolError', type: 'ILLEGAL_GENERATION', code: 22, retriable: false },
  );
}

/** The generation `batch` (a kafkajs eachBatch batch) was fetched under; undefined if unpatched. */
export function batchMembership(batch: object): GroupMembership | undefined {
  return (batch as { [MEMBERSHIP]?: GroupMembership })[MEMBERSHIP];
}

/** Marks `batch` as fetched under `membership` (the fetch patch below does; handler tests too). */
export function tagBatchMembership<T extends object>(batch: T, membership: GroupMembership): T {
  return Object.assign(batch, { [MEMBERSHIP]: membership });
}

/** The membership of the batch kafkajs is handling in the current async context (its events). */
export function handledBatchMembership(): GroupMembership | undefined {
  return handledBatch.getStore();
}

/** Runs `fn` (a transaction's sendOffsets) so that its TxnOffsetCommit carries `membership`. */
export function withFencedOffsets<T>(membership: GroupMetadata, fn: () => Promise<T>): Promise<T> {
  const { generationId, memberId, groupInstanceId } = membership;
  return fencedOffsets.run({ generationId, memberId, groupInstanceId }, fn);
}

/** What a member's (re-)join waits for, and whom it tells when the join fails. */
export type JoinHooks = {
  /** resolves once the batches in hand are finished (or failed): the join waits for it */
  settle: () => Promise<void>;
  /**
   * The join failed after `settle`. kafkajs then goes on fetching in the generation it had: its
   * runner retries its fetch loop, not the join, on a retriable error such as
   * COORDINATOR_LOAD_IN_PROGRESS (kafkajs: GROUP_LOAD_IN_PROGRESS) while a new coordinator loads
   * the group. Whoever waits for the join must know: kafkajs will not join again by itself.
   */
  joinFailed: (err: unknown) => void;
};

/**
 * Has every (re-)join of `groupId`'s member in this process wait for `hooks.settle` first. kafkajs
 * re-joins as soon as one batch's handler throws a rebalance-type error, while the batches of the
 * same fetch on its other workers are still being processed: one of them could still be writing
 * for a partition the re-join gives to another member, after that member's first writes, and so
 * put a lead's records out of order. The Java consumer revokes partitions (and a Streams task
 * commits) in its poll loop before it re-joins; this is kafkajs' equivalent. Returns the undo.
 */
export function beforeJoining(groupId: string, hooks: JoinHooks): () => void {
  // several members of one group in one process (tests do that) each wait for all of them
  const all = beforeJoin.get(groupId) ?? new Set();
  all.add(hooks);
  beforeJoin.set(groupId, all);
  return () => void all.delete(hooks);
}

/** The errors with which a group coordinator refuses a member outside the current generation. */
export function isFencedByGroup(err: unknown): boolean {
  const type = (err as { type?: string } | null)?.type;
  return (
    type === 'ILLEGAL_GENERATION' ||
    type === 'UNKNOWN_MEMBER_ID' ||
    type === 'FENCED_INSTANCE_ID' ||
    type === 'REBALANCE_IN_PROGRESS'
  );
}

async function send<T>(broker: KafkajsBroker, req: KafkajsProtocolRequest<T>): Promise<T> {
  try {
    return await broker.connectionPool.send(req);
  } catch (err) {
    // as kafkajs' Broker does for its own requests
    if ((err as { name?: string }).name === 'KafkaJSConnectionClosedError') await broker.disconnect();
    throw err;
  }
}

const supports = (broker: KafkajsBroker, apiKey: number, version: number) =>
  (broker.versions?.[apiKey]?.maxVersion ?? -1) >= version;

function requireMethod(proto: Record<string, unknown>, owner: string, name: string) {
  const fn = proto[name];
  if (typeof fn !== 'function')
    // loud at start-up rather than silently unfenced: kafkajs' layout is not what this expects
    throw new SipflowError(
      'SIPFLOW_INTERNAL_ERROR',
      `kafkajs' ${owner} has no ${name} (written for kafkajs ${GROUP_FENCING_KAFKAJS_VERSION})`,
      { expectedKafkajs: GROUP_FENCING_KAFKAJS_VERSION },
    );
  return fn as (...args: unknown[]) => Promise<unknown>;
}

let installed = false;

/** Whether this module's patches are on kafkajs' classes (they are once it is imported). */
export function groupFencingInstalled(): boolean {
  return installed;
}

function install(): void {
  const broker = Broker.prototype;
  const group = ConsumerGroup.prototype;
  const runner = Runner.prototype;
  const txnOffsetCommit = requireMethod(broker, 'Broker', 'txnOffsetCommit');
  const offsetFetch = requireMethod(broker, 'Broker', 'offsetFetch');
  const fetch = requireMethod(group, 'ConsumerGroup', 'fetch');
  const heartbeat = requireMethod(group, 'ConsumerGroup', 'heartbeat');
  const joinAndSync = requireMethod(group, 'ConsumerGroup', 'joinAndSync');
  const handleBatch = requireMethod(runner, 'Runner', 'handleBatch');

  broker.txnOffsetCommit = async function (
    this: KafkajsBroker,
    args: Omit<Parameters<typeof txnOffsetCommitV3>[0], keyof GroupMetadata>,
  ) {
    const metadata = fencedOffsets.getStore();
    if (metadata === undefined) return txnOffsetCommit.call(this, args);
    if (!supports(this, TXN_OFFSET_COMMIT.apiKey, TXN_OFFSET_COMMIT.fencedVersion))
      throw new SipflowError(
        'SIPFLOW_KAFKA_CLIENT',
        `the group coordinator does not take TxnOffsetCommit v${TXN_OFFSET_COMMIT.fencedVersion} (KIP-447, Kafka 2.5+): exactly-once cannot fence a member out of its generation on this cluster`,
        {},
      );
    return send(this, txnOffsetCommitV3({ ...args, ...metadata }));
  };

  broker.offsetFetch = async function (
    this: KafkajsBroker,
    args: { groupId: string; topics: { topic: string; partitions: { partition: number }[] }[] },
  ) {
    const waiting = stableOffsets.getStore();
    if (waiting === undefined || !supports(this, OFFSET_FETCH.apiKey, OFFSET_FETCH.stableVersion))
      return offsetFetch.call(this, args);
    const deadline = performance.now() + STABLE_OFFSETS_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return await send(this, offsetFetchV7({ ...args, requireStable: true }));
      } catch (err) {
        if ((err as { type?: string }).type !== 'UNSTABLE_OFFSET_COMMIT' || performance.now() > deadline)
          throw err;
        await sleep(Math.min(50 * 2 ** attempt, 1000));
        // the wait can outlast the session timeout: the member stays in the group meanwhile
        await waiting.heartbeat();
      }
    }
  };

  group.fetch = async function (this: KafkajsConsumerGroup, nodeId: unknown) {
    // the generation before the fetch: the positions fetched from are that generation's
    const membership = membershipOf(this);
    const batches = (await stableOffsets.run({ heartbeat: () => this.heartbeat({ interval: 0 }) }, () =>
      fetch.call(this, nodeId),
    )) as object[];
    if (membership !== undefined) for (const batch of batches) tagBatchMembership(batch, membership);
    return batches;
  };

  group.heartbeat = async function (this: KafkajsConsumerGroup, opts: { interval: number }) {
    // concurrent callers share kafkajs' one heartbeat in flight: the first caller's start is its send
    const first = this[HEARTBEAT_SINCE] === undefined;
    if (first) this[HEARTBEAT_SINCE] = performance.now();
    const since = this[HEARTBEAT_SINCE]!;
    const before = this.lastRequest;
    try {
      await heartbeat.call(this, opts);
    } finally {
      if (first) this[HEARTBEAT_SINCE] = undefined;
    }
    // kafkajs moves lastRequest only when a heartbeat was sent and accepted
    if (this.lastRequest !== before) this[CONFIRMED_AT] = Math.max(this[CONFIRMED_AT] ?? 0, since);
  };

  group.joinAndSync = async function (this: KafkajsConsumerGroup) {
    const emitter = this.instrumentationEmitter as KafkajsConsumerGroup['instrumentationEmitter'] & {
      [JOINING_GROUP]?: KafkajsConsumerGroup;
    };
    if (!(JOINING_GROUP in emitter)) {
      const emit = emitter.emit.bind(emitter);
      emitter.emit = (name, payload) =>
        emit(
          name,
          name === GROUP_JOIN_EVENT
            ? { ...(payload as object), generationId: emitter[JOINING_GROUP]?.generationId }
            : payload,
        );
    }
    emitter[JOINING_GROUP] = this;
    const hooks = [...(beforeJoin.get(this.groupId) ?? [])];
    await Promise.all(hooks.map((h) => h.settle()));
    const startedAt = performance.now();
    try {
      await joinAndSync.call(this);
    } catch (err) {
      for (const h of hooks) h.joinFailed(err);
      throw err;
    }
    this[CONFIRMED_AT] = startedAt;
  };

  runner.handleBatch = function (this: unknown, batch: object) {
    return handledBatch.run(batchMembership(batch), () => handleBatch.call(this, batch));
  };
  installed = true;
}

install();
