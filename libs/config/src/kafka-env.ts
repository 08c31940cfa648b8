import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { booleanFlag, envVar } from './env-spec';

const file = z.string().refine(
  (p) => {
    try {
      readFileSync(p);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'a readable file' },
);

/** Connection settings shared by every command that talks to Kafka and the schema registry. */
export const kafkaEnv = {
  KAFKA_BROKERS: envVar(
    z
      .string()
      .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'host:port[,host:port...]')
      .default('127.0.0.1:9092'),
    'bootstrap brokers',
  ),
  KAFKA_CLIENT_ID: envVar(z.string().min(1).default('sipflow'), 'client id sent to the brokers'),
  KAFKA_SSL: envVar(booleanFlag.default(false), 'connect with TLS'),
  KAFKA_SSL_CA_FILE: envVar(file.optional(), 'PEM file of the CA that signed the brokers (TLS)'),
  KAFKA_SSL_CERT_FILE: envVar(file.optional(), 'client certificate, PEM (mutual TLS)'),
  KAFKA_SSL_KEY_FILE: envVar(file.optional(), 'client private key, PEM (mutual TLS)', true),
  KAFKA_SSL_REJECT_UNAUTHORIZED: envVar(booleanFlag.default(true), 'verify the brokers certificates'),
  KAFKA_SASL_MECHANISM: envVar(
    z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
    'SASL mechanism',
  ),
  KAFKA_SASL_USERNAME: envVar(z.string().min(1).optional(), 'SASL user'),
  KAFKA_SASL_PASSWORD: envVar(z.string().min(1).optional(), 'SASL password', true),
  SCHEMA_REGISTRY_URL: envVar(
    z.url().default('http://127.0.0.1:8081/apis/ccompat/v7'),
    'schema registry base URL (Confluent API)',
  ),
  SCHEMA_REGISTRY_USERNAME: envVar(z.string().min(1).optional(), 'registry basic-auth user'),
  SCHEMA_REGISTRY_PASSWORD: envVar(z.string().min(1).optional(), 'registry basic-auth password', true),
};
