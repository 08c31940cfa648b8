import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
};
const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, Service> };
const readme = readFileSync('README.md', 'utf8');

/** The host ports the README promises, per compose service. */
const promised: Record<string, number> = { kafka: 9092, 'schema-registry': 8081 };

describe('docker-compose.yml', () => {
  for (const [name, port] of Object.entries(promised)) {
    it(`runs ${name} on host port ${port} with a healthcheck, as the README says`, () => {
      const service = compose.services[name];
      expect(service, `service ${name}`).toBeDefined();
      expect(service!.image).toMatch(/^[\w./-]+:[\w.-]+$/); // pinned tag, never :latest by omission
      expect(service!.ports).toContain(`${port}:${port}`);
      expect(service!.healthcheck?.test.length).toBeGreaterThan(0);
      expect(readme).toContain(`localhost:${port}`);
    });
  }

  it('starts the registry only once Kafka is healthy', () => {
    expect(compose.services['schema-registry']!.depends_on?.kafka?.condition).toBe('service_healthy');
  });

  it('depends only on services it defines', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const dep of Object.keys(service.depends_on ?? {})) {
        expect(Object.keys(compose.services), `${name} depends on ${dep}`).toContain(dep);
      }
    }
  });
});

// The observability stack: the sipflow services built from ops/docker/Dockerfile, Prometheus and
// Grafana. No Docker engine in CI, so these check the file against what it refers to in ops/.
const services = compose.services;
const service = (name: string): Service => {
  expect(services[name], `service ${name}`).toBeDefined();
  return services[name]!;
};
const readYaml = <T>(path: string) => parse(readFileSync(path, 'utf8')) as T;
/** `./host/path:/container/path[:ro]` volumes of a service, as [host, container] pairs. */
const mounts = (s: Service) => (s.volumes ?? []).map((v) => v.split(':').slice(0, 2) as [string, string]);
const mountTarget = (s: Service, hostPath: string) => mounts(s).find(([host]) => host === hostPath)?.[1];

