import { describe, expect, it } from 'vitest';
import { peerAdmin } from '../src/confluent/admin';

/** Shaped like the peer's KafkaJS-API admin: private state its methods read. */
class PrivateStateAdmin {
  #state = 'disconnected';
  async connect() {
    this.#state = 'connected';
  }
  state() {
    return this.#state;
  }
  async createTopics(options: Record<string, unknown>) {
    if (Object.hasOwn(options, 'waitForLeaders')) throw new Error('waitForLeaders is not yet implemented.');
    return this.#state === 'connected';
  }
  async fetchTopicMetadata(options?: { topics?: string[] }) {
    return (options?.topics ?? []).map((name) => ({ name, partitions: [] }));
  }
}

describe("the peer's admin as kafkajs' Admin", () => {
  it("runs the peer's methods on the admin itself (its private fields work)", async () => {
    const inner = new PrivateStateAdmin();
    const admin = peerAdmin(inner) as unknown as PrivateStateAdmin;
    await admin.connect();
    expect(admin.state()).toBe('connected');
    expect(inner.state()).toBe('connected');
  });

  it("gives fetchTopicMetadata kafkajs' { topics } shape", async () => {
    const admin = peerAdmin(new PrivateStateAdmin());
    await expect(admin.fetchTopicMetadata({ topics: ['a'] })).resolves.toEqual({
      topics: [{ name: 'a', partitions: [] }],
    });
  });

  it("drops kafkajs' waitForLeaders, which the peer refuses, from createTopics", async () => {
    const admin = peerAdmin(new PrivateStateAdmin());
    await admin.connect();
    await expect(admin.createTopics({ topics: [{ topic: 't' }], waitForLeaders: true })).resolves.toBe(true);
  });
});
