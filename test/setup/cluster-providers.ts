import { externalEndpoints, stackStatus, stackUp, stackDown, type Endpoints } from '@sipflow/stack';

export type ProvidedCluster = Endpoints & { source: string; stop: () => Promise<void> };

const log = (line: string) => process.stderr.write(`[integration] ${line}\n`);

/**
 * Where the integration tests' broker and registry come from, in order:
 *  1. KAFKA_BROKERS + SCHEMA_REGISTRY_URL from the environment (a cluster you already run);
 *  2. a Docker engine, if one answers: Kafka and Confluent Schema Registry containers;
 *  3. the project's own local stack (real Kafka + Apicurio as local processes).
 */
export async function provideCluster(): Promise<ProvidedCluster> {
  const external = externalEndpoints();
  if (external) {
    log(`using KAFKA_BROKERS=${external.brokers.join(',')} SCHEMA_REGISTRY_URL=${external.registryUrl}`);
    return { ...external, source: 'environment', stop: async () => undefined };
  }

  const docker = await dockerEngine();
  if (docker.available) return startContainers();
  log(`testcontainers: skipped, ${docker.reason}; using the local stack instead`);

  const wasRunning = (await stackStatus()).every((c) => c.pid !== undefined && c.ready);
  const endpoints = await stackUp(log);
  return {
    ...endpoints,
    source: wasRunning ? 'local stack (already running)' : 'local stack',
    // leave a stack we found running; stop one we started, unless asked to keep it
    stop: async () => {
      if (!wasRunning && !process.env.SIPFLOW_TEST_KEEP_STACK) await stackDown(log);
    },
  };
}

async function dockerEngine(): Promise<{ available: true } | { available: false; reason: string }> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return { available: true };
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    return { available: false, reason: `no Docker engine answers (${first})` };
  }
}

async function startContainers(): Promise<ProvidedCluster> {
  const { GenericContainer, Network, Wait } = await import('testcontainers');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  log('testcontainers: starting Kafka and Confluent Schema Registry containers');
  const network = await new Network().start();
  const kafka = await new KafkaContainer('confluentinc/cp-kafka:7.9.0')
    .withKraft()
    .withNetwork(network)
    .withNetworkAliases('kafka')
    .start();
  const registry = await new GenericContainer('confluentinc/cp-schema-registry:7.9.0')
    .withNetwork(network)
    .withEnvironment({
      SCHEMA_REGISTRY_HOST_NAME: 'schema-registry',
      SCHEMA_REGISTRY_LISTENERS: 'http://0.0.0.0:8081',
      SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: 'PLAINTEXT://kafka:9092',
    })
    .withExposedPorts(8081)
    .withWaitStrategy(Wait.forHttp('/subjects', 8081))
    .start();
  const brokers = [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`];
  const registryUrl = `http://${registry.getHost()}:${registry.getMappedPort(8081)}`;
  return {
    brokers,
    registryUrl,
    env: { KAFKA_BROKERS: brokers.join(','), SCHEMA_REGISTRY_URL: registryUrl },
    external: false,
    source: 'testcontainers',
    stop: async () => {
      await registry.stop();
      await kafka.stop();
      await network.stop();
    },
  };
}
