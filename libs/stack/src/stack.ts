import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SipflowError } from '@sipflow/errors';
import type { KafkaConfig } from 'kafkajs';
import { ensureKafkaInstalled } from './install';
import type { Report } from './install';
import { kafkaBrokerCount, kafkaFiles, kafkaMarker, spawnKafkaNode, waitForKafka } from './kafka-broker';
import {
  describeLayout,
  forgetLayout,
  kafkaNodes,
  layoutDataDir,
  layoutOf,
  recordLayout,
  runningLayout,
  sameLayout,
  type StackLayout,
} from './layout';
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
import { ensureSecrets, readSecrets, SCRAM_MECHANISM, secretsDir, type StackSecrets } from './secrets';

export type Endpoints = {
  brokers: string[];
  registryUrl: string;
  external: boolean;
  /**
   * Every variable a sipflow command needs to reach this stack: KAFKA_BROKERS and
   * SCHEMA_REGISTRY_URL, and for a secure stack the TLS, SASL and registry credentials.
   */
  env: Record<string, string>;
};

/**
 * `KAFKA_BROKERS` and `SCHEMA_REGISTRY_URL` both set means "use that cluster": the local stack
 * then starts nothing. One without the other is a mistake worth stopping for.
 */
export function externalEndpoints(env: NodeJS.ProcessEnv = process.env): Endpoints | undefined {
  const brokers = env.KAFKA_BROKERS?.trim();
  const registry = env.SCHEMA_REGISTRY_URL?.trim();
  if (!brokers && !registry) return undefined;
  if (!brokers)
    throw new SipflowError(
      'SIPFLOW_INVALID_CONFIG',
      'SCHEMA_REGISTRY_URL is set but KAFKA_BROKERS is not: set both to use an external cluster',
      { variable: 'KAFKA_BROKERS' },
    );
  if (!registry)
    throw new SipflowError(
      'SIPFLOW_INVALID_CONFIG',
      'KAFKA_BROKERS is set but SCHEMA_REGISTRY_URL is not: set both to use an external cluster',
      { variable: 'SCHEMA_REGISTRY_URL' },
    );
  return {
    brokers: brokers.split(',').map((b) => b.trim()),
    registryUrl: registry,
    external: true,
    env: { KAFKA_BROKERS: brokers, SCHEMA_REGISTRY_URL: registry },
  };
}

export function localEndpoints(
  opts: StackOptions,
  layout: StackLayout = layoutOf(opts),
  secrets?: StackSecrets,
): Endpoints {
  const brokers = kafkaNodes(opts, layout).map((n) => `127.0.0.1:${n.port}`);
  const url = registryUrl(opts);
  const env: Record<string, string> = { KAFKA_BROKERS: brokers.join(','), SCHEMA_REGISTRY_URL: url };
  if (secrets) {
    Object.assign(env, {
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: secrets.caFile,
      KAFKA_SASL_MECHANISM: SCRAM_MECHANISM.toLowerCase(),
      KAFKA_SASL_USERNAME: secrets.client.username,
      KAFKA_SASL_PASSWORD: secrets.client.password,
      SCHEMA_REGISTRY_USERNAME: secrets.registry.username,
      SCHEMA_REGISTRY_PASSWORD: secrets.registry.password,
    });
  }
  return { brokers, registryUrl: url, external: false, env };
}

function prepare(env: NodeJS.ProcessEnv): { opts: StackOptions; paths: StackPaths } {
  const opts = stackOptionsFromEnv(env);
  const paths = stackPaths(opts.home, opts.cache);
  for (const dir of [paths.cache, paths.data, paths.logs, paths.run]) mkdirSync(dir, { recursive: true });
  return { opts, paths };
}

/**
 * Installs (first run) and starts the Kafka node(s), then the registry; returns once all answer
 * (every node listed by the cluster). Nodes already running are left alone, so `up` after one
 * node was stopped starts just that one again.
 */
export async function stackUp(report: Report, env: NodeJS.ProcessEnv = process.env): Promise<Endpoints> {
  const external = externalEndpoints(env);
  if (external) {
    report(`using the external cluster from KAFKA_BROKERS/SCHEMA_REGISTRY_URL; starting nothing`);
    return external;
  }
  const { opts, paths } = prepare(env);
  const layout = layoutOf(opts);
  const running = runningLayout(paths);
  if (running && !sameLayout(running, layout) && anyComponentRuns(paths, opts, running)) {
    throw new SipflowError(
      'SIPFLOW_STACK',
      `a local stack with ${describeLayout(running)} is running; stop it with \`sipflow stack down\` ` +
        `before starting one with ${describeLayout(layout)}`,
      { running, asked: layout },
    );
  }
  recordLayout(paths, layout);
  const dataDir = layoutDataDir(paths, layout);
  const secrets = layout.secure ? await ensureSecrets(secretsDir(dataDir), opts.java, report) : undefined;
  const nodes = kafkaNodes(opts, layout);
  for (const node of nodes) {
    await spawnKafkaNode({ paths, stackOpts: opts, node, nodes, dataDir, secrets, report });
  }
  await waitForKafka({ paths, stackOpts: opts, nodes, dataDir, client: kafkaClientAuth(secrets), report });
  await startRegistry({ paths, stackOpts: opts, dataDir, auth: secrets?.registry, report });
  return localEndpoints(opts, layout, secrets);
}

export type StackComponent = 'kafka' | 'registry' | `kafka-${number}`;

/**
 * Stops the registry, then the Kafka nodes (all at once: a node left alone without a controller
 * quorum would wait out its whole shutdown timeout), SIGTERM then SIGKILL after a grace period;
 * idempotent. `only` stops one part (fault tests stop the registry, all of Kafka or one node).
 */
