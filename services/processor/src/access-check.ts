// first: sipflow's kafkajs patches must be in place before kafkajs loads
import '@sipflow/kafka/kafkajs-patches';
import type { ConnectionSettings } from '@sipflow/config';
import { SipflowError } from '@sipflow/errors';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';

/**
 * Turns "the brokers or the registry will never let us in" into one clear start-up error, at once,
 * instead of a client retrying for a minute and then printing "Closed connection". A broker that
 * is down or still starting is not such a case: that stays the clients' retries' business.
 */

/** Node's codes for a certificate the client could not verify. */
const TLS_VERIFY_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Connects once (no retries) and asks for the cluster; throws only errors that retrying cannot fix. */
export async function checkKafkaAccess(conn: ConnectionSettings): Promise<void> {
  const config: KafkaConfig = {
    clientId: `${conn.clientId}-access-check`,
    brokers: conn.brokers,
    ssl: conn.ssl === false ? false : { ...conn.ssl },
    connectionTimeout: 5000,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  };
  if (conn.sasl) config.sasl = { ...conn.sasl } as KafkaConfig['sasl'];
  const admin = new Kafka(config).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (err) {
    const explained = explainKafkaAccessError(err, conn);
    if (explained) throw explained;
    // anything else (refused, timed out): the broker may be starting; the clients retry
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export function explainKafkaAccessError(err: unknown, conn: ConnectionSettings): SipflowError | undefined {
  const brokers = conn.brokers.join(',');
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  const message = e.message ?? String(err);
  const tlsCode = e.code ?? e.cause?.code;
  if (e.name === 'KafkaJSSASLAuthenticationError' || /SASL .* authentication failed/i.test(message)) {
    return new SipflowError(
      'SIPFLOW_KAFKA_AUTH',
      `Kafka at ${brokers} refused the SASL credentials of user "${conn.sasl?.username ?? ''}" ` +
        `(${conn.sasl?.mechanism ?? 'no mechanism'}): check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`,
      { brokers },
    );
  }
  if ((tlsCode && TLS_VERIFY_CODES.has(tlsCode)) || /certificate/i.test(message)) {
    return new SipflowError(
      'SIPFLOW_KAFKA_AUTH',
      `TLS to Kafka at ${brokers} failed (${tlsCode ?? message}): set KAFKA_SSL_CA_FILE to the ` +
        'PEM of the CA that signed the brokers',
      { brokers },
    );
  }
  if (e.name === 'KafkaJSConnectionClosedError' || /closed connection|connection closed/i.test(message)) {
    const missing = [
      conn.ssl === false ? 'TLS (KAFKA_SSL=true)' : undefined,
      conn.sasl ? undefined : 'SASL (KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD)',
    ].filter(Boolean);
    const hint =
      missing.length > 0
        ? `the listener probably requires ${missing.join(' and ')}`
        : 'check that the listener speaks SASL_SSL with this mechanism';
    return new SipflowError(
      'SIPFLOW_KAFKA_AUTH',
      `Kafka at ${brokers} closed the connection during the handshake: ${hint}`,
      { brokers },
    );
  }
  return undefined;
}

/** The registry said 401/403: retrying with the same credentials cannot help. */
export function isRegistryAuthError(err: unknown): boolean {
  const status = (err as { status?: number }).status;
  return status === 401 || status === 403;
}

export function explainRegistryAuthError(err: unknown, conn: ConnectionSettings): SipflowError {
  const status = (err as { status?: number }).status;
  const what = conn.registry.auth
    ? `refused the credentials of user "${conn.registry.auth.username}": check SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD`
    : 'requires authentication: set SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD';
  return new SipflowError(
    'SIPFLOW_REGISTRY_AUTH',
    `the schema registry at ${conn.registry.url} ${what} (HTTP ${status})`,
    { url: conn.registry.url, status },
  );
}