describe('docker-compose.yml: the pipeline and its observability stack', () => {
  const kafkaInternal = String(services.kafka!.environment?.KAFKA_ADVERTISED_LISTENERS)
    .split(',')
    .find((l) => l.startsWith('DOCKER://'))!
    .slice('DOCKER://'.length);

  it('builds the sipflow services from a Dockerfile that runs the CLI', () => {
    for (const name of ['setup', 'processor', 'simulator']) {
      const build = service(name).build!;
      expect(existsSync(build.dockerfile), build.dockerfile).toBe(true);
      expect(build.context).toBe('.');
      expect(service(name).environment?.KAFKA_BROKERS).toBe(kafkaInternal);
      expect(service(name).environment?.SCHEMA_REGISTRY_URL).toBe('http://schema-registry:8081');
    }
    const dockerfile = readFileSync(service('processor').build!.dockerfile, 'utf8');
    expect(dockerfile).toMatch(/^FROM node:24-slim$/m);
    expect(dockerfile).toContain('npm ci');
    const bin = /"node", "([^"]+sipflow\.mjs)"/.exec(dockerfile)?.[1];
    expect(bin && existsSync(bin), `CLI entry ${bin}`).toBe(true);
  });

  it('runs setup once, after Kafka and the registry are healthy, before the processor and simulator', () => {
    expect(service('setup').command).toEqual(['setup']);
    expect(service('setup').depends_on?.kafka?.condition).toBe('service_healthy');
    expect(service('setup').depends_on?.['schema-registry']?.condition).toBe('service_healthy');
    for (const name of ['processor', 'simulator']) {
      expect(service(name).depends_on?.setup?.condition).toBe('service_completed_successfully');
    }
    expect(service('simulator').command?.[0]).toBe('simulate');
  });

  it('serves the processor metrics on all interfaces, on the port its healthcheck and Prometheus use', () => {
    const processor = service('processor');
    expect(processor.environment?.METRICS_HOST).toBe('0.0.0.0');
    const port = Number(processor.environment?.METRICS_PORT);
    expect(processor.ports).toContain(`${port}:${port}`);
    expect(processor.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${port}/readyz`);

    const prometheusConfigPath = 'ops/prometheus/prometheus.yml';
    const config = readYaml<{
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    }>(prometheusConfigPath);
    const job = config.scrape_configs.find((c) => c.job_name === 'sipflow');
    expect(job, 'scrape job "sipflow" (the alert rules select it)').toBeDefined();
    expect(job!.static_configs.flatMap((c) => c.targets)).toEqual([`processor:${port}`]);

    const prometheus = service('prometheus');
    expect(mountTarget(prometheus, `./${prometheusConfigPath}`)).toBe('/etc/prometheus/prometheus.yml');
    // the rule_files glob must point into the mounted alerts folder and match the rules file
    const alertsTarget = mountTarget(prometheus, './ops/prometheus/alerts');
    expect(config.rule_files).toEqual([`${alertsTarget}/*.rules.yml`]);
    expect(existsSync('ops/prometheus/alerts/sipflow.rules.yml')).toBe(true);
  });

  it('mounts only files and folders that exist', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [host] of mounts(s)) {
        if (host.startsWith('./')) expect(existsSync(host), `${name}: ${host}`).toBe(true);
      }
    }
  });

  it('runs Prometheus and Grafana on their usual ports, pinned, with healthchecks', () => {
    for (const [name, port] of [
      ['prometheus', 9090],
      ['grafana', 3000],
    ] as const) {
      const s = service(name);
      expect(s.image).toMatch(/^[\w./-]+:v?\d+\.\d+\.\d+$/);
      expect(s.ports).toContain(`${port}:${port}`);
      expect(s.healthcheck?.test.join(' ')).toContain(`:${port}/`);
    }
    expect(service('grafana').depends_on?.prometheus?.condition).toBe('service_healthy');
  });

  it('provisions Grafana: the Prometheus data source, the dashboard folder, an anonymous viewer', () => {
    const grafana = service('grafana');
    expect(grafana.environment?.GF_AUTH_ANONYMOUS_ENABLED).toBe('true');
    expect(grafana.environment?.GF_AUTH_ANONYMOUS_ORG_ROLE).toBe('Viewer');
    expect(mountTarget(grafana, './ops/grafana/provisioning')).toBe('/etc/grafana/provisioning');

    const datasources = readYaml<{ datasources: { url: string }[] }>(
      'ops/grafana/provisioning/datasources/prometheus.yaml',
    ).datasources;
    expect(datasources.map((d) => d.url)).toEqual(['http://prometheus:9090']);

    const providers = readYaml<{ providers: { options: { path: string } }[] }>(
      'ops/grafana/provisioning/dashboards/sipflow.yaml',
    ).providers;
    const dashboardsTarget = mountTarget(grafana, './ops/grafana/dashboards');
    expect(providers.map((p) => p.options.path)).toEqual([dashboardsTarget]);
    expect(existsSync('ops/grafana/dashboards/sipflow.json')).toBe(true);
    expect(grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(
      `${dashboardsTarget}/sipflow.json`,
    );
  });

  it('gives every long-running service a healthcheck', () => {
    for (const [name, s] of Object.entries(services)) {
      if (name === 'setup' || name === 'simulator') continue; // one-shot, and a pure producer
      expect(s.healthcheck?.test.length, name).toBeGreaterThan(0);
    }
  });
});

// Debian's docker-compose validates the file against the Compose schema without a Docker engine.
const composeCli = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
const haveComposeCli = composeCli.status === 0;
if (!haveComposeCli && process.env.CI)
  throw new Error('CI needs docker-compose (Debian package) to validate docker-compose.yml');

describe.skipIf(!haveComposeCli)(
  `docker-compose.yml against the Compose schema${haveComposeCli ? '' : ' (skipped: no docker-compose CLI; apt-get install docker-compose)'}`,
  () => {
    it('passes `docker-compose config`', () => {
      const run = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], {
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    });
  },
);
