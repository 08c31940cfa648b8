import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createProcessorMetrics,
  startHttpServer,
  type ReadinessReport,
  type RunningHttpServer,
} from '../src/index';

const running: RunningHttpServer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function start(
  readiness: () => Promise<ReadinessReport> | ReadinessReport = () => ({ ready: true, checks: {} }),
) {
  const registry = new Registry();
  const metrics = createProcessorMetrics(registry, { defaultMetrics: false });
  const server = await startHttpServer({ port: 0, registry, readiness });
  running.push(server);
  return { registry, metrics, server };
}

describe('startHttpServer', () => {
  it('binds port 0 to a free port on loopback and reports it', async () => {
    const { server } = await start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('serves the registry on GET /metrics in its content type', async () => {
    const { registry, metrics, server } = await start();
    metrics.consumed('call-attempts.raw').inc(3);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(registry.contentType);
    expect(await res.text()).toContain('sipflow_events_consumed_total{topic="call-attempts.raw"} 3');
  });

  it('answers /healthz with 200 even while not ready', async () => {
    const { server } = await start(() => ({ ready: false, checks: {} }));
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 and the checks when ready', async () => {
    const report = { ready: true, checks: { kafka: { ok: true }, registry: { ok: true } } };
    const { server } = await start(async () => report);
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(report);
  });

  it('answers /readyz with 503 and the failing check when not ready', async () => {
    const report = {
      ready: false,
      checks: { kafka: { ok: true }, registry: { ok: false, detail: 'connect ECONNREFUSED' } },
    };
    const { server } = await start(() => report);
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual(report);
  });

  it('answers /readyz with 503 when the readiness function throws', async () => {
    const { server } = await start(async () => {
      throw new Error('admin client not connected');
    });
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      ready: false,
      checks: { readiness: { ok: false, detail: 'admin client not connected' } },
    });
  });

  it('answers 404 for unknown paths and 405 for other methods', async () => {
    const { server } = await start();
    expect((await fetch(`${server.url}/`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics/extra`)).status).toBe(404);
    const post = await fetch(`${server.url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });

  it('ignores the query string when routing', async () => {
    const { server } = await start();
    expect((await fetch(`${server.url}/healthz?probe=kubelet`)).status).toBe(200);
  });

  it('closes promptly while a request is still in flight, then refuses connections', async () => {
    let received!: () => void;
    const requestReceived = new Promise<void>((resolve) => (received = resolve));
    const { server } = await start(() => {
      received();
      return new Promise<ReadinessReport>(() => {}); // a dependency check that hangs
    });
    const pending = fetch(`${server.url}/readyz`);
    await requestReceived;

    const startedAt = Date.now();
    await server.close();
    running.splice(running.indexOf(server), 1);
    // server.close() alone would wait for the hanging request forever (this test would time out).
    expect(Date.now() - startedAt).toBeLessThan(1000);
    await expect(pending).rejects.toThrow();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
