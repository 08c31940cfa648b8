import '../src/kafkajs-patches';
import { describe, expect, it } from 'vitest';
// kafkajs' own consumer group and errors: the join below runs kafkajs' code, patched
import ConsumerGroup from 'kafkajs/src/consumer/consumerGroup.js';
import { KafkaJSProtocolError } from 'kafkajs/src/errors.js';
import { createErrorFromCode } from 'kafkajs/src/protocol/error.js';
import { beforeJoining } from '../src/kafkajs-group-fencing';

type Group = { joinAndSync(): Promise<void>; generationId: number | null; memberId: string | null };

const silent = {
  namespace: () => silent,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** kafkajs' ConsumerGroup whose coordinator answers JoinGroup with `joinError` (a Kafka error code). */
function groupWhoseJoinFails(groupId: string, joinError: number): Group {
  const coordinator = {
    joinGroup: async () => {
      throw new KafkaJSProtocolError(createErrorFromCode(joinError));
    },
  };
  const group = new (ConsumerGroup as unknown as new (opts: object) => Group)({
    retry: { retries: 0 },
    cluster: { findGroupCoordinator: async () => coordinator },
    groupId,
    topics: ['t'],
    logger: silent,
    instrumentationEmitter: { emit: () => undefined },
    assigners: [],
    sessionTimeout: 30_000,
    rebalanceTimeout: 60_000,
  });
  // the member it was in a generation before: as after a coordinator's broker died
  group.generationId = 7;
  group.memberId = 'member-1';
  return group;
}

describe('join hooks on kafkajs consumer group', () => {
  it('settles before the join, and tells whoever settled when the join fails', async () => {
    const seen: string[] = [];
    const undo = beforeJoining('g-load', {
      settle: async () => void seen.push('settle'),
      joinFailed: (err) => void seen.push(`joinFailed ${(err as { type?: string }).type}`),
    });
    try {
      // 14: COORDINATOR_LOAD_IN_PROGRESS (kafkajs: GROUP_LOAD_IN_PROGRESS), what a new coordinator
      // answers while it loads the group
      const group = groupWhoseJoinFails('g-load', 14);
      await expect(group.joinAndSync()).rejects.toMatchObject({ type: 'GROUP_LOAD_IN_PROGRESS' });
      expect(seen).toEqual(['settle', 'joinFailed GROUP_LOAD_IN_PROGRESS']);
      // kafkajs keeps the generation it had: its fetch loop goes on in it
      expect([group.generationId, group.memberId]).toEqual([7, 'member-1']);
    } finally {
      undo();
    }
  });

  it("tells only the hooks of the joining member's group, and none once undone", async () => {
    const seen: string[] = [];
    const hooks = (name: string) => ({
      settle: async () => void seen.push(`${name} settle`),
      joinFailed: () => void seen.push(`${name} joinFailed`),
    });
    const undoA = beforeJoining('g-a', hooks('a'));
    const undoB = beforeJoining('g-b', hooks('b'));
    await groupWhoseJoinFails('g-a', 14)
      .joinAndSync()
      .catch(() => undefined);
    undoA();
    await groupWhoseJoinFails('g-a', 14)
      .joinAndSync()
      .catch(() => undefined);
    undoB();
    expect(seen).toEqual(['a settle', 'a joinFailed']);
  });
});
