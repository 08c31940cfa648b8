import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SipflowError } from '@sipflow/errors';
import type { StackOptions } from './options';
import { kafkaPom, pomProperty, registryPom, type StackPaths } from './paths';
import { runLogged } from './processes';

export type Report = (line: string) => void;

/**
 * Installs happen once per version into the cache: Maven resolves the artifacts by their
 * coordinates (ops/kafka/pom.xml, ops/registry/pom.xml) into a temporary folder, which is renamed
 * into place only when complete, so an interrupted install is simply redone.
 */
export async function ensureKafkaInstalled(
  paths: StackPaths,
  opts: StackOptions,
  report: Report,
): Promise<{ version: string; libs: string }> {
  const version = pomProperty(kafkaPom, 'kafka.version');
  const dir = join(paths.cache, `kafka-${version}`);
  const libs = join(dir, 'libs');
  if (existsSync(join(dir, '.complete'))) return { version, libs };

  report(`installing Apache Kafka ${version} (first run: Maven resolves ~55 MB of jars)...`);
  const started = Date.now();
  const tmp = freshDir(`${dir}.partial`);
  await runLogged(
    opts.mvn,
    [
      '-B',
      '-q',
      '-f',
      kafkaPom,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${join(tmp, 'libs')}`,
    ],
    join(paths.logs, 'install-kafka.log'),
  );
  writeFileSync(join(tmp, '.complete'), `${new Date().toISOString()}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  report(`installed Apache Kafka ${version} in ${seconds(started)}`);
  return { version, libs };
}

export async function ensureRegistryInstalled(
  paths: StackPaths,
  opts: StackOptions,
  report: Report,
): Promise<{ version: string; jar: string }> {
  const version = pomProperty(registryPom, 'registry.version');
  const dir = join(paths.cache, `apicurio-registry-${version}`);
  const jar = join(dir, `apicurio-registry-app-${version}-runner.jar`);
  if (existsSync(join(dir, '.complete'))) return { version, jar };

  report(`installing Apicurio Registry ${version} (first run: Maven resolves a ~105 MB archive)...`);
  const started = Date.now();
  const tmp = freshDir(`${dir}.partial`);
  const log = join(paths.logs, 'install-registry.log');
  await runLogged(
    opts.mvn,
    ['-B', '-q', '-f', registryPom, 'dependency:copy', `-Dregistry.outputDirectory=${tmp}`],
    log,
  );
  const archive = readdirSync(tmp).find((f) => f.endsWith('.tar.gz'));
  if (!archive)
    throw new SipflowError('SIPFLOW_STACK', `Maven copied no registry archive into ${tmp}; see ${log}`, {
      log,
    });
  await runLogged('tar', ['-xzf', join(tmp, archive), '-C', tmp], log);
  rmSync(join(tmp, archive));
  if (!existsSync(join(tmp, `apicurio-registry-app-${version}-runner.jar`))) {
    throw new SipflowError(
      'SIPFLOW_STACK',
      `the registry archive has no runner jar for ${version}; see ${log}`,
      { log },
    );
  }
  writeFileSync(join(tmp, '.complete'), `${new Date().toISOString()}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  report(`installed Apicurio Registry ${version} in ${seconds(started)}`);
  return { version, jar };
}

function freshDir(path: string): string {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  return path;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
