import type { Admin } from 'kafkajs';

/** The peer's admin methods this wrapper reshapes; the rest pass through. */
type PeerAdmin = {
  fetchTopicMetadata(options?: { topics?: string[] }): Promise<unknown[]>;
};

/**
 * The peer's admin as kafkajs' `Admin`. Its KafkaJS API matches kafkajs' except where it does not:
 * `fetchTopicMetadata` resolves to the topics' array itself, where kafkajs resolves to
 * `{ topics }` (read at start-up by the processor's state set-up and topic checks).
 */
export function peerAdmin(admin: object): Admin {
  const peer = admin as PeerAdmin;
  return new Proxy(admin, {
    get(target, prop, receiver) {
      if (prop === 'fetchTopicMetadata')
        return async (options?: { topics?: string[] }) => ({
          topics: await peer.fetchTopicMetadata(options),
        });
      return Reflect.get(target, prop, receiver);
    },
  }) as Admin;
}
