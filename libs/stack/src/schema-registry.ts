import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

export type BasicAuth = { username: string; password: string };

export function registryFiles(paths: StackPaths, layoutDataDir: string) {
  return {
    pidFile: join(paths.run, 'registry.pid'),
    logFile: join(paths.logs, 'registry.log'),
    dataDir: join(layoutDataDir, 'registry'),
  };
}

export function registryUrl(opts: StackOptions): string {
  return `http://127.0.0.1:${opts.registryPort}${CONFLUENT_API_PATH}`;
}

/**
 * Apicurio Registry with its H2 storage in a file: schema ids survive a restart, which matters
 * because the ids are written into every record kept in Kafka. With `auth`, every path needs
 * HTTP basic auth (Quarkus' embedded user store); the user goes into config/application.properties
 * in the registry's working folder, which Quarkus reads at start, so the password is never on a
 * command line that `ps` shows.
 */
export async function startRegistry(opts: {
  paths: StackPaths;
  stackOpts: StackOptions;
  dataDir: string;
  auth: BasicAuth | undefined;
  report: Report;
}): Promise<void> {
  const { paths, stackOpts, auth, report } = opts;
  const files = registryFiles(paths, opts.dataDir);
  const url = registryUrl(stackOpts);
  const running = livePid(files.pidFile, REGISTRY_MARKER);
  if (running) {
    report(`registry: already running (pid ${running})`);
  } else {
    await assertPortsFree([{ port: stackOpts.registryPort, variable: 'SIPFLOW_REGISTRY_PORT' }]);
    const { version, jar } = await ensureRegistryInstalled(paths, stackOpts, report);
    mkdirSync(files.dataDir, { recursive: true });
    writeAuthConfig(files.dataDir, auth);
    const pid = spawnDetached({
      cmd: stackOpts.java,
      args: [`-Xmx${stackOpts.registryHeap}`, '-XX:+UseSerialGC', REGISTRY_MARKER, '-jar', jar],
      cwd: files.dataDir,
      env: {
        ...process.env,
        QUARKUS_HTTP_HOST: '127.0.0.1',
        QUARKUS_HTTP_PORT: String(stackOpts.registryPort),
        APICURIO_DATASOURCE_URL: `jdbc:h2:file:${join(files.dataDir, 'registry')}`,
      },
      logFile: files.logFile,
      pidFile: files.pidFile,
    });
    report(
      `registry: started Apicurio Registry ${version} (pid ${pid})${auth ? ' with basic auth' : ''}, log ${files.logFile}`,
    );
  }
  const ms = await waitUntil({
    what: `the schema registry on ${url}`,
    unavailable: 'SIPFLOW_REGISTRY_UNAVAILABLE',
    probe: () => registryAnswers(url, auth),
    timeoutMs: stackOpts.timeoutMs,
    stillRunning: () => livePid(files.pidFile, REGISTRY_MARKER) !== undefined,
    diagnostics: () => `last lines of ${files.logFile}:\n${tail(files.logFile)}`,
  });
  report(`registry: ready on ${url} (${(ms / 1000).toFixed(1)} s)`);
}

function writeAuthConfig(dataDir: string, auth: BasicAuth | undefined): void {
  const dir = join(dataDir, 'config');
  if (!auth) {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const properties = [
    'quarkus.http.auth.basic=true',
    'quarkus.security.users.embedded.enabled=true',
    'quarkus.security.users.embedded.plain-text=true',
    `quarkus.security.users.embedded.users.${auth.username}=${auth.password}`,
    `quarkus.security.users.embedded.roles.${auth.username}=sr-admin`,
    'quarkus.http.auth.permission.everything.paths=/*',
    'quarkus.http.auth.permission.everything.policy=authenticated',
    '',
  ];
  writeFileSync(join(dir, 'application.properties'), properties.join('\n'), { mode: 0o600 });
}

export async function registryAnswers(url: string, auth?: BasicAuth): Promise<boolean> {
  const headers: Record<string, string> = auth
    ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` }
    : {};
  const res = await fetch(`${url}/subjects`, { headers, signal: AbortSignal.timeout(2000) });
  return res.ok;
}
