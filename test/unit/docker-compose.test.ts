import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type Service = {
  image?: string;
  ports?: string[];
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
