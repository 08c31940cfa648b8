import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SipflowError } from '@sipflow/errors';

/**
 * The repository root: the nearest folder above this module that holds ops/kafka/pom.xml (the
 * module is libs/stack/src/paths.ts in the sources, dist/sipflow.mjs in the bundle).
 */
export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'ops/kafka/pom.xml'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

export const kafkaPom = join(repoRoot, 'ops/kafka/pom.xml');
export const kafkaLog4j = join(repoRoot, 'ops/kafka/log4j2.properties');
export const registryPom = join(repoRoot, 'ops/registry/pom.xml');

/** Reads `<name>x.y.z</name>` from a pom: the pom is the single place a version is written. */
export function pomProperty(pomPath: string, name: string): string {
  const match = new RegExp(`<${name}>([^<]+)</${name}>`).exec(readFileSync(pomPath, 'utf8'));
  // the poms ship with sipflow: one without its version property is a broken checkout or build
  if (!match?.[1])
    throw new SipflowError('SIPFLOW_INTERNAL_ERROR', `${pomPath} has no <${name}> property`, {
      pom: pomPath,
      property: name,
    });
  return match[1].trim();
}

export type StackPaths = {
  home: string;
  cache: string;
  data: string;
  logs: string;
  run: string;
};

export function stackPaths(home: string | undefined, cache?: string): StackPaths {
  const root = resolve(home ?? join(repoRoot, '.sipflow'));
  return {
    home: root,
    cache: cache === undefined ? join(root, 'cache') : resolve(cache),
    data: join(root, 'data'),
    logs: join(root, 'logs'),
    run: join(root, 'run'),
  };
}
