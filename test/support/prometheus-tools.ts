import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type PrometheusTools = { prometheus: string; promtool: string };
export type FoundTools =
  { tools: PrometheusTools; skipReason?: undefined } | { tools?: undefined; skipReason: string };

const INSTALL_SCRIPT = 'scripts/install-prometheus.sh';

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function lookup(): PrometheusTools | undefined {
  const prometheus = onPath('prometheus');
  const promtool = onPath('promtool');
  return prometheus && promtool ? { prometheus, promtool } : undefined;
}

let cached: FoundTools | undefined;

/**
 * The `prometheus` and `promtool` binaries (Debian's `prometheus` package). When missing, tries
 * the install script once (it needs root and apt-get). Still missing: in CI (`CI=true`) that is
 * an error, since `.ci/run` installs them and a silent skip would hide the alert and dashboard
 * tests; elsewhere the tests skip and say why.
 */
export function findPrometheusTools(): FoundTools {
  if (cached) return cached;
  let tools = lookup();
  let installLog = '';
  if (!tools) {
    const run = spawnSync('bash', [INSTALL_SCRIPT], { encoding: 'utf8', timeout: 300_000 });
    installLog = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
    tools = lookup();
  }
  if (tools) return (cached = { tools });
  const reason = `prometheus/promtool not on PATH and ${INSTALL_SCRIPT} could not install them${
    installLog ? ` (${installLog.split('\n').at(-1)})` : ''
  }`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must have them`);
  return (cached = { skipReason: reason });
}