export async function stackDown(
  report: Report,
  env: NodeJS.ProcessEnv = process.env,
  opts: { only?: StackComponent } = {},
): Promise<void> {
  const { opts: stackOpts, paths } = prepare(env);
  const layout = runningLayout(paths) ?? layoutOf(stackOpts);
  const parts = components(paths, stackOpts, layout);
  const selected = parts.filter(
    (p) => opts.only === undefined || p.name === opts.only || (opts.only === 'kafka' && p.kafka),
  );
  if (opts.only !== undefined && selected.length === 0) {
    throw new SipflowError(
      'SIPFLOW_INVALID_OPTION',
      `no part named ${opts.only} in a stack with ${describeLayout(layout)}`,
      { only: opts.only },
    );
  }
  const stop = async ({ name, pidFile, marker }: (typeof parts)[number]) => {
    const pid = livePid(pidFile, marker);
    if (pid) {
      const how = await stopProcess(pid, 30_000);
      report(`${name}: stopped (pid ${pid}, ${how})`);
    } else {
      report(`${name}: not running`);
    }
    removeFile(pidFile);
  };
  // the registry first: nothing else depends on it
  for (const part of selected.filter((p) => !p.kafka)) await stop(part);
  await Promise.all(selected.filter((p) => p.kafka).map(stop));
  if (opts.only === undefined) forgetLayout(paths);
}

export type ComponentStatus = { name: string; pid: number | undefined; ready: boolean; endpoint: string };

export async function stackStatus(env: NodeJS.ProcessEnv = process.env): Promise<ComponentStatus[]> {
  const external = externalEndpoints(env);
  if (external) {
    return [
      {
        name: 'kafka',
        pid: undefined,
        ready: await kafkaBrokerCount(external.brokers).then(
          (n) => n > 0,
          () => false,
        ),
        endpoint: external.brokers.join(','),
      },
      {
        name: 'registry',
        pid: undefined,
        ready: await registryAnswers(external.registryUrl).catch(() => false),
        endpoint: external.registryUrl,
      },
    ];
  }
  const opts = stackOptionsFromEnv(env);
  const paths = stackPaths(opts.home, opts.cache);
  const layout = runningLayout(paths) ?? layoutOf(opts);
  const secrets = layout.secure ? readSecrets(secretsDir(layoutDataDir(paths, layout))) : undefined;
  const rows: ComponentStatus[] = [];
  for (const part of components(paths, opts, layout)) {
    const ready = part.kafka
      ? await kafkaBrokerCount([part.endpoint], kafkaClientAuth(secrets)).then(
          (n) => n > 0,
          () => false,
        )
      : await registryAnswers(part.endpoint, secrets?.registry).catch(() => false);
    rows.push({ name: part.name, pid: livePid(part.pidFile, part.marker), ready, endpoint: part.endpoint });
  }
  return rows;
}

/** How to reach the stack that runs (or would run) with this environment. */
export function stackEnv(env: NodeJS.ProcessEnv = process.env): Endpoints {
  const external = externalEndpoints(env);
  if (external) return external;
  const opts = stackOptionsFromEnv(env);
  const paths = stackPaths(opts.home, opts.cache);
  const layout = runningLayout(paths) ?? layoutOf(opts);
  const secrets = layout.secure ? readSecrets(secretsDir(layoutDataDir(paths, layout))) : undefined;
  if (layout.secure && !secrets) {
    throw new SipflowError(
      'SIPFLOW_STACK',
      'the secure stack has no credentials yet: run `sipflow stack up --secure` first',
    );
  }
  return localEndpoints(opts, layout, secrets);
}

/** The kafkajs settings a probe needs to get into a secure stack. */
function kafkaClientAuth(secrets: StackSecrets | undefined): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  if (!secrets) return {};
  return {
    ssl: { ca: [readCa(secrets)] },
    sasl: { mechanism: 'scram-sha-512', ...secrets.client },
  };
}

function readCa(secrets: StackSecrets): string {
  return readFileSync(secrets.caFile, 'utf8');
}

function components(paths: StackPaths, opts: StackOptions, layout: StackLayout) {
  const dataDir = layoutDataDir(paths, layout);
  return [
    ...kafkaNodes(opts, layout).map((node) => ({
      name: layout.brokers === 1 ? 'kafka' : `kafka-${node.id}`,
      kafka: true,
      pidFile: kafkaFiles(paths, dataDir, node).pidFile,
      marker: kafkaMarker(node),
      endpoint: `127.0.0.1:${node.port}`,
    })),
    {
      name: 'registry',
      kafka: false,
      pidFile: registryFiles(paths, dataDir).pidFile,
      marker: REGISTRY_MARKER,
      endpoint: registryUrl(opts),
    },
  ];
}

function anyComponentRuns(paths: StackPaths, opts: StackOptions, layout: StackLayout): boolean {
  return components(paths, opts, layout).some((p) => livePid(p.pidFile, p.marker) !== undefined);
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

/** The pid of one part of the running local stack ('kafka', 'kafka-2', 'registry'): for fault tests. */
export function stackComponentPid(
  name: StackComponent,
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  const opts = stackOptionsFromEnv(env);
  const paths = stackPaths(opts.home, opts.cache);
  const part = components(paths, opts, runningLayout(paths) ?? layoutOf(opts)).find((p) => p.name === name);
  return part ? livePid(part.pidFile, part.marker) : undefined;
}

/** The pid of the local broker (the first node), if it runs: for benchmarks that measure it. */
export function localKafkaPid(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const paths = stackPaths(stackOptionsFromEnv(env).home);
  return livePid(join(paths.run, 'kafka-1.pid'), kafkaMarker({ id: 1 }));
}
