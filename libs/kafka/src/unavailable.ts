import { SipflowError } from '@sipflow/errors';

/**
 * kafkajs errors that mean "no broker answered": refused or dropped connections, requests that
 * timed out, no broker known. Matched by name, as the processor's access check does, so that a
 * second copy of kafkajs in the tree still matches.
 */
const UNREACHABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
]);

// kafkajs wraps the last failure when it gives up (KafkaJSNumberOfRetriesExceeded → cause); a
// few levels cover every wrapping seen, and bound the walk should a cause chain loop.
const MAX_CAUSES = 5;

/**
 * SIPFLOW_KAFKA_UNAVAILABLE for a kafkajs error that (or whose cause) says no broker answered;
 * undefined for anything else, which is left as it is.
 */
export function kafkaUnavailableError(err: unknown): SipflowError | undefined {
  let e: unknown = err;
  for (let depth = 0; depth <= MAX_CAUSES && e instanceof Error; depth++, e = e.cause) {
    if (UNREACHABLE.has(e.name)) {
      return new SipflowError(
        'SIPFLOW_KAFKA_UNAVAILABLE',
        `Kafka is unavailable: ${e.message}`,
        {},
        { cause: err },
      );
    }
  }
  return undefined;
}

/** Whether a kafkajs error (or its cause) says no broker answered. */
export const isKafkaUnreachable = (err: unknown): boolean => kafkaUnavailableError(err) !== undefined;
