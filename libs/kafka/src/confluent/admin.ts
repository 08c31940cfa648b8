import type { Admin } from 'kafkajs';

/** The peer's admin methods this wrapper reshapes; the rest pass through. */
type PeerAdmin = {
  fetchTopicMetadata(options?: { topics?: string[] }): Promise<unknown[]>;
  createTopics(options: { topics: unknown[]; timeout?: number }): Promise<boolean>;
};

/**
 * The peer's admin as kafkajs' `Admin`. Its KafkaJS API matches kafkajs' except where it does not:
 * - `fetchTopicMetadata` resolves to the topics' array itself, where kafkajs resolves to
 *   `{ topics }` (read at start-up by the processor's state set-up and topic checks);
 * - `createTopics` throws "not yet implemented" on kafkajs' `waitForLeaders` option, which topic
 *   set-up passes; the option is dropped (set-up looks the topics up again afterwards anyway).
 */
export function peerAdmin(admin: object): Admin {
  const peer = admin as PeerAdmin;
  return new Proxy(admin, {
    get(target, prop) {
      if (prop === 'fetchTopicMetadata')
        return async (options?: { topics?: string[] }) => ({
          topics: await peer.fetchTopicMetadata(options),
        });
      if (prop === 'createTopics')
        return ({ waitForLeaders: _, ...options }: { topics: unknown[]; waitForLeaders?: boolean }) =>
          peer.createTopics(options);
      // the peer's methods read private fields (#state): they must run on the admin itself, not
      // on this proxy, or every call throws "Cannot read private member"
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Admin;
}
