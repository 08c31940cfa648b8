// first: sipflow's kafkajs patches must be in place before kafkajs loads
import '../kafkajs-patches';
import { SipflowError } from '@sipflow/errors';
import type {
  Consumer,
  ConsumerRunConfig,
  ConsumerSubscribeTopic,
  ConsumerSubscribeTopics,
  EachBatchPayload,
} from 'kafkajs';
import type { ConfluentConsumer } from './load';
import { notWired } from './not-wired';

/** kafkajs' event names, the ones this wrapper can honour. */
const EVENTS = { GROUP_JOIN: 'consumer.group_join', STOP: 'consumer.stop', CRASH: 'consumer.crash' };

type Listener = (event: { id: number; type: string; timestamp: number; payload: unknown }) => void;
type Assignment = Array<{ topic: string; partition: number }>;
type RebalanceError = { code: number };

/**
 * A kafkajs-shaped consumer over the peer's. The peer wants `fromBeginning` (kafkajs: subscribe)
 * and `autoCommit` (kafkajs: run) when the consumer is created, so the real consumer is created,
 * connected and subscribed in `run()`; `connect()` and `subscribe()` only record what they are
 * asked, and a bad setting still fails at start-up, in `run()`.
 *
 * Events: GROUP_JOIN comes from the peer's rebalance callback (each assignment), STOP from
 * `disconnect()`. CRASH never fires: librdkafka retries broker errors itself, and a batch whose
 * handler throws is fetched again (the peer seeks back to the first unresolved offset) rather
 * than stopping the consumer, so there is no stopped consumer to restart.
 */
export function peerConsumer(opts: {
  groupId: string;
  create: (settings: {
    fromBeginning: boolean;
    rebalance: (err: RebalanceError, assignment: Assignment) => void;
  }) => ConfluentConsumer;
  errorCodes: Record<string, number>;
  /** running consumers by group, for transactions' sendOffsets */
  groups: Map<string, ConfluentConsumer>;
}): Consumer {
  const topics: string[] = [];
  let fromBeginning = false;
  let real: ConfluentConsumer | undefined;
  let eventId = 0;
  const listeners = new Map<string, Listener[]>();
  const emit = (type: string, payload: unknown) => {
    for (const listener of listeners.get(type) ?? [])
      listener({ id: eventId++, type, timestamp: Date.now(), payload });
  };

  const rebalance = (err: RebalanceError, assignment: Assignment) => {
    if (err.code !== opts.errorCodes.ERR__ASSIGN_PARTITIONS) return;
    const memberAssignment: Record<string, number[]> = {};
    for (const { topic, partition } of assignment) (memberAssignment[topic] ??= []).push(partition);
    emit(EVENTS.GROUP_JOIN, {
      groupId: opts.groupId,
      memberAssignment,
      memberId: undefined,
      isLeader: undefined,
    });
  };

  const commitStored = async (consumer: ConfluentConsumer) => {
    try {
      await consumer.commitOffsets();
    } catch (err) {
      // nothing resolved since the last commit (e.g. a batch revoked while in hand): nothing to do
      if ((err as { code?: number }).code !== opts.errorCodes.ERR__NO_OFFSET) throw err;
    }
  };

  return notWired<Consumer>('consumer', {
    events: EVENTS,
    on: (type: string, listener: Listener) => {
      if (!Object.values(EVENTS).includes(type))
        throw new SipflowError(
          'SIPFLOW_KAFKA_CLIENT',
          `KAFKA_CLIENT=confluent: consumer event ${type} is not available on the peer client`,
          { event: type },
        );
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
      return () =>
        listeners.set(
          type,
          (listeners.get(type) ?? []).filter((l) => l !== listener),
        );
    },
    connect: async () => undefined,
    subscribe: async (subscription: ConsumerSubscribeTopics | ConsumerSubscribeTopic) => {
      const asked = 'topics' in subscription ? subscription.topics : [subscription.topic];
      for (const topic of asked) {
        if (typeof topic !== 'string')
          throw new SipflowError(
            'SIPFLOW_KAFKA_CLIENT',
            'KAFKA_CLIENT=confluent: subscribe by topic name, not by pattern',
          );
        topics.push(topic);
      }
      fromBeginning = subscription.fromBeginning ?? false;
    },
    run: async (run: ConsumerRunConfig = {}) => {
      const {
        autoCommit = true,
        autoCommitInterval,
        autoCommitThreshold,
        eachBatch,
        eachMessage,
        ...rest
      } = run;
      if (autoCommitInterval !== undefined || autoCommitThreshold !== undefined || eachMessage || !eachBatch)
        throw new SipflowError(
          'SIPFLOW_KAFKA_CLIENT',
          'KAFKA_CLIENT=confluent: only eachBatch consumers that commit after each batch are wired to the peer client',
        );
      if (real)
        throw new SipflowError(
          'SIPFLOW_KAFKA_CLIENT',
          'KAFKA_CLIENT=confluent: the consumer is already running',
        );
      const consumer = (real = opts.create({ fromBeginning, rebalance }));
      await consumer.connect();
      await consumer.subscribe({ topics });
      opts.groups.set(opts.groupId, consumer);
      await consumer.run({
        ...rest,
        eachBatch: async (peerPayload: EachBatchPayload) => {
          // the peer has no uncommittedOffsets() ("Not implemented"): a handler that commits what it
          // resolved (kafkajs: commitOffsetsIfNecessary(uncommittedOffsets())) commits the peer's
          // stored offsets, which are exactly the resolved ones
          const payload: EachBatchPayload = {
            ...peerPayload,
            uncommittedOffsets: () => ({ topics: [] }),
            commitOffsetsIfNecessary: () => commitStored(consumer),
          };
          await eachBatch(payload);
          // kafkajs' autoCommit: the offsets resolved so far, committed after each batch (the
          // peer's own auto-commit runs every 5 s, which widens what a crash repeats)
          if (autoCommit) await commitStored(consumer);
        },
      });
    },
    seek: (at: { topic: string; partition: number; offset: string }) => real?.seek(at),
    // kafkajs' pause/resume; before run() there is nothing to pause
    pause: (topics: Array<{ topic: string; partitions?: number[] }>) => real?.pause(topics),
    resume: (topics: Array<{ topic: string; partitions?: number[] }>) => real?.resume(topics),
    disconnect: async () => {
      // waits for the batches in hand (and their commits), then leaves the group
      if (real) await real.disconnect();
      if (real && opts.groups.get(opts.groupId) === real) opts.groups.delete(opts.groupId);
      emit(EVENTS.STOP, {});
    },
  });
}
