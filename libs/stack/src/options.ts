import { SipflowError } from '@sipflow/errors';
import { z } from 'zod';

/**
 * Settings of the local stack, read from the environment once and validated, so that a bad
 * port or heap size fails at `stack up` with the variable's name rather than as a JVM crash.
 */
const port = z.coerce.number().int().min(1024).max(65535);
const heap = z.string().regex(/^\d+[mMgG]$/, 'a JVM heap size such as 512m or 1g');

const StackEnv = z.object({
  SIPFLOW_HOME: z.string().min(1).optional(),
  SIPFLOW_CACHE: z.string().min(1).optional(),
  SIPFLOW_KAFKA_PORT: port.default(9092),
  SIPFLOW_KAFKA_CONTROLLER_PORT: port.default(9093),
  SIPFLOW_REGISTRY_PORT: port.default(8081),
  SIPFLOW_KAFKA_HEAP: heap.default('1g'),
  SIPFLOW_REGISTRY_HEAP: heap.default('384m'),
  SIPFLOW_STACK_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(900).default(120),
  SIPFLOW_STACK_BROKERS: z.coerce
    .number()
    .int()
    .min(1)
    .max(5, 'at most 5 Kafka nodes on one machine')
    .default(1),
  SIPFLOW_STACK_SECURE: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  SIPFLOW_JAVA: z.string().min(1).default('java'),
  SIPFLOW_MVN: z.string().min(1).default('mvn'),
});

export type StackOptions = {
  /** where caches, data, logs and pid files live (default: <repo>/.sipflow) */
  home: string | undefined;
  /** where installed Kafka and registry releases live (default: <home>/cache) */
  cache: string | undefined;
  kafkaPort: number;
  controllerPort: number;
  registryPort: number;
  kafkaHeap: string;
  registryHeap: string;
  timeoutMs: number;
  /** Kafka nodes, each both broker and controller (1, or 3 for a replicated cluster) */
  brokers: number;
  /** TLS + SASL/SCRAM for Kafka clients, basic auth for the registry */
  secure: boolean;
  java: string;
  mvn: string;
};

export function stackOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): StackOptions {
  const parsed = StackEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0]);
    throw new SipflowError(
      'SIPFLOW_INVALID_CONFIG',
      `invalid ${variable}=${JSON.stringify(env[variable])}: ${issue.message}`,
      { variable },
    );
  }
  const e = parsed.data;
  return {
    home: e.SIPFLOW_HOME,
    cache: e.SIPFLOW_CACHE,
    kafkaPort: e.SIPFLOW_KAFKA_PORT,
    controllerPort: e.SIPFLOW_KAFKA_CONTROLLER_PORT,
    registryPort: e.SIPFLOW_REGISTRY_PORT,
    kafkaHeap: e.SIPFLOW_KAFKA_HEAP,
    registryHeap: e.SIPFLOW_REGISTRY_HEAP,
    timeoutMs: e.SIPFLOW_STACK_TIMEOUT_SECONDS * 1000,
    brokers: e.SIPFLOW_STACK_BROKERS,
    secure: e.SIPFLOW_STACK_SECURE,
    java: e.SIPFLOW_JAVA,
    mvn: e.SIPFLOW_MVN,
  };
}
