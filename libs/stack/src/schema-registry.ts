import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureRegistryInstalled, type Report } from './install';
import type { StackOptions } from './options';
import type { StackPaths } from './paths';
import { assertPortsFree } from './ports';
import { livePid, spawnDetached, tail } from './processes';
import { waitUntil } from './wait';

export const REGISTRY_MARKER = '-Dsipflow.stack=registry';

/** Apicurio serves the Confluent Schema Registry API under this prefix. */
export const CONFLUENT_API_PATH = '/apis/ccompat/v7';

export function registryFiles(paths: StackPaths) {
  return {
    pidFile: join(paths.run, 'registry.pid'),
    logFile: join(paths.logs, 'registry.log'),
    dataDir: join(paths.data, 'registry'),
  };
}

export function registryUrl(opts: StackOptions): string {
  return `http://127.0.0.1:${opts.registryPort}${CONFLUENT_API_PATH}`;
}

/**
 * Apicurio Registry with its H2 storage in a file: schema ids survive a restart, which matters
 * because the ids are written into every record kept in Kafka.
 */
export async function startRegistry(paths: StackPaths, opts: StackOptions, report: Report): Promise<void> {
  const files = registryFiles(paths);
  const url = registryUrl(opts);
  const running = livePid(files.pidFile, REGISTRY_MARKER);
  if (running) {
    report(`registry: already running (pid ${running})`);
  } else {
    await assertPortsFree([{ port: opts.registryPort, variable: 'SIPFLOW_REGISTRY_PORT' }]);
    const { version, jar } = await ensureRegistryInstalled(paths, opts, report);
    mkdirSync(files.dataDir, { recursive: true });
    const pid = spawnDetached({
      cmd: opts.java,
      args: [`-Xmx${opts.registryHeap}`, '-XX:+UseSerialGC', REGISTRY_MARKER, '-jar', jar],
      cwd: files.dataDir,
      env: {
        ...process.env,
        QUARKUS_HTTP_HOST: '127.0.0.1',
        QUARKUS_HTTP_PORT: String(opts.registryPort),
        APICURIO_DATASOURCE_URL: `jdbc:h2:file:${join(files.dataDir, 'registry')}`,
      },
      logFile: files.logFile,
      pidFile: files.pidFile,
    });
    report(`registry: started Apicurio Registry ${version} (pid ${pid}), log ${files.logFile}`);
  }
  const ms = await waitUntil({
    what: `the schema registry on ${url}`,
    probe: () => registryAnswers(url),
    timeoutMs: opts.timeoutMs,
    stillRunning: () => livePid(files.pidFile, REGISTRY_MARKER) !== undefined,
    diagnostics: () => `last lines of ${files.logFile}:\n${tail(files.logFile)}`,
  });
  report(`registry: ready on ${url} (${(ms / 1000).toFixed(1)} s)`);
}

export async function registryAnswers(url: string): Promise<boolean> {
  const res = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2000) });
  return res.ok;
}
