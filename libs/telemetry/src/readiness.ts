/** One dependency's verdict, e.g. `{ kafka: { ok: false, detail: 'no broker reachable' } }`. */
export type ReadinessCheck = { ok: boolean; detail?: string };

/** The body of GET /readyz; `ready` decides between 200 and 503. */
export type ReadinessReport = { ready: boolean; checks: Record<string, ReadinessCheck> };
