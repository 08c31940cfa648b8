import { readFileSync } from 'node:fs';
import { SipflowError } from '@sipflow/errors';
import { parseEnv, type EnvValues } from './env-spec';
import { kafkaEnv } from './kafka-env';

export type SaslSettings = {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
};

export type ConnectionSettings = {
  brokers: string[];
  clientId: string;
  ssl: false | { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };
  sasl?: SaslSettings;
  registry: { url: string; auth?: { username: string; password: string } };
};

export function connectionFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectionSettings {
  return toConnection(parseEnv(kafkaEnv, env));
}

function toConnection(e: EnvValues<typeof kafkaEnv>): ConnectionSettings {
  const tls = e.KAFKA_SSL || e.KAFKA_SSL_CA_FILE !== undefined || e.KAFKA_SSL_CERT_FILE !== undefined;
  if ((e.KAFKA_SSL_CERT_FILE === undefined) !== (e.KAFKA_SSL_KEY_FILE === undefined)) {
    throw invalid(
      'KAFKA_SSL_KEY_FILE',
      'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together (mutual TLS)',
    );
  }
  let sasl: SaslSettings | undefined;
  if (e.KAFKA_SASL_MECHANISM) {
    if (!e.KAFKA_SASL_USERNAME)
      throw invalid('KAFKA_SASL_USERNAME', `required with KAFKA_SASL_MECHANISM=${e.KAFKA_SASL_MECHANISM}`);
    if (!e.KAFKA_SASL_PASSWORD)
      throw invalid('KAFKA_SASL_PASSWORD', `required with KAFKA_SASL_MECHANISM=${e.KAFKA_SASL_MECHANISM}`);
    sasl = {
      mechanism: e.KAFKA_SASL_MECHANISM,
      username: e.KAFKA_SASL_USERNAME,
      password: e.KAFKA_SASL_PASSWORD,
    };
  } else if (e.KAFKA_SASL_USERNAME || e.KAFKA_SASL_PASSWORD) {
    throw invalid(
      'KAFKA_SASL_MECHANISM',
      'set it (plain, scram-sha-256 or scram-sha-512) when giving SASL credentials',
    );
  }
  if ((e.SCHEMA_REGISTRY_USERNAME === undefined) !== (e.SCHEMA_REGISTRY_PASSWORD === undefined)) {
    throw invalid(
      'SCHEMA_REGISTRY_PASSWORD',
      'SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD go together',
    );
  }
  return {
    brokers: e.KAFKA_BROKERS.split(','),
    clientId: e.KAFKA_CLIENT_ID,
    ssl: tls
      ? {
          ca: e.KAFKA_SSL_CA_FILE && readFileSync(e.KAFKA_SSL_CA_FILE, 'utf8'),
          cert: e.KAFKA_SSL_CERT_FILE && readFileSync(e.KAFKA_SSL_CERT_FILE, 'utf8'),
          key: e.KAFKA_SSL_KEY_FILE && readFileSync(e.KAFKA_SSL_KEY_FILE, 'utf8'),
          rejectUnauthorized: e.KAFKA_SSL_REJECT_UNAUTHORIZED,
        }
      : false,
    ...(sasl ? { sasl } : {}),
    registry: {
      url: e.SCHEMA_REGISTRY_URL.replace(/\/+$/, ''),
      ...(e.SCHEMA_REGISTRY_USERNAME && e.SCHEMA_REGISTRY_PASSWORD
        ? { auth: { username: e.SCHEMA_REGISTRY_USERNAME, password: e.SCHEMA_REGISTRY_PASSWORD } }
        : {}),
    },
  };
}

function invalid(variable: string, why: string): SipflowError {
  return new SipflowError('SIPFLOW_INVALID_CONFIG', `invalid ${variable}: ${why}`, { variable });
}
