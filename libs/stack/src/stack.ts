import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureKafkaInstalled } from './install';
import type { Report } from './install';
import { kafkaAnswers, kafkaFiles, KAFKA_MARKER, startKafka } from './kafka-broker';
import { stackOptionsFromEnv, type StackOptions } from './options';
import { stackPaths, type StackPaths } from './paths';
import { livePid, removeFile, stopProcess } from './processes';
import {
  registryAnswers,
  registryFiles,
  registryUrl,
  REGISTRY_MARKER,
  startRegistry,
} from './schema-registry';

export type Endpoints = { brokers: string[]; registryUrl: string; external: boolean };

/**
 * `KAFKA_BROKERS` and `SCHEMA_REGISTRY_URL` both set means "use that cluster": the local stack
 * then starts nothing. One without the other is a mistake worth stopping for.
 */
export function externalEndpoints(env: NodeJS.ProcessEnv = process.env): Endpoints | undefined {
  const brokers = env.KAFKA_BROKERS?.trim();
  const registry = env.SCHEMA_REGISTRY_URL?.trim();
  if (!brokers && !registry) return undefined;
  if (!brokers)
    throw new Error(
      'SCHEMA_REGISTRY_URL is set but KAFKA_BROKERS is not: set both to use an external cluster',
    );
  if (!registry)
    throw new Error(
      'KAFKA_BROKERS is set but SCHEMA_REGISTRY_URL is not: set both to use an external cluster',
    );
  return { brokers: brokers.split(',').map((b) => b.trim()), registryUrl: registry, external: true };
}

export function localEndpoints(opts: StackOptions): Endpoints {
  return { brokers: [`127.0.0.1:${opts.kafkaPort}`], registryUrl: registryUrl(opts), external: false };
}

function prepare(env: NodeJS.ProcessEnv): { opts: StackOptions; paths: StackPaths } {
  const opts = stackOptionsFromEnv(env);
  const paths = stackPaths(opts.home, opts.cache);
  for (const dir of [paths.cache, paths.data, paths.logs, paths.run]) mkdirSync(dir, { recursive: true });
  return { opts, paths };
}

/** Installs (first run) and starts Kafka, then the registry; returns once both answer. */
export async function stackUp(report: Report, env: NodeJS.ProcessEnv = process.env): Promise<Endpoints> {
  const external = externalEndpoints(env);
  if (external) {
    report(`using the external cluster from KAFKA_BROKERS/SCHEMA_REGISTRY_URL; starting nothing`);
    return external;
  }
  const { opts, paths } = prepare(env);
  await startKafka(paths, opts, report);
  await startRegistry(paths, opts, report);
  return localEndpoints(opts);
}

/**
 * Stops the registry, then Kafka (SIGTERM, SIGKILL after a grace period); idempotent. `only`
 * stops one of them (fault tests stop the registry, or restart the broker, under load).
 */
export async function stackDown(
  report: Report,
  env: NodeJS.ProcessEnv = process.env,
  opts: { only?: 'kafka' | 'registry' } = {},
): Promise<void> {
  const { paths } = prepare(env);
  // the registry first: nothing else depends on it, and Kafka's own shutdown takes the longest
  for (const { name, pidFile, marker } of components(paths).reverse()) {
    if (opts.only !== undefined && name !== opts.only) continue;
    const pid = livePid(pidFile, marker);
    if (pid) {
      const how = await stopProcess(pid, 30_000);
      report(`${name}: stopped (pid ${pid}, ${how})`);
    } else {
      report(`${name}: not running`);
    }
    removeFile(pidFile);
  }
}

export type ComponentStatus = { name: string; pid: number | undefined; ready: boolean; endpoint: string };

export async function stackStatus(env: NodeJS.ProcessEnv = process.env): Promise<ComponentStatus[]> {
  const external = externalEndpoints(env);
  const endpoints = external ?? localEndpoints(stackOptionsFromEnv(env));
  const paths = stackPaths(stackOptionsFromEnv(env).home);
  const [kafka, registry] = components(paths);
  return [
    {
      name: kafka!.name,
      pid: external ? undefined : livePid(kafka!.pidFile, kafka!.marker),
      ready: await kafkaAnswers(endpoints.brokers).catch(() => false),
      endpoint: endpoints.brokers.join(','),
    },
    {
      name: registry!.name,
      pid: external ? undefined : livePid(registry!.pidFile, registry!.marker),
      ready: await registryAnswers(endpoints.registryUrl).catch(() => false),
      endpoint: endpoints.registryUrl,
    },
  ];
}

export function stackEnv(env: NodeJS.ProcessEnv = process.env): Endpoints {
  return externalEndpoints(env) ?? localEndpoints(stackOptionsFromEnv(env));
}

function components(paths: StackPaths) {
  return [
    { name: 'kafka', pidFile: kafkaFiles(paths).pidFile, marker: KAFKA_MARKER },
    { name: 'registry', pidFile: registryFiles(paths).pidFile, marker: REGISTRY_MARKER },
  ];
}

/** The Kafka jars (installed on first use) and the java to run its tools with: for benchmarks. */
export async function kafkaToolsClasspath(
  report: Report,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ java: string; classpath: string; version: string }> {
  const { opts, paths } = prepare(env);
  const { version, libs } = await ensureKafkaInstalled(paths, opts, report);
  return { java: opts.java, classpath: join(libs, '*'), version };
}

/** The pid of the local broker, if it runs: for benchmarks that measure it separately. */
export function localKafkaPid(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const paths = stackPaths(stackOptionsFromEnv(env).home);
  return livePid(kafkaFiles(paths).pidFile, KAFKA_MARKER);
}
