import type { TestProject } from 'vitest/node';
import { provideCluster } from './cluster-providers';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
    schemaRegistryUrl: string;
    clusterSource: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await provideCluster();
  process.stderr.write(
    `[integration] broker ${cluster.brokers.join(',')} and registry ${cluster.registryUrl} (${cluster.source})\n`,
  );
  project.provide('kafkaBrokers', cluster.brokers);
  project.provide('schemaRegistryUrl', cluster.registryUrl);
  project.provide('clusterSource', cluster.source);
  return cluster.stop;
}
