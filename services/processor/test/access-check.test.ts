import type { ConnectionSettings } from '@sipflow/config';
import { describe, expect, it } from 'vitest';
import { explainKafkaAccessError, explainRegistryAuthError, isRegistryAuthError } from '../src/access-check';

const base: ConnectionSettings = {
  brokers: ['127.0.0.1:9092'],
  clientId: 'sipflow',
  ssl: false,
  registry: { url: 'http://127.0.0.1:8081/apis/ccompat/v7' },
};
const secure: ConnectionSettings = {
  ...base,
  ssl: { rejectUnauthorized: true },
  sasl: { mechanism: 'scram-sha-512', username: 'sipflow', password: 'hunter2' },
  registry: { ...base.registry, auth: { username: 'sipflow', password: 'hunter3' } },
};

describe('start-up access errors', () => {
  it('names the SASL variables when the brokers refuse the credentials, and never the password', () => {
    const err = Object.assign(new Error('SASL SCRAM SHA512 authentication failed: invalid credentials'), {
      name: 'KafkaJSSASLAuthenticationError',
    });
    const explained = explainKafkaAccessError(err, secure);
    expect(explained?.code).toBe('SIPFLOW_KAFKA_AUTH');
    expect(explained?.message).toMatch(/user "sipflow".*KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
    expect(explained?.message).not.toContain('hunter2');
  });

  it('says which of TLS and SASL is missing when the listener hangs up on the handshake', () => {
    const closed = Object.assign(new Error('Closed connection'), { name: 'KafkaJSConnectionClosedError' });
    expect(explainKafkaAccessError(closed, base)?.message).toMatch(
      /requires TLS \(KAFKA_SSL=true\) and SASL/,
    );
    expect(explainKafkaAccessError(closed, { ...secure, ssl: false })?.message).toMatch(/requires TLS \(/);
    expect(explainKafkaAccessError(closed, { ...secure, sasl: undefined })?.message).toMatch(
      /requires SASL \(KAFKA_SASL_MECHANISM/,
    );
  });

  it('points at KAFKA_SSL_CA_FILE for an untrusted certificate', () => {
    const err = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(explainKafkaAccessError(err, secure)?.message).toMatch(
      /\(DEPTH_ZERO_SELF_SIGNED_CERT\): set KAFKA_SSL_CA_FILE/,
    );
  });

  it('leaves a broker that is down or starting to the clients retries', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), {
      name: 'KafkaJSConnectionError',
      code: 'ECONNREFUSED',
    });
    expect(explainKafkaAccessError(refused, base)).toBeUndefined();
  });

  it('tells a missing registry login from a refused one', () => {
    const unauthorized = Object.assign(new Error('Error, status 401'), { status: 401 });
    expect(isRegistryAuthError(unauthorized)).toBe(true);
    expect(isRegistryAuthError(Object.assign(new Error('x'), { status: 503 }))).toBe(false);
    expect(explainRegistryAuthError(unauthorized, base).message).toMatch(
      /requires authentication: set SCHEMA_REGISTRY_USERNAME/,
    );
    const refused = explainRegistryAuthError(unauthorized, secure);
    expect(refused.code).toBe('SIPFLOW_REGISTRY_AUTH');
    expect(refused.message).toMatch(/refused the credentials of user "sipflow"/);
    expect(refused.message).not.toContain('hunter3');
  });
});
