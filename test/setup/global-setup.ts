import type { TestProject } from 'vitest/node';
import { provideCluster } from './cluster-providers';
import { cleanUpTestRun, newTestRunToken } from './test-run';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
    schemaRegistryUrl: string;
    clusterSource: string;
    /** in every name uniqueName makes; what the teardown deletes */
    testRunToken: string;
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
  const token = newTestRunToken();
  project.provide('testRunToken', token);
  return async () => {
    // a cluster that outlives the run keeps nothing of it; one this run started is stopped anyway
    const cleaned = await cleanUpTestRun(cluster, token);
    process.stderr.write(
      `[integration] teardown: deleted this run's ${cleaned.topics} topics, ${cleaned.subjects} schema subjects ` +
        `and ${cleaned.groups} consumer groups (names with -${token}-)\n`,
    );
    for (const p of cleaned.problems) process.stderr.write(`[integration] teardown: ${p}\n`);
    await cluster.stop();
  };
}
