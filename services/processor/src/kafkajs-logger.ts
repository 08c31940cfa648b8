// first: sipflow's kafkajs patches must be in place before kafkajs loads
import '@sipflow/kafka/kafkajs-patches';
import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * Kafka's CONCURRENT_TRANSACTIONS: the previous transaction's markers are still being written when
 * the next one adds its partitions. Retriable, and cleared in milliseconds; kafkajs logs each retry
 * as an error, one per batch or so under exactly-once. Kept at debug: if the retries run out, the
 * send fails and the batch handler reports that.
 */
const CONCURRENT_TRANSACTIONS =
  'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing';

function isRetriedConcurrentTransaction(message: string, extra: Record<string, unknown>): boolean {
  return extra.error === CONCURRENT_TRANSACTIONS || message.endsWith(CONCURRENT_TRANSACTIONS);
}

/**
 * kafkajs warns on every idempotent producer whose retries are bounded. What it guards against is
 * an application that, once the retries run out, sends the same record again outside the producer's
 * sequence numbers and so writes it twice. sipflow's idempotent producer is its transactional one:
 * a send that fails aborts the whole transaction (nothing of it is visible to read_committed
 * readers) and the batch is processed again in a new one, so a bounded retry costs a repeat of the
 * work, never a visible duplicate (docs/delivery.md). Kept at debug, off the operator's log.
 */
const BOUNDED_IDEMPOTENT_RETRIES =
  'Limiting retries for the idempotent producer may invalidate EoS guarantees';

/** kafkajs' log lines into our JSON logger (so one stream, one format, the same masking). */
export function kafkajsLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      const quiet = isRetriedConcurrentTransaction(message, extra) || message === BOUNDED_IDEMPOTENT_RETRIES;
      const as = quiet ? 'debug' : (levels[level] ?? 'info');
      logger[as]({ kafkajs: extra }, message);
    };
}
