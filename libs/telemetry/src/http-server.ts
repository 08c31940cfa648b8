import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from './logger';
import type { ReadinessReport } from './readiness';

export type HttpServerOptions = {
  /** Loopback unless told otherwise: metrics and probes are not for the open network. */
  host?: string;
  /** 0 picks a free port; the bound one is returned. */
  port: number;
  /** a registry, or what stands for the workers' registries in the primary (cluster-metrics.ts) */
  registry: Pick<Registry, 'metrics' | 'contentType'>;
  readiness: () => Promise<ReadinessReport> | ReadinessReport;
  logger?: Logger;
};

export type RunningHttpServer = {
  port: number;
  url: string;
  close(): Promise<void>;
};

type Reply = { status: number; contentType: string; body: string };

const json = (status: number, body: unknown): Reply => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});

async function checkReadiness(opts: HttpServerOptions): Promise<ReadinessReport> {
  try {
    return await opts.readiness();
  } catch (err) {
    // A check that cannot even answer means "not ready", never a crashed probe endpoint.
    opts.logger?.warn({ err }, 'readiness check threw');
    return { ready: false, checks: { readiness: { ok: false, detail: (err as Error).message } } };
  }
}

const routes: Record<string, (opts: HttpServerOptions) => Promise<Reply>> = {
  '/metrics': async ({ registry }) => ({
    status: 200,
    contentType: registry.contentType,
    body: await registry.metrics(),
  }),
  // Liveness only: if this process can answer, it is alive. Dependencies belong in /readyz, or a
  // broker outage would have every replica restarted at once.
  '/healthz': async () => json(200, { status: 'ok' }),
  '/readyz': async (opts) => {
    const report = await checkReadiness(opts);
    return json(report.ready ? 200 : 503, report);
  },
};

function send(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  res.writeHead(reply.status, { 'content-type': reply.contentType, ...headers });
  res.end(reply.body);
}

/** Serves GET /metrics, /healthz and /readyz with node:http. */
export async function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  const host = opts.host ?? '127.0.0.1';

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (route === undefined) return send(res, json(404, { error: 'not found' }));
    if (req.method !== 'GET') return send(res, json(405, { error: 'method not allowed' }), { allow: 'GET' });
    route(opts).then(
      (reply) => send(res, reply),
      (err: unknown) => {
        opts.logger?.error({ err, path }, 'http handler failed');
        send(res, json(500, { error: 'internal error' }));
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host; // IPv6 literals need brackets in a URL
  return {
    port,
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // server.close() drops idle keep-alive sockets but waits for any request still in flight,
        // e.g. a readiness check that hangs on a dead broker; shutdown must not.
        server.closeAllConnections();
      }),
  };
}
