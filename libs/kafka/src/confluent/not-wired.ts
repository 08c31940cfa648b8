import { SipflowError } from '@sipflow/errors';

/**
 * `impl` typed as the kafkajs interface it stands in for. A kafkajs method the wrapper does not
 * carry over fails loudly, naming itself, instead of as "undefined is not a function" somewhere
 * later (or, worse, as a peer method of the same name that means something else).
 */
export function notWired<T>(what: string, impl: object): T {
  return new Proxy(impl, {
    get(target, prop, receiver) {
      if (prop in target || typeof prop === 'symbol' || prop === 'then' || prop === 'toJSON')
        return Reflect.get(target, prop, receiver);
      return () => {
        throw new SipflowError(
          'SIPFLOW_KAFKA_CLIENT',
          `KAFKA_CLIENT=confluent: ${what}.${prop}() is not wired to the peer client`,
          { method: `${what}.${prop}` },
        );
      };
    },
  }) as T;
}
