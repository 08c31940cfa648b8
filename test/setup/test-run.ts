// first: sipflow's kafkajs patches must be in place before kafkajs loads
import '@sipflow/kafka/kafkajs-patches';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

/**
 * Every topic, schema subject and consumer group an integration or fault test creates is named
 * through uniqueName (test/support/cluster.ts), which puts this run's token in the name. The
 * global teardown deletes what carries it, so `npm test` leaves nothing behind in a cluster that
 * outlives it (the local stack `npm start` uses, or KAFKA_BROKERS/SCHEMA_REGISTRY_URL), and never
 * touches what another run or anything else created there.
 */
export function newTestRunToken(): string {
  return `t${randomBytes(3).toString('hex')}`;
}

/** Whether `name` was made by uniqueName in the run with `token`. */
export const madeByRun = (name: string, token: string): boolean => name.includes(`-${token}-`);

export type CleanUp = { topics: number; subjects: number; groups: number; problems: string[] };

/**
 * Deletes the run's consumer groups, topics and schema subjects. Best effort: a failure is
 * reported, not thrown, so it cannot hide the tests' own result.
 */
export async function cleanUpTestRun(
  cluster: { brokers: string[]; registryUrl: string },
  token: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CleanUp> {
  const result: CleanUp = { topics: 0, subjects: 0, groups: 0, problems: [] };
  const problem = (what: string, err: unknown) =>
    result.problems.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);

  const admin = new Kafka({
    clientId: 'sipflow-test-teardown',
    brokers: cluster.brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    // groups first: a group's committed offsets are for topics about to go
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => madeByRun(g, token));
    if (groups.length > 0) {
      const deleted = await admin.deleteGroups(groups).catch((err: unknown) => {
        problem('deleting consumer groups', err);
        return [];
      });
      result.groups = deleted.filter((d) => !d.error).length;
    }
    const topics = (await admin.listTopics()).filter((t) => madeByRun(t, token));
    if (topics.length > 0) {
      await admin.deleteTopics({ topics });
      result.topics = topics.length;
    }
  } catch (err) {
    problem('deleting topics', err);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }

  try {
    const registry = registryClient(cluster.registryUrl, env);
    const subjects = ((await registry('GET', '/subjects')) as string[]).filter((s) => madeByRun(s, token));
    for (const subject of subjects) {
      const path = `/subjects/${encodeURIComponent(subject)}`;
      // the Confluent API deletes permanently only what was soft-deleted first
      await registry('DELETE', path);
      await registry('DELETE', `${path}?permanent=true`);
      result.subjects++;
    }
  } catch (err) {
    problem('deleting schema subjects', err);
  }
  return result;
}

function registryClient(baseUrl: string, env: NodeJS.ProcessEnv) {
  const base = baseUrl.replace(/\/+$/, '');
  const user = env.SCHEMA_REGISTRY_USERNAME;
  const auth: Record<string, string> = user
    ? {
        authorization: `Basic ${Buffer.from(`${user}:${env.SCHEMA_REGISTRY_PASSWORD ?? ''}`).toString('base64')}`,
      }
    : {};
  return async (method: 'GET' | 'DELETE', path: string): Promise<unknown> => {
    const res = await fetch(`${base}${path}`, { method, headers: auth, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
}
