// What a soak result was measured on, so a figure in the README can be traced and compared.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { kafkaToolsClasspath, repoRoot } from '@sipflow/stack';

export type Provenance = {
  commit: string;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string };
  versions: Record<string, string>;
};

/** The installed version of an npm package (the one the run loaded). */
export const packageVersion = (name: string) =>
  JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version as string;

/** The machine a benchmark ran on; the end-to-end bench records the same block. */
export function machine(): Provenance['machine'] {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osType()} ${release()}`,
  };
}

export async function provenance(externalCluster: boolean): Promise<Provenance> {
  return {
    commit: gitDescribe(),
    machine: machine(),
    versions: {
      node: process.version,
      kafkajs: packageVersion('kafkajs'),
      'prom-client': packageVersion('prom-client'),
      // the local stack knows its release; an external cluster is not asked
      kafka: externalCluster
        ? 'external'
        : (await kafkaToolsClasspath(() => undefined).catch(() => ({ version: 'unknown' }))).version,
    },
  };
}

/** The commit the run measured, marked `-dirty` when the working tree had changes on top of it. */
function gitDescribe(): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown';
  }
}
