// first: sipflow's kafkajs patches must be in place before kafkajs loads
import '../kafkajs-patches';
import { SipflowError } from '@sipflow/errors';
import { logLevel, type KafkaConfig, type logCreator } from 'kafkajs';

/** Drops undefined values: the peer tests keys with Object.hasOwn, and librdkafka refuses `undefined`. */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** kafkajs and the peer number their log levels differently (INFO 4 vs 3, DEBUG 5 vs 4). */
const TO_PEER_LEVEL: Record<number, number> = {
  [logLevel.NOTHING]: 0,
  [logLevel.ERROR]: 1,
  [logLevel.WARN]: 2,
  [logLevel.INFO]: 3,
  [logLevel.DEBUG]: 4,
};
const FROM_PEER_LEVEL = [logLevel.NOTHING, logLevel.ERROR, logLevel.WARN, logLevel.INFO, logLevel.DEBUG];

type PeerLog = (message: string, extra?: Record<string, unknown>) => void;
export type PeerLogger = {
  error: PeerLog;
  warn: PeerLog;
  info: PeerLog;
  debug: PeerLog;
  setLogLevel: (level: number) => void;
  namespace: () => PeerLogger;
};

/**
 * The peer's logger interface fed into a kafkajs logCreator, so librdkafka's lines reach the same
 * JSON log as kafkajs' did (same levels, same masking).
 */
export function peerLogger(create: logCreator, level: logLevel): PeerLogger {
  const write = create(level);
  let threshold: logLevel = level;
  const at =
    (lvl: logLevel, label: string): PeerLog =>
    (message, extra) => {
      if (lvl > threshold) return;
      write({
        namespace: 'librdkafka',
        level: lvl,
        label,
        log: { timestamp: new Date().toISOString(), message, ...extra },
      });
    };
  const logger: PeerLogger = {
    error: at(logLevel.ERROR, 'ERROR'),
    warn: at(logLevel.WARN, 'WARN'),
    info: at(logLevel.INFO, 'INFO'),
    debug: at(logLevel.DEBUG, 'DEBUG'),
    setLogLevel: (peerLevel) => {
      threshold = FROM_PEER_LEVEL[peerLevel] ?? threshold;
    },
    namespace: () => logger,
  };
  return logger;
}

/**
 * The peer's client-wide configuration equivalent to a kafkajs one: the same brokers, client id,
 * SASL, timeouts and retry bounds in its `kafkaJS` block; TLS material goes outside it as
 * librdkafka properties (the block only takes `ssl: true`).
 */
export function peerCommonConfig(c: KafkaConfig): Record<string, unknown> {
  if (!Array.isArray(c.brokers))
    throw new SipflowError('SIPFLOW_KAFKA_CLIENT', 'KAFKA_CLIENT=confluent takes a fixed list of brokers');
  const tls = typeof c.ssl === 'object' ? c.ssl : undefined;
  const level = c.logLevel ?? logLevel.INFO;
  return defined({
    kafkaJS: defined({
      brokers: c.brokers,
      clientId: c.clientId,
      ssl: Boolean(c.ssl),
      sasl: c.sasl,
      connectionTimeout: c.connectionTimeout,
      authenticationTimeout: c.authenticationTimeout,
      requestTimeout: c.requestTimeout,
      retry: c.retry
        ? defined({
            initialRetryTime: c.retry.initialRetryTime,
            maxRetryTime: c.retry.maxRetryTime,
            retries: c.retry.retries,
          })
        : undefined,
      logLevel: TO_PEER_LEVEL[level],
      logger: c.logCreator ? peerLogger(c.logCreator, level) : undefined,
    }),
    'ssl.ca.pem': tls?.ca?.toString(),
    'ssl.certificate.pem': tls?.cert?.toString(),
    'ssl.key.pem': tls?.key?.toString(),
    'enable.ssl.certificate.verification': tls ? tls.rejectUnauthorized !== false : undefined,
  });
}

/**
 * eachBatch gets everything fetched for a partition, as with kafkajs: the peer's default batch
 * (32 messages) cut a consume → produce passthrough from ~48k to ~6k events/s here.
 */
export const PEER_CONSUMER_SETTINGS = { 'js.consumer.max.batch.size': -1 } as const;
